"""Quantities: ``"lasted less than two hours"`` → ``Quantity(value=2, unit="hour", comparator="<")``.

One home for everything about a quantity; import the submodule you need (this package imports
nothing itself, so ``from claimcheck.core.quantities.model import Quantity`` stays cheap):

* :mod:`~claimcheck.core.quantities.model` — :class:`Quantity` and the comparators;
* :mod:`~claimcheck.core.quantities.scanner` — :func:`find_quantities` / :func:`parse_quantities`
  over running text, in the stages its docstring names (mask, numbers, unit, comparator, merge);
* :mod:`~claimcheck.core.quantities.lexicon` and :mod:`~claimcheck.core.quantities.words` — the
  scanner's vocabularies and patterns, and the readers of number words, nouns, units and labels;
* :mod:`~claimcheck.core.quantities.spec` — :func:`parse_quantity_spec`, the compact hand-written
  form of ``--quantity`` (``"~20 percent"``, ``"<2 hour"``, ``"10-20 km"``);
* :mod:`~claimcheck.core.quantities.units` — unit names and conversion (pint, imported lazily);
* :mod:`~claimcheck.core.quantities.rules` — what a quantity allows (one interval rule per
  comparator, the stated precision) and the conversion of a figure into a claim's unit;
* :mod:`~claimcheck.core.quantities.format` — quantities and amounts as readers see them
  (``~20 %``, ``<2 hours``, ``1.5 million people``).
"""
