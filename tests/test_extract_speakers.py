"""Speaker attribution: verbs, according to, pronouns after quotes, titles, anonymity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.extract.segment import segment
from claimcheck.extract.speakers import attribute, clean_name


def speakers(text: str) -> list[str | None]:
    return attribute(text, segment(text))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prices rose 3 percent, Maria Lopez said.", "Maria Lopez"),
        ("Maria Lopez said prices rose 3 percent.", "Maria Lopez"),
        ("Maria Lopez told reporters that prices rose.", "Maria Lopez"),
        ("Prices rose, according to the Central Statistics Office.", "Central Statistics Office"),
        ("U.S. President Donald Trump said the talks went well.", "Donald Trump"),
        ("Vice President JD Vance stated that it was over.", "JD Vance"),
        ("German Chancellor Friedrich Merz added that more was needed.", "Friedrich Merz"),
        ("Gen. Alexander Syrskyi, the army chief, said attacks rose.", "Alexander Syrskyi"),
        ("Jane Roe, who chairs the panel, claimed costs had doubled.", "Jane Roe"),
        ("Gen. Ann Bolt, the army chief, said Russian forces had advanced.", "Ann Bolt"),
        ("Mr. Tom Hale, 40, said costs doubled, according to the Statistics Office.", "Tom Hale"),
        ("Prices will rise, said Anna Berg, an economist at Nordbank.", "Anna Berg"),
        ("“It is a small step,” said Sinan Ülgen, a former diplomat.", "Sinan Ülgen"),
        ("Prices rose 3 percent, a senior official said.", None),
        ("Analysts said the meeting was symbolic.", None),
        ("The economy grew 2 percent last year.", None),
        ("Deaths rose, according to Western estimates.", None),
        ("Exports fell, Statistics Norway figures show.", "Statistics Norway"),
        (
            "GDP grew 0.1%, the Office for National Statistics said.",
            "Office for National Statistics",
        ),
    ],
)
def test_single_sentence(sentence: str, expected: str | None) -> None:
    assert speakers(sentence) == [expected]


def test_he_said_resolves_to_last_named_speaker() -> None:
    text = (
        "Defence Minister Rustem Umerov told reporters the swap was agreed.\n\n"
        "“Pressure works. We need to keep it up,” he said."
    )
    assert speakers(text) == ["Rustem Umerov", "Rustem Umerov", "Rustem Umerov"]


def test_surname_expands_to_full_name() -> None:
    text = (
        "The talks were hosted by Foreign Minister Hakan Fidan.\n\n"
        "“There are two paths. One leads to peace,” Fidan said."
    )
    assert speakers(text)[1:] == ["Hakan Fidan", "Hakan Fidan"]


def test_quote_continuation_in_same_paragraph() -> None:
    text = "“The deal is done,” Ann Lee said. “Nothing is left to negotiate.”"
    assert speakers(text) == ["Ann Lee", "Ann Lee"]


def test_pronoun_without_antecedent_is_none() -> None:
    assert speakers("“We will win,” he said.") == [None]


def test_clean_name() -> None:
    assert clean_name("U.S. Secretary of State Marco Rubio") == "Marco Rubio"
    assert clean_name("the Turkish Foreign Ministry") == "Turkish Foreign Ministry"
    assert clean_name("a U.S. official") is None
    assert clean_name("regional officials") is None
    assert clean_name("") is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises(text: str) -> None:
    spans = segment(text)
    assert len(attribute(text, spans)) == len(spans)


def test_he_is_a_person_not_an_organisation() -> None:
    text = (
        "Inflation rose, according to the Office for National Statistics.\n\n"
        "Mr. John Smith, 54, has worked at the plant for 30 years. "
        "He said 1,200 workers could lose their jobs."
    )
    assert speakers(text) == ["Office for National Statistics", None, "John Smith"]


def test_quotation_continued_in_next_paragraph() -> None:
    text = (
        'Officials met on Monday.\n\n"We will fight," Anna Berg said. "We will win.\n\n'
        '"Nobody can stop us. Nobody."\n\nThe talks ended.'
    )
    assert speakers(text) == [None, "Anna Berg", "Anna Berg", "Anna Berg", "Anna Berg", None]
