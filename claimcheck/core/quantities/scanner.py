"""Quantities in running text: ``"lasted less than two hours"`` → ``<2 hour``.

Design
------
Parsing is a small pipeline over one sentence, written as regular expressions plus glue:

1. **Mask** what looks like a number but is not a quantity: dates (``May 16, 2025``,
   ``Feb. 12``, ``in 2014``), clock times (``12:30 p.m.``), ordinals (``17th``), labels
   (``No. 3``, ``S&P 500``, ``F-16``, ``COVID-19``), URLs and e-mail addresses.
2. **Find numbers**: digits with thousands separators and decimals, number words
   (``two``, ``twenty-two``, ``a dozen``, ``two and a half``), fractions of a whole (``half of``,
   ``a third of`` → percent), each optionally followed by a scale word (``1.5 million``,
   ``$30bn``) which multiplies the value.
3. **Read the unit** to the right (``percent``, ``%``, ``hours``, ``-day``, ``km``, a currency
   word, a currency code, a temperature: ``40°C``, ``-5C``, ``40 degrees``) or the currency
   sign or code to the left (``$``, ``€``, ``£``, ``USD``, ``Rs``), and otherwise a counted noun:
   nouns for human beings give ``people``, other plural nouns give their singular
   (``273 drones`` → ``drone``). Units are normalised by :mod:`claimcheck.core.quantities.units`.
   A sign before a temperature or a percentage, or ``minus``, makes the value negative.
4. **Read the comparator** from the words just before (``about`` → ``~``, ``less than`` → ``<``,
   ``at least`` → ``>=``, ``up to`` → ``<=`` ...) or just after (``or more``, ``or so``).
5. **Merge** ``between X and Y`` / ``X to Y`` / ``X-Y`` into ``range`` quantities (but not
   ``from X to Y``, which is a change between two values), and ``N hours and M minutes`` into
   one duration in the smaller unit (only where the larger unit is a whole number of the
   smaller: hours → minutes, years → months, not months → weeks). ``and a half`` after a unit
   is part of it (``an hour and a half``, ``two days and a half``).

Rules worth knowing: a bare ``one``/``a`` counts only before a measurement unit (``less than an
hour``), not before a noun (``one diplomat``), and ``a``/``an`` before a time unit only after a
comparator or inside a compound duration (``an hour and 45 minutes``; ``a year earlier`` is
not a quantity); a fraction before ``(of) a/an <unit>`` is a fraction of the unit (``three
quarters of an hour`` → 0.75 hour); a non-human noun after modifiers is counted only when the
modifiers are name-like (``31 Abrams tanks``); a time reference after a number (``last year``)
is not its unit; ``the two sides`` is a reference, not a count; a capitalised number word
after a capitalised word or before a title's words is part of a name (``Uranium One``,
``Channel Four``, ``Three Generations That ...``), outside a headline; scripture and tax-code
references (``2 Timothy 3:1-5``, ``501(c)(3)``) are masked;
vague plurals (``dozens``, ``thousands of``) are not quantities; decades and centuries are
converted to years. A unit followed by ``a``/``an``/``per``/``each`` + a period (or ``per`` + an
item) is a rate, ``unit/period`` (``3 % a year`` → ``percent/year``, ``$15 an hour`` →
``USD/hour``), and so is a unit or count per a number of items (``3 deaths per 1,000 people`` →
``death/1000 people``); ``N times as many``/``N times higher``, ``twice as``, ``doubled``/``tripled`` are
multipliers (unit ``fold``), while ``twice`` and ``three times`` alone count occasions
(``time``); a share of a whole (``two-thirds of voters``, ``one in five adults``) is percent, its
surface running to the whole it is a share of. The parser never raises on arbitrary text.

Speed
-----
The scanner runs on every imported claim, so it avoids work it can prove useless, and each
shortcut is tested against the plain form it replaced (``tests/test_quantity_scanner_fast.py``):
text with nothing a finder could start from is skipped (:data:`CANDIDATE_WORDS`); each mask and the
rarer finders run only when a cheap necessary condition holds (a month name, a ``:``, a fraction
word, ``one``/``1``); the phrases before a number are read in a window of
:data:`_LEFT_WINDOW` characters and only when the word before the number can end one of them
(:data:`COMPARATOR_LAST_WORDS`); number words are one trie; and compound durations are joined
with a table of pint's own lengths, so reading text never imports pint.

In the code each stage is a function: :func:`_scan` masks (1) and runs three finders —
:func:`_fractions` (``half of``, ``three quarters of an hour``), :func:`_numbers` (digits and number
words) and :func:`_article_durations` (``less than an hour``, ``an hour and a half``). A number
goes through :func:`_read_number` (2), :func:`_read_unit` and :func:`_read_count_noun` (3),
:func:`_not_a_quantity` (the years, labels, ages and references the mask cannot see) and
:func:`_read_comparator` (4); :func:`_merge` is stage 5. The vocabularies are in
:mod:`~claimcheck.core.quantities.lexicon`, the word readers in
:mod:`~claimcheck.core.quantities.words`. The compact hand-written form used on the command line
(``"~20 percent"``, ``"<2 hour"``) is read by :mod:`~claimcheck.core.quantities.spec`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from claimcheck.core.quantities.context import read_context
from claimcheck.core.quantities.lexicon import (
    ARTICLE_TIME_RE,
    BETWEEN_RE,
    CANDIDATE_WORDS,
    COMPARATOR_LAST_WORDS,
    CURRENCY_CODE_AFTER_RE,
    CURRENCY_CODE_BEFORE_RE,
    CURRENCY_SIGNS,
    DETERMINER_LAST_WORDS,
    DETERMINER_RE,
    DURATION_ORDER,
    FRACTION_RE,
    FRACTION_WORDS,
    FRACTIONS,
    FROM_RE,
    HAS_DIGIT_RE,
    HUMAN_NOUNS,
    INDIAN_SCALES,
    LEFT_COMPARATORS,
    LONG_TIME,
    MEASURE_UNITS,
    NO_FRACTION_UNITS,
    NUMBER_RE,
    RANGE_FROM_RE,
    RIGHT_COMPARATOR_START_RE,
    RIGHT_COMPARATORS,
    SCALE_ABBREVIATIONS,
    SCALES,
    SMALL,
    TENS,
    TIME_UNITS,
    UNIT_AFTER_ADJ_RE,
    UNIT_RE,
    YEAR_RE,
    scale_factor,
)
from claimcheck.core.quantities.model import COMPARATORS, Comparator, Quantity
from claimcheck.core.quantities.units import CURRENCIES, convert_duration, normalise_unit
from claimcheck.core.quantities.words import (
    and_fraction,
    count_noun_after,
    counted_after_determiner,
    fold,
    last_word,
    looks_like_headline,
    looks_like_label,
    mask,
    parse_number,
    round_value,
    unit_name,
    year_before_noun,
)

__all__ = ["QuantitySpan", "find_quantities", "parse_quantities", "quantity_dicts"]


@dataclass(frozen=True)
class QuantitySpan:
    """A parsed quantity with the character span of its surface in the parsed text."""

    quantity: Quantity
    start: int
    end: int


@dataclass(slots=True)
class _Raw:
    value: float
    unit: str | None
    comparator: Comparator
    start: int  # start of the surface (including a left comparator)
    num_start: int  # start of the number itself (or its currency sign)
    end: int
    unit_kind: str  # "measure", "count", "none"
    from_word: bool  # the number was written in words
    high: float | None = None  # for ranges
    gapped: bool = False  # "..., Berg 30": a figure after a name, its verb and unit left out


def _has_sign(text: str, folded: str) -> bool:
    """Whether ``text`` holds a minus sign or ``minus``, which the signs are read from (tested
    once per text: most have neither, and the test is four substring searches)."""
    return "-" in text or "−" in text or "–" in text or "inus" in folded


@dataclass(slots=True)
class _Reading:
    """One number being read (stages 2–4): what has been read so far and where it ends."""

    match: re.Match[str]
    num: str  # the number as written
    value: float
    end: int  # end of the surface read so far
    scale: str | None  # the scale word, None once it was read as a unit ("5m": metres)
    cur_sign: str  # a currency sign before the number, lower-cased; "" when none
    from_word: bool  # the number was written in words
    # where the number's surface starts: the match, or a currency code or a sign before it
    # ("USD 5 million", "minus 5 degrees"); the phrases before the number are read from here
    lead: int
    signs: bool  # the text holds a minus sign or "minus" (_has_sign)
    unit: str | None = None
    unit_kind: str = "none"  # "measure", "count", "none"
    unit_factor: float = 1.0  # written unit -> normalised unit ("decades" -> years: 10)
    # the comparator phrase before the number (_left_comparator), read once (left_cmp_read)
    left_cmp: tuple[Comparator, int] | None = None
    left_cmp_read: bool = False
    # the comparator of "or so" / "-odd" / "-plus" read between the number and its unit
    approx_after: Comparator | None = None
    gapped: bool = False  # see _Raw.gapped


def _reading_comparator(r: _Reading, masked: str) -> tuple[Comparator, int] | None:
    """``_left_comparator(masked, r.match.start())``, read at most once per number (both
    :func:`_not_a_quantity` and :func:`_read_comparator` ask it)."""
    if not r.left_cmp_read:
        r.left_cmp = _left_comparator(masked, r.lead)
        r.left_cmp_read = True
    return r.left_cmp


# --------------------------------------------------------------------------- the scan


def _scan(text: str) -> list[_Raw]:
    """Stages 1–5 over one text: mask, find, read each number, merge; in text order.

    Text with nothing a finder could start from (no digit, no :data:`CANDIDATE_WORDS`, no
    ``a``/``an`` + time unit) has no quantity and is skipped at once; so is each finder whose
    word the text lacks. ``folded`` (:func:`fold`) makes those word tests exact under
    IGNORECASE."""
    digits = HAS_DIGIT_RE.search(text) is not None
    folded = fold(text)
    article = ARTICLE_TIME_RE.search(text) is not None
    # the number words are looked for only in a text without digits: they decide nothing else
    if not (digits or article or any(word in folded for word in CANDIDATE_WORDS)):
        return []
    masked = mask(text)
    raws = _fractions(masked) if any(word in folded for word in FRACTION_WORDS) else []
    if "one" in folded or "1" in masked:
        raws += _one_in(masked)
    taken = [(r.num_start, r.end) for r in raws]
    raws += _numbers(masked, taken, _has_sign(text, folded))
    twice = _TWICE_RE.finditer(masked) if "twice" in folded else ()
    for m in twice:  # "arrested twice": 2 times; "twice as many": 2-fold
        if not any(r.start <= m.start() < r.end for r in raws):
            if _MULTIPLIER_AFTER_RE.match(masked, m.end()):
                raws.append(_multiplier(masked, 2.0, m.start(), m.end()))
            else:
                raws.append(_twice(masked, m.start(), m.end()))
    if "time" in folded and "half" in folded:  # "paid time and a half": 1.5 times the rate
        for m in _TIME_AND_A_HALF_RE.finditer(masked):
            if not any(r.start <= m.start() < r.end for r in raws):
                raws.append(_Raw(1.5, "fold", "=", m.start(), m.start(), m.end(), "measure", True))
    verbs = any(verb in folded for verb in _MULTIPLIER_VERBS)
    for m in _MULTIPLIER_VERB_RE.finditer(masked) if verbs else ():  # "doubled", "tripled"
        if not any(r.start <= m.start() < r.end for r in raws):
            raws.append(_multiplier(masked, _MULTIPLIER_VERBS[fold(m.group(1))], *m.span()))
    for m in _FOLD_WORD_RE.finditer(masked) if "fold" in folded else ():  # "rose tenfold"
        if not any(r.start <= m.start() < r.end for r in raws):
            value = parse_number(m.group(1))
            if value:
                raws.append(_multiplier(masked, value, *m.span()))
    if article or "-and-a" in masked:
        _article_durations(masked, raws)

    raws.sort(key=lambda r: r.start)
    if "couple" in folded:
        _couple(masked, raws)
    return read_context(masked, _merge(masked, raws))


# "a couple, three days", "a couple or three weeks": two or three, said in speech
_COUPLE_BEFORE_RE = re.compile(r"\ba\s+couple(?:,|\s+or)\s+$", re.I)


def _couple(masked: str, raws: list[_Raw]) -> None:
    """``a couple, three days`` is the range 2..3 days."""
    for raw in raws:
        if raw.value == 3 and raw.high is None and raw.comparator == "=" and raw.unit:
            couple = _COUPLE_BEFORE_RE.search(masked, max(0, raw.start - 16), raw.start)
            if couple is not None:
                raw.value, raw.high, raw.start = 2.0, 3.0, couple.start()


# "a tenfold rise", "grew fourfold": a multiplier written as one word ("a twofold aim" is dual)
_FOLD_WORD_RE = re.compile(
    r"(?<![\w-])(three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|thousand)"
    r"fold(?![\w-])",
    re.I,
)
_TIME_AND_A_HALF_RE = re.compile(r"(?<![\w-])time[\s-]+and[\s-]+a[\s-]+half(?![\w-])", re.I)


def _twice(masked: str, start: int, end: int) -> _Raw:
    """``twice``: two occasions, and a rate of them before a period (``twice a year``)."""
    raw = _Raw(2.0, "time", "=", start, start, end, "count", True)
    rate = _RATE_RE.match(masked, end)
    if rate and rate.group("time"):
        per, factor = unit_name(rate.group("time"))
        if per is not None and factor == 1.0:
            raw.unit, raw.unit_kind, raw.end = f"time/{per}", "measure", rate.end()
    return raw


_LEFT_WINDOW = 100
"""How far back the phrases before a number are looked for (``at least``, ``between``, ``aged``,
``Mr. Smith,``): every pattern that reads the left context is anchored at the number, and none of
its phrases is longer than a few words, so the text further back is never read."""


def _left(text: str, pos: int) -> str:
    """The text just before ``pos``, at most :data:`_LEFT_WINDOW` characters."""
    return text[max(0, pos - _LEFT_WINDOW) : pos]


_FRACTION_NOT_AFTER_RE = re.compile(
    r"\b(?:first|second|third|fourth|last|latter|former|the|back|"
    r"other|next)\s+$|\b(?:the|its|their)\s+[A-Z][\w-]*\s+$",  # "the Republican half of"
    re.I,
)
# "cut by half", "fell by a third last year": a change by a share of what it was ("backed by a
# third party" is no share: the fraction must end the phrase)
_BY_FRACTION_RE = re.compile(r"\bby\s+$", re.I)
_FRACTION_END_RE = re.compile(
    r"\s*(?:[.,;:!?)\]]|$)|\s+(?:in|last|this|since|over|from|to|by|compared|and|or|on|after|"
    r"before|during|within|between|as|while|when|than|year|a\s+year)\b",
    re.I,
)
_FRACTION_POINT_RE = re.compile(
    r"[\s-]+(?:of\s+)?(?:an?\s+)?(?P<unit>(?:percentage|basis)[\s-]+points?|points?)(?![\w-])",
    re.I,
)
_DURATION_BEFORE_RE = re.compile(rf"\b(?:{MEASURE_UNITS})\s+and\s+$", re.I)
_FRACTION_OF_UNIT_RE = re.compile(
    rf"\s+(?:of\s+)?an?\s+(?P<unit>{TIME_UNITS}|{MEASURE_UNITS})\b", re.I
)
_ARTICLE_UNIT_RE = re.compile(rf"\b(?P<art>an?)\s+(?P<unit>{TIME_UNITS}|{LONG_TIME})\b", re.I)
_HYPHEN_FRACTION_UNIT_RE = re.compile(
    rf"(?<![\w-])(?P<unit>{TIME_UNITS}|{LONG_TIME})(?=-and-an?-)", re.I
)
_OR_MORE_RE = re.compile(r"\s+or\s+(?:more|fewer|less)\b", re.I)
# "10 or so people", "20-odd years", "some 30 odd delegates": about that many; "35-plus hours":
# more than that many
_APPROX_AFTER_RE = re.compile(
    r"\s+or\s+so\b|-odd\b|\s+odd\b|-(?P<plus>plus)\b|(?P<sign>\+)(?=\s)", re.I
)
_PLUS_SCALE_RE = re.compile(
    rf"(?:-plus|\+)\s+(?P<scale>thousand|million|billion|trillion|{INDIAN_SCALES})(?![\w-])", re.I
)
_TIME_REFERENCE_AFTER_RE = re.compile(
    r"\s+(?:ago|later|earlier|before|after|since|from\s+now|or\s+so\s+ago)\b", re.I
)
# "About 50 were killed", "five were still missing", "just 40 have signed": the number counts
# people though no noun follows (an auxiliary, then perhaps an adverb, then what befell them or
# an act only people do)
_IMPLIED_PEOPLE_RE = re.compile(
    # "just 52 have given": people who gave ("75,000 pledged", "$5,000 was donated": money)
    r"\s+(?=[a-z])(?:(?:have|has|had)\s+(?:given|donated|contributed|pledged)\b|"
    r"(?:(?:were|are|was|have|has|had|will|would|remain|remained)\s+(?:(?:been|be)\s+)?)?"
    r"(?:(?:still|later|also|all|reportedly|initially|now|already|since|then|subsequently|"
    r"allegedly|seriously|critically|badly|fatally|confirmed|feared|believed|reported|"
    r"(?:said|thought)\s+to\s+be)\s+)?"
    r"(?:killed|wounded|injured|hurt|arrested|detained|dead|missing|displaced|evacuated|"
    r"rescued|kidnapped|abducted|died|drowned|executed|hospitali[sz]ed|unaccounted\s+for|"
    r"taken\s+(?:to\s+(?:a\s+)?hospital|into\s+custody|hostage)|treated|charged|convicted|"
    r"sentenced|jailed|released|freed|admitted|resettled|deported|expelled|employed|hired|"
    r"fired|sacked|laid\s+off|enrolled|vaccinated|relocated|trapped|stranded|infected|"
    r"sickened|in\s+(?:(?:a\s+)?(?:critical|serious|stable)\s+condition|"
    r"hospital|custody)|"
    # acts only people do: "About a thousand raised their hands", "12 voted against"
    r"voted|raised\s+their\s+hands|walked\s+out|showed\s+up|turned\s+out|"
    r"said|say|says|told|signed|agreed|disagreed|gave|applied|"
    r"responded|answered|endorsed|protested|marched|fled|testified|resigned|quit|"
    r"attended|refused|declined|abstained|dissented|volunteered|enlisted|registered|joined|"
    r"gathered|rallied|demonstrated|surrendered|defected|emigrated|survived|born|lost\s+their|"
    r"lived?|live|work|worked|on\s+board|aboard)\b)",
    re.I,
)
# "those over 60 say": an age after a human noun and a comparator (the context reads it)
_AGE_AFTER_NOUN_RE = re.compile(r"\b(?P<noun>[a-z]+)\s+(?:over|under|above|below|aged)\s+$", re.I)
_PERIOD_UNITS = frozenset({"day", "week", "month", "year"})
# a number joined to a singular noun by a hyphen counts it: "a two-front war" (fronts)
_HYPHEN_NOUN_RE = re.compile(
    r"-(?!(?:odd|sum|fold)\b)(?P<noun>[A-Za-z][a-z]{2,})(?![\w-])(?<!s)(?<!ed)"
)  # not "two-pronged", nor "20-odd", "a zero-sum game" ("a two-way race": two sides)


# what a number "-strong" counts people of: "a 50,000-strong crowd", "a 20-strong team"
@functools.cache
def _strong_group_re() -> re.Pattern[str]:
    """Compiled on first use ("-strong" is rare): what follows a number "-strong" for it to
    count people."""
    return re.compile(
        r"\s+(?:[a-z]+\s+)?(?:crowd|army|force|team|delegation|workforce|group|mob|contingent|squad|"
        r"staff|union|membership|party|council|committee|board|panel|cabinet|crew|band|choir|"
        r"caucus|battalion|brigade|regiment|unit|militia|police|gang|cast|orchestra|jury|"
        r"congregation|audience|convoy|caravan)s?\b",
        re.I,
    )


_HUMAN_SINGULARS = frozenset({"man", "woman", "person", "child", "member", "judge"})
_AGE_NOUNS = HUMAN_NOUNS | frozenset({"those", "anyone", "everyone", "people", "adults"})
# "a quarter of a million dollars", "half a billion people", "half a dozen": a fraction of a scale
_SCALE_WORDS = ("thousand", "million", "billion", "trillion")
_WORD_SCALES = {"hundred": 100.0, "dozen": 12.0, **{w: SCALES[w] for w in _SCALE_WORDS}}
_FRACTION_OF_SCALE_RE = re.compile(
    r"\s+(?:of\s+)?an?\s+(?P<scale>thousand|million|billion|trillion|dozen)(?![\w-])", re.I
)
# "three times as many", "five times higher", "twice the size": a multiplier, not a count of times
_MULTIPLIER_AFTER_RE = re.compile(
    r"\s+(?:as|more|less|fewer|higher|lower|larger|bigger|greater|smaller|faster|slower|longer|"
    r"shorter|cheaper|the|that|what|over)\b",
    re.I,
)
_MULTIPLIER_VERBS = {"doubled": 2.0, "tripled": 3.0, "trebled": 3.0, "quadrupled": 4.0}
_MULTIPLIER_VERB_RE = re.compile(r"\b(doubled|tripled|trebled|quadrupled)\b", re.I)
# "3 percent a year", "$15 an hour" ("$15-an-hour"), "60 miles per hour", "two meals a day": a rate
_RATE_RE = re.compile(
    rf"(?:\s+|-)(?:(?:a|an|each|every|per)(?:\s+|-)(?P<time>{TIME_UNITS})|"
    r"(?:an?|per)\s+(?P<noun>gallon|barrel|share|person|head|capita|household|pupil|student|"
    r"litre|liter|kilo|kilogram|tonne|ton|mile|kilometre|kilometer|unit|dose|vote|voter|"
    r"citizen|worker|employee|child|week|month|ounce|pound|bushel|plate|ticket|night|acre|"
    r"seat|copy|pack|bottle|meal|guest|member|visitor|passenger|patient|resident|family))\b(?!\s+(?:ago|later|earlier|before|after|"
    r"from\s+now|or\s+so\s+ago|old)\b)(?!-)",
    re.I,
)
_RATE_PEOPLE = frozenset({"person", "head", "capita"})
_PAYMENT_NOUN_RE = re.compile(
    r"\s+(?:donation|contribution|fee|payment|fine|charge|bonus|stipend|subsidy|grant|tax|"
    r"premium|rebate|check|cheque|surcharge|levy|toll|ransom|reward)(?=\s+per\s)",
    re.I,
)
_RATE_NOUNS = {"pound": "lb", "ounce": "ounce"}  # "$2 a pound" is per pound weight
_TWICE_RE = re.compile(r"\btwice\b", re.I)
_AGED_RE = re.compile(
    r"\b(?:aged|ages|age)\s+(?:of\s+)?(?:(?:between\s+)?\d+\s*(?:to|-|–|and)\s*)?$", re.I
)
# "over 10 years" after a verb of spending or change is the period, not "more than"
_OVER_PERIOD_RE = re.compile(r"\bover\s+(?:the\s+next\s+|the\s+past\s+|the\s+last\s+)?$", re.I)
# "over 1,300 days into his term": a point past that much time, so "over" is "more than"
_INTO_AFTER_RE = re.compile(r"\s+into\b", re.I)
_MORE_THAN_OVER_RE = re.compile(
    r"\b(?:for|lasted|lasting|took|taking|spent|in|of|aged|after)\s+(?:well\s+)?over\s+$", re.I
)


# "turns 70", "turned 18 last week": an age when nothing is counted after the number
_TURNS_RE = re.compile(r"\b(?:turns|turned|turning|turn)\s+$", re.I)
_TURNS_END_RE = re.compile(r"\s*(?:[.,;:!?)]|$|\s+(?:on|in|this|next|last|today|tomorrow)\b)")
# "one foot in the door", "a foot in both camps", "one foot on the brake": an idiom, not a length
_FOOT_IDIOM_RE = re.compile(
    r"\s+(?:in|on|out(?:\s+of)?|off)\s+(?:(?:the|both|each|either|his|her|their|its|our|my|"
    r"your)\s+)?(?:door|doorway|grave|camps?|mouth|front|gas|brakes?|pedal|accelerator)\b",
    re.I,
)
_OF_AFTER_RE = re.compile(r"\s+of\b")
# the books of scripture that are numbered ("2 Timothy", "1 Corinthians")
_BOOK_AFTER_RE = re.compile(r"\s+(?:Timothy|Corinthians|Thessalonians|Chronicles|Samuel)\b")
# "a Group of 20 meeting": the name of a forum, not a count
_GROUP_OF_RE = re.compile(r"\b(?:Group|Gang)\s+of\s+$")


def _aged_before(left: str) -> bool:
    """``aged``, ``ages`` or ``age`` (then perhaps ``25 to``) right before the number."""
    return "age" in left.lower() and _AGED_RE.search(left) is not None


_SCORE_AFTER_RE = re.compile(
    r"(?:\s+to\s+|\s*[-–]\s*)\d[\d.]*\s*(?:%|percent\b|per\s?cent\b|points\b)", re.I
)


# "Moll won 30 delegates and Berg 25", "45 percent, Berg 30 and Lind 20": a name and a bare
# number ending a clause after a join, the verb and the unit of the figure before left out
_GAPPED_NAME_RE = re.compile(r"(?:,|\band|\bwhile|\bwith)\s+[A-Z][\w’'.-]*\s+$")
_GAPPED_END_RE = re.compile(r"\s*(?:[,.;:!?)]|$|\s+(?:and|while|with|or)\b)")


_NOUN_COMMA_RE = re.compile(r"\b(?i:the|a|an|his|her|their)\s+(?:[a-z-]+\s+)?(?P<noun>[a-z]+),\s$")


def _person_before(left: str) -> bool:
    """Whether ``left`` ends in one person named by a noun and a comma (``the suspect, ``,
    ``a local teacher, ``)."""
    m = _NOUN_COMMA_RE.search(left)
    if m is None:
        return False
    noun = m.group("noun")
    return noun in _HUMAN_SINGULARS or (noun + "s" in HUMAN_NOUNS and not noun.endswith("s"))


def _age_end(masked: str, end: int) -> bool:
    """What may follow an age after a name: a comma, a semicolon, a bracket, or the end."""
    return masked[end : end + 1] in (",", ";", ")") or masked[end:].strip() in ("", ".")


_NAME_BRACKET_RE = re.compile(r"[A-Z][\w’'.-]*\s\($")  # "Moll (68)": an age in brackets


_ED_COMPOUND_RE = re.compile(r"-(?:[a-z]{2,}ed|sum)(?![\w-])")  # also "a zero-sum game"
_NAME_COMMA_RE = re.compile(r"[A-Z][\w’'.-]*,\s$")


def _left_comparator(text: str, pos: int, *, approx: bool = True) -> tuple[Comparator, int] | None:
    """The comparator phrase just before ``pos`` (``at least``, ``about``) and where it starts;
    the first of :data:`LEFT_COMPARATORS` that matches. ``approx=False`` skips the ``~`` phrases.

    Every phrase ends in one of :data:`COMPARATOR_LAST_WORDS` followed by white space, so only
    the patterns with a phrase ending in the word before the number are run."""
    left = _left(text, pos)
    possible = COMPARATOR_LAST_WORDS.get(last_word(left))
    if possible is None:
        return None
    for pattern, comp in LEFT_COMPARATORS:
        if comp not in possible:
            continue
        cm = pattern.search(left)
        if cm and (approx or comp != "~"):
            return comp, pos - len(left) + cm.start()
    return None


def _fractions(masked: str) -> list[_Raw]:
    """Fractions of a whole (``half of``, ``two thirds of``) as percent, and fractions of a unit
    (``half an hour``, ``three quarters of an hour``) in that unit; with a comparator before."""
    raws: list[_Raw] = []
    for m in FRACTION_RE.finditer(masked):
        left = _left(masked, m.start())
        if _FRACTION_NOT_AFTER_RE.search(left):
            continue
        # "half" with no "of"/"the" after it is a share only after a comparator
        # ("just shy of half, 49 %"), not in "half past" or "cut in half"
        point = _FRACTION_POINT_RE.match(masked, m.end()) if "oint" in masked else None
        if (
            point is None
            and m.group("whole") is None
            and "-" not in m.group("frac")
            and _left_comparator(masked, m.start()) is None
            and not (_BY_FRACTION_RE.search(left) and _FRACTION_END_RE.match(masked, m.end()))
        ):
            continue
        frac = " ".join(m.group("frac").lower().replace("-", " ").split())
        frac = frac.replace("two thirds", "two-thirds").replace("three quarters", "three-quarters")
        value = FRACTIONS.get(frac)
        if value is None:
            continue
        if _DURATION_BEFORE_RE.search(left):
            continue  # the "a half" of "an hour and a half" belongs to the duration
        after = masked[m.end() :]
        # "half an hour", "three quarters of an hour": a fraction of the unit, not percent
        unit_m = _FRACTION_OF_UNIT_RE.match(after)
        scale_m = _FRACTION_OF_SCALE_RE.match(after)
        if point:  # "a quarter point", "half a percentage point": a fraction of a point
            unit = unit_name(point.group("unit"))[0]
            raw = _Raw(value / 100, unit, "=", m.start(), m.start(), point.end(), "measure", True)
        elif scale_m:  # "a quarter of a million dollars": 250,000 USD
            end = m.end() + scale_m.end()
            amount = value / 100 * _WORD_SCALES[scale_m.group("scale").lower()]
            unit, kind = None, "none"
            um = UNIT_RE.match(masked, end)
            noun = None if um else count_noun_after(masked[end:])
            if um:
                unit, kind, end = unit_name(um.group("unit"))[0], "measure", um.end()
            elif noun:
                unit, kind, end = noun[0], "count", end + noun[1]
            raw = _Raw(amount, unit, "=", m.start(), m.start(), end, kind, True)
        elif unit_m:
            frac_unit, factor = unit_name(unit_m.group("unit"))
            raw = _Raw(
                value / 100 * factor,
                frac_unit,
                "=",
                m.start(),
                m.start(),
                m.end() + unit_m.end(),
                "measure",
                True,
            )
        else:  # a share of a whole, read up to the counted noun ("two-thirds of voters")
            end = m.end() + _whole_after(masked, m.end())
            raw = _Raw(value, "percent", "=", m.start(), m.start(), end, "measure", True)
        found = _left_comparator(masked, m.start())
        if found:
            raw.comparator, raw.start = found
        raws.append(raw)
    return raws


_OF_WHOLE_RE = re.compile(r"\s+(?:of\s+)?(?:(?:the|all|those|these|its|their)\s+)?(?=\S)", re.I)
_ONE_IN_RE = re.compile(
    r"(?<![\w.,-])(?:one|1)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<n>\d+(?![\d.,])|two|three|four|five|six|seven|eight|nine|"
    r"ten|a\s+hundred|a\s+thousand)(?![\w-])",
    re.I,
)


def _whole_after(masked: str, pos: int) -> int:
    """The length of ``of (the) <noun>`` after a share (``of voters``, ``the adults``) when a
    counted noun follows; 0 otherwise."""
    m = _OF_WHOLE_RE.match(masked, pos)
    if m is None:
        return 0
    found = count_noun_after(masked[m.end() - 1 :]) if m.end() > pos else None
    return m.end() - 1 - pos + found[1] if found else 0


# a capitalised number word after a capitalised word is part of a name ("Uranium One",
# "Channel Four"); one before a capitalised word and a capitalised small word is in a title
# ("Three Generations That Built ...")
_NAME_BEFORE_RE = re.compile(r"(?<![\w’'.-])[A-Z][a-z][\w’'.-]*(?<![.’'])[ \t]$")  # not "SHOOTING "
_TITLE_AFTER_RE = re.compile(
    r"[ \t]+[A-Z][a-z]+[ \t]+(?:That|Who|Which|Of|And|The|In|For|To|With|From|On|At|Is|Are|"
    r"Was|Were|Will|Can|Could|Would)\b"
)


def _in_name(masked: str, start: int, end: int) -> bool:
    """Whether the capitalised number word ``masked[start:end]`` is part of a name or a title,
    in text that is not a headline (where every word is capitalised)."""
    word = masked[start:end]
    if word.isupper() and len(word) > 1:
        return False  # "ONE", a headline in capitals
    if not (
        _NAME_BEFORE_RE.search(masked, max(0, start - 40), start)
        or _TITLE_AFTER_RE.match(masked, end)
    ):
        return False
    return not looks_like_headline(masked)


def _one_in(masked: str) -> list[_Raw]:
    """``one in five adults`` is a share: 20 percent (of adults); not after a name (``Uranium
    One in three deals``)."""
    raws: list[_Raw] = []
    for m in _ONE_IN_RE.finditer(masked):
        if masked[m.start()] == "O" and _in_name(masked, m.start(), m.start() + 3):
            continue
        n = parse_number(m.group("n"))
        if not n:
            continue
        end = m.end() + _whole_after(masked, m.end())
        raw = _Raw(100 / n, "percent", "=", m.start(), m.start(), end, "measure", True)
        found = _left_comparator(masked, m.start())
        if found:
            raw.comparator, raw.start = found
        raws.append(raw)
    return raws


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` is inside one of ``spans`` (a loop: faster than ``any`` over a
    generator, run for every number)."""
    for start, end in spans:  # noqa: SIM110
        if start <= pos < end:
            return True
    return False


def _numbers(masked: str, taken: list[tuple[int, int]], signs: bool) -> list[_Raw]:
    """Every number (digits or words) not inside a span already ``taken``, read with its unit and
    comparator; numbers that are not quantities are dropped. Read spans are added to ``taken``."""
    raws: list[_Raw] = []
    for reading in _readings(masked, taken, signs):
        m = reading.match
        _read_unit(reading, masked)
        _read_count_noun(reading, masked)
        _read_rate(reading, masked)
        if not signs:
            pass
        elif reading.unit in _SIGNED_UNITS or reading.unit in _SIGNED_RATES:
            _read_sign(reading, masked)
        elif reading.unit is None and not reading.scale and not reading.cur_sign:
            _read_bare_sign(reading, masked)
        if _not_a_quantity(reading, masked):
            continue
        comparator, start = _read_comparator(reading, masked)
        raws.append(
            _Raw(
                reading.value,
                reading.unit,
                comparator,
                start,
                reading.lead,
                reading.end,
                reading.unit_kind,
                reading.from_word,
                gapped=reading.gapped,
            )
        )
        taken.append((m.start(), reading.end))
    return raws


def _readings(masked: str, taken: list[tuple[int, int]], signs: bool) -> Iterator[_Reading]:
    """Stage 2 over the text: each number not inside a span ``taken`` (read lazily: the caller
    adds to it), read (:func:`_read_number`); a run of number words that is not one number is
    read as its pieces (:func:`_pieces`)."""
    for m in NUMBER_RE.finditer(masked):
        if taken and _inside(m.start(), taken):
            continue
        reading = _read_number(m, masked, signs)
        if reading is not None:
            yield reading
        elif m.group("num")[:1].isalpha():
            for piece in _pieces(m, masked):
                reading = _read_number(piece, masked, signs)
                if reading is not None:
                    yield reading


_WORD_TOKEN_RE = re.compile(r"[a-z]+", re.I)


def _pieces(m: re.Match[str], masked: str) -> list[re.Match[str]]:
    """The numbers in a run of number words that is not one number: ``two and four`` (``between
    two and four more``), ``three and three``: a new number starts at a units word right after
    another (``one-two`` gives none: a word after a hyphen starts no number)."""
    starts = [m.start("num")]
    prev_small = False
    for tm in _WORD_TOKEN_RE.finditer(masked, m.start("num"), m.end("num")):
        word = tm.group().lower()
        if word == "and":
            continue
        if word in SMALL and prev_small:
            starts.append(tm.start())
        prev_small = word in SMALL
    if len(starts) < 2:
        return []
    out: list[re.Match[str]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(masked)
        sub = NUMBER_RE.match(masked, start, end)
        if sub is not None and sub.group("num"):
            out.append(sub)
    return out


# --------------------------------------------------------------------------- stage 2: the number


def _read_number(m: re.Match[str], masked: str, signs: bool) -> _Reading | None:
    """The value of a number match with its scale word and ``and a half``; None when the match
    is masked (``#``) or not a number after all."""
    num = m.group("num")
    if "#" in num:
        return None
    value = parse_number(num)
    if value is None:
        return None
    end = m.end()
    scale = m.group("scale")
    cur_sign = (m.group("cur") or "").strip().lower()
    lead = m.start()
    if (
        not cur_sign
        and lead > 1
        and (
            (before := masked[lead - 1]).isupper()
            or before in _CODE_ENDS
            or (
                (before == " " or before == "\t")
                and ((before := masked[lead - 2]).isupper() or before in _CODE_ENDS)
            )
        )
    ):
        code = CURRENCY_CODE_BEFORE_RE.search(masked, max(0, lead - 5), lead)
        if code is not None:  # "USD 5 million", "Rs 12 lakh": a code is a currency sign
            cur_sign, lead = code.group("code").lower().rstrip("."), code.start()
    if scale:
        sc = scale.strip(" -").lower()
        if (
            sc in ("m", "k", "b")
            and not cur_sign
            and not count_noun_after(masked[m.end() :])
            and not CURRENCY_CODE_AFTER_RE.match(masked, m.end())
        ):
            # "5m" is five metres, not five million, unless money or a count follows
            end = m.end("num")
            scale = None
        else:
            value *= SCALES.get(sc) or scale_factor(sc)  # "lakh  crore", "\xa0million"
    if m.group("half"):
        # "a million and a half" is 1.5 million, "a dozen and a half" 18: half the last scale
        value += 0.5 * _WORD_SCALES.get(num.rsplit(None, 1)[-1].lower(), 1.0)
    if m.group("half") and scale:
        value = (parse_number(num) or 0) + 0.5
        value *= scale_factor(scale)
    from_word = not (num[:1].isdigit() or num[:1] == ".")
    return _Reading(m, num, value, end, scale, cur_sign, from_word, lead, signs)


# The cheap test of CURRENCY_CODE_BEFORE_RE before a number, inlined in _read_number: a code
# ends in a capital letter (or "Rs", "Rs.") right before the number or one space before it.
_CODE_ENDS = frozenset("s.")


def _code_may_end(masked: str, pos: int) -> bool:
    """The test :func:`_read_number` inlines (kept for tests/test_quantity_scanner_fast.py)."""
    before = masked[pos - 1]
    if before == " " or before == "\t":
        before = masked[pos - 2]
    return before.isupper() or before in _CODE_ENDS


def _multiplier(masked: str, value: float, start: int, end: int) -> _Raw:
    """A multiplier (``twice as many``, ``tripled``): ``value`` in the unit ``fold``."""
    raw = _Raw(value, "fold", "=", start, start, end, "measure", True)
    found = _left_comparator(masked, start)
    if found:
        raw.comparator, raw.start = found
    return raw


# --------------------------------------------------------------------------- stage 3: the unit


_LEAD_RE = re.compile(r"[\s-]*")
# the dollars of other countries, written before "$"
_OTHER_DOLLARS = {"C": "CAD", "A": "AUD", "NZ": "NZD", "HK": "HKD", "S": "SGD"}
_OTHER_DOLLAR_RE = re.compile(r"(?<![\w$])(C|A|NZ|HK|S)$")


def _unit_gates(after: str) -> tuple[bool, bool]:
    """Whether :data:`UNIT_RE`, and :data:`UNIT_AFTER_ADJ_RE`, could match at the start of
    ``after``: a unit is read after white space or hyphens only, and every unit starts with a
    letter or ``%`` (tests/test_quantity_scanner_fast.py checks the lexicon's units); the
    adjective before a unit is lower-case letters after white space. Most numbers are followed
    by neither (``in 2014,``, ``(claim 12)``), and the unit pattern is a long alternation."""
    lead = _LEAD_RE.match(after).end()  # type: ignore[union-attr]  # [\s-]* always matches
    first = after[lead : lead + 1]
    return (
        first == "%" or first.isalpha(),
        "a" <= first <= "z" and after[:1].isspace(),
    )


def _read_unit(r: _Reading, masked: str) -> None:
    """A currency sign before the number, else a measurement unit right after it (or after one
    adjective: ``five more days``); then ``and a half`` after that unit."""
    if r.cur_sign:
        r.unit = CURRENCY_SIGNS.get(r.cur_sign, "USD")
        r.unit_kind = "measure"
        if r.cur_sign == "$" and (at := r.match.start()) and masked[at - 1].isupper():
            dollar = _OTHER_DOLLAR_RE.search(masked, max(0, at - 3), at)
            if dollar is not None:  # "C$2 billion", "A$1.5 billion": not US dollars
                r.unit = _OTHER_DOLLARS[dollar.group(1)]
    after = masked[r.end :]
    first, second = after[:1], after[1:2]
    # round nine's readers, behind one test of the first two characters (most numbers are
    # followed by a space and a lower-case letter, or by punctuation)
    if (second.isupper() or first in _ROUND_NINE_FIRST or second in _TEMPERATURE_FIRST) and (
        _round_nine_unit(r, masked, after, first, second)
    ):
        return
    if (
        (after[1:3] == "pl" or after[:1] == "+")
        and not r.scale
        and (plus := _PLUS_SCALE_RE.match(after))
    ):
        # "$20-plus trillion": more than 20 trillion, the scale word past the "-plus"
        r.value *= scale_factor(plus.group("scale"))
        r.scale, r.approx_after = plus.group("scale"), ">"
        r.end += plus.end()
        after = masked[r.end :]
    if (
        (after[1:3] in ("or", "od", "pl") or after[:1] == "+")  # the cheap test of _APPROX_AFTER_RE
        and not r.cur_sign
        and (approx := _APPROX_AFTER_RE.match(after))
    ):
        um = UNIT_RE.match(after, approx.end())
        noun = None if um else count_noun_after(after[approx.end() :], scaled=bool(r.scale))
        if um or noun:  # "20-odd years", "10 or so people": the unit past the approximation
            if um:
                name, factor = unit_name(um.group("unit"))
                r.unit, r.value, r.unit_kind, r.unit_factor = (
                    name,
                    r.value * factor,
                    "measure",
                    factor,
                )
                r.end += um.end()
            else:
                r.unit, r.unit_kind = noun[0], "count"  # type: ignore[index]
                r.end += approx.end() + noun[1]  # type: ignore[index]
            r.approx_after = ">" if approx.group("plus") or approx.group("sign") else "~"
            return
    unit_may, adjective_may = _unit_gates(after)
    um = UNIT_RE.match(after) if unit_may else None
    adj_um = UNIT_AFTER_ADJ_RE.match(after) if um is None and adjective_may else None
    if um and not (r.cur_sign and normalise_unit(um.group("unit")) in CURRENCIES):
        written = um.group("unit")
        if not (written.lower() in ("m", "t", "ft") and um.group(0).startswith("-")):
            name, factor = unit_name(written)
            if not r.cur_sign or name == "percent":
                r.unit, r.value = name, r.value * factor
                r.unit_kind, r.unit_factor = "measure", factor
            r.end += um.end()
    elif um and r.cur_sign:
        r.end += um.end()
    elif adj_um and not r.cur_sign and (r.value == 1 or adj_um.group("unit").lower()[-1] == "s"):
        # the unit agrees in number with the value ("five more days", "one full year"); a
        # singular unit after another number belongs to a new phrase ("431,000 that year")
        name, factor = unit_name(adj_um.group("unit"))
        r.unit, r.value, r.unit_kind, r.unit_factor = name, r.value * factor, "measure", factor
        r.end += adj_um.end()
    if r.unit_kind == "measure" and not r.cur_sign and r.unit not in NO_FRACTION_UNITS:
        extra = and_fraction(masked[r.end :])
        if extra is not None:  # "two days and a half": 2.5 days
            r.value += extra[0] * r.unit_factor
            r.end += extra[1]


# "40°C", "104 °F", "40 degrees Celsius", "minus 5 degrees", "-5C": a temperature; "90 degrees"
# and "40°" with no scale are degrees (of heat or of an angle: the text rarely says which)
_TEMPERATURE_RE = re.compile(
    r"(?:[ \t]?[°º](?:[ \t]?(?P<sign>[CF](?![a-zA-Z])|(?i:celsius|centigrade|fahrenheit)\b))?"
    r"|(?:[ \t]|-)(?:degrees?|DEGREES?)(?:[ \t]+(?P<word>(?i:celsius|centigrade|fahrenheit)|[CF](?![\w])))?"
    r"|(?P<glued>[CF])(?![\w°º]))",
)
_TEMPERATURE_FIRST = frozenset("°ºdDCF′")  # "Degrees" capitalised is a name ("98 Degrees")
_TEMPERATURE_NAMES = {"c": "celsius", "celsius": "celsius", "centigrade": "celsius"}
# a position, not a quantity: "40°N", "73° W" (read as this unit, which no word can be, and
# dropped)
_POSITION = "<position>"
_LATITUDE_RE = re.compile(r"[ \t]?[°º][ \t]?(?:[NSEW](?![a-zA-Z])|\d{1,2}(?:\.\d+)?[′'])|′")


# what makes a bare "C"/"F" after digits a temperature ("highs of 45C"; not "seat 14C")
@functools.cache
def _temperature_cue_re() -> re.Pattern[str]:
    """Compiled on first use (a glued C/F or a bare number after a sign is rare): a word about
    heat in the sentence."""
    return re.compile(
        r"\b(?:temperatures?|heat|hot|hotter|cold|colder|warm|warmer|cool|cooler|chill|freez\w*|"
        r"frost|highs?|lows?|weather|forecast|fever|thermometer|mercury|degrees?|heatwave|warming|"
        r"sweltering|scorching|celsius|fahrenheit|boil\w*|melt\w*)\b|[°º]",
        re.I,
    )


# a minus sign or the word before the number: "-5C", "−12 °C", "minus 5 degrees"
_MINUS_BEFORE_RE = re.compile(r"(?:(?<![\w.,%)/])[-−–]|(?<![\w-])(?i:minus)[ \t]+)\Z")


_NUMBER_WORDS = frozenset([*SMALL, *TENS, "hundred", "thousand", "million", "billion"])
# "a margin of error of plus or minus 3 points": a margin either way, not a figure below zero
_PLUS_OR_RE = re.compile(r"\bplus(?:\s+or|\s*/|-or)?-?$", re.I)


def _sign_before(masked: str, pos: int) -> re.Match[str] | None:
    """A minus sign (or ``minus``) right before ``pos``; not a dash after a figure, which
    joins a range (``2 -3%``, ``20 – 25C``)."""
    before = masked[pos - 1 : pos] if pos else ""
    if not before or not (
        before in "-−–"
        or (
            before in " \t"
            and masked[max(0, pos - 8) : pos].rstrip(" \t")[-1:] in ("s", "S", "ſ")
            and "inus" in fold(masked[max(0, pos - 8) : pos])
        )
    ):
        return None  # the cheap test: a sign, or "minus" and white space, right before
    minus = _MINUS_BEFORE_RE.search(masked, max(0, pos - 8), pos)
    if minus is None:
        return None
    before = masked[max(0, minus.start() - 12) : minus.start()].rstrip()
    if before[-1:].isdigit() or before[-1:] in ("%", "#"):
        return None
    if before[-1:].isalpha() and last_word(before + " ") in _NUMBER_WORDS:
        return None  # "five minus two": a difference
    return None if _PLUS_OR_RE.search(before) else minus


# the units of heat (and of degrees with no scale), whose sign is read
_TEMPERATURE_UNITS = frozenset({"celsius", "fahrenheit", "degree"})


# "1.5x higher", "a 2x increase", "3× as many": a multiplier (not "4x4", "3x3 grid")
_TIMES_X_RE = re.compile(r"[x×](?![\w×])")
# "the 2015 USD bond": a year before a code used as a modifier
_NOUN_AFTER_CODE_RE = re.compile(r"[ \t]+[a-z]")


def _temperature(r: _Reading, masked: str, after: str) -> bool:
    """A temperature (``40°C`` → ``40 celsius``, ``104 °F`` → ``fahrenheit``) or degrees with
    no scale (``40 degrees``, ``a 180-degree turn`` → ``degree``), with its sign (``minus 5
    degrees``, ``-5C``); whether one was read. A position (``40°N``) is masked as no quantity."""
    if r.cur_sign or r.scale:
        return False
    if _LATITUDE_RE.match(after):
        r.unit, r.unit_kind = _POSITION, "measure"  # dropped by _not_a_quantity
        return True
    m = _TEMPERATURE_RE.match(after)
    if m is None:
        return False
    written = (m.group("sign") or m.group("word") or m.group("glued") or "").lower()
    minus = _sign_before(masked, r.lead) if r.signs else None
    if (
        m.group("glued")
        and "." not in r.num
        and minus is None
        and not _temperature_cue_re().search(masked)
    ):
        return False  # "seat 14C", "a 2F pencil": not a temperature ("1.5C", "-5C" are)
    if m.group("glued") and r.from_word:
        return False
    r.unit = _TEMPERATURE_NAMES.get(written, "fahrenheit" if written else "degree")
    r.unit_kind = "measure"
    r.end += m.end()
    return True


# the units whose figures may be below zero, and a sign read before them: "-5C", "minus 5
# degrees", "shrank by -3%", "growth of minus 0.5 per cent", "-2 % a year"
_SIGNED_UNITS = frozenset({"celsius", "fahrenheit", "degree", "percent", "percentage point"})
_SIGNED_RATES = frozenset(f"{unit}/year" for unit in ("percent", "percentage point"))


def _read_bare_sign(r: _Reading, masked: str) -> None:
    """A bare number after ``minus`` is below zero (``dropped to minus 20``), and after a minus
    sign in a sentence about heat (``a wind chill of -30``); there it is in degrees."""
    minus = _sign_before(masked, r.lead)
    if minus is None or r.value <= 0:
        return
    cue = _temperature_cue_re().search(masked)
    if cue is None and minus.group().startswith(("-", "−", "–")):
        return  # "-30" elsewhere may be a dash
    r.value, r.lead = -r.value, minus.start()
    if cue is not None:
        r.unit, r.unit_kind = "degree", "measure"


def _read_sign(r: _Reading, masked: str) -> None:
    """A minus sign or ``minus`` right before the number (or its comparator-free lead) makes a
    temperature or a percentage negative; the surface starts at the sign."""
    if r.value <= 0 or (r.from_word and masked[r.lead - 1 : r.lead] != " "):
        return
    minus = _sign_before(masked, r.lead)
    if minus is not None:
        r.value, r.lead = -r.value, minus.start()


_ROUND_NINE_FIRST = frozenset("x×") | _TEMPERATURE_FIRST


def _round_nine_unit(r: _Reading, masked: str, after: str, first: str, second: str) -> bool:
    """A currency code after the figure, a multiplier written ``x``, or a temperature; whether
    one was read (the caller has tested that ``first`` or ``second`` may start one)."""
    if (
        not r.cur_sign
        and second.isupper()
        and (code := CURRENCY_CODE_AFTER_RE.match(after))
        and not (YEAR_RE.match(r.num) and _NOUN_AFTER_CODE_RE.match(after, code.end()))
    ):
        # "5 million USD", "20,000 EUR": the code after the figure
        r.unit, r.unit_kind = CURRENCY_SIGNS[code.group("code").lower()], "measure"
        r.end += code.end()
        return True
    if first in "x×" and not r.cur_sign and not r.from_word and _TIMES_X_RE.match(after):
        r.unit, r.unit_kind, r.end = "fold", "measure", r.end + 1  # "1.5x higher", "a 2x rise"
        return True
    return (first in _TEMPERATURE_FIRST or second in _TEMPERATURE_FIRST) and _temperature(
        r, masked, after
    )


# "the under-18s", "the over-65s", "under 25s": people below or above an age
_AGE_GROUP_RE = re.compile(r"(?<![\w-])(under|over)[\s-]\Z", re.I)


def _read_count_noun(r: _Reading, masked: str) -> None:
    """Without a unit, the counted noun after the number (``273 drones`` → ``drone``), also past
    ``or more`` (which stays for the comparator to read)."""
    if r.unit is not None:
        return
    if (
        masked[r.end : r.end + 1] == "s"
        and not r.scale
        and not masked[r.end + 1 : r.end + 2].isalnum()
        and (age := _AGE_GROUP_RE.search(masked, max(0, r.lead - 7), r.lead))
    ):  # "the over-65s": an age group, its comparator read as one written after the number
        r.unit, r.unit_kind, r.end = "year", "measure", r.end + 1
        r.approx_after = "<" if age.group(1).lower() == "under" else ">"
        r.lead = age.start()
        return
    right_cmp = _OR_MORE_RE.match(masked[r.end :])
    skip = right_cmp.end() if right_cmp else 0
    after = masked[r.end + skip :]
    headline = after[:1] == " " and after[1:2].isupper() and looks_like_headline(masked)
    found = count_noun_after(after, scaled=bool(r.scale), headline=headline)
    if found is not None:
        r.unit, length = found
        r.unit_kind = "count"
        if not right_cmp:
            r.end += length
        if r.unit == "time" and _MULTIPLIER_AFTER_RE.match(masked, r.end):
            r.unit, r.unit_kind = "fold", "measure"  # "three times as many": a multiplier
    elif hyphen := _HYPHEN_NOUN_RE.match(masked, r.end):  # "a two-front war", "a 3-judge panel"
        noun = hyphen.group("noun").lower()
        human = noun + "s" in HUMAN_NOUNS or noun in _HUMAN_SINGULARS
        r.unit, r.unit_kind, r.end = ("people" if human else noun), "count", hyphen.end()
        if noun == "strong":  # "a 50,000-strong crowd": people; "the 27-strong bloc": a count
            group = _strong_group_re().match(masked, r.end)
            r.unit, r.unit_kind = ("people", "count") if group else (None, "none")
    elif not r.scale and _IMPLIED_PEOPLE_RE.match(masked, r.end) and _people_may(r, masked):
        r.unit, r.unit_kind = "people", "count"  # "About 50 were killed"
    elif not r.scale and not r.cur_sign and _aged_before(_left(masked, r.match.start())):
        r.unit, r.unit_kind = "year", "measure"  # "aged 25 to 54": ages are years
    elif (
        not r.scale
        and not r.cur_sign
        and r.value < 130
        and "urn" in (left := _left(masked, r.match.start()))
        and _TURNS_RE.search(left)
        and _TURNS_END_RE.match(masked, r.end)
    ):
        r.unit, r.unit_kind = "year", "measure"  # "she turns 70 on Tuesday": an age


def _people_may(r: _Reading, masked: str) -> bool:
    """Whether a bare number before what befalls people may count them: not a label
    (``Article 5 says``; ``AT LEAST 10 KILLED`` is no label) nor an age (``those over 60 say``)."""
    left = _left(masked, r.match.start())
    if looks_like_label(left) and _reading_comparator(r, masked) is None:
        return False
    age = _AGE_AFTER_NOUN_RE.search(left) if r.value <= 120 else None
    return age is None or age.group("noun").lower() not in _AGE_NOUNS


def _read_rate(r: _Reading, masked: str) -> None:
    """A rate after the unit: ``3 percent a year`` is ``percent/year``, ``$15 an hour``
    ``USD/hour``, ``$4 per gallon`` ``USD/gallon`` (``per person``/``per capita``: ``/person``);
    but ``3 percent a year earlier`` is a time reference, not a rate."""
    if masked.startswith(" per ", r.end) and _per_count(r, masked):
        return
    if r.unit is None:
        return
    m = _RATE_RE.match(masked, r.end)
    if m is None and r.cur_sign and (paid := _PAYMENT_NOUN_RE.match(masked, r.end)):
        # "a $10,000 donation per person": a sum paid per item, the payment named between
        m = _RATE_RE.match(masked, paid.end())  # the noun is followed by "per" (look-ahead)
    if m is None:
        return
    if m.group("time"):
        per, factor = unit_name(m.group("time"))
        if per is None or factor != 1.0:
            return
    else:
        noun = m.group("noun").lower()
        per = (
            "person"
            if noun in _RATE_PEOPLE
            else _RATE_NOUNS.get(noun) or normalise_unit(noun) or noun
        )
    r.unit = f"{r.unit}/{per}"
    r.unit_kind = "measure"
    r.end = m.end()


# "3 deaths per 1,000 people", "5 per 100,000 residents", "8 per 1,000 live births": a rate per
# a number of items; not "parts per million" (a unit of its own)
_PER_COUNT_RE = re.compile(
    r"\s+per\s+(?P<n>\d{1,3}(?:,\d{3})+|\d+|(?:(?:a|one)\s+)?(?:hundred|thousand|million))"
    r"(?![\w,.-]|\s+(?:years?|months?|days?|hours?)\b)",
    re.I,
)


def _per_count(r: _Reading, masked: str) -> bool:
    """A rate per a number of items (``3 deaths per 1,000 people`` → ``death/1000 people``, a
    bare ``5 per 100,000 residents`` → ``/100000 people``); whether one was read."""
    if r.unit in ("part", "time", "fold") or (r.scale and r.unit is None):
        return False
    m = _PER_COUNT_RE.match(masked, r.end)
    if m is None:
        return False
    written = m.group("n").lower()
    n = parse_number(written) if written[:1].isdigit() else _WORD_SCALES[written.split()[-1]]
    if not n or n < 10:
        return False
    noun = count_noun_after(masked[m.end() :])
    per = f"{n:.0f} {noun[0]}" if noun else f"{n:.0f}"
    if noun is None and r.unit_kind != "count":
        return False  # "5 per 1,000", "$2.86 per thousand cubic feet": no count per count
    r.unit = f"{r.unit or ''}/{per}"
    r.unit_kind, r.end = "measure", m.end() + (noun[1] if noun else 0)
    return True


# --------------------------------------------------------------------------- not a quantity


# after "the N <noun>" these make the number a count, not a reference: "the three miners
# trapped", "the 40 passengers who were rescued"
_COUNTED_AFTER_RE = re.compile(
    r"\s+(?:who\s+(?:were|have\s+been|had\s+been|are|died)\b|"
    r"(?:killed|wounded|injured|hurt|dead|died|arrested|detained|charged|convicted|indicted|"
    r"kidnapped|abducted|missing|displaced|evacuated|rescued|stranded|trapped|deported|"
    r"released|freed|executed|murdered|slain|stabbed|hospitali[sz]ed|infected|"
    r"laid\s+off|sacked|jailed|imprisoned|sentenced|taken\s+hostage)\b(?!\s+(?:back|at|up)\b))",
    re.I,
)


# "killed all nine", "rescued all 12": the people harmed or saved, not a reference
_HARM_ALL_RE = re.compile(
    r"\b(?:killed|kills|killing|wounded|injured|rescued|evacuated|arrested|freed|released)"
    r"\s+all\s+$",
    re.I,
)
# a number followed by the second end of a range: "the next four to six weeks"
_RANGE_NEXT_RE = re.compile(
    r"(?:\s+to\s+|\s*[-–]\s*)(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred)\b)",
    re.I,
)


# "one day", "one night" as an occasion unless a word before makes it a duration
_ONE_DAY_UNITS = frozenset({"day", "night", "morning", "evening", "afternoon"})
_ONE_DAY_RE = re.compile(r"\s+(?:day|night|morning|evening|afternoon)\b", re.I)
_ONE_DAY_DURATION_RE = re.compile(
    r"\b(?:for|in|within|after|over|than|about|around|nearly|almost|just|only|lasted|lasting|"
    r"last|took|take|takes|taking|spent|spend|spends|per|every|each|single|whole|entire|"
    r"full|least|most|to|than)\s+$",
    re.I,
)


# "one or two aides", "one to ten": the first end of a range ("one or more" stays none)
_ONE_OR_RE = re.compile(
    r"\s+(?:or\s+(?:two|three)|to\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d))\b",
    re.I,
)
# "several dozen", "a few dozen": as vague as "dozens"
_VAGUE_DOZEN_RE = re.compile(r"\b(?:several|a\s+few|few|many)\s+$", re.I)
# a year or a decade said in words: "nineteen eighty-four", "seventeen seventy-six", "the
# nineteen forties" (the teens before a tens word read as one sum, 103, otherwise)
_SPOKEN_YEAR_RE = re.compile(
    r"(?:seven|eigh|nine)teen[\s-]+(?:twen|thir|for|fif|six|seven|eigh|nine)t(?:ies|y)\b", re.I
)


def _not_a_quantity(r: _Reading, masked: str) -> bool:
    """A number the mask could not tell from a quantity: a year, a label, an age, a reference
    (``the two sides``), a lone ``one``."""
    m = r.match
    left = _left(masked, r.lead)
    bare = not r.from_word and not r.scale  # digits without a scale word
    if bare and r.num in ("1", "2", "3") and _BOOK_AFTER_RE.match(masked, m.end()):
        return True  # "warned in 2 Timothy that ...": a book of scripture, no count
    if (
        r.unit_kind == "count"
        and bare
        and not r.cur_sign
        and YEAR_RE.match(r.num)
        and year_before_noun(left, masked[m.end() : r.end])
        and _reading_comparator(r, masked) is None
    ):
        return True  # "In 2022 European leaders met", "in 2015 voters": a year, not a count
    if r.from_word and "teen" in r.num.lower() and _SPOKEN_YEAR_RE.match(masked, m.start()):
        return True  # "in nineteen eighty-four", "the late nineteen forties": a year, a decade
    if r.unit == _POSITION:
        return True  # "40°N": a latitude or a longitude
    if r.unit == "something" or (
        r.unit == "ft" and r.value == 1 and _FOOT_IDIOM_RE.match(masked, r.end)
    ):
        return True  # "a 30-something voter"; "one foot in the door", "a foot in the grave"
    if r.unit == "inch" and r.num.lower() == "one" and not _OF_AFTER_RE.match(masked, r.end):
        return True  # "did not give one inch": an idiom ("one inch of rain" is a depth)
    if r.from_word and r.num.lower() == "dozen" and _VAGUE_DOZEN_RE.search(left):
        return True  # "several dozen protesters": as vague as "dozens of"
    if r.unit == "figure" and r.from_word and 5 <= r.value <= 10:
        return True  # "a six-figure salary", "earns seven figures": a size of sum, no count
    if r.unit == "star" and "-star" in masked[m.end() : r.end]:
        return True  # "a four-star general", "a five-star hotel": a rank or a rating
    if r.from_word and r.num[:1].isupper() and _in_name(masked, m.start(), m.end("num")):
        return True  # "Channel Four", "Three Generations That Built ...": a name or a title
    if r.unit is None and ("Group of" in left or "Gang of" in left) and _GROUP_OF_RE.search(left):
        return True  # "the Group of 20", "a Group of Seven summit": a forum's name
    if bare and r.unit is None:
        if not r.cur_sign and YEAR_RE.match(r.num) and _reading_comparator(r, masked) is None:
            return True  # a year ("in 2014", "Copyright 2025"), not a count
        if looks_like_label(left) and not _SCORE_AFTER_RE.match(masked, r.end):
            if _GAPPED_NAME_RE.search(left) and _GAPPED_END_RE.match(masked, r.end):
                r.gapped = True  # "Moll got 45 percent, Berg 30": the context decides
                return False
            return True  # "Boeing 737" style label after a capitalised word ("leads Moll 46 to
            # 40 percent" is a score)
        if r.value < 130 and _NAME_COMMA_RE.search(left) and _age_end(masked, r.end):
            return True  # an age: "Mr. Smith, 54, said", "Ann, 34; Tom, 32;", "Ann Lee, 52"
        if (
            r.value < 130
            and left.endswith(", ")
            and _age_end(masked, r.end)
            and _person_before(left)
        ):
            return True  # an age after a noun for one person: "the suspect, 32, was held"
        if r.value < 130 and masked[r.end : r.end + 1] == ")" and _NAME_BRACKET_RE.search(left):
            return True  # an age: "Moll (68) and Berg (71)"
    if (
        r.unit is None
        and not r.scale
        and masked[r.end : r.end + 1] == "-"
        and _ED_COMPOUND_RE.match(masked, r.end)
    ):
        return True  # "a two-pronged plan", "a one-sided race", "zero-sum": an adjective
    if bare and r.unit is None and len(r.num) >= 10 and r.num.isdigit():
        return True  # an identifier (a post's or a tweet's number), not a quantity
    # "the two sides" is a reference; "the 800,000 police officers" a count, "the 2016
    # candidates" a year
    reference = r.from_word or (r.unit_kind == "count" and bare and YEAR_RE.match(r.num))
    if (
        reference
        and r.unit_kind != "measure"
        and last_word(left) in DETERMINER_LAST_WORDS
        and DETERMINER_RE.search(left)
        and not (r.from_word and counted_after_determiner(left, masked[m.end() : r.end], r.unit))
        and not (r.unit is None and _RANGE_NEXT_RE.match(masked, r.end))  # "the next four to six"
        and not (left.endswith("all ") and _HARM_ALL_RE.search(left))  # "killed all nine"
        and not (
            r.unit is not None
            and (
                r.scale
                or (r.from_word and r.value >= 1000)
                or _COUNTED_AFTER_RE.match(masked, r.end)
            )
        )
    ):
        return True  # "the two sides"; but "the five million refugees", "the four men killed"
    if (
        r.from_word
        and r.value == 1
        and r.unit in _ONE_DAY_UNITS
        and r.num.lower() == "one"
        and _ONE_DAY_RE.match(masked, m.end())
        and not _ONE_DAY_DURATION_RE.search(left)
    ):
        return True  # "one day he said": some day, not a duration ("in one day" is one)
    # "one diplomat", "a thousand"-less "one"; but "one or two aides" is a range
    return (
        r.from_word
        and r.value == 1
        and r.unit_kind != "measure"
        and not r.scale
        and not _ONE_OR_RE.match(masked, m.end())
    )


# --------------------------------------------------------------------------- stage 4: comparator


def _read_comparator(r: _Reading, masked: str) -> tuple[Comparator, int]:
    """The comparator and the start of the surface: a phrase before the number (``at least``),
    else one after what was read (``or more``, ``or so``), which extends the surface."""
    found = _reading_comparator(r, masked)
    if (
        found
        and found[0] == ">"
        and r.unit in _PERIOD_UNITS
        and _OVER_PERIOD_RE.search(left := _left(masked, r.lead))
        and not _MORE_THAN_OVER_RE.search(left)
        and not _INTO_AFTER_RE.match(masked, r.end)
    ):
        return "=", r.lead  # "cost $2 trillion over 10 years": the period
    if found:
        return found
    if r.approx_after:
        return r.approx_after, r.lead
    if RIGHT_COMPARATOR_START_RE.match(masked, r.end):
        for pattern, comp in RIGHT_COMPARATORS:
            rm = pattern.match(masked, r.end)
            if rm:
                r.end = rm.end()
                return comp, r.lead
    return "=", r.lead


# --------------------------------------------------------------------------- "a"/"an" + time unit


def _article_durations(masked: str, raws: list[_Raw]) -> None:
    """``less than an hour``, ``within a day``; and compound durations led by "a"/"an", which are
    quantities with or without a comparator: ``an hour and a half``, ``an hour and 45 minutes``.
    Appends to ``raws`` (the quantities found so far, which these must not overlap)."""
    found_units = list(_ARTICLE_UNIT_RE.finditer(masked))
    if "-and-a" in masked:  # "the last year-and-a-half": no article before the hyphened unit
        found_units += _HYPHEN_FRACTION_UNIT_RE.finditer(masked)
    for m in found_units:
        if any(r.start <= m.start() < r.end for r in raws):
            continue
        name, factor = unit_name(m.group("unit"))
        extra = and_fraction(masked[m.end() :])
        if extra is not None or _smaller_duration_follows(masked, m.end(), name, raws):
            comparator: Comparator = "="
            start = m.start()
            found = _left_comparator(masked, m.start())
            if found:
                comparator, start = found
            value, end = factor, m.end()
            if extra is not None:
                value, end = factor * (1 + extra[0]), end + extra[1]
            raws.append(_Raw(value, name, comparator, start, m.start(), end, "measure", True))
            continue
        # "about an hour" is a duration; "about a year ago" / "an hour later" a time reference
        reference = _TIME_REFERENCE_AFTER_RE.match(masked[m.end() :])
        bound = None if reference else _left_comparator(masked, m.start())
        if bound:
            comp, start = bound
            raws.append(_Raw(factor, name, comp, start, m.start(), m.end(), "measure", True))


# --------------------------------------------------------------------------- stage 5: merge


def _smaller_duration_follows(text: str, pos: int, unit: str | None, raws: list[_Raw]) -> bool:
    """Whether a plain duration in a smaller unit follows ``pos`` after "and" or a space, so that
    ``_merge`` will join the two ("an hour and 45 minutes")."""
    if unit not in DURATION_ORDER:
        return False
    for raw in raws:
        if raw.start >= pos and raw.comparator == "=" and raw.unit in DURATION_ORDER:
            gap = text[pos : raw.start]
            if _SMALLER_DURATION_GAP_RE.fullmatch(gap):
                return _joinable_durations(unit, raw.unit)
    return False


_COMMA_GAP_RE = re.compile(r",\s+")
# "1, 2, 3 days", "one, two, three days": a list, not "2, 3 days"
_LIST_BEFORE_RE = re.compile(
    r"(?:\d|%|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)),\s*$", re.I
)
_LIST_AFTER_RE = re.compile(r",\s*(?:\d|and\b|or\b)|\s+(?:and|or)\s+\d", re.I)
_BETWEEN_GAP_RE = re.compile(r"\s+(?:and|to|-|–)\s+|\s*[-–]\s*")
_RANGE_GAP_RE = re.compile(r"\s*[-–]\s*|\s+to\s+")
_OR_GAP_RE = re.compile(r"\s+or\s+")
_DURATION_GAP_RE = re.compile(r"\s+and\s+|,\s+|\s+")
_SMALLER_DURATION_GAP_RE = re.compile(r"\s+and\s+|\s+")


_SCALE_WORD_RE = re.compile(
    rf"(?<![\w])(?:thousand|million|billion|trillion|{INDIAN_SCALES})(?![\w])"
    rf"|(?:(?<=\d)|(?<=\d\s))(?:{SCALE_ABBREVIATIONS})(?![\w])",
    re.I,
)


def _shared_scale(text: str, cur: _Raw, nxt: _Raw) -> float:
    """The factor the first end of a range takes from a scale written only on the second
    (``2 to 3 million``, ``$25-$40 billion``, ``one hundred fifty to two hundred thousand``): the
    second's scale when the first has none and the first, so scaled, is not above the second
    (``from 500 to 2 million`` keeps 500); 1 otherwise."""
    if _SCALE_WORD_RE.search(text, cur.num_start, cur.end):
        return 1.0
    m = _SCALE_WORD_RE.search(text, nxt.num_start, nxt.end)
    if m is None:
        return 1.0
    factor = scale_factor(m.group())
    return factor if cur.value * factor <= nxt.value else 1.0


def _merge(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Stage 5: ranges (``between X and Y``, ``X-Y``) and compound durations joined."""
    out: list[_Raw] = []
    i = 0
    while i < len(raws):
        cur = raws[i]
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        if (
            nxt is not None
            and nxt.unit in _SIGNED_UNITS
            and cur.unit is None
            and cur.high is None
            and cur.value > 0
            and (minus := _sign_before(text, cur.num_start))
        ):
            # "between -10 and -5 degrees", "minus 10 to minus 5 degrees": the first end's sign
            if cur.start == cur.num_start:
                cur.start = minus.start()
            cur.value, cur.num_start = -cur.value, minus.start()
        if nxt is not None and cur.high is None:
            gap = text[cur.end : nxt.num_start]
            compatible = (
                cur.unit is None
                or cur.unit == nxt.unit
                or (nxt.unit or "").startswith(f"{cur.unit}/")  # "2 to 3 percent a year"
                # "between -10 and -5 degrees Celsius": the scale written once, on the second
                or (cur.unit == "degree" and nxt.unit in _TEMPERATURE_UNITS)
                # "$2-3 billion", "$5-10": the currency written once, on the first end
                or (
                    nxt.unit is None
                    and cur.unit in CURRENCIES
                    and (
                        _RANGE_GAP_RE.fullmatch(gap) is not None
                        or _SCALE_WORD_RE.search(text, nxt.num_start, nxt.end) is not None
                    )
                )
            )
            # The phrases before the first number (between, from) are read only where the two
            # could be one range: the second a plain value not below the first, and the gap
            # one a range allows (_RANGE_GAP_RE's gaps are among _BETWEEN_GAP_RE's).
            range_gap: object = None
            between = None
            if compatible and nxt.comparator == "=" and cur.value <= nxt.value:
                between_gap = _BETWEEN_GAP_RE.fullmatch(gap)
                # "a 20 or 30 percent premium": two estimates of one figure
                or_gap = (
                    cur.unit is None
                    and nxt.unit is not None
                    and cur.comparator == "="
                    and _OR_GAP_RE.fullmatch(gap)
                )
                # "3, 4 percent", "two, three weeks": two neighbouring figures said as one
                comma_gap = (
                    cur.unit is None
                    and nxt.unit is not None
                    and nxt.value == cur.value + 1
                    and cur.value < 100
                    and cur.value == int(cur.value)
                    and _COMMA_GAP_RE.fullmatch(gap)
                    and not _LIST_BEFORE_RE.search(text, max(0, cur.start - 8), cur.start)
                    and not _LIST_AFTER_RE.match(text, nxt.end)
                )
                if comma_gap:
                    range_gap, left, between, is_from = True, "", None, None
                elif between_gap or or_gap:
                    left = _left(text, cur.num_start)
                    between = BETWEEN_RE.search(left)
                    is_from = FROM_RE.search(left) and not RANGE_FROM_RE.search(left)
                    range_gap = (
                        (between and not is_from and between_gap)
                        or (
                            not is_from
                            and _RANGE_GAP_RE.fullmatch(gap)
                            and (cur.comparator in ("=", "~"))
                        )
                        or or_gap
                    )
            factor = _shared_scale(text, cur, nxt) if range_gap else 1.0
            if range_gap and cur.value * factor == nxt.value:
                # "$500 million - a half a billion dollars": one figure said twice, not a range
                range_gap = None
            if range_gap:
                start = (
                    cur.num_start - len(left) + between.start()
                    if between and not is_from
                    else cur.start
                )
                merged = _Raw(
                    cur.value * factor,
                    nxt.unit or cur.unit,
                    "range",
                    start,
                    cur.num_start,
                    nxt.end,
                    nxt.unit_kind if nxt.unit else cur.unit_kind,
                    cur.from_word,
                    high=nxt.value,
                )
                out.append(merged)
                i += 2
                continue
            # "two hours and five minutes" -> minutes; "two years and three months" -> months,
            # but only where the larger unit is a whole number of the smaller one (a month is
            # not a whole number of weeks or days, so "a month and two weeks" stays two figures)
            if (
                cur.unit is not None
                and nxt.unit is not None
                and _DURATION_GAP_RE.fullmatch(gap)
                and nxt.comparator == "="
                and _joinable_durations(cur.unit, nxt.unit)
            ):
                converted = convert_duration(cur.value, cur.unit, nxt.unit)
                out.append(
                    _Raw(
                        converted + nxt.value,
                        nxt.unit,
                        cur.comparator,
                        cur.start,
                        cur.num_start,
                        nxt.end,
                        "measure",
                        cur.from_word,
                    )
                )
                i += 2
                continue
        out.append(cur)
        i += 1
    return out


def _joinable_durations(larger: str | None, smaller: str | None) -> bool:
    """Whether "<larger> and <smaller>" is one compound duration: both are time units, the
    first is the larger, and it holds a whole number of the smaller (hours → minutes, years →
    months; not months → weeks)."""
    if larger not in DURATION_ORDER or smaller not in DURATION_ORDER:
        return False
    if DURATION_ORDER[larger] <= DURATION_ORDER[smaller]:
        return False
    ratio = convert_duration(1, larger, smaller)
    return abs(ratio - round(ratio)) < 1e-6


# --------------------------------------------------------------------------- public


def _found(text: str) -> list[tuple[float | list[float], str | None, Comparator, str, int, int]]:
    """What :func:`find_quantities` makes its quantities of: (value, unit, comparator, surface,
    start, end) of each, values rounded. Never raises."""
    try:
        raws = _scan(text)
    except (ValueError, OverflowError, RecursionError, KeyError):  # pragma: no cover - guard
        return []
    out: list[tuple[float | list[float], str | None, Comparator, str, int, int]] = []
    for raw in raws:
        value: float | list[float] = (
            [round_value(raw.value), round_value(raw.high)]
            if raw.high is not None
            else round_value(raw.value)
        )
        comparator: Comparator = "range" if raw.high is not None else raw.comparator
        out.append(
            (value, raw.unit, comparator, text[raw.start : raw.end].strip(), raw.start, raw.end)
        )
    return out


def find_quantities(text: str) -> list[QuantitySpan]:
    """Every quantity in ``text`` with the span of its surface, in text order. Never raises."""
    spans: list[QuantitySpan] = []
    for value, unit, comparator, surface, start, end in _found(text):
        try:
            q = _quantity(value, unit, comparator, surface)
        except ValueError:
            continue
        spans.append(QuantitySpan(q, start, end))
    return spans


def quantity_dicts(text: str) -> list[dict[str, Any]]:
    """``[q.model_dump(mode="json", exclude_none=True) for q in parse_quantities(text)]``, the
    form a claim stores, without making the models: what the scanner reads is plain (see
    :func:`_quantity`) and becomes its dict at once; anything else goes through the model as in
    :func:`parse_quantities`. The bulk import reads every text without a quantities column
    with it (tests/test_quantity_scanner_fast.py checks the two agree)."""
    out: list[dict[str, Any]] = []
    for value, unit, comparator, surface, _start, _end in _found(text):
        if _plain(value, unit, comparator):
            item: dict[str, Any] = {"value": value}
            if unit is not None:
                item["unit"] = unit
            item["comparator"] = comparator
            item["surface"] = surface
            out.append(item)
            continue
        try:
            q = Quantity(value=value, unit=unit, comparator=comparator, surface=surface)
        except ValueError:
            continue
        out.append(q.model_dump(mode="json", exclude_none=True))
    return out


_COMPARATORS = frozenset(COMPARATORS)


def _plain(value: float | list[float], unit: str | None, comparator: str) -> bool:
    """Whether a quantity read is valid as it is: floats, a known comparator, a range's low end
    first, a range exactly when the value is a pair."""
    if type(value) is float:
        plain = comparator != "range"
    elif type(value) is list:
        plain = (
            comparator == "range"
            and len(value) == 2
            and type(value[0]) is float
            and type(value[1]) is float
            and value[0] <= value[1]
        )
    else:
        return False
    return plain and comparator in _COMPARATORS and (unit is None or type(unit) is str)


def _quantity(
    value: float | list[float], unit: str | None, comparator: Comparator, surface: str
) -> Quantity:
    """``Quantity(value=..., unit=..., comparator=..., surface=...)``. What the scanner reads is
    valid as it is (:func:`_plain`), and such a quantity is made without running the model's
    validation (a fifth of the scanner's time on short texts); anything else is left to the
    model, which coerces or refuses it as always."""
    if _plain(value, unit, comparator):
        return Quantity.model_construct(
            value=value, unit=unit, comparator=comparator, surface=surface
        )
    return Quantity(value=value, unit=unit, comparator=comparator, surface=surface)


def parse_quantities(text: str) -> list[Quantity]:
    """The quantities written in ``text``, in order: ``"about 20 percent"`` → ``~20 percent``.

    >>> [(q.value, q.unit, q.comparator) for q in parse_quantities("lasted less than two hours")]
    [(2.0, 'hour', '<')]
    """
    return [span.quantity for span in find_quantities(text)]
