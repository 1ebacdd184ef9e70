"""Quantities and amounts as a reader sees them: ``~20 %``, ``<2 hours``, ``1.5 million people``.

Used by the numeric check's explanations and by claim matching's reasons, so a number reads the
same everywhere. Also the one test of whether a unit is a *count* (``people``, ``drone``) rather
than a measurement or a currency.
"""

from __future__ import annotations

import functools
import math

from claimcheck.core.quantities.model import Quantity
from claimcheck.core.quantities.units import CURRENCIES

_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year"}
_PLURAL_UNITS = _TIME_UNITS | {"mile", "hectare", "tonne", "percentage point", "degree"}
_TEMPERATURE_SIGNS = {"celsius": "°C", "fahrenheit": "°F"}
_MEASURES = {
    "percent",
    "percentage point",
    "km",
    "m",
    "cm",
    "mm",
    "inch",
    "mile",
    "ft",
    "km2",
    "mile2",
    "hectare",
    "kg",
    "tonne",
    "lb",
    "fold",
    "celsius",
    "fahrenheit",
    "degree",
    *_TIME_UNITS,
}


def is_count_unit(unit: str | None) -> bool:
    """Whether ``unit`` counts things (``people``, ``drone``): not a measurement, not money.
    A rate counts what its first unit counts (``meal/day`` does, ``percent/year`` does not)."""
    if unit is None:
        return False
    base = unit.split("/", 1)[0]
    return base not in _MEASURES and base not in CURRENCIES


def format_number(value: float) -> str:
    """``19.3``, ``1,250``, ``1.5 million``, ``3 billion``: readable, never in e-notation."""
    if not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            return f"{value / size:.4g} {word}"
    if value == int(value):
        return f"{int(value):,}"
    if magnitude >= 1:
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"


@functools.cache
def _irregular_plurals() -> dict[str, str]:
    """singular -> plural for the nouns whose plural the endings below would get wrong: the
    scanner's own table of irregular singulars, read backwards, and the human plurals."""
    from claimcheck.core.quantities.lexicon import SINGULARS  # compiles the scanner's patterns

    plurals = {one: many for many, one in SINGULARS.items()}
    plurals.update(child="children", man="men", woman="women", person="people")
    return plurals


def format_unit(unit: str | None, value: float | None = None) -> str:
    """How a unit follows a number in an explanation (``%``, ``hours``, ``km``, ``people``)."""
    if unit is None:
        return ""
    if "/" in unit:  # a rate: "% a year", "USD an hour", "miles per hour"
        base, per = unit.split("/", 1)
        n_text = per.partition(" ")[0]
        if n_text.isascii() and n_text.isdigit():  # "deaths per 1,000 people": per N items
            noun = per.partition(" ")[2]
            return f"{format_unit(base, value)} per {int(n_text):,} {noun}".strip()
        article = "an" if per[:1] in ("a", "e", "i", "o") or per == "hour" else "a"
        return f"{format_unit(base, value)} {article} {per}"
    if unit == "percent":
        return "%"
    if unit == "fold":
        return "times"
    if unit in _TEMPERATURE_SIGNS:
        return _TEMPERATURE_SIGNS[unit]
    if value is None or abs(value) == 1:
        return unit
    if unit in _PLURAL_UNITS:
        return unit + "s"
    if unit == "inch":
        return "inches"
    if is_count_unit(unit) and unit != "people" and unit.isalpha() and unit.islower():
        irregular = _irregular_plurals().get(unit)
        if irregular is not None:  # "life" -> "lives", "hero" -> "heroes", "child" -> "children"
            return irregular
        if unit.endswith(("s", "x", "ch", "sh")):
            return unit + "es"
        if unit.endswith("y") and unit[-2:-1] not in "aeiou":
            return unit[:-1] + "ies"
        return unit + "s"
    return unit


def format_amount(value: float, unit: str | None) -> str:
    text = format_number(value)
    suffix = format_unit(unit, value)
    return f"{text} {suffix}" if suffix else text


def describe_quantity(q: Quantity) -> str:
    """``~20 %``, ``<2 hours``, ``10–20 km``."""
    if isinstance(q.value, list):
        low, high = q.value
        return f"{format_number(low)}–{format_amount(high, q.unit)}"
    prefix = "" if q.comparator == "=" else q.comparator
    return f"{prefix}{format_amount(q.value, q.unit)}"


__all__ = ["describe_quantity", "format_amount", "format_number", "format_unit", "is_count_unit"]
