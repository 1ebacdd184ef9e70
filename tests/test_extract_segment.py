"""Sentence segmentation on news text, and the offsets invariant."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.extract.segment import segment, segment_lines


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in segment(text)]


def test_abbreviations_do_not_split() -> None:
    text = (
        "The U.S. delegation was led by Gen. Keith Kellogg. It met on Feb. 12 with "
        "Dr. Ada Lane of No. 3 Squadron. John F. Kennedy spoke at 9 a.m. on Monday."
    )
    assert sentences(text) == [
        "The U.S. delegation was led by Gen. Keith Kellogg.",
        "It met on Feb. 12 with Dr. Ada Lane of No. 3 Squadron.",
        "John F. Kennedy spoke at 9 a.m. on Monday.",
    ]


def test_abbreviation_at_sentence_end() -> None:
    text = "Prices rose in the U.S. The euro zone saw a fall."
    assert sentences(text) == ["Prices rose in the U.S.", "The euro zone saw a fall."]


def test_quotes_spanning_sentences_and_curly_quotes() -> None:
    text = "“Pressure works. We need to keep it up,” he said. “We will.” She left."
    assert sentences(text) == [
        "“Pressure works.",
        "We need to keep it up,” he said.",
        "“We will.”",
        "She left.",
    ]


def test_dateline_and_byline() -> None:
    text = (
        "Talks end without deal\n\nBy Ann Writer\n\n"
        "KYIV, May 16, 2025 (Claimcheck Wire) — Officials met on Friday. Nothing was agreed."
    )
    assert sentences(text) == [
        "Talks end without deal",
        "By Ann Writer",
        "Officials met on Friday.",
        "Nothing was agreed.",
    ]


def test_dashes_and_questions() -> None:
    text = "The step — to stop the killing — was refused. Will they meet again? Nobody knows!"
    assert sentences(text) == [
        "The step — to stop the killing — was refused.",
        "Will they meet again?",
        "Nobody knows!",
    ]


def test_decimals_and_parentheses() -> None:
    text = "Inflation was 2.3 percent (down from 2.4 percent. Really.) in April. Next one."
    assert sentences(text) == [
        "Inflation was 2.3 percent (down from 2.4 percent. Really.) in April.",
        "Next one.",
    ]


def test_one_per_line() -> None:
    text = "first line\n\n  second line  \r\nthird"
    assert [text[s:e] for s, e in segment_lines(text)] == ["first line", "second line", "third"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_offsets_property(text: str) -> None:
    previous_end = 0
    for start, end in segment(text):
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        previous_end = end
    for start, end in segment_lines(text):
        assert 0 <= start < end <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "U.S.",
                "Gen.",
                "No. 3",
                "said.",
                "“Yes.",
                "No,”",
                "he",
                "The",
                "—",
                "\n\n",
                "\n",
                "KYIV, May 1 (Wire) —",
                "?",
                "a.m.",
                "(",
                ")",
                "Mr.",
                "2.5",
                "By Ann",
            ]
        ),
        max_size=30,
    )
)
def test_news_soup_offsets(words: list[str]) -> None:
    text = " ".join(words)
    for start, end in segment(text):
        assert text[start:end].strip() == text[start:end]
