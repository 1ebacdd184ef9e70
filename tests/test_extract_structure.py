"""Round six's structural hand features (docs/extraction.md, "Round six"): measured, not
shipped. Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from claimcheck.extract.features import HAND_FEATURE_LABELS, hand_features, structure_features
from claimcheck.extract.scoring import _HAND_REASONS, REASONS, Model, load_model

STRUCTURAL = (
    "h:quoted_figure",
    "h:quoted_opinion",
    "h:quoted_fact",
    "h:reports_fact",
    "h:reports_judgement",
    "h:calls_good_or_bad",
    "h:private_person",
    "h:public_actor",
    "h:actor_did",
    "h:actor_said",
    "h:sets_scene",
)


@pytest.mark.parametrize(
    ("sentence", "feature"),
    [
        # the figure sits inside the quotation
        ('"We hired 40 new nurses in March," the hospital director said.', "h:quoted_figure"),
        # the quotation speaks as I or we, or judges
        ('"I am proud of this team," the coach told the crowd.', "h:quoted_opinion"),
        ('"That plan is a disgrace," the councillor said.', "h:quoted_opinion"),
        # the quotation states an event, without I, we or a judgement
        ('"The board approved the merger on Friday," a spokesman said.', "h:quoted_fact"),
        # what the reporting verb governs: an event or a figure ...
        ("The minister said that the ferry service was cut by 30 percent.", "h:reports_fact"),
        ("According to the audit, the agency spent $4 million on travel.", "h:reports_fact"),
        # ... or a judgement or a feeling
        ("The mayor said the new stadium design was terrible.", "h:reports_judgement"),
        # a copula with an evaluative word
        ("The proposal is simply dangerous for small farms.", "h:calls_good_or_bad"),
        # an ordinary member of the public: an age in apposition, or a voter or resident
        ("Okafor, 52, has lived on the same street since childhood.", "h:private_person"),
        ("One local resident drove three hours to see the parade.", "h:private_person"),
        # a titled public figure opens the sentence
        ("Gov. Maria Lindqvist signed the water bill into law.", "h:public_actor"),
        # who did what, against who said or thinks what, at the start of the sentence
        ("The Harbour Commission approved the new pier on Tuesday.", "h:actor_did"),
        ("Senator Ada Brook argued the tax would hurt renters.", "h:actor_said"),
        # a scene set before any fact
        ("As the festival opened in the rain, it was hard to find a dry seat.", "h:sets_scene"),
    ],
)
def test_each_structural_feature_fires_on_its_case(sentence: str, feature: str) -> None:
    assert feature in structure_features(sentence)


@pytest.mark.parametrize(
    ("sentence", "feature"),
    [
        # a figure outside any quotation is not a quoted figure
        ("The ferry carried 300 passengers last week.", "h:quoted_figure"),
        # a reported figure is a reported fact, not a reported judgement
        ("The minister said the budget grew by 2 percent.", "h:reports_judgement"),
        # a deed is not a statement
        ("The Harbour Commission approved the new pier on Tuesday.", "h:actor_said"),
        # a named official is not a private person
        ("Gov. Maria Lindqvist signed the water bill into law.", "h:private_person"),
        # a plain statement of fact sets no scene
        ("The bridge reopened to traffic on Monday.", "h:sets_scene"),
    ],
)
def test_structural_features_stay_quiet_where_they_should(sentence: str, feature: str) -> None:
    assert feature not in structure_features(sentence)


def test_structural_features_are_off_unless_asked_for() -> None:
    sentence = '"We hired 40 new nurses in March," the hospital director said.'
    assert not set(STRUCTURAL) & set(hand_features(sentence))
    assert "h:quoted_figure" in hand_features(sentence, structure=True)
    assert load_model().structure is False  # the shipped model does not use them


def test_each_structural_feature_has_a_label_and_a_readable_reason() -> None:
    for feature in STRUCTURAL:
        assert feature in HAND_FEATURE_LABELS
        assert _HAND_REASONS[feature] in REASONS
        assert "h:" not in _HAND_REASONS[feature]


def test_a_model_fitted_with_them_computes_them_and_explains_them() -> None:
    model = Model(
        {
            "format": "claimcheck-checkworthiness/2",
            "bias": 0.0,
            "weights": {},
            "article": {"bias": 0.0, "weights": {"h:private_person": -1.0}, "structure": True},
        }
    )
    assert model.structure
    scored = model.score("Okafor, 52, has lived on the same street since childhood.", article=True)
    assert scored.score < 0.5
    assert scored.contributions[0] == ("about a private person, not a public figure", -1.0)
