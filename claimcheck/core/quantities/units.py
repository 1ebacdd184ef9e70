"""Unit names: normalisation of written units and conversion between them.

Extraction writes every quantity with one *normalised* unit name so that a claim and an evidence
figure can be compared without string games. The names are:

* ``percent`` and ``percentage point`` (kept apart: a change of 2 points is not a change of 2 %);
* time: ``second``, ``minute``, ``hour``, ``day``, ``week``, ``month``, ``year`` (decades and
  centuries are converted to years when parsed);
* money: ISO 4217 codes (``USD``, ``EUR``, ``GBP``, ``RUB``, ``UAH``, ``CNY``, ``JPY``, ...);
* length, area and mass: ``km``, ``m``, ``cm``, ``mm``, ``inch``, ``mile``, ``ft``, ``km2``, ``mile2``, ``hectare``, ``kg``,
  ``tonne``, ``lb``;
* temperature: ``celsius``, ``fahrenheit`` (converted into each other), and ``degree`` where no
  scale is written (``40 degrees``: of heat or of an angle, converted into nothing);
* counts: ``people`` for any count of human beings (soldiers, prisoners, civilians,
  Ukrainians ...), otherwise the counted noun in the singular (``drone``, ``vessel``, ``job``);
* ``None`` for a bare number.

:func:`normalise_unit` maps a written form (``"hrs"``, ``"%"``, ``"kilometres"``, ``"$"``) to one
of these names; :func:`convert` converts a value between two of them with `pint
<https://pint.readthedocs.io>`_ (the registry is built lazily, once, on first use, because building
it costs a few hundred milliseconds). Currencies and counts convert only to themselves: exchange
rates change daily and belong to the evidence, not to the parser.
"""

from __future__ import annotations

import functools
import math
from typing import Any

# written form (lower case) -> normalised name
_ALIASES: dict[str, str] = {}


def _alias(name: str, *forms: str) -> None:
    _ALIASES[name.lower()] = name
    for form in forms:
        _ALIASES[form.lower()] = name


_alias("percent", "%", "per cent", "pct", "percents", "pc")
_alias(
    "percentage point",
    "percentage points",
    "percentage-point",
    "percentage-points",
    "pp",
    "ppt",
    "points",
    "point",
    "pts",
)
_alias("basis point", "basis points", "basis-point", "basis-points", "bp", "bps")
_alias("second", "seconds", "sec", "secs", "s")
_alias("minute", "minutes", "min", "mins")
_alias("hour", "hours", "hr", "hrs", "h")
_alias("day", "days", "d")
_alias("week", "weeks", "wk", "wks")
_alias("month", "months", "mo", "mos")
_alias("year", "years", "yr", "yrs", "y")
_alias("km", "kilometre", "kilometres", "kilometer", "kilometers", "kms")
_alias("m", "metre", "metres", "meter", "meters")
_alias("cm", "centimetre", "centimetres", "centimeter", "centimeters")
_alias("mm", "millimetre", "millimetres", "millimeter", "millimeters")
_alias("inch", "inches")
_alias("mile", "miles", "mi")
_alias("mile/hour", "mph", "miles per hour", "miles an hour")
_alias("km/hour", "km/h", "kph", "kmh", "kilometres per hour", "kilometers per hour")
_alias("ft", "foot", "feet")
_alias(
    "km2",
    "km²",
    "sq km",
    "square kilometre",
    "square kilometres",
    "square kilometer",
    "square kilometers",
    "square-kilometre",
    "square-kilometres",
    "square-kilometer",
    "square-kilometers",
)
_alias("mile2", "mi²", "sq mi", "sq. mi", "sq. mi.", "square mile", "square miles", "square-mile")
_ALIASES["square-miles"] = "mile2"
_alias("hectare", "hectares", "ha")
_alias("kg", "kilogram", "kilograms", "kilo", "kilos", "kgs")
_alias("tonne", "tonnes", "metric ton", "metric tons", "ton", "tons", "t")
_alias("lb", "lbs", "pound weight")
_alias("people", "person", "persons")
# temperatures: a scale written (Celsius, Fahrenheit) or only degrees (of heat or of an angle)
_alias(
    "celsius",
    "°c",
    "ºc",
    "° c",
    "degc",
    "deg c",
    "degree celsius",
    "degrees celsius",
    "centigrade",
    "degrees centigrade",
)
_alias("fahrenheit", "°f", "ºf", "° f", "degf", "deg f", "degree fahrenheit", "degrees fahrenheit")
_alias("degree", "degrees", "°", "º", "deg")
_alias("USD", "$", "us$", "dollar", "dollars", "usd")
_alias("EUR", "€", "euro", "euros", "eur")
_alias("GBP", "£", "pound sterling", "pounds sterling", "sterling", "gbp")
_alias("RUB", "₽", "rouble", "roubles", "ruble", "rubles", "rub")
_alias("UAH", "₴", "hryvnia", "hryvnias", "hryvnas", "uah")
_alias("CNY", "yuan", "renminbi", "cny", "rmb")
_alias("JPY", "¥", "yen", "jpy")
_alias("INR", "₹", "rupee", "rupees", "inr")
_alias("CHF", "swiss franc", "swiss francs", "chf")
_alias("TRY", "lira", "liras", "try")
_alias("CAD", "cad", "canadian dollar", "canadian dollars")
_alias("AUD", "aud", "australian dollar", "australian dollars")
_alias("NZD", "nzd")
_alias("HKD", "hkd")
_alias("SGD", "sgd")

CURRENCIES: frozenset[str] = frozenset(
    {"USD", "EUR", "GBP", "RUB", "UAH", "CNY", "JPY", "INR", "CHF", "TRY"}
    | {"CAD", "AUD", "NZD", "HKD", "SGD"}
)

# normalised name -> pint expression (only for the physically convertible units)
_PINT_NAMES: dict[str, str] = {
    "percent": "percent",
    "second": "second",
    "minute": "minute",
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
    "km": "kilometer",
    "m": "meter",
    "cm": "centimeter",
    "mm": "millimeter",
    "inch": "inch",
    "mile": "mile",
    "ft": "foot",
    "km2": "kilometer ** 2",
    "mile2": "mile ** 2",
    "hectare": "hectare",
    "kg": "kilogram",
    "tonne": "metric_ton",
    "lb": "pound",
    "celsius": "degC",
    "fahrenheit": "degF",
}


# seconds in each time unit, as pint defines them (a year is 365.25 days, a month a twelfth of
# it): the scanner joins compound durations with these, so reading text never loads pint
DURATION_SECONDS: dict[str, float] = {
    "second": 1.0,
    "minute": 60.0,
    "hour": 3600.0,
    "day": 86400.0,
    "week": 604800.0,
    "month": 2629800.0,
    "year": 31557600.0,
}


def convert_duration(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` of one time unit in another (both keys of :data:`DURATION_SECONDS`), without
    pint: ``convert_duration(2, "hour", "minute") == 120.0``."""
    return value * DURATION_SECONDS[from_unit] / DURATION_SECONDS[to_unit]


def normalise_unit(written: str | None) -> str | None:
    """Return the normalised unit name for a written unit, or the input lower-cased if unknown.

    ``None`` and the empty string give ``None`` (a bare number). Already-normalised names are
    returned unchanged, so the function is idempotent.
    """
    if written is None:
        return None
    key = " ".join(written.strip().split()).lower()
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    if written.strip().upper() in CURRENCIES:
        return written.strip().upper()
    return key


def is_known_unit(name: str | None) -> bool:
    """Whether ``name`` is a normalised measurement or currency name (not a count noun)."""
    return name is not None and (
        name in _PINT_NAMES
        or name in CURRENCIES
        or name in {"percentage point", "basis point", "people"}
    )


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    """pint's registry, with its parsed definitions cached on disk (``:auto:`` = the user's cache
    directory): building it from scratch costs ~0.3 s per process, loading the cache ~30 ms."""
    import pint  # heavy: imported on first conversion only

    try:
        return pint.UnitRegistry(cache_folder=":auto:")
    except OSError:  # no writable cache directory: build it in memory
        return pint.UnitRegistry()


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    """Convert ``value`` from one unit to another; ``None`` when the units are incommensurable.

    Units may be written in any form :func:`normalise_unit` understands (``"hrs"``, ``"%"``).
    Identical units (including two bare numbers, two equal currencies or two equal count nouns)
    return ``value`` unchanged; different currencies and different count nouns return ``None``.

    >>> convert(2, "hour", "minute")
    120.0
    >>> convert(5, "km", "mile") is not None
    True
    >>> convert(3, "USD", "EUR") is None
    True
    """
    src, dst = normalise_unit(from_unit), normalise_unit(to_unit)
    if src == dst:
        return float(value)
    if src not in _PINT_NAMES or dst not in _PINT_NAMES:
        return None
    ureg = _registry()
    import pint

    try:
        result = ureg.Quantity(value, _PINT_NAMES[src]).to(_PINT_NAMES[dst]).magnitude
    except pint.DimensionalityError:
        return None
    out = float(result)
    return out if math.isfinite(out) else None
