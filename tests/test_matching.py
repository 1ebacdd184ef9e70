"""The pure claim-matching scorer: paraphrases, numbers, names, polarity, thresholds."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.core.claim_text import entities, normalize
from claimcheck.core.matching import (
    HIGH,
    LOW,
    features,
    match_texts,
    score,
)
from tests.conftest import FIXTURES


def test_identical_and_reworded_claims_are_the_same() -> None:
    text = "Russia launched 273 drones at Ukraine overnight, the largest attack of the war."
    assert match_texts(text, text).score == 1.0
    assert match_texts(text, text).label == "same"
    repeat = match_texts(
        text, "Overnight Russia launched 273 drones at Ukraine - the largest attack"
    )
    assert repeat.label == "same"
    para = match_texts(
        "Gas prices in Europe have doubled since January.",
        "Since January, European gas prices have doubled.",
    )
    assert para.label == "same"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Russia still occupies about 20 percent of Ukraine.",
            "Russia still occupies about 27 percent of Ukraine.",
        ),
        (
            "Our government created 800,000 new jobs last year.",
            "Our government created 80,000 new jobs last year.",
        ),
        (
            "The European Union has provided more than 50 billion euros in aid to Ukraine.",
            "The European Union has provided more than 150 billion euros in aid to Ukraine.",
        ),
        (
            "The United States has sent Ukraine 31 Abrams tanks.",
            "The United States has sent Ukraine 60 Abrams tanks.",
        ),
        (
            "The front line is more than 1,000 kilometres long.",
            "The front line is less than 1,000 kilometres long.",
        ),
        ("Russia annexed Crimea in 2014.", "Russia annexed Crimea in 2015."),
        ("The strike lasted 45 minutes.", "The strike lasted 3 hours."),
    ],
)
def test_different_numbers_are_never_the_same_claim(a: str, b: str) -> None:
    result = match_texts(a, b)
    assert result.text_similarity > 0.65  # much the same words ...
    assert result.label == "none"  # ... but not the same claim, and not even a suggestion
    assert result.blocked and result.score < LOW
    assert any("differ" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Moscow has lost more than 3,000 tanks since 2022.",
            "Moscow has lost over 3,000 tanks since 2022.",
        ),
        (
            "Russia still occupies about 20 percent of Ukraine.",
            "Russia still occupies 19.8% of Ukraine.",
        ),
        (
            "The talks lasted 90 minutes in total, officials said.",
            "The talks lasted 1.5 hours in total.",
        ),
        ("Net migration fell to 431,000 last year.", "Last year net migration dropped to 431,000."),
    ],
)
def test_equal_numbers_in_other_words_or_units_agree(a: str, b: str) -> None:
    result = match_texts(a, b)
    assert not result.blocked, result.reasons
    assert result.score >= LOW


def test_numbers_reason_names_both_values() -> None:
    result = match_texts(
        "Russia still occupies about 20 percent of Ukraine.",
        "Russia still occupies about 27 percent of Ukraine.",
    )
    assert "numbers differ (~20 % vs ~27 %)" in result.reasons


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Germany will spend 2 percent of its GDP on defence this year.",
            "France will spend 2 percent of its GDP on defence this year.",
        ),
        (
            "At least 12 civilians were killed in the strike on Kharkiv.",
            "At least 12 civilians were killed in the strike on Dnipro.",
        ),
        (
            "Poland said it had taken in 1.5 million refugees.",
            "Germany said it had taken in 1.5 million refugees.",
        ),
    ],
)
def test_same_words_about_another_actor_are_not_the_same(a: str, b: str) -> None:
    result = match_texts(a, b)
    assert result.label != "same"
    assert result.blocked
    assert any("different names" in r for r in result.reasons)


def test_attribution_is_not_part_of_the_claim() -> None:
    for a, b in [
        (
            "The Kremlin said the meeting lasted more than three hours.",
            "The White House said the meeting lasted more than three hours.",
        ),
        (
            "The strike left 200,000 homes without power.",
            "The strike left 200,000 homes without power, the energy ministry said.",
        ),
        (
            "Iran has enriched uranium to 60 percent purity.",
            "According to the International Atomic Energy Agency, Iran has enriched uranium to 60% purity.",
        ),
    ]:
        assert match_texts(a, b).label == "same", (a, b)
    # ... unless the claim refers back to its speaker
    speaker_bound = match_texts(
        "Russia said it shot down 41 Ukrainian drones overnight.",
        "Ukraine said it shot down 41 Russian drones overnight.",
    )
    assert speaker_bound.label == "none" and speaker_bound.blocked


def test_swapped_roles_are_not_the_same_but_passive_voice_is_fine() -> None:
    swapped = match_texts(
        "Russia launched 273 drones at Ukraine overnight.",
        "Ukraine launched 273 drones at Russia overnight.",
    )
    assert swapped.blocked and "exchanged roles" in swapped.reasons[0]
    passive = match_texts(
        "Russia still occupies about 20 percent of Ukraine.",
        "About 20% of Ukraine's territory is still occupied by Russia.",
    )
    assert not passive.blocked
    assert passive.label in ("same", "suggestion")


def test_acronyms_match_their_words() -> None:
    result = match_texts(
        "The European Union has provided more than 50 billion euros in aid to Ukraine.",
        "The EU has provided more than 50 billion euros of aid to Ukraine.",
    )
    assert not result.blocked
    assert result.label in ("same", "suggestion")


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (
            "Germany will spend 2 percent of its GDP on defence.",
            "Germany will not spend 2 percent of its GDP on defence.",
            "negated",
        ),
        (
            "Iran has enriched uranium to 60 percent purity.",
            "Iran has never enriched uranium to 60 percent purity.",
            "negated",
        ),
        (
            "Crime in the capital has dropped by 15 percent since 2020.",
            "Crime in the capital has risen by 15 percent since 2020.",
            "opposite",
        ),
        (
            "Gas prices in Europe have doubled since January.",
            "Gas prices in Europe have halved since January.",
            "opposite",
        ),
    ],
)
def test_opposite_polarity_is_not_the_same(a: str, b: str, reason: str) -> None:
    result = match_texts(a, b)
    assert result.blocked and result.label == "none"
    assert any(reason in r for r in result.reasons)


def test_short_texts_are_only_ever_suggestions() -> None:
    result = match_texts("NATO has 32 members.", "NATO has 32 members.")
    assert result.score == 1.0
    assert result.label == "suggestion"
    assert "too short to be sure" in result.reasons


def test_thresholds_decide_the_label() -> None:
    a = features("Wheat exports through the Black Sea corridor reached 4 million tonnes in March.")
    b = features("In March, wheat exports via the Black Sea corridor hit 4 million tonnes.")
    value = score(a, b).score
    assert LOW < value < 0.99
    assert score(a, b, high=value, low=0.1).label == "same"
    assert score(a, b, high=value + 0.01, low=value).label == "suggestion"
    assert score(a, b, high=0.99, low=value + 0.01).label == "none"


def test_stored_quantities_are_used_instead_of_parsing() -> None:
    stored = [{"value": 20.0, "unit": "percent", "comparator": "~", "surface": "a fifth"}]
    a = features("Russia still occupies a fifth of Ukraine's territory.", stored)
    b = features("Russia still occupies about 27 percent of Ukraine's territory.")
    assert score(a, b).blocked


def test_normalisation_and_entities() -> None:
    assert normalize(
        "“Russia’s” share: 20% (1,000 km)"
    ) == '"russia" share 20 percent 1000 km'.replace('"', "")
    assert entities("Ukrainian President Volodymyr Zelensky met NATO chief in Kyiv.") == (
        "ukrainian",
        "volodymyr",
        "zelensky",
        "nato",
        "kyiv",
    )
    assert entities("The army said on Monday it had advanced.") == ()


def test_fixture_pairs_meet_the_quality_bar() -> None:
    """A regression guard on the labelled set (the full figures are in benchmarks/)."""
    lines = (FIXTURES / "claim_pairs.jsonl").read_text(encoding="utf-8").splitlines()
    pairs = [json.loads(line) for line in lines]
    assert len(pairs) >= 150
    tp = fp = fn = 0
    for p in pairs:
        predicted = match_texts(p["a"], p["b"]).label == "same"
        gold = p["label"] == "same"
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.85


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_arbitrary_text_never_raises_and_stays_in_range(a: str, b: str) -> None:
    result = match_texts(a, b)
    assert 0.0 <= result.score <= 1.0
    assert result.label in ("same", "suggestion", "none")
    if result.label == "same":
        assert result.score >= HIGH and not result.blocked


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Russia", "troops", "occupied", "villages", "near", "Kharkiv", "river", "border", "42"]
        ),
        min_size=4,
        max_size=12,
    )
)
def test_a_text_is_the_same_claim_as_itself(words: list[str]) -> None:
    text = " ".join(words)
    result = match_texts(text, text)
    assert result.score == 1.0
    assert not result.blocked
