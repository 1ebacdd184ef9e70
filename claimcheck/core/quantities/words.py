"""Readers of the words around a number: number words, plural nouns and counted nouns, written
units, labels (``Boeing 737``) and the masking of numbers that are not quantities.

Pure functions over strings, used by :mod:`~claimcheck.core.quantities.scanner` (and
:mod:`~claimcheck.core.quantities.spec` for units and counts); the vocabularies they read are in
:mod:`~claimcheck.core.quantities.lexicon`.
"""

from __future__ import annotations

import re

from claimcheck.core.quantities.lexicon import (
    AND_FRACTION_RE,
    AND_FRACTIONS,
    CLAUSE_WORDS,
    COMMON_MASKS,
    COUNT_MODIFIER_RE,
    COUNTING_DETERMINERS,
    FRACTION_WORDS,
    FUNCTION_WORDS,
    HUMAN_NOUNS,
    LABEL_LEFT_RE,
    MASKS,
    MONTHS,
    NOT_NOUNS,
    SCALES,
    SINGULARS,
    SMALL,
    TENS,
    TOKEN_RE,
    rare_marks,
)
from claimcheck.core.quantities.units import normalise_unit


def words_to_number(text: str) -> float | None:
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w and w != "and"]
    if not words:
        return None
    if words[:2] == ["a", "half"]:
        words = words[1:]  # "a half-dozen": half of a dozen, not one and a half
    if words[0] == "a":
        words[0] = "one"
    total = 0.0
    current = 0.0
    seen = False
    after_small = False  # "one-two", "two three": units in a row are no number
    for word in words:
        if word in SMALL:
            if after_small:
                return None
            current += SMALL[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "half":
            current += 0.5
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
        after_small = word in SMALL
    return total + current if seen else None


def parse_number(num: str) -> float | None:
    if num[:1].isdigit() or num[:1] == ".":
        try:
            return float(num.replace(",", ""))
        except ValueError:
            return None
    return words_to_number(num)


def singular(noun: str) -> str:
    """``drones`` → ``drone``, ``cities`` → ``city``, ``buses`` → ``bus``; ``houses`` →
    ``house``, ``prizes`` → ``prize``, ``movies`` → ``movie`` (:data:`SINGULARS` holds the
    irregular ones and those the endings would get wrong)."""
    low = noun.lower()
    known = SINGULARS.get(low)
    if known is not None:
        return known
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith("uses"):  # "bus" and "virus" are listed: other words end in "use"
        return low[:-1]
    if re.search(r"(?:ss|x|ch|sh|zz)es$", low):
        return low[:-2]
    if low.endswith("s") and not low.endswith("ss"):
        return low[:-1]
    return low


def is_count_noun(noun: str) -> bool:
    low = noun.lower()
    if low in HUMAN_NOUNS:
        return True
    if noun[0].isupper():
        return (
            _PEOPLE_NAME_RE.fullmatch(noun) is not None
            or _ACRONYM_PLURAL_RE.fullmatch(noun) is not None
        )
    if low in NOT_NOUNS or len(low) < 4 or low.endswith(("ss", "us", "is", "ous")):
        return False
    return low.endswith("s")


def looks_like_headline(text: str) -> bool:
    """Title case: at least three words of four letters or more, nine in ten of them
    capitalised (``The 7 Moments Nobody Saw Coming``). In a headline a capitalised plural is a
    common noun (``moment``), not a people's name."""
    long_words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    if len(long_words) < 3:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised * 10 >= len(long_words) * 9


_IRREGULAR_HUMAN_PLURALS = frozenset({"people", "children", "men", "women"})
_ETHNONYM_RE = re.compile(r"[A-Z][a-z]+(?:ians|ans|ese|is)")  # "Syrians", "Iraqis"


def count_noun_after(
    after: str, *, scaled: bool = False, headline: bool = False
) -> tuple[str, int] | None:
    """The counted noun right after a number, allowing up to two modifiers before it.

    Any plural noun counts right after the number (``273 drones``) and a human noun after any
    modifier (``35 senior officials``). A non-human noun counts after up to two modifiers in any
    case (``six major American ports``, ``two past elections``, ``10 new campaign offices``,
    ``31 US-made Abrams tanks``, ``12 F-16 jets``, ``31 Leopard 2 tanks``) unless a lower-case
    one is a word that starts a clause instead (:data:`CLAUSE_WORDS`: ``40 say taxes``,
    ``12 were jobs``); up to three capitalised modifiers are read (``20,000 Democratic National
    Committee emails``). ``scaled`` (a scale word before: ``21 million``) is kept for callers.
    In a ``headline`` (:func:`looks_like_headline`) capitalised words are read as if written in
    lower case, but for names of peoples and acronyms (``The 5 Reasons Voters Left`` → reason).
    """
    pos = 0
    all_capitalised = True  # every modifier so far is capitalised (or a model number)
    prev_capitalised = False
    for index in range(4):
        tm = TOKEN_RE.match(after, pos)
        if tm is None:
            return None
        if index < 2 and after.startswith((" and ", " or "), tm.end()):
            pair = _ADJECTIVE_PAIR_RE.match(after, pos)
            if pair is not None and _is_adjective_pair(pair.group(1), pair.group(2)):
                # "three current and former employees": two modifiers joined are one
                prev_capitalised, all_capitalised, pos = False, False, pair.end()
                continue
        word = tm.group(1)
        if after[tm.end() : tm.end() + 1] in ("’", "'"):
            # a possessive plural still counts: "40 workers’ pay", "1.5 billion people's posts"
            low = word.lower()
            possessive = low.endswith("s") or (
                low in _IRREGULAR_HUMAN_PLURALS and after[tm.end() + 1 : tm.end() + 2] == "s"
            )
            if possessive and is_count_noun(word):
                return count_unit(word), tm.end()
            return None
        if (
            headline
            and word[0].isupper()
            and not _ETHNONYM_RE.fullmatch(word)
            and not _ACRONYM_PLURAL_RE.fullmatch(word)
        ):
            word = word.lower()
        if word[0].isdigit() or word[0] == "#":
            if not prev_capitalised:
                return None  # a model number only follows a name: "Leopard 2"
            prev_capitalised = False
            pos = tm.end()
            continue
        if is_count_noun(word):
            return count_unit(word), tm.end()
        capitalised = word[0].isupper()
        if not (capitalised or "-" in word or re.fullmatch(r"[a-z]+", word)):
            return None
        low = word.lower()
        if low in FUNCTION_WORDS or low in NOT_NOUNS or (not capitalised and low in CLAUSE_WORDS):
            return None
        all_capitalised = all_capitalised and capitalised
        if index == 3 or (index == 2 and not all_capitalised):
            return None  # a third modifier only in a capitalised name
        prev_capitalised = capitalised
        pos = tm.end()
    return None


_ADJECTIVE_PAIR_RE = re.compile(r"\s+([a-z]{3,})\s+(?:and|or)\s+([a-z]{3,})(?=\s)")


def _is_adjective_pair(first: str, second: str) -> bool:
    """Whether ``first and second`` after a number can be two modifiers of one noun (neither a
    counted noun nor a word that starts a clause)."""
    return not any(
        is_count_noun(word) or word in FUNCTION_WORDS or word in CLAUSE_WORDS or word in NOT_NOUNS
        for word in (first, second)
    )


def counted_after_determiner(left: str, between: str, unit: str | None) -> bool:
    """Whether a number word after a determiner, read with the counted noun ``unit``
    (``between``: the text from the number to the end of the noun), counts it: after
    :data:`COUNTING_DETERMINERS` (``the last nine contests``) or before a modifier in
    :data:`COUNT_MODIFIER_RE` (``the four remaining candidates``); not ``the two sides``."""
    if unit is None:
        return False
    return last_word(left) in COUNTING_DETERMINERS or COUNT_MODIFIER_RE.match(between) is not None


_YEAR_PREPOSITION_RE = re.compile(
    r"\b(?:in|by|since|until|till|after|before|during|through|throughout|(?P<weak>of|as|for))\s+$",
    re.I,
)


def year_before_noun(left: str, between: str) -> bool:
    """Whether digits that look like a year and were read with a counted noun (``between``: the
    text from the number to the end of the noun) are the year: before a name (``In 2022
    European leaders``), before a modifier (``2014 new rules``), after a possessive (``the
    party's 2016 rivals``) or after a preposition of time (``in 2015 voters``; after ``of``,
    ``as``, ``for`` only before a word that is not a human noun: ``the end of 2015 leaves``)."""
    if between[:1].isspace() and between[1:2].isupper():
        return True
    if left.endswith(("’s ", "'s ")):
        return True  # "one of Trump's 2016 rivals": the year of a possessor's noun
    if len(between.split()) > 1:
        return True
    prep = _YEAR_PREPOSITION_RE.search(left)
    if prep is None:
        return False
    # after "of", "as", "for" only before a word that is not a human noun: "the end of 2015
    # leaves", not "a crowd of 1500 people"
    return prep.group("weak") is None or between.split()[-1].lower() not in HUMAN_NOUNS


def and_fraction(after: str) -> tuple[float, int] | None:
    """The fraction added by ``and a half`` (``a quarter``, ``three quarters``) right after a
    unit, and the length of that phrase; ``None`` when there is none."""
    m = AND_FRACTION_RE.match(after)
    if m is None:
        return None
    key = " ".join(m.group("frac").lower().replace("-", " ").split())
    return AND_FRACTIONS[key], m.end()


_PEOPLE_NAME_RE = re.compile(r"[A-Z][a-z]+(?:ians|ans|ese|is|ers)")  # "Ukrainians", "Iraqis"
_ACRONYM_PLURAL_RE = re.compile(r"[A-Z]{2,}s")  # "PACs", "NGOs": counted as what they are


def count_unit(noun: str) -> str:
    """The unit of a counted noun: ``people`` for a human noun or a people's name
    (``Ukrainians``), else the noun in the singular (``drones`` → ``drone``, ``PACs`` →
    ``pac``)."""
    low = noun.lower()
    if low in HUMAN_NOUNS or (noun[0].isupper() and not _ACRONYM_PLURAL_RE.fullmatch(noun)):
        return "people"
    return singular(low)


def unit_name(written: str) -> tuple[str | None, float]:
    """Normalised unit and the factor to apply to the value (decades → years)."""
    low = " ".join(written.lower().split())
    if low in ("decade", "decades"):
        return "year", 10.0
    if low in ("century", "centuries"):
        return "year", 100.0
    if low in ("sq km", "sq.km", "sqkm", "sq. km"):
        return "km2", 1.0
    if low.startswith("square-") or low.startswith("square "):
        low = "square " + low[7:].lstrip(" -")
    elif low.startswith("sq") and low.rstrip(".").endswith("mi"):
        return "mile2", 1.0
    return normalise_unit(low), 1.0


_LABEL_WORD_RE = re.compile(r"[A-Z][A-Za-z&]*")
_LABEL_PREV_END_RE = re.compile(r"[.!?:;\"“”(\[—–-]$")


def looks_like_label(left: str) -> bool:
    """A number right after a capitalised word mid-sentence is a name (``Boeing 737``).

    What :data:`LABEL_LEFT_RE` reads, read by tokens (the pattern backtracks over the whole
    text): the word before the number must be capitalised letters only, and a word must come
    before it that does not end a sentence or open a quotation."""
    stripped = left.rstrip()
    if len(stripped) == len(left):
        return False
    parts = stripped.rsplit(None, 1)
    word = parts[-1] if parts else ""
    if _LABEL_WORD_RE.fullmatch(word) is None:
        return False  # not a capitalised word, or one glued to what precedes it: no word before
    if word.lower() in FUNCTION_WORDS or re.fullmatch(MONTHS, word):
        return False
    if len(parts) < 2:
        return False
    prev = parts[0].rsplit(None, 1)[-1]
    return not _LABEL_PREV_END_RE.search(prev)


def looks_like_label_by_pattern(left: str) -> bool:
    """:func:`looks_like_label` as first written, with :data:`LABEL_LEFT_RE` (kept for tests)."""
    m = LABEL_LEFT_RE.search(left)
    if m is None:
        return False
    word = m.group(2)
    if word.lower() in FUNCTION_WORDS or re.fullmatch(MONTHS, word):
        return False
    prev = m.group(1)
    return prev is not None and not re.search(r"[.!?:;\"“”(\[—–-]$", prev)


def has_fraction_word(text: str) -> bool:
    """Whether ``text`` holds a word :data:`FRACTION_RE` needs (``half``, ``third`` ...), in any
    case (with the letters IGNORECASE folds onto ASCII); folding folded text changes nothing."""
    return any(word in fold(text) for word in FRACTION_WORDS)


def fold(text: str) -> str:
    """``text`` lower-cased with the letters IGNORECASE folds onto ASCII made ASCII: a word in
    it is a substring wherever a case-insensitive pattern of that word could match."""
    return text.translate(_FOLD).lower()


_HAS_DIGIT_RE = re.compile(r"\d")


def mask(text: str) -> str:
    """Replace non-quantity numbers by same-length filler so offsets stay valid."""
    if not _HAS_DIGIT_RE.search(text):
        return text
    chars: list[str] | None = None  # made on the first match: most texts have none
    tested: dict[object, bool] = {}  # a guard shared by several masks is tested once
    masks = MASKS if rare_marks(text) else COMMON_MASKS
    for pattern, needs in masks:
        if needs is not None:
            if needs not in tested:
                tested[needs] = needs(text)
            if not tested[needs]:
                continue
        for m in pattern.finditer(text):
            if chars is None:
                chars = list(text)
            for i in range(m.start(), m.end()):
                if chars[i].isdigit():
                    chars[i] = "#"
    return text if chars is None else "".join(chars)


def round_value(value: float) -> float:
    rounded = round(value, 4)
    return float(int(rounded)) if rounded.is_integer() else rounded


# the letters that IGNORECASE matches to an ASCII letter of another case: long s, Kelvin sign,
# dotless and dotted i (``re`` folds them with one-character case mapping)
_FOLD = str.maketrans({"ſ": "s", "K": "k", "ı": "i", "İ": "i"})


def last_word(left: str) -> str:
    """The word ending ``left`` when white space follows it, lower-cased, with a trailing ``.``
    (``approx.``); ``""`` when ``left`` does not end in white space.

    A phrase pattern such as ``\\babout\\s+$`` (case-insensitive) can match only where this is
    ``"about"``: its last word is preceded by a non-word character, which stops the run of
    letters read here, and followed only by the white space stripped here."""
    if not left or not left[-1].isspace():  # what rstrip() would leave as it is
        return ""
    stripped = left.rstrip()
    end = len(stripped)
    if stripped.endswith("."):
        end -= 1
    start = end
    while start > 0 and stripped[start - 1].isalpha():
        start -= 1
    return stripped[start:].translate(_FOLD).lower()
