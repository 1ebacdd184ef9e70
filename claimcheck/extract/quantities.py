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
   word) or the currency sign to the left (``$``, ``€``, ``£``), and otherwise a counted noun:
   nouns for human beings give ``people``, other plural nouns give their singular
   (``273 drones`` → ``drone``). Units are normalised by :mod:`claimcheck.extract.units`.
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
is not its unit; ``the two sides`` is a reference, not a count;
vague plurals (``dozens``, ``thousands of``) are not quantities; decades and centuries are
converted to years. The parser never raises on arbitrary text.

:func:`parse_quantity_spec` reads the compact hand-written form used on the command line
(``"~20 percent"``, ``"<2 hour"``, ``"10-20 km"``, ``">= 4 year"``, ``"$1.5bn"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimcheck.extract.units import CURRENCIES, normalise_unit
from claimcheck.quantity import Comparator, Quantity

__all__ = [
    "QuantitySpan",
    "QuantitySyntaxError",
    "find_quantities",
    "parse_quantities",
    "parse_quantity_spec",
]


class QuantitySyntaxError(ValueError):
    """A compact quantity such as ``"~20 percent"`` could not be read."""


# --------------------------------------------------------------------------- vocabularies

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
_FRACTIONS = {
    "half": 50.0,
    "a half": 50.0,
    "one half": 50.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "two thirds": 200 / 3,
    "two-thirds": 200 / 3,
    "a quarter": 25.0,
    "one quarter": 25.0,
    "three quarters": 75.0,
    "three-quarters": 75.0,
    "a fifth": 20.0,
    "one fifth": 20.0,
    "a tenth": 10.0,
    "one tenth": 10.0,
}

_HUMAN_NOUNS = frozenset(
    [
        "people",
        "person",
        "persons",
        "individuals",
        "civilians",
        "residents",
        "inhabitants",
        "citizens",
        "soldiers",
        "troops",
        "servicemen",
        "servicemembers",
        "prisoners",
        "captives",
        "hostages",
        "detainees",
        "refugees",
        "migrants",
        "asylum-seekers",
        "evacuees",
        "workers",
        "employees",
        "staff",
        "officials",
        "leaders",
        "diplomats",
        "delegates",
        "members",
        "children",
        "kids",
        "adults",
        "men",
        "women",
        "boys",
        "girls",
        "babies",
        "infants",
        "students",
        "teachers",
        "doctors",
        "nurses",
        "patients",
        "voters",
        "victims",
        "casualties",
        "fighters",
        "militants",
        "protesters",
        "demonstrators",
        "journalists",
        "reporters",
        "passengers",
        "tourists",
        "visitors",
        "pensioners",
        "retirees",
        "farmers",
        "police",
        "officers",
        "policemen",
        "personnel",
        "americans",
        "europeans",
        "recruits",
        "volunteers",
        "survivors",
        "households",
        "families",
        "owners",
        "customers",
        "users",
        "consumers",
        "lawmakers",
        "legislators",
        "senators",
        "ministers",
        "judges",
        "economists",
        "analysts",
        "experts",
        "respondents",
    ]
)

_UNCOUNTABLE_HUMAN = frozenset({"people", "staff", "police", "personnel"})

# plural-looking words that are not count nouns
_NOT_NOUNS = frozenset(
    [
        "was",
        "is",
        "has",
        "does",
        "its",
        "this",
        "thus",
        "his",
        "hers",
        "ours",
        "yours",
        "theirs",
        "always",
        "perhaps",
        "across",
        "less",
        "unless",
        "besides",
        "whereas",
        "towards",
        "afterwards",
        "upwards",
        "downwards",
        "sometimes",
        "nevertheless",
        "various",
        "previous",
        "serious",
        "numerous",
        "famous",
        "obvious",
        "us",
        "plus",
        "bus",
        "yes",
        "as",
        "was",
        "news",
        "series",
        "species",
        "means",
    ]
)

_TIME_UNITS = r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?"
_LONG_TIME = r"decades?|centuries|century"
# unit names that contain a digit: never masked as labels, accepted by parse_quantity_spec
_DIGIT_UNITS = r"km2"
_MEASURE_UNITS = (
    r"per\s?cent|percent|pct|percentage\s+points?|"
    r"square\s+kilomet(?:re|er)s?|sq\.?\s?km|km2|km²|kilomet(?:re|er)s?|km|"
    r"miles?|metres?|meters?|centimet(?:re|er)s?|cm|feet|foot|ft|hectares?|"
    r"kilograms?|kilos?|kg|metric\s+tons?|tonnes?|tons?|lbs?|"
    r"dollars?|euros?|pounds\s+sterling|roubles?|rubles?|hryvnias?|yuan|yen|rupees?|"
    r"swiss\s+francs?|" + _TIME_UNITS + "|" + _LONG_TIME
)

_CURRENCY_SIGNS = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₽": "RUB",
    "₴": "UAH",
    "¥": "JPY",
    "₹": "INR",
}

_NUMWORD = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
_SCALEWORD = r"thousand|million|billion|trillion"

# A number: digits, or number words, with an optional "and a half" and an optional scale.
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_WORDS = (
    rf"(?:(?:{_NUMWORD})(?:[\s-]+(?:and\s+)?(?:{_NUMWORD}|hundred|{_SCALEWORD}))*"
    rf"(?:[\s-]+(?:hundred|dozen))?"
    rf"|a\s+(?:hundred|thousand|million|billion|dozen)|dozen)"
)
_NUMBER_RE = re.compile(
    rf"(?P<cur>(?:US\$|\$|€|£|₽|₴|¥|₹)\s?)?"
    rf"(?P<num>(?<![\w.,])(?:{_DIGITS})(?![\d])(?![.,]\d)|(?<![\w-])(?:{_WORDS})(?![\w]))"
    rf"(?P<half>\s+and\s+a\s+half)?"
    rf"(?P<scale>(?:\s+|-)?(?:{_SCALEWORD})(?![\w])|(?:bn|mn|mln|tn|trn|[kmb])(?![\w]))?",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    r"(?<![\w-])(?P<frac>(?:a|one)\s+half|half|a\s+third|one\s+third|two[\s-]thirds|"
    r"a\s+quarter|one\s+quarter|three[\s-]quarters|a\s+fifth|one\s+fifth|a\s+tenth|one\s+tenth)"
    r"(?=\s+(?:of|an?|the)\b)",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(rf"(?:\s*|\s*-\s*|-)(?P<unit>%|{_MEASURE_UNITS})(?![\w])", re.IGNORECASE)
# "five more days", "three straight years"; but "431,000 last year" is a number followed by a
# time reference, not a count of years: deictic words never modify a unit (see also the
# number-agreement check in ``_scan``).
_UNIT_AFTER_ADJ_RE = re.compile(
    rf"\s+(?!(?:a|an|the|per|each|every|of|and|or|to|in|last|this|next|that|previous|past|"
    rf"coming|following|same|prior|current|preceding)\s)(?P<adj>[a-z]+(?:-[a-z]+)?)\s+"
    rf"(?P<unit>{_TIME_UNITS}|{_LONG_TIME})(?![\w])"
)
# "an hour and a half", "two days and a half", "a decade and a quarter"
_AND_FRACTION_RE = re.compile(
    r"\s+and\s+(?P<frac>a\s+half|a\s+quarter|three[\s-]quarters)(?![\w-])", re.IGNORECASE
)
_AND_FRACTIONS = {"a half": 0.5, "a quarter": 0.25, "three quarters": 0.75}
# "and a half" after these is not a part of the unit ("5 percent and a half of ..." is rare and
# ambiguous; "$5 and a half" is not how money is written)
_NO_FRACTION_UNITS = frozenset({"percent", "percentage point", *CURRENCIES})

_MONTHS = (
    r"Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?"
)
_MASK_RES = [
    re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+"),
    re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?!\d)"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})(?:,?\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:{_MONTHS})\s+\d{{4}}\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?!\d)|\b\d{1,2}(?:\.\d{2})?\s*[ap]\.m\.", re.I),
    re.compile(r"\b\d+(?:st|nd|rd|th)\b"),
    re.compile(
        r"\b(?:No|Nos|Art|Article|Section|Chapter|Flight|Route|Resolution|Room|Page|"
        r"Rule|Amendment|Level|Phase|Grade|Unit|Block|Gate|Line|Platform|Channel)\.?\s+"
        r"\d+[A-Za-z]?\b"
    ),
    re.compile(
        r"(?:S&P|FTSE|Stoxx|STOXX|Nikkei|Fortune|Russell|DAX|CAC|Nasdaq|Dow|Hang Seng|"
        r"Euro Stoxx|Boeing|Airbus)\s+\d+"
    ),
    # letter-digit labels ("F-16", "COVID-19"), but not a unit written with a digit ("km2")
    re.compile(rf"(?<![$€£₽₴¥₹])\b(?!(?:{_DIGIT_UNITS})\b)[A-Za-z&]+-?\d+(?:[-/]\d+)*\b"),
    re.compile(r"\b\d+/\d+(?:/\d+)?\b"),
]
_YEAR_RE = re.compile(r"^(?:1[5-9]\d\d|20\d\d|21\d\d)$")
_APPROX = (
    r"about|around|roughly|approximately|approx\.|some|nearly|almost|close\s+to|"
    r"an\s+estimated|estimated|circa|ca\.|c\.|an\s+average\s+of|on\s+average|"
    r"just\s+under|just\s+shy\s+of|just\s+over|just\s+above|upward\s+of"
)
_LEFT_COMPARATORS: list[tuple[re.Pattern[str], Comparator]] = [
    (
        re.compile(
            r"\b(?:at\s+least|no\s+(?:fewer|less)\s+than|not\s+(?:fewer|less)\s+than|"
            r"a\s+minimum\s+of|at\s+a\s+minimum)\s+$",
            re.I,
        ),
        ">=",
    ),
    (
        re.compile(
            r"\b(?:up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|as\s+many\s+as|"
            r"as\s+much\s+as|a\s+maximum\s+of|within|no\s+longer\s+than|at\s+a\s+maximum)"
            r"\s+$",
            re.I,
        ),
        "<=",
    ),
    (re.compile(rf"\b(?:{_APPROX})\s+$", re.I), "~"),
    (
        re.compile(
            r"\b(?:(?:well\s+|slightly\s+|far\s+|much\s+)?(?:less|fewer|lower)\s+than|"
            r"under|below|shy\s+of|short\s+of|not\s+even)\s+$",
            re.I,
        ),
        "<",
    ),
    (
        re.compile(
            r"\b(?:(?:well\s+|slightly\s+|far\s+|much\s+)?(?:more|greater|higher|longer)"
            r"\s+than|(?:well\s+)?over|(?:well\s+)?above|upwards\s+of|in\s+excess\s+of|"
            r"exceeding|beyond)\s+$",
            re.I,
        ),
        ">",
    ),
]
_RIGHT_COMPARATORS: list[tuple[re.Pattern[str], Comparator]] = [
    (re.compile(r"^\s+or\s+(?:more|greater|higher|longer|above)\b", re.I), ">="),
    (re.compile(r"^\s+or\s+(?:less|fewer|lower|under|below)\b", re.I), "<="),
    (re.compile(r"^(?:\s+or\s+so\b|-odd\b|\s+odd\b)", re.I), "~"),
    (re.compile(r"^\s+(?:plus|and\s+(?:more|over|up|above))\b|^\+", re.I), ">"),
]
_DETERMINER_RE = re.compile(
    r"\b(?:the|these|those|its|their|his|her|our|my|your|both|all|first|last|next|other|"
    r"every|each|per)\s+$",
    re.I,
)
_BETWEEN_RE = re.compile(r"\b(?:between|ranging\s+from|range\s+of|from)\s+$", re.I)
_RANGE_FROM_RE = re.compile(r"\b(?:ranging|range[sd]?|vary|varying|varied)\s+from\s+$", re.I)
_FROM_RE = re.compile(r"\bfrom\s+$", re.I)


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class QuantitySpan:
    """A parsed quantity with the character span of its surface in the parsed text."""

    quantity: Quantity
    start: int
    end: int


@dataclass
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


def _words_to_number(text: str) -> float | None:
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w and w != "and"]
    if not words:
        return None
    if words[0] == "a":
        words[0] = "one"
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _parse_number(num: str) -> float | None:
    if num[:1].isdigit() or num[:1] == ".":
        try:
            return float(num.replace(",", ""))
        except ValueError:
            return None
    return _words_to_number(num)


def _singular(noun: str) -> str:
    low = noun.lower()
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if re.search(r"(?:ss|x|ch|sh|z|us)es$", low):
        return low[:-2]
    if low.endswith("s") and not low.endswith("ss"):
        return low[:-1]
    return low


def _is_count_noun(noun: str) -> bool:
    low = noun.lower()
    if low in _HUMAN_NOUNS:
        return True
    if noun[0].isupper():
        return bool(re.fullmatch(r"[A-Z][a-z]+(?:ians|ans|ese|is|ers)", noun))
    if low in _NOT_NOUNS or len(low) < 4 or low.endswith(("ss", "us", "is", "ous")):
        return False
    return low.endswith("s")


# a word, a hyphenated word or designation ("US-made", "F-##" after masking), or a bare model
# number ("Leopard 2"), which is accepted only right after a capitalised modifier
_TOKEN_RE = re.compile(
    r"\s+([A-Za-z][A-Za-z]*(?:-(?:[A-Za-z]+|[#\d]+[A-Za-z]*))?|[#\d]+[A-Za-z\d]*(?![\w.,]))"
)


def _count_noun_after(after: str) -> tuple[str, int] | None:
    """The counted noun right after a number, allowing up to two modifiers before it.

    Any plural noun counts right after the number (``273 drones``) and a human noun after any
    modifier (``35 senior officials``). A non-human noun after a modifier counts only when every
    modifier is a *name-like* one, capitalised or hyphenated (``31 Abrams tanks``, ``31 US-made
    Abrams tanks``, ``24 long-range missiles``, ``12 F-16 jets``, ``31 Leopard 2 tanks``):
    a lower-case adjective may as well start a clause (``40 new ...``), so it stays unread.
    """
    pos = 0
    name_like = True  # every modifier so far is capitalised, hyphenated or a model number
    prev_capitalised = False
    for index in range(3):
        tm = _TOKEN_RE.match(after, pos)
        if tm is None:
            return None
        word = tm.group(1)
        if after[tm.end() : tm.end() + 1] in ("’", "'"):
            return None
        if word[0].isdigit() or word[0] == "#":
            if not prev_capitalised:
                return None  # a model number only follows a name: "Leopard 2"
            prev_capitalised = False
            pos = tm.end()
            continue
        if _is_count_noun(word):
            low = word.lower()
            if index == 0 or low in _HUMAN_NOUNS or word[0].isupper() or name_like:
                return _count_unit(word), tm.end()
            return None
        capitalised = word[0].isupper()
        if index == 2 or not (
            capitalised
            or "-" in word
            or re.fullmatch(r"[a-z]+(?:al|ian|ive|ed|ern|ary|ing|ic|ful|less|ous)", word)
        ):
            return None
        if word.lower() in _FUNCTION_WORDS or word.lower() in _NOT_NOUNS:
            return None
        name_like = name_like and (capitalised or "-" in word)
        prev_capitalised = capitalised
        pos = tm.end()
    return None


def _and_fraction(after: str) -> tuple[float, int] | None:
    """The fraction added by ``and a half`` (``a quarter``, ``three quarters``) right after a
    unit, and the length of that phrase; ``None`` when there is none."""
    m = _AND_FRACTION_RE.match(after)
    if m is None:
        return None
    key = " ".join(m.group("frac").lower().replace("-", " ").split())
    return _AND_FRACTIONS[key], m.end()


def _count_unit(noun: str) -> str:
    low = noun.lower()
    if low in _HUMAN_NOUNS or noun[0].isupper():
        return "people"
    return _singular(low)


def _unit_name(written: str) -> tuple[str | None, float]:
    """Normalised unit and the factor to apply to the value (decades → years)."""
    low = " ".join(written.lower().split())
    if low in ("decade", "decades"):
        return "year", 10.0
    if low in ("century", "centuries"):
        return "year", 100.0
    if low in ("sq km", "sq.km", "sqkm", "sq. km"):
        return "km2", 1.0
    return normalise_unit(low), 1.0


_LABEL_LEFT_RE = re.compile(r"(?:(\S+)\s+)?([A-Z][A-Za-z&]*)\s+$")
_FUNCTION_WORDS = frozenset(
    f"""
the and or in on at by of to for about some only just almost nearly over under around all with
above below between from than up down another another its after before since until during
{" ".join(_SMALL)} {" ".join(_TENS)}
""".split()
)


def _looks_like_label(left: str) -> bool:
    """A number right after a capitalised word mid-sentence is a name (``Boeing 737``)."""
    m = _LABEL_LEFT_RE.search(left)
    if m is None:
        return False
    word = m.group(2)
    if word.lower() in _FUNCTION_WORDS or re.fullmatch(_MONTHS, word):
        return False
    prev = m.group(1)
    return prev is not None and not re.search(r"[.!?:;\"“”(\[—–-]$", prev)


_HAS_DIGIT_RE = re.compile(r"\d")


def _mask(text: str) -> str:
    """Replace non-quantity numbers by same-length filler so offsets stay valid."""
    if not _HAS_DIGIT_RE.search(text):
        return text
    chars = list(text)
    for pattern in _MASK_RES:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i].isdigit():
                    chars[i] = "#"
    return "".join(chars)


def _round(value: float) -> float:
    rounded = round(value, 4)
    return float(int(rounded)) if rounded.is_integer() else rounded


# --------------------------------------------------------------------------- core


def _scan(text: str) -> list[_Raw]:
    masked = _mask(text)
    raws: list[_Raw] = []
    taken: list[tuple[int, int]] = []

    for m in _FRACTION_RE.finditer(masked):
        left = masked[: m.start()]
        if re.search(
            r"\b(?:first|second|third|fourth|last|latter|former|the|back|"
            r"other|next)\s+$",
            left,
            re.I,
        ):
            continue
        frac = " ".join(m.group("frac").lower().replace("-", " ").split())
        frac = frac.replace("two thirds", "two-thirds").replace("three quarters", "three-quarters")
        value = _FRACTIONS.get(frac)
        if value is None:
            continue
        if re.search(rf"\b(?:{_MEASURE_UNITS})\s+and\s+$", left, re.I):
            continue  # the "a half" of "an hour and a half" belongs to the duration
        after = masked[m.end() :]
        # "half an hour", "three quarters of an hour": a fraction of the unit, not percent
        unit_m = re.match(
            rf"\s+(?:of\s+)?an?\s+(?P<unit>{_TIME_UNITS}|{_MEASURE_UNITS})\b", after, re.I
        )
        if unit_m:
            frac_unit, factor = _unit_name(unit_m.group("unit"))
            raws.append(
                _Raw(
                    value / 100 * factor,
                    frac_unit,
                    "=",
                    m.start(),
                    m.start(),
                    m.end() + unit_m.end(),
                    "measure",
                    True,
                )
            )
        else:
            raws.append(_Raw(value, "percent", "=", m.start(), m.start(), m.end(), "measure", True))
        for pattern, comp in _LEFT_COMPARATORS:
            cm = pattern.search(left)
            if cm:
                raws[-1].comparator, raws[-1].start = comp, cm.start()
                break
        taken.append((m.start(), raws[-1].end))

    for m in _NUMBER_RE.finditer(masked):
        if any(s <= m.start() < e for s, e in taken):
            continue
        num = m.group("num")
        if "#" in num:
            continue
        value = _parse_number(num)
        if value is None:
            continue
        from_word = not (num[:1].isdigit() or num[:1] == ".")
        end = m.end()
        scale = m.group("scale")
        cur_sign = (m.group("cur") or "").strip().lower()
        if scale:
            sc = scale.strip(" -").lower()
            if sc in ("m", "k", "b") and not cur_sign and not _count_noun_after(masked[m.end() :]):
                # "5m" is five metres, not five million, unless money or a count follows
                end = m.end("num")
                scale = None
            else:
                value *= _SCALES[sc]
        if m.group("half"):
            value += 0.5
        if m.group("half") and scale:
            value = (_parse_number(num) or 0) + 0.5
            value *= _SCALES[scale.strip(" -").lower()]

        unit: str | None = None
        unit_kind = "none"
        unit_factor = 1.0  # written unit -> normalised unit ("decades" -> years: 10)
        if cur_sign:
            unit = _CURRENCY_SIGNS.get(cur_sign, "USD")
            unit_kind = "measure"
        after = masked[end:]
        um = _UNIT_RE.match(after)
        adj_um = None if um else _UNIT_AFTER_ADJ_RE.match(after)
        if um and not (cur_sign and normalise_unit(um.group("unit")) in CURRENCIES):
            written = um.group("unit")
            if not (written.lower() in ("m", "t", "ft") and um.group(0).startswith("-")):
                name, factor = _unit_name(written)
                if not cur_sign or name == "percent":
                    unit, value = name, value * factor
                    unit_kind, unit_factor = "measure", factor
                end += um.end()
        elif um and cur_sign:
            end += um.end()
        elif adj_um and not cur_sign and (value == 1 or adj_um.group("unit").lower()[-1] == "s"):
            # the unit agrees in number with the value ("five more days", "one full year"); a
            # singular unit after another number belongs to a new phrase ("431,000 that year")
            name, factor = _unit_name(adj_um.group("unit"))
            unit, value, unit_kind, unit_factor = name, value * factor, "measure", factor
            end += adj_um.end()
        if unit_kind == "measure" and not cur_sign and unit not in _NO_FRACTION_UNITS:
            extra = _and_fraction(masked[end:])
            if extra is not None:  # "two days and a half": 2.5 days
                value += extra[0] * unit_factor
                end += extra[1]
        if unit is None:
            right_cmp = re.match(r"\s+or\s+(?:more|fewer|less)\b", masked[end:], re.I)
            skip = right_cmp.end() if right_cmp else 0
            found = _count_noun_after(masked[end + skip :])
            if found is not None:
                unit, length = found
                unit_kind = "count"
                if not right_cmp:
                    end += length
        left = masked[: m.start()]
        if (
            unit_kind == "count"
            and not from_word
            and not scale
            and not cur_sign
            and _YEAR_RE.match(num)
            and re.match(r"\s+[A-Z]", masked[m.end() :])
            and not any(p.search(left) for p, _ in _LEFT_COMPARATORS)
        ):
            continue  # "In 2022 European leaders met": a year before a name, not a count
        # years and other labels
        if (
            not from_word
            and unit is None
            and not scale
            and not cur_sign
            and _YEAR_RE.match(num)
            and not any(p.search(left) for p, _ in _LEFT_COMPARATORS)
        ):
            continue  # a year ("in 2014", "Copyright 2025"), not a count
        if not from_word and unit is None and not scale and _looks_like_label(left):
            continue  # "Boeing 737" style label after a capitalised word
        if (
            not from_word
            and unit is None
            and not scale
            and value < 130
            and re.search(r"[A-Z][\w’'.-]*,\s$", left)
            and masked[end : end + 1] == ","
        ):
            continue  # an age: "Mr. Smith, 54, said"
        comparator: Comparator = "="
        start = m.start()
        if from_word or unit_kind == "count":
            det = _DETERMINER_RE.search(left)
            if det and unit_kind != "measure":
                continue  # "the two sides"
        if from_word and value == 1 and unit_kind != "measure" and not scale:
            continue  # "one diplomat", "a thousand"-less "one"
        for pattern, comp in _LEFT_COMPARATORS:
            cm = pattern.search(left)
            if cm:
                comparator, start = comp, cm.start()
                break
        if comparator == "=":
            for pattern, comp in _RIGHT_COMPARATORS:
                rm = pattern.match(masked[end:])
                if rm:
                    comparator = comp
                    end += rm.end()
                    break
        raws.append(_Raw(value, unit, comparator, start, m.start(), end, unit_kind, from_word))
        taken.append((m.start(), end))

    # "less than an hour", "within a day"; and compound durations led by "a"/"an", which are
    # quantities with or without a comparator: "an hour and a half", "an hour and 45 minutes"
    for m in re.finditer(rf"\b(?P<art>an?)\s+(?P<unit>{_TIME_UNITS}|{_LONG_TIME})\b", masked, re.I):
        if any(r.start <= m.start() < r.end for r in raws):
            continue
        left = masked[: m.start()]
        name, factor = _unit_name(m.group("unit"))
        extra = _and_fraction(masked[m.end() :])
        if extra is not None or _smaller_duration_follows(masked, m.end(), name, raws):
            comparator = "="
            start = m.start()
            for pattern, comp in _LEFT_COMPARATORS:
                cm = pattern.search(left)
                if cm:
                    comparator, start = comp, cm.start()
                    break
            value, end = factor, m.end()
            if extra is not None:
                value, end = factor * (1 + extra[0]), end + extra[1]
            raws.append(_Raw(value, name, comparator, start, m.start(), end, "measure", True))
            continue
        for pattern, comp in _LEFT_COMPARATORS:
            cm = pattern.search(left)
            if cm and comp != "~":
                raws.append(
                    _Raw(factor, name, comp, cm.start(), m.start(), m.end(), "measure", True)
                )
                break
    raws.sort(key=lambda r: r.start)
    return _merge(masked, raws)


def _smaller_duration_follows(text: str, pos: int, unit: str | None, raws: list[_Raw]) -> bool:
    """Whether a plain duration in a smaller unit follows ``pos`` after "and" or a space, so that
    ``_merge`` will join the two ("an hour and 45 minutes")."""
    if unit not in _DURATION_ORDER:
        return False
    for raw in raws:
        if raw.start >= pos and raw.comparator == "=" and raw.unit in _DURATION_ORDER:
            gap = text[pos : raw.start]
            if re.fullmatch(r"\s+and\s+|\s+", gap):
                return _joinable_durations(unit, raw.unit)
    return False


def _merge(text: str, raws: list[_Raw]) -> list[_Raw]:
    out: list[_Raw] = []
    i = 0
    while i < len(raws):
        cur = raws[i]
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        if nxt is not None and cur.high is None:
            gap = text[cur.end : nxt.num_start]
            left = text[: cur.num_start]
            compatible = cur.unit is None or cur.unit == nxt.unit
            between = _BETWEEN_RE.search(left)
            is_from = _FROM_RE.search(left) and not _RANGE_FROM_RE.search(left)
            range_gap = (
                between and not is_from and re.fullmatch(r"\s+(?:and|to|-|–)\s+|\s*[-–]\s*", gap)
            ) or (
                not is_from
                and re.fullmatch(r"\s*[-–]\s*|\s+to\s+", gap)
                and (cur.comparator in ("=", "~"))
            )
            if range_gap and compatible and nxt.comparator == "=" and cur.value <= nxt.value:
                start = between.start() if between and not is_from else cur.start
                merged = _Raw(
                    cur.value,
                    nxt.unit,
                    "range",
                    start,
                    cur.num_start,
                    nxt.end,
                    nxt.unit_kind,
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
                re.fullmatch(r"\s+and\s+|,\s+|\s+", gap)
                and nxt.comparator == "="
                and _joinable_durations(cur.unit, nxt.unit)
            ):
                from claimcheck.extract.units import convert

                converted = convert(cur.value, cur.unit, nxt.unit)
                if converted is not None:
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


_DURATION_ORDER = {
    "second": 1,
    "minute": 2,
    "hour": 3,
    "day": 4,
    "week": 5,
    "month": 6,
    "year": 7,
}


def _joinable_durations(larger: str | None, smaller: str | None) -> bool:
    """Whether "<larger> and <smaller>" is one compound duration: both are time units, the
    first is the larger, and it holds a whole number of the smaller (hours → minutes, years →
    months; not months → weeks)."""
    if larger not in _DURATION_ORDER or smaller not in _DURATION_ORDER:
        return False
    if _DURATION_ORDER[larger] <= _DURATION_ORDER[smaller]:
        return False
    from claimcheck.extract.units import convert

    ratio = convert(1, larger, smaller)
    return ratio is not None and abs(ratio - round(ratio)) < 1e-6


def find_quantities(text: str) -> list[QuantitySpan]:
    """Every quantity in ``text`` with the span of its surface, in text order. Never raises."""
    try:
        raws = _scan(text)
    except (ValueError, OverflowError, RecursionError, KeyError):  # pragma: no cover - guard
        return []
    spans: list[QuantitySpan] = []
    for raw in raws:
        surface = text[raw.start : raw.end].strip()
        try:
            if raw.high is not None:
                q = Quantity(
                    value=[_round(raw.value), _round(raw.high)],
                    unit=raw.unit,
                    comparator="range",
                    surface=surface,
                )
            else:
                q = Quantity(
                    value=_round(raw.value),
                    unit=raw.unit,
                    comparator=raw.comparator,
                    surface=surface,
                )
        except ValueError:
            continue
        spans.append(QuantitySpan(q, raw.start, raw.end))
    return spans


def parse_quantities(text: str) -> list[Quantity]:
    """The quantities written in ``text``, in order: ``"about 20 percent"`` → ``~20 percent``.

    >>> [(q.value, q.unit, q.comparator) for q in parse_quantities("lasted less than two hours")]
    [(2.0, 'hour', '<')]
    """
    return [span.quantity for span in find_quantities(text)]


# --------------------------------------------------------------------------- compact form

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
    r"(?P<lo>-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?|-?\.\d+)\s*(?P<loscale>(?:bn|mn|tn|[kmb]|thousand|million|"
    r"billion|trillion)(?![a-z]))?"
    r"(?:\s*(?:-|–|\.\.|to)\s*(?P<hi>-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?|-?\.\d+)\s*(?P<hiscale>(?:bn|mn|tn|[kmb]|"
    r"thousand|million|billion|trillion)(?![a-z]))?)?"
    r"\s*(?P<unit>[^\d\s].*?)?\s*$",
    re.IGNORECASE,
)


def parse_quantity_spec(spec: str) -> Quantity:
    """Read a compact hand-written quantity: ``"~20 percent"``, ``"<2 hour"``, ``"10-20 km"``.

    Grammar: ``[comparator] [currency sign] number [scale] [(- | to | ..) number [scale]] [unit]``
    with comparators ``= ~ < <= > >=`` (also ``≈ ≤ ≥``), scales ``k m bn`` or words, and any unit
    :func:`~claimcheck.extract.units.normalise_unit` understands. Anything else is tried as
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
        lo *= _SCALES.get(loscale, 1.0)
        if hi is not None:
            hi *= _SCALES.get(hiscale, 1.0)
        unit: str | None
        if m.group("cur"):
            unit = _CURRENCY_SIGNS.get(m.group("cur").lower(), "USD")
        elif unit_text:
            if re.search(r"\d", unit_text) and not _is_unitish(normalise_unit(unit_text) or ""):
                # a digit is part of a unit only in a known unit name ("km2"), never a number
                raise QuantitySyntaxError(f"cannot read the unit {unit_text!r} in {spec!r}")
            name, factor = _unit_name(unit_text)
            if name is not None and not _is_unitish(name):
                name = _count_unit(unit_text) if _is_count_noun(unit_text) else name
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
                    value=[_round(lo), _round(hi)],
                    unit=unit,
                    comparator="range",
                    surface=spec.strip(),
                )
            return Quantity(value=_round(lo), unit=unit, comparator=cmp, surface=spec.strip())
        except QuantitySyntaxError:
            raise
        except ValueError as exc:
            raise QuantitySyntaxError(f"invalid quantity {spec!r}: {exc}") from exc
    found = parse_quantities(spec)
    if len(found) == 1:
        return found[0]
    raise QuantitySyntaxError(
        f"cannot read {spec!r} as a quantity (try e.g. '~20 percent', '<2 hour', '10-20 km')"
    )


def _is_unitish(name: str) -> bool:
    from claimcheck.extract.units import is_known_unit

    return is_known_unit(name)
