"""The extraction shortcuts taken for speed return exactly what the plain code returns."""

from __future__ import annotations

import re
from re import _constants, _parser  # type: ignore[attr-defined]

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.extract import features
from claimcheck.extract.features import HAND_FEATURE_LABELS, featurize_parts, featurize_with_words
from claimcheck.extract.scoring import BOILERPLATE_CAP, _sigmoid, load_model
from claimcheck.extract.speakers.mentions import _Tok, _tok
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


@given(
    st.text(max_size=8),
    st.integers(0, 500),
    st.integers(0, 500),
    st.booleans(),
    st.booleans(),
)
def test_quick_token_is_the_dataclass_token(
    word: str, start: int, end: int, cap: bool, quoted: bool
) -> None:
    plain = _Tok(word, start, end, word.lower(), cap, quoted)
    quick = _tok(word, start, end, word.lower(), cap, quoted)
    assert quick == plain
    assert hash(quick) == hash(plain)
    assert repr(quick) == repr(plain)
    assert vars(quick) == vars(plain)
    assert list(vars(quick)) == list(vars(plain))


_SENTENCES = [
    "Unemployment fell to 4.1 percent in March, the lowest since 2019, the ministry said.",
    "“We will not give up,” she told supporters in Leeds on Friday.",
    "I think the council should have voted against the plan.",
    "Contact the newsroom at desk@example.org.",
    "Did the mayor really spend $2 million on the new bridge?",
    "",
]


def test_hand_features_are_the_tail_of_the_feature_dict() -> None:
    for sentence in _SENTENCES:
        feats, origin, hand = featurize_parts(sentence)
        assert (feats, origin) == featurize_with_words(sentence)
        assert list(hand.items()) == [(k, v) for k, v in feats.items() if k.startswith("h:")]
        assert list(feats)[len(feats) - len(hand) :] == list(hand)


def test_score_adds_the_weights_in_feature_order() -> None:
    model = load_model()
    for sentence in _SENTENCES:
        for article, lede in ((False, False), (True, False), (True, True)):
            feats, _origin = featurize_with_words(sentence)
            z = model.bias
            for name, value in feats.items():
                if name in model.weights:
                    z += model.weights[name] * value
            if article:
                z += model.article_bias
                for name, value in feats.items():
                    if name.startswith("h:") and name in model.article_weights:
                        z += model.article_weights[name] * value
                if lede:
                    z += model.article_weights.get("n:lede", 0.0)
            scored = model.score(sentence, article=article, lede=lede)
            expected = _sigmoid(z)
            if "h:boilerplate" in feats:
                expected = min(expected, BOILERPLATE_CAP)
            assert scored.score == round(expected, 4)
            assert scored.features == [HAND_FEATURE_LABELS[k] for k in feats if k.startswith("h:")]


# the word patterns that open with a look-ahead on their first letters
_GUARDED = [
    "_COMPARATIVE_RE",
    "_OPINION_RE",
    "_PREDICTION_RE",
    "_ATTRIBUTION_RE",
    "_HEDGE_RE",
    "_DATE_RE",
    "_TIME_ANCHOR_RE",
]
_GUARD_RE = re.compile(r"^\\b\(\?=\[([0-9a-z]+)\]\)")


def _first_characters(items: list[tuple[object, object]]) -> set[str]:
    """The characters a parsed pattern can begin with (literals only: enough for these)."""
    out: set[str] = set()
    for op, av in items:
        if op is _constants.LITERAL:
            assert isinstance(av, int)
            return out | {chr(av)}
        if op is _constants.BRANCH:
            assert isinstance(av, tuple)
            for branch in av[1]:
                out |= _first_characters(list(branch))
            return out
        if op is _constants.SUBPATTERN:
            assert isinstance(av, tuple)
            return out | _first_characters(list(av[3]))
        raise AssertionError(f"unexpected {op} at the start of a word pattern")
    raise AssertionError("a word pattern that can match nothing")


def test_first_letter_guards_cover_every_alternative() -> None:
    for name in _GUARDED:
        pattern = getattr(features, name)
        guard = _GUARD_RE.match(pattern.pattern)
        assert guard is not None, name
        rest = _parser.parse(pattern.pattern[guard.end() :], pattern.flags)
        assert _first_characters(list(rest)) == set(guard.group(1)), name


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "more ",
                "Said ",
                "may",
                " 2019",
                "monday's ",
                "on Friday",
                "I think",
                "x",
                "-",
                "’",
                " ",
                "\n",
                "per cent",
                "In 1999",
                "Jan. 5",
                "unlikely",
                "1",
                "é",
            ]
        ),
        max_size=20,
    ).map("".join)
)
def test_guarded_word_patterns_find_what_the_plain_ones_find(text: str) -> None:
    for name in _GUARDED:
        pattern = getattr(features, name)
        plain = re.compile(_GUARD_RE.sub(r"\\b", pattern.pattern), pattern.flags)
        found, expected = pattern.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span()), name
