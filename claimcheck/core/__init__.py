"""The rules of claimcheck, pure: each rule lives here once and everything else asks it.

``core`` imports the standard library and pydantic (plus pure computation libraries a rule needs:
rapidfuzz for matching scores, pint — lazily, on the first unit conversion — for quantities); never
SQLAlchemy, click or :mod:`claimcheck.services`. Services, the CLI, the reports and the extractor
call into it; it calls none of them, so every rule here can be tested without a database.

* :mod:`claimcheck.core.quantities` — the quantity model, the scanner that reads quantities in
  running text, the ``--quantity`` compact spec, units and the comparator rules;
* :mod:`claimcheck.core.numeric` — the numeric check (a claim's quantities against its evidence
  figures), the figure builder, the source-label rule and the default tolerance;
* :mod:`claimcheck.core.matching` — how likely two claim texts are the same claim;
* :mod:`claimcheck.core.ratings` — the rating scales.
"""
