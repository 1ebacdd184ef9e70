"""The compact hand-written form of a quantity, as ``--quantity`` takes it on the command line.

``"~20 percent"``, ``"<2 hour"``, ``"10-20 km"``, ``">= 4 year"``, ``"$1.5bn"``: an optional
comparator, an optional currency sign, a number with an optional scale, an optional second number
for a range, and a unit. Anything else is read as running text by the scanner and must hold exactly
one quantity. The numeric check also reads an evidence figure's unit through this parser, so a
claim and a figure are understood the same way.
"""

from __future__ import annotations

import re

from claimcheck.core.quantities.lexicon import CURRENCY_SIGNS, INDIAN_SCALES, scale_factor
from claimcheck.core.quantities.model import Comparator, Quantity
from claimcheck.core.quantities.units import CURRENCIES, is_known_unit, normalise_unit
from claimcheck.core.quantities.words import count_unit, is_count_noun, round_value, unit_name

__all__ = ["QuantitySyntaxError", "parse_quantity_spec"]


class QuantitySyntaxError(ValueError):
    """A compact quantity such as ``"~20 percent"`` could not be read."""


_SPEC_COMPARATORS: dict[str, Comparator] = {
    "~": "~",
    "≈": "~",
    "about": "~",
    "approx": "~",
    "<": "<",
    ">": ">",
    "<=": "<=",
    "≤": "<=",
    ">=": ">=",
    "≥": ">=",
    "=": "=",
    "==": "=",
}
_SPEC_RE = re.compile(
    r"^\s*(?P<cmp>~|≈|<=|>=|≤|≥|==|=|<|>)?\s*"
    r"(?P<cur>US\$|\$|€|£|₽|₴|¥|₹)?\s*"
    r"(?P<lo>-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?|-?\.\d+)\s*(?P<loscale>(?:bn|bln|mn|mln|tn|[kmb]|thousand|million|"
    rf"billion|trillion|{INDIAN_SCALES})(?![a-z]))?"
    r"(?:\s*(?:-|–|\.\.|to)\s*(?P<hi>-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?|-?\.\d+)\s*(?P<hiscale>(?:bn|bln|mn|mln|tn|[kmb]|"
    rf"thousand|million|billion|trillion|{INDIAN_SCALES})(?![a-z]))?)?"
    r"\s*(?P<unit>[^\d\s].*?)?\s*$",
    re.IGNORECASE,
)


def parse_quantity_spec(spec: str) -> Quantity:
    """Read a compact hand-written quantity: ``"~20 percent"``, ``"<2 hour"``, ``"10-20 km"``.

    Grammar: ``[comparator] [currency sign] number [scale] [(- | to | ..) number [scale]] [unit]``
    with comparators ``= ~ < <= > >=`` (also ``≈ ≤ ≥``), scales ``k m bn`` or words, and any unit
    :func:`~claimcheck.core.quantities.units.normalise_unit` understands. Anything else is tried as
    running text (``"about 20 percent"``) and must contain exactly one quantity.

    Raises :class:`QuantitySyntaxError` when the text cannot be read.
    """
    m = _SPEC_RE.match(spec)
    if m:
        cmp: Comparator = _SPEC_COMPARATORS.get(m.group("cmp") or "=", "=")
        try:
            lo = float(m.group("lo").replace(",", ""))
            hi = float(m.group("hi").replace(",", "")) if m.group("hi") else None
        except ValueError as exc:  # pragma: no cover - the regex admits only numbers
            raise QuantitySyntaxError(f"not a number in {spec!r}") from exc
        loscale = (m.group("loscale") or "").lower()
        hiscale = (m.group("hiscale") or "").lower()
        unit_text = (m.group("unit") or "").strip()
        if loscale == "m" and not m.group("cur") and not hiscale and not unit_text and hi is None:
            unit_text, loscale = "m", ""  # "5m" alone: metres
        if hi is not None and loscale and not hiscale:
            hiscale = loscale
        if hi is not None and hiscale and not loscale:
            loscale = hiscale
        lo *= scale_factor(loscale)
        if hi is not None:
            hi *= scale_factor(hiscale)
        unit: str | None
        if m.group("cur"):
            unit = CURRENCY_SIGNS.get(m.group("cur").lower(), "USD")
        elif unit_text and _PER_COUNT_UNIT_RE.fullmatch(unit_text):
            unit = " ".join(
                unit_text.lower().split()
            )  # "death/1000 people", as the scanner names it
        elif unit_text:
            if re.search(r"\d", unit_text) and not _is_unitish(normalise_unit(unit_text) or ""):
                # a digit is part of a unit only in a known unit name ("km2"), never a number
                raise QuantitySyntaxError(f"cannot read the unit {unit_text!r} in {spec!r}")
            base, slash, per = unit_text.partition("/")
            if slash and not (base.strip() and per.strip()):
                # a rate names what is counted and what it is per: "USD/hour", not "USD/"
                raise QuantitySyntaxError(f"cannot read the rate {unit_text!r} in {spec!r}")
            name, factor = unit_name(unit_text)
            if name is not None and "/" in name and name.split("/")[0].upper() in CURRENCIES:
                name = name.split("/")[0].upper() + name[name.index("/") :]  # "USD/hour"
            if name is not None and not _is_unitish(name):
                name = count_unit(unit_text) if is_count_noun(unit_text) else name
            unit = name
            lo *= factor
            if hi is not None:
                hi *= factor
        else:
            unit = None
        try:
            if hi is not None:
                if cmp not in ("=",):
                    raise QuantitySyntaxError(f"a range takes no comparator: {spec!r}")
                return Quantity(
                    value=[round_value(lo), round_value(hi)],
                    unit=unit,
                    comparator="range",
                    surface=spec.strip(),
                )
            return Quantity(value=round_value(lo), unit=unit, comparator=cmp, surface=spec.strip())
        except QuantitySyntaxError:
            raise
        except ValueError as exc:
            raise QuantitySyntaxError(f"invalid quantity {spec!r}: {exc}") from exc
    # Running text goes through the scanner, imported here: the compact forms above (and the
    # evidence units the numeric check reads) do not need its patterns built.
    from claimcheck.core.quantities.scanner import parse_quantities

    found = parse_quantities(spec)
    if len(found) == 1:
        return found[0]
    raise QuantitySyntaxError(
        f"cannot read {spec!r} as a quantity (try e.g. '~20 percent', '<2 hour', '10-20 km')"
    )


# a rate per a number of items, as the scanner names it: "death/1000 people", "/100000 people"
_PER_COUNT_UNIT_RE = re.compile(r"[a-z]*/[1-9]\d+(?:\s+[a-z]+)?", re.I)


def _is_unitish(name: str) -> bool:
    return is_known_unit(name)
