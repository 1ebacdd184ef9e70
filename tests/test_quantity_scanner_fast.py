"""The scanner's shortcuts (prefilters, a windowed left context, a trie of number words) change
no result: each is checked against the plain form it replaced, on generated text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.core.quantities import lexicon, scanner
from claimcheck.core.quantities.scanner import find_quantities
from claimcheck.core.quantities.words import (
    fold,
    has_fraction_word,
    last_word,
    looks_like_label,
    looks_like_label_by_pattern,
    mask,
)

# pieces that exercise every finder and every mask, plus look-alike letters that IGNORECASE folds
# onto ASCII (long s, Kelvin sign, dotless i) and punctuation that borders words
PIECES = st.sampled_from(
    [
        "about",
        "at least",
        "less than",
        "no fewer than",
        "up to",
        "approx.",
        "c.",
        "ca.",
        "well over",
        "just shy of",
        "upwards of",
        "between",
        "from",
        "aged",
        "Mr. Lee,",
        "the",
        "two",
        "Twenty-two",
        "a dozen",
        "one",
        "often",
        "someone",
        "half",
        "a third",
        "twice",
        "an hour",
        "a year",
        "decades",
        "million",
        "5",
        "1,200",
        "3.5",
        ".5",
        "2014",
        "$",
        "€",
        "US$",
        "percent",
        "%",
        "people",
        "soldiers",
        "and",
        "to",
        "-",
        "(",
        ")",
        ",",
        ".",
        "May",
        "June 3",
        "12:30",
        "p.m.",
        "F-16",
        "No. 4",
        "S&P 500",
        "1/2",
        "http://x.example/7",
        "a@b.example",
        *("fourteen", "Ninety", "thirtieth", "fıfteen", "TWİCE", "an hour", "a  decade", "secs"),
        *("or more", "or so", "-odd", "odd", "plus", "and over", "+", "doubled", "trıpled"),
        *("in", "1 in", "one in", "ONE", "a year", "per", "times", "as many"),
        *("crore", "lakh", "lakh crore", "Rs", "Rs.", "USD", "EUR", "GBP", "₹", "/"),
        *("°C", "°", " °F", "C", "F", "degrees", "Celsius", "minus", "-", "−", "′", "°N", "+"),
        "17th",
        "ſome",
        "\u212aelvin",
        "wıthin",
        "abouts",
        "xabout",
        "  ",
        "\n",
    ]
)
TEXTS = st.lists(PIECES, max_size=14).map(" ".join)


def _reference_left_comparator(left: str) -> tuple[str, int] | None:
    for pattern, comp in lexicon.LEFT_COMPARATORS:
        cm = pattern.search(left)
        if cm:
            return comp, cm.start()
    return None


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_last_word_gate_keeps_every_comparator(left: str) -> None:
    left += " "
    assert scanner._left_comparator(left, len(left)) == _reference_left_comparator(left)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_masks_skipped_only_where_they_cannot_match(text: str) -> None:
    chars = list(text)
    for pattern in lexicon.MASK_RES:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i].isdigit():
                    chars[i] = "#"
    assert mask(text) == "".join(chars)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_text_failing_the_prefilter_has_nothing_to_find(text: str) -> None:
    folded = fold(text)
    if (
        lexicon.HAS_DIGIT_RE.search(text) is None
        and not any(word in folded for word in lexicon.CANDIDATE_WORDS)
        and lexicon.ARTICLE_TIME_RE.search(text) is None
    ):
        masked = mask(text)
        assert lexicon.NUMBER_RE.search(masked) is None
        assert lexicon.FRACTION_RE.search(masked) is None
        assert scanner._TWICE_RE.search(masked) is None
        assert scanner._ARTICLE_UNIT_RE.search(masked) is None
        assert find_quantities(text) == []
    if not has_fraction_word(text):
        assert lexicon.FRACTION_RE.search(text) is None
    if "twice" not in folded:
        assert scanner._TWICE_RE.search(text) is None
    if lexicon.ARTICLE_TIME_RE.search(text) is None:
        assert scanner._ARTICLE_UNIT_RE.search(text) is None
    if "one" not in fold(text) and "1" not in text:
        assert scanner._ONE_IN_RE.search(text) is None
    if not any(verb in fold(text) for verb in scanner._MULTIPLIER_VERBS):
        assert scanner._MULTIPLIER_VERB_RE.search(text) is None


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_right_comparator_gate_keeps_every_comparator(text: str) -> None:
    for pos in range(len(text) + 1):
        if any(pattern.match(text, pos) for pattern, _ in lexicon.RIGHT_COMPARATORS):
            assert lexicon.RIGHT_COMPARATOR_START_RE.match(text, pos)


def _plain_number_re() -> re.Pattern[str]:
    """NUMBER_RE as first written: number words as one alternation, longest first, and no
    lookahead."""
    numword = "|".join(sorted([*lexicon.SMALL, *lexicon.TENS], key=len, reverse=True))
    abbreviations = lexicon.SCALE_ABBREVIATIONS
    words = (
        rf"(?:(?:{numword})(?:[\s-]+(?:and\s+)?(?:{numword}|hundred|{lexicon._SCALEWORD}))*"
        rf"(?:[\s-]+(?:hundred|dozen))?"
        rf"|a\s+(?:hundred|thousand|million|billion|dozen)|dozen)"
    )
    return re.compile(
        rf"(?P<cur>(?:US\$|\$|€|£|₽|₴|¥|₹)\s?)?"
        rf"(?P<num>(?<![\w.,])(?:{lexicon._DIGITS})(?![\d])(?![.,]\d)|(?<![\w-])(?:{words})(?![\w]))"
        rf"(?P<half>\s+and\s+a\s+half)?"
        rf"(?P<scale>(?:\s+|-)?(?:{lexicon._SCALEWORD}|{lexicon.INDIAN_SCALES})(?![\w])"
        rf"|(?:(?:{abbreviations})|(?-i:\s(?:{abbreviations}))|[kmb])(?![\w]))?",
        re.IGNORECASE,
    )


PLAIN_NUMBER_RE = _plain_number_re()


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_number_pattern_finds_what_the_plain_one_finds(text: str) -> None:
    fast = [m.groupdict() | {"span": m.span()} for m in lexicon.NUMBER_RE.finditer(text)]
    plain = [m.groupdict() | {"span": m.span()} for m in PLAIN_NUMBER_RE.finditer(text)]
    assert fast == plain


def test_far_left_context_keeps_its_offsets() -> None:
    # the left context is read in a window; spans are still offsets into the whole text
    text = "word " * 80 + "the rate was between 20 and 25 percent, up from about 3 percent"
    spans = find_quantities(text)
    assert [text[s.start : s.end] for s in spans] == [
        "between 20 and 25 percent",
        "about 3 percent",
    ]
    assert [s.quantity.comparator for s in spans] == ["range", "~"]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_label_reading_by_tokens_equals_the_pattern(left: str) -> None:
    for text in (left, left + " ", left + "  \n"):
        assert looks_like_label(text) == looks_like_label_by_pattern(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_determiner_gate_keeps_every_determiner(left: str) -> None:
    left += " "
    if lexicon.DETERMINER_RE.search(left):
        assert last_word(left) in lexicon.DETERMINER_LAST_WORDS


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_quantities_built_unvalidated_are_valid(text: str) -> None:
    from claimcheck.core.quantities.model import Quantity

    for span in find_quantities(text):
        q = span.quantity
        again = Quantity(**q.model_dump(exclude={"tolerance"}))  # as the scanner built it before
        assert again == q
        assert again.model_fields_set == q.model_fields_set
        assert type(q.value) is type(again.value)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_quantity_dicts_are_the_models_dumped(text: str) -> None:
    from claimcheck.core.quantities.scanner import parse_quantities, quantity_dicts

    dumped = [q.model_dump(mode="json", exclude_none=True) for q in parse_quantities(text)]
    got = quantity_dicts(text)
    assert got == dumped
    assert [list(d) for d in got] == [list(d) for d in dumped]  # the same keys, in order


def test_quantity_dicts_of_a_range_and_of_a_plain_count() -> None:
    from claimcheck.core.quantities.scanner import quantity_dicts

    assert quantity_dicts("between 3 and 5 percent of 40 drones") == [
        {
            "value": [3.0, 5.0],
            "unit": "percent",
            "comparator": "range",
            "surface": "between 3 and 5 percent",
        },
        {"value": 40.0, "unit": "drone", "comparator": "=", "surface": "40 drones"},
    ]


def _top_level_alternatives(pattern: str) -> list[str]:
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def test_every_unit_starts_with_a_letter() -> None:
    """What makes the unit gate exact: a unit is a letter (or "%") after the lead-in."""
    units = _top_level_alternatives(lexicon.MEASURE_UNITS)
    assert len(units) > 20
    assert all(unit[:1].isascii() and unit[:1].isalpha() for unit in units), units
    assert lexicon.UNIT_RE.pattern.startswith(r"(?:\s*|\s*-\s*|-)(?P<unit>%|")
    assert lexicon.UNIT_AFTER_ADJ_RE.pattern.startswith(r"\s+")
    assert "(?P<adj>[a-z]" in lexicon.UNIT_AFTER_ADJ_RE.pattern


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_unit_gates_skip_only_where_the_unit_patterns_cannot_match(text: str) -> None:
    for i in range(len(text) + 1):
        after = text[i:]
        unit_may, adjective_may = scanner._unit_gates(after)
        if not unit_may:
            assert lexicon.UNIT_RE.match(after) is None
        if not adjective_may:
            assert lexicon.UNIT_AFTER_ADJ_RE.match(after) is None


@given(st.lists(st.sampled_from([" ", "\t", "-", "–", "to", "and", "or", "x"]), max_size=6))
def test_a_range_gap_is_a_between_gap(parts: list[str]) -> None:
    """_merge reads the phrases before a number only where _BETWEEN_GAP_RE (or the "or" gap)
    fits the gap, which holds wherever _RANGE_GAP_RE does."""
    gap = "".join(parts)
    if scanner._RANGE_GAP_RE.fullmatch(gap):
        assert scanner._BETWEEN_GAP_RE.fullmatch(gap)


def test_durations_convert_as_pint_does_and_reading_text_never_loads_pint() -> None:
    import subprocess
    import sys

    from claimcheck.core.quantities.units import DURATION_SECONDS, convert, convert_duration

    for a in DURATION_SECONDS:
        for b in DURATION_SECONDS:
            for value in (1, 2.5, 45):
                want = convert(value, a, b)
                assert want is not None
                assert abs(convert_duration(value, a, b) - want) <= 1e-9 * abs(want)
    code = (
        "import sys\n"
        "from claimcheck.core.quantities.scanner import parse_quantities\n"
        "qs = parse_quantities('it took two years and three months, an hour and 45 minutes')\n"
        "assert [q.value for q in qs] == [27.0, 105.0], qs\n"
        "assert 'pint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_currency_and_temperature_gates_skip_only_where_the_patterns_cannot_match(
    text: str,
) -> None:
    """The cheap tests before the currency codes and the temperatures (round nine) are exact."""
    for pos in range(2, len(text) + 1):
        if lexicon.CURRENCY_CODE_BEFORE_RE.search(text, max(0, pos - 5), pos):
            assert scanner._code_may_end(text, pos)
    for i in range(len(text) + 1):
        after = text[i:]
        if lexicon.CURRENCY_CODE_AFTER_RE.match(after):
            assert after[1:2].isupper()
        if scanner._MINUS_BEFORE_RE.search(text, max(0, i - 8), i) and not _after_plus(text, i):
            assert scanner._sign_before(text, i) is not None
        if scanner._TEMPERATURE_RE.match(after) or scanner._LATITUDE_RE.match(after):
            first = scanner._TEMPERATURE_FIRST
            assert after[:1] in first or after[1:2] in first


def _after_plus(text: str, pos: int) -> bool:
    """Whether the sign before ``pos`` follows a figure or ``plus or`` (no sign, by design)."""
    minus = scanner._MINUS_BEFORE_RE.search(text, max(0, pos - 8), pos)
    assert minus is not None
    before = text[max(0, minus.start() - 12) : minus.start()].rstrip()
    after_number_word = before[-1:].isalpha() and last_word(before + " ") in scanner._NUMBER_WORDS
    return (
        before[-1:].isdigit()
        or before[-1:] in ("%", "#")
        or after_number_word
        or bool(scanner._PLUS_OR_RE.search(before))
    )


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_text_without_a_sign_has_none_for_the_readers(text: str) -> None:
    """The signs are read only in a text with a minus sign or "minus" (round nine): in any
    other, the sign pattern cannot match."""
    if not scanner._has_sign(text, fold(text)):
        for i in range(len(text) + 1):
            assert scanner._MINUS_BEFORE_RE.search(text, max(0, i - 8), i) is None
    for pos in range(2, len(text) + 1):  # the gate _read_number inlines is _code_may_end's
        inlined = (
            (before := text[pos - 1]).isupper()
            or before in scanner._CODE_ENDS
            or (
                (before in (" ", "\t"))
                and ((before := text[pos - 2]).isupper() or before in scanner._CODE_ENDS)
            )
        )
        assert inlined == scanner._code_may_end(text, pos)
