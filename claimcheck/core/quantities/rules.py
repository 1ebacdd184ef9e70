"""What a quantity allows: one interval rule per comparator, the claim's stated precision, and
the conversion of a figure into a claim's unit.

The rules themselves are tabled in :mod:`claimcheck.core.numeric`'s docstring; the numeric check
applies them to evidence figures and claim matching (:mod:`claimcheck.core.matching`) to two
claims' quantities. Bounds are compared with a relative slack of 1e-9, so float rounding in a unit
conversion never flips a boundary.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from claimcheck.core.quantities.format import format_number, format_unit, is_count_unit
from claimcheck.core.quantities.model import Quantity
from claimcheck.core.quantities.units import convert

_SLACK = 1e-9
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year"}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# The dimension of each convertible unit: only units of one family are handed to pint.
_FAMILY: dict[str, str] = {
    **dict.fromkeys(_TIME_UNITS, "time"),
    **dict.fromkeys(("km", "m", "cm", "mm", "inch", "mile", "ft"), "length"),
    **dict.fromkeys(("km2", "mile2", "hectare"), "area"),
    **dict.fromkeys(("kg", "tonne", "lb"), "mass"),
    "percent": "percent",
    "celsius": "temperature",
    "fahrenheit": "temperature",
}


class Interval(BaseModel):
    """The values a claim quantity allows; ``None`` is an open end."""

    low: float | None
    high: float | None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, x: float) -> bool:
        if self.low is not None:
            slack = _SLACK * abs(self.low)
            if self.low_inclusive and x < self.low - slack:
                return False
            if not self.low_inclusive and x <= self.low + slack:
                return False
        if self.high is not None:
            slack = _SLACK * abs(self.high)
            if self.high_inclusive and x > self.high + slack:
                return False
            if not self.high_inclusive and x >= self.high - slack:
                return False
        return True

    def overlaps(self, other: Interval) -> bool:
        """Whether some value lies in both intervals (used by claim matching)."""
        lo, lo_inc = _max_low(self, other)
        hi, hi_inc = _min_high(self, other)
        if lo is None or hi is None:
            return True
        slack = _SLACK * max(abs(lo), abs(hi))
        if abs(lo - hi) <= slack:
            return lo_inc and hi_inc
        return lo < hi


def _max_low(a: Interval, b: Interval) -> tuple[float | None, bool]:
    if a.low is None:
        return b.low, b.low_inclusive
    if b.low is None or a.low > b.low:
        return a.low, a.low_inclusive
    if b.low > a.low:
        return b.low, b.low_inclusive
    return a.low, a.low_inclusive and b.low_inclusive


def _min_high(a: Interval, b: Interval) -> tuple[float | None, bool]:
    if a.high is None:
        return b.high, b.high_inclusive
    if b.high is None or a.high < b.high:
        return a.high, a.high_inclusive
    if b.high < a.high:
        return b.high, b.high_inclusive
    return a.high, a.high_inclusive and b.high_inclusive


def stated_precision(q: Quantity) -> float:
    """Half a unit of the last digit the claim states (see the module docstring), in q's unit."""
    if isinstance(q.value, list):
        return 0.0
    value = abs(q.value)
    token = None
    match = _NUMBER.search(q.surface or "")
    if match:
        written = Decimal(match.group().replace(",", ""))
        if written:
            ratio = value / float(written)
            exponent = math.log10(ratio) if ratio > 0 else math.nan
            # A scale word ("1.5 million") multiplies the written number by a power of ten.
            if math.isfinite(exponent) and abs(exponent - round(exponent)) < 1e-9:
                token = (written, round(exponent))
    if token is None:
        try:
            written = Decimal(repr(value)) if value != int(value) else Decimal(int(value))
        except (InvalidOperation, OverflowError, ValueError):
            return 0.0
        token = (written, 0)
    written, scale = token
    step_exp = _step_exponent(written)
    return 0.5 * 10.0 ** (step_exp + scale)


def _step_exponent(written: Decimal) -> int:
    _sign, digits, exponent = written.as_tuple()
    assert isinstance(exponent, int)
    if exponent < 0:
        return exponent
    text = "".join(map(str, digits)) + "0" * exponent
    text = text.lstrip("0") or "0"
    n = len(text)
    significant = len(text.rstrip("0")) or 1
    return max(0, n - max(2, significant))


def allowed_interval(q: Quantity, tolerance: float) -> tuple[Interval, str]:
    """The values the quantity allows, and the rule in words (``within ±10 % (±2)``)."""
    if isinstance(q.value, list):
        low, high = q.value
        return Interval(low=low, high=high), (
            f"between {format_number(low)} and {format_number(high)} inclusive"
        )
    v = q.value
    if q.comparator == "~":
        half = tolerance * abs(v)
        return Interval(low=v - half, high=v + half), (
            f"within ±{format_number(tolerance * 100)} % (±{format_number(half)})"
        )
    if q.comparator == "=":
        half = stated_precision(q)
        return Interval(low=v - half, high=v + half), (
            f"exact to the stated precision (±{format_number(half)})"
        )
    if q.comparator == "<":
        return Interval(low=None, high=v, high_inclusive=False), "strictly below"
    if q.comparator == "<=":
        return Interval(low=None, high=v), "at or below"
    if q.comparator == ">":
        return Interval(low=v, high=None, low_inclusive=False), "strictly above"
    return Interval(low=v, high=None), "at or above"


def convert_figure(value: float, unit: str | None, to_unit: str | None) -> tuple[float | None, str]:
    """``value`` in ``to_unit``, or None when not commensurable; plus a note on what was assumed."""
    if unit == to_unit:
        return value, ""
    if unit is None and is_count_unit(to_unit):
        return value, f" (a bare number, read as {format_unit(to_unit, 2)})"
    if to_unit is None and is_count_unit(unit):
        return value, f" (the claim gives a bare number, read as {format_unit(unit, 2)})"
    family, to_family = _FAMILY.get(unit or ""), _FAMILY.get(to_unit or "")
    if family and to_family and family != to_family:
        return None, ""  # different dimensions: no need to build pint's registry to know
    converted = convert(value, unit, to_unit)
    return converted, ""


__all__ = ["Interval", "allowed_interval", "convert_figure", "stated_precision"]
