"""Numeric check: does an evidence figure agree with a claim's quantity, and why.

Pure (pydantic DTOs in and out; no SQLAlchemy, no click), so the CLI, the review desk and the
report all show the same result. :func:`check_figure` compares one claim :class:`Quantity` with one
evidence :class:`Figure`; :func:`check_claim` compares every quantity with every figure and adds a
**suggested** verdict direction. Nothing here sets a verdict: a reviewer reads the explanation.

One home for what every caller shares: :func:`evidence_figure` is the one builder of a
:class:`Figure` from an evidence record and its source (``show``, the desk and the reports all go
through it), :func:`source_label` the one rule naming the source in an explanation (its publisher,
else its title cut to 40 characters, else its URL's host), and :func:`check_claim` the one place
an unset organisation tolerance becomes
:data:`~claimcheck.core.quantities.model.DEFAULT_TOLERANCE` (the ``tolerance`` setting's default).

Design
------
1. **Units.** The evidence figure is read with the same parser as claims
   (:func:`claimcheck.core.quantities.spec.parse_quantity_spec` on ``"<figure> <unit>"``), so
   ``1.2 million people``, ``105 minutes`` or ``3 bn USD`` on an evidence record are understood as
   they are in a claim; then it is converted into the claim's unit with pint
   (:func:`claimcheck.core.quantities.units.convert`): minutes ↔ hours, km ↔ miles, and thousand ↔ million
   scale words are absorbed into the value. Units that do not convert (percent vs percentage
   points, USD vs EUR, drones vs missiles, percent vs hours) give ``not comparable`` with the two
   units named, never a guess. A bare number compares with a count (``people``, ``drone``), not with
   a measurement, and the explanation says it was read as that count.
2. **One rule per comparator**, each an interval of values the claim allows (bounds compared with a
   relative slack of 1e-9 so float rounding in unit conversion never flips a boundary; the rules
   are :mod:`claimcheck.core.quantities.rules`, shared with claim matching):

   ========  =====================================================================
   ``=``     within the rounding of the claim's stated precision: half a unit of the last
             written digit ("19.3" → ±0.05, "1.5 million" → ±50,000); a whole number's trailing
             zeros are read as rounding, but never coarser than two significant figures
             ("20" → ±0.5, "20,000" → ±500, "12,345" → ±0.5)
   ``~``     within ± tolerance × value (relative; default 0.1 = ±10 %): the quantity's own
             ``tolerance``, else the claim's, else the organisation's ``tolerance`` setting
   ``<``     strictly below the value; ``<=`` at or below
   ``>``     strictly above the value; ``>=`` at or above
   ``range`` between the two ends, both included
   ========  =====================================================================
   A change's direction may be in the words or in a sign: when the claim describes a fall
   ("fell 12.7 percent") and no rise, a negative figure (−12.7 %) is compared by its size, and
   the explanation says so. A parenthetical remark on the unit ("percent (upper bound)") is kept
   in the explanation and left out of the unit.
3. **Time.** A figure dated before the claim was said is flagged (``predates-claim``); one more
   than ``window_days`` (default 90) away from the claim's date either way is flagged
   (``far-from-claim``) and counts half in the suggestion; a figure without an "as of" date, on
   a dated claim, is flagged ``undated``.
4. **Suggested direction**, over all comparable figures: each consistent figure adds its weight,
   each inconsistent one subtracts it; the weight comes from the evidence's stance (``supports`` and
   ``refutes`` 1, ``context`` or unknown 0.5 — a reviewer's judgement that the evidence bears on the
   claim counts more than background) and is halved for a figure far from the claim's date.
   The score (−1 … 1) gives ``supports`` (≥ 0.5), ``contradicts`` (≤ −0.5) or ``mixed``; ``none``
   when no figure is comparable. A figure whose stance disagrees with its numeric result
   (``refutes`` but consistent) is pointed out in ``notes``: one of the two is worth a second look.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from claimcheck.core.numeric_notes import NO_COMPARABLE, NO_FIGURES, NO_QUANTITIES
from claimcheck.core.quantities.format import describe_quantity, format_amount, format_unit
from claimcheck.core.quantities.model import DEFAULT_TOLERANCE, Quantity
from claimcheck.core.quantities.rules import Interval, allowed_interval, convert_figure

Result = Literal["consistent", "inconsistent", "not comparable"]
Direction = Literal["supports", "contradicts", "mixed", "none"]

DEFAULT_WINDOW_DAYS = 90
STANCE_WEIGHTS: dict[str, float] = {"supports": 1.0, "refutes": 1.0, "context": 0.5}
UNKNOWN_STANCE_WEIGHT = 0.5
FAR_FACTOR = 0.5
LEAN = 0.5
SOURCE_LABEL_CHARS = 40  # a source named by its title is cut to this many characters

_QUALIFIER = re.compile(r"\(([^)]*)\)")
# A change's direction is in the words ("fell 12.7 percent") or in a sign (-12.7 %).
_FALL = re.compile(
    r"\b(?:fell|fall(?:s|en|ing)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|"
    r"shr(?:ank|unk|inks?)|los(?:t|s|es)|plung(?:e|es|ed)|slump(?:s|ed)?|tumbl(?:e|es|ed)|"
    r"contract(?:s|ed)?|down|cut|lower)\b",
    re.IGNORECASE,
)
_RISE = re.compile(
    r"\b(?:rose|ris(?:e|es|en|ing)|grew|grow(?:s|n|th)?|increas(?:e|es|ed|ing)|climb(?:s|ed)?|"
    r"jump(?:s|ed)?|gain(?:s|ed)?|surg(?:e|es|ed)|up|higher|widen(?:s|ed)?)\b",
    re.IGNORECASE,
)
_SCALE_WORDS = {
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "mn": "million",
    "mln": "million",
    "million": "million",
    "bn": "billion",
    "bln": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}


class Figure(BaseModel):
    """An evidence figure: ``19.3`` ``percent`` as of 2025-05-01 from ISW, stance ``supports``."""

    model_config = ConfigDict(extra="forbid")

    value: float
    unit: str | None = None
    as_of: dt.date | None = None
    stance: str | None = None
    label: str | None = None
    evidence_id: int | None = None


class TimeFlag(BaseModel):
    code: Literal["predates-claim", "far-from-claim", "undated"]
    days: int | None
    message: str


class FigureCheck(BaseModel):
    """One (claim quantity, evidence figure) comparison."""

    evidence_id: int | None
    quantity: Quantity
    figure: Figure
    result: Result
    converted: float | None
    unit: str | None
    rule: str
    allowed: Interval | None
    explanation: str
    flags: list[TimeFlag]


class Suggestion(BaseModel):
    direction: Direction
    score: float | None
    consistent_weight: float
    inconsistent_weight: float
    message: str


class NumericCheck(BaseModel):
    claim_id: int | None
    said_on: dt.date | None
    tolerance: float
    quantities: list[Quantity]
    checks: list[FigureCheck]
    suggestion: Suggestion
    notes: list[str]


def effective_tolerance(
    q: Quantity, claim_tolerance: float | None = None, default: float = DEFAULT_TOLERANCE
) -> float:
    """The quantity's own tolerance, else the claim's, else the organisation's."""
    if q.tolerance is not None:
        return q.tolerance
    if claim_tolerance is not None:
        return claim_tolerance
    return default


def _claimed_text(q: Quantity, rule: str) -> str:
    text = describe_quantity(q)
    paren = re.search(r"\((±[^)]*)\)", rule)
    if q.comparator in ("~", "=") and paren:
        return f"{text} ({paren.group(1)})"
    return text


# ---------------------------------------------------------------------------------------------
# Figures: the one builder and the one source-label rule


def source_label(publisher: str | None, title: str | None, url: str | None) -> str | None:
    """How an explanation names an evidence source: its publisher, else its title (cut to
    :data:`SOURCE_LABEL_CHARS` characters), else its URL's host; None without any of them."""
    if publisher:
        return publisher
    if title:
        if len(title) <= SOURCE_LABEL_CHARS:
            return title
        return title[: SOURCE_LABEL_CHARS - 1] + "…"
    if url:
        return urlsplit(url).hostname or url
    return None


def evidence_figure(
    value: float,
    unit: str | None,
    *,
    as_of: dt.date | None,
    stance: str | None,
    evidence_id: int | None,
    publisher: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Figure:
    """The :class:`Figure` of one evidence record, labelled by :func:`source_label` from its
    source's publisher, title and URL (the database side and the reports both build it here)."""
    return Figure(
        value=float(value),
        unit=unit,
        as_of=as_of,
        stance=stance,
        label=source_label(publisher, title, url),
        evidence_id=evidence_id,
    )


# ---------------------------------------------------------------------------------------------
# Units


def read_figure(figure: Figure) -> tuple[float, str | None]:
    """The figure's value and normalised unit, scale words absorbed (1.2 'million people')."""
    from claimcheck.core.quantities.spec import QuantitySyntaxError, parse_quantity_spec
    from claimcheck.core.quantities.units import normalise_unit

    unit = " ".join(_QUALIFIER.sub(" ", figure.unit or "").split())
    if not unit:
        return figure.value, None
    factor = 1.0
    lead = re.match(r"^(\d[\d,]*(?:\.\d+)?)\s*(?:x\s+)?(?=\D)", unit)
    if lead:  # "1000 people": the unit carries a multiplier
        factor, unit = float(lead.group(1).replace(",", "")), unit[lead.end() :].strip()
    words = unit.split()
    scales = [w for w in words if w.lower() in _SCALE_WORDS]
    rest = [w for w in words if w.lower() not in _SCALE_WORDS]
    # Parse "1 <unit>" rather than the figure itself: the parser rounds what it reads, and only
    # the unit and its scale word are wanted from it. A scale word written after the unit
    # ("USD bn") is tried in front of it, and a currency sign in front of the number ("$bn").
    specs = []
    # A lone "m" is metres (the normalised name); "m" next to another word is million.
    if scales and (rest or unit.lower() != "m"):
        specs.append(" ".join(["1", *(_SCALE_WORDS[w.lower()] for w in scales), *rest]))
    if unit[:1] in "$€£¥₽₴₹":
        specs.append(f"{unit[:1]}1{unit[1:]}")
    specs.append(f"1 {unit}")
    for spec in specs:
        try:
            parsed = parse_quantity_spec(spec)
        except (QuantitySyntaxError, ValueError):
            continue
        if isinstance(parsed.value, list) or parsed.comparator != "=" or parsed.value <= 0:
            continue
        return figure.value * factor * float(parsed.value), parsed.unit
    return figure.value * factor, normalise_unit(unit)


def _unit_words(unit: str | None) -> str:
    if unit is None:
        return "a bare number"
    return repr(unit if unit == "percent" else format_unit(unit, 2))


# ---------------------------------------------------------------------------------------------
# Time


def time_flags(
    said_on: dt.date | None, as_of: dt.date | None, window_days: int = DEFAULT_WINDOW_DAYS
) -> list[TimeFlag]:
    if said_on is None:
        return []
    if as_of is None:
        return [TimeFlag(code="undated", days=None, message="the figure has no 'as of' date")]
    flags: list[TimeFlag] = []
    days = (said_on - as_of).days
    if days > 0:
        flags.append(
            TimeFlag(
                code="predates-claim",
                days=days,
                message=f"figure is {_span(days)} older than the claim ({said_on.isoformat()})",
            )
        )
    if abs(days) > window_days:
        where = "before" if days > 0 else "after"
        flags.append(
            TimeFlag(
                code="far-from-claim",
                days=abs(days),
                message=f"'as of' date is {_span(abs(days))} {where} the claim, more than "
                f"{window_days} days: the figure may describe another moment",
            )
        )
    return flags


def _span(days: int) -> str:
    if days >= 730:
        return f"{days / 365.25:.1f} years"
    if days >= 60:
        return f"{round(days / 30.44)} months"
    return f"{days} day{'s' if days != 1 else ''}"


# ---------------------------------------------------------------------------------------------
# Checks


def check_figure(
    q: Quantity,
    figure: Figure,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    said_on: dt.date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    falling: bool = False,
) -> FigureCheck:
    """Compare one claim quantity with one figure; ``tolerance`` is already the effective one.

    ``falling``: the claim describes a fall ("fell 12.7 percent"), so a negative figure (-12.7 %)
    is compared by its size with the claim's positive value.
    """
    signed, unit = read_figure(figure)
    value = signed
    positive = min(q.value) > 0 if isinstance(q.value, list) else q.value > 0
    if falling and signed < 0 and positive:
        value = -signed
    interval, rule = allowed_interval(q, tolerance)
    flags = time_flags(said_on, figure.as_of, window_days)
    converted, note = convert_figure(value, unit, q.unit)
    qualifier = "".join(f" ({m})" for m in _QUALIFIER.findall(figure.unit or "") if m.strip())
    if value != signed:
        note += f" (a fall of {format_amount(value, unit)})"
    where = ""
    if figure.as_of:
        where += f" as of {figure.as_of.isoformat()}"
    if figure.label:
        where += f" ({figure.label})"
    evidence = f"evidence {format_amount(signed, unit)}{qualifier}{where}"
    claimed = _claimed_text(q, rule)
    if converted is None:
        explanation = (
            f"claimed {claimed}; {evidence} → not comparable: "
            f"{_unit_words(q.unit)} and {_unit_words(unit)} do not convert"
        )
        if {q.unit, unit} == {"percent", "percentage point"}:
            explanation += " (a percentage-point change is not a percentage)"
        return FigureCheck(
            evidence_id=figure.evidence_id,
            quantity=q,
            figure=figure,
            result="not comparable",
            converted=None,
            unit=q.unit,
            rule=rule,
            allowed=None,
            explanation=explanation,
            flags=flags,
        )
    amount = format_amount(signed, unit) + qualifier
    if unit != q.unit and not note:
        amount += f" = {format_amount(converted, q.unit)}"
    evidence = f"evidence {amount}{note}{where}"
    result: Result = "consistent" if interval.contains(converted) else "inconsistent"
    explanation = f"claimed {claimed}; {evidence} → {result}"
    if q.comparator in ("<", "<=", ">", ">=") or q.comparator == "range":
        explanation = f"claimed {claimed} ({rule}); {evidence} → {result}"
    return FigureCheck(
        evidence_id=figure.evidence_id,
        quantity=q,
        figure=figure,
        result=result,
        converted=converted,
        unit=q.unit,
        rule=rule,
        allowed=interval,
        explanation=explanation,
        flags=flags,
    )


def figure_weight(check: FigureCheck) -> float:
    weight = STANCE_WEIGHTS.get(check.figure.stance or "", UNKNOWN_STANCE_WEIGHT)
    if any(f.code == "far-from-claim" for f in check.flags):
        weight *= FAR_FACTOR
    return weight


def suggest(checks: list[FigureCheck]) -> Suggestion:
    """A suggested direction over the comparable checks (see the module docstring)."""
    plus = sum(figure_weight(c) for c in checks if c.result == "consistent")
    minus = sum(figure_weight(c) for c in checks if c.result == "inconsistent")
    n_plus = sum(1 for c in checks if c.result == "consistent")
    n_minus = sum(1 for c in checks if c.result == "inconsistent")
    total = plus + minus
    if total == 0:
        return Suggestion(
            direction="none",
            score=None,
            consistent_weight=0,
            inconsistent_weight=0,
            message=NO_COMPARABLE,
        )
    score = round((plus - minus) / total, 3)
    counts = f"{n_plus} consistent, {n_minus} inconsistent; weighted score {score:+.2f}"
    direction: Direction
    if score >= LEAN:
        direction = "supports"
        message = f"the figures support the claim (toward true / mostly-true): {counts}"
    elif score <= -LEAN:
        direction = "contradicts"
        message = f"the figures contradict the claim (toward false / mostly-false): {counts}"
    else:
        direction = "mixed"
        message = f"the figures disagree with each other (read them before rating): {counts}"
    return Suggestion(
        direction=direction,
        score=score,
        consistent_weight=round(plus, 3),
        inconsistent_weight=round(minus, 3),
        message=message + " — a suggestion, not a verdict",
    )


def check_claim(
    quantities: list[Quantity],
    figures: list[Figure],
    *,
    claim_id: int | None = None,
    said_on: dt.date | None = None,
    claim_tolerance: float | None = None,
    default_tolerance: float | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    claim_text: str | None = None,
) -> NumericCheck:
    """Every figure against the claim's quantities, and the suggested direction.

    A figure is compared with each quantity it is commensurable with; a figure commensurable with
    none is reported once, as ``not comparable``, against the claim's first quantity. When
    ``claim_text`` describes a fall (and no rise), negative figures are compared by their size.
    ``default_tolerance`` is the organisation's (``Settings.tolerance``); None means
    :data:`~claimcheck.core.quantities.model.DEFAULT_TOLERANCE`.
    """
    if default_tolerance is None:
        default_tolerance = DEFAULT_TOLERANCE
    falling = bool(claim_text and _FALL.search(claim_text) and not _RISE.search(claim_text))
    checks: list[FigureCheck] = []
    notes: list[str] = []
    if not quantities:
        notes.append(NO_QUANTITIES)
    elif not figures:
        notes.append(NO_FIGURES)
    for figure in figures:
        results = [
            check_figure(
                q,
                figure,
                tolerance=effective_tolerance(q, claim_tolerance, default_tolerance),
                said_on=said_on,
                window_days=window_days,
                falling=falling,
            )
            for q in quantities
        ]
        comparable = [r for r in results if r.result != "not comparable"]
        kept = comparable or results[:1]
        checks.extend(kept)
        for r in comparable:
            ref = f"evidence #{figure.evidence_id}" if figure.evidence_id else "a figure"
            if figure.stance == "refutes" and r.result == "consistent":
                notes.append(
                    f"{ref} is marked 'refutes' but its figure is consistent with the claim"
                )
            if figure.stance == "supports" and r.result == "inconsistent":
                notes.append(
                    f"{ref} is marked 'supports' but its figure is inconsistent with the claim"
                )
    return NumericCheck(
        claim_id=claim_id,
        said_on=said_on,
        tolerance=default_tolerance if claim_tolerance is None else claim_tolerance,
        quantities=quantities,
        checks=checks,
        suggestion=suggest(checks),
        notes=list(dict.fromkeys(notes)),
    )


__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "Figure",
    "FigureCheck",
    "NumericCheck",
    "Suggestion",
    "TimeFlag",
    "check_claim",
    "check_figure",
    "effective_tolerance",
    "evidence_figure",
    "read_figure",
    "source_label",
    "suggest",
    "time_flags",
]
