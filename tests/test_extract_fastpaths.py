"""The extraction shortcuts taken for speed return exactly what the plain code returns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.extract.speakers.names import _Registry

# pieces that make titles, names and the words before them, and the characters that end them
_PIECES = [
    "President ",
    "president ",
    "Attorney General ",
    "Sen. ",
    "Gov.",
    "Rep. ",
    "King ",
    "former ",
    "vice-",
    "de ",
    "van ",
    "Mr. ",
    "J. ",
    "Ada ",
    "Lind",
    "O’Hara ",
    "x",
    " ",
    "\t",
    "\n",
    ", ",
    "“",
    "(",
    "7 ",
    "é",
]


def _plain(text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in _Registry._TITLED_RE.finditer(text)]


def _fast(text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in _Registry._titled_matches(text)]


def test_titled_matches_are_the_pattern_s_own() -> None:
    text = (
        "The visiting U.S. Secretary of State Ana Ruiz met Prime Minister Li Wei on Monday.\n\n"
        "Former Attorney General Bo Strand, a critic, and the state's Gov. Cy Dunn spoke; "
        "“President Mia Kohl,” said the acting deputy director Ivo de Vries.\n"
        "No title here, nor a president without a name; king-size beds."
    )
    found = _fast(text)
    assert found == _plain(text)
    names = [groups[1] for _span, groups in found]
    assert "Li Wei" in names
    assert "Mia Kohl" in names
    assert "Ivo de Vries" in names


def test_titled_matches_of_a_text_without_titles() -> None:
    assert _fast("") == []
    assert _fast("Prices rose 3 percent in May, the agency said.") == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_titled_matches_agree_on_any_mix(text: str) -> None:
    assert _fast(text) == _plain(text)
