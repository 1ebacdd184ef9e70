"""Dates in a claim, as written and (when the article's date is known) resolved.

Design
------
A claim keeps its wording (``on Monday``, ``earlier in the day``): the sentence text is never
rewritten. Dates are reported beside it as :class:`DateMention` objects with the surface text and,
when the caller knows the publication date, the calendar date it refers to.

Resolution follows wire conventions: a weekday in a past-tense sentence is the latest such day on
or before publication (``on Friday`` in a Friday story is that Friday); in a sentence about the
future (``will``, ``is expected``, ``next``) it is the next such day after publication. Month-day
dates without a year take the publication year (or the previous year if that would put a
past-tense date in the future). ``today``, ``earlier in the day``, ``yesterday``,
``last week`` (its Monday) and ``next week`` (its Monday) are supported; anything vaguer
(``in early April``, ``this year``) is kept as written with ``resolved=None``.

:func:`published_from_dateline` reads the date from a dateline such as ``ISTANBUL, May 16, 2025
(Wire) —``.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

__all__ = ["DateMention", "find_dates", "published_from_dateline"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|"
    r"July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
    r"Dec(?:ember|\.)?)"
)
_DATE_RE = re.compile(
    rf"\b(?P<md>(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>\d{{4}}))?)(?!\d)"
    r"|\b(?P<wd>(?:(?:on|last|this|next)\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)(?:[’']s)?)\b"
    r"|\b(?P<rel>earlier\s+(?:in\s+the\s+day|today)|later\s+in\s+the\s+day|today|yesterday|"
    r"tomorrow|overnight|last\s+week|next\s+week|this\s+week)\b",
)
_FUTURE_RE = re.compile(
    r"\b(?:will|would|is\s+expected|are\s+expected|plans?\s+to|next|"
    r"scheduled|set\s+to|due\s+to|upcoming)\b",
    re.I,
)


class DateMention(BaseModel):
    """A date as written in a sentence, with the calendar date it refers to if known."""

    model_config = ConfigDict(extra="forbid")

    surface: str
    start: int
    end: int
    resolved: dt.date | None = None


def _month_day(
    month: str, day: int, year: int | None, published: dt.date | None, future: bool
) -> dt.date | None:
    m = _MONTHS.get(month[:3].lower())
    if m is None:
        return None
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            guess = dt.date(year, m, day)
        except ValueError:
            return None
        if not future and guess > published + dt.timedelta(days=1):
            year -= 1
        elif future and guess < published - dt.timedelta(days=1):
            year += 1
    try:
        return dt.date(year, m, day)
    except ValueError:
        return None


def find_dates(sentence: str, published: dt.date | None = None) -> list[DateMention]:
    """Dates mentioned in ``sentence``; resolved against ``published`` when it is given."""
    out: list[DateMention] = []
    future = bool(_FUTURE_RE.search(sentence))
    for m in _DATE_RE.finditer(sentence):
        resolved: dt.date | None = None
        if m.group("md"):
            year = int(m.group("year")) if m.group("year") else None
            resolved = _month_day(m.group("month"), int(m.group("day")), year, published, future)
        elif m.group("wd") and published is not None:
            target = _WEEKDAYS.index(m.group("weekday").lower())
            lead = m.group("wd").split()[0].lower()
            if lead == "next" or (future and lead != "last"):
                delta = (target - published.weekday()) % 7 or 7
                resolved = published + dt.timedelta(days=delta)
            else:
                delta = (published.weekday() - target) % 7
                if lead == "last" and delta == 0:
                    delta = 7
                resolved = published - dt.timedelta(days=delta)
        elif m.group("rel") and published is not None:
            rel = " ".join(m.group("rel").lower().split())
            if rel in (
                "today",
                "earlier in the day",
                "earlier today",
                "later in the day",
                "overnight",
                "this week",
            ):
                resolved = published
                if rel == "this week":
                    resolved = published - dt.timedelta(days=published.weekday())
            elif rel == "yesterday":
                resolved = published - dt.timedelta(days=1)
            elif rel == "tomorrow":
                resolved = published + dt.timedelta(days=1)
            elif rel == "last week":
                resolved = published - dt.timedelta(days=published.weekday() + 7)
            elif rel == "next week":
                resolved = published + dt.timedelta(days=7 - published.weekday())
        out.append(DateMention(surface=m.group(0), start=m.start(), end=m.end(), resolved=resolved))
    return out


def published_from_dateline(dateline: str) -> dt.date | None:
    """The date in a dateline (``KYIV, May 16, 2025 (Wire) —``) if it gives a year."""
    m = re.search(rf"(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})", dateline)
    if m is None:
        return None
    return _month_day(m.group("month"), int(m.group("day")), int(m.group("year")), None, False)
