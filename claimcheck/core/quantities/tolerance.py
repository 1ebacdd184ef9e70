"""The default tolerance of an "about" quantity, in a module that imports nothing."""

DEFAULT_TOLERANCE = 0.1
"""The relative tolerance of ``~`` (±10 %) when neither the quantity, nor its claim, nor the
organisation's ``tolerance`` setting gives one: the setting's default and the numeric check's.
Re-exported by :mod:`claimcheck.core.quantities.model` beside :attr:`Quantity.tolerance`; kept
apart so ``claimcheck show`` can read it without importing pydantic."""
