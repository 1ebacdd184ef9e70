"""The extraction pipeline: contract, offsets, scoring sanity, input reading, dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.extract import (
    Candidate,
    extract_claims,
    load_model,
    read_input,
    select,
)
from claimcheck.extract.dates import find_dates
from claimcheck.extract.scoring import DEFAULT_THRESHOLD, REASONS, Model

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"
CONTRACT = {"text", "start", "end", "score", "quantities", "speaker", "kind", "existing_claim_id"}


def test_article_contract_and_offsets() -> None:
    doc = read_input(ARTICLES / "istanbul-talks.txt")
    assert doc.kind == "text"
    assert doc.published == dt.date(2025, 5, 16)
    candidates = extract_claims(doc.text, published=doc.published)
    assert len(candidates) > 40
    for cand in candidates:
        data = cand.model_dump(mode="json")
        assert set(data) >= CONTRACT
        assert doc.text[cand.start : cand.end] == cand.text
        assert 0.0 <= cand.score <= 1.0
        for q in data["quantities"]:
            assert {"value", "unit", "comparator", "surface"} <= set(q)
        json.dumps(data)
    first = next(c for c in candidates if "less than two hours" in c.text)
    assert first.score >= 0.5
    assert not first.text.startswith("ISTANBUL")  # the dateline is not part of the claim
    assert [(q.value, q.unit, q.comparator) for q in first.quantities] == [
        (3.0, "year", "="),
        (2.0, "hour", "<"),
    ]
    assert first.resolved_date == dt.date(2025, 5, 16)  # "on Friday"


def test_score_ordering_sanity() -> None:
    model = load_model()
    high = [
        "Unemployment fell to 4.2 percent in April, the lowest rate since 2019.",
        "More than 1.5 million people have been killed or wounded since the invasion began.",
        "The trade deficit widened to a record $140.5 billion in March.",
    ]
    low = [
        "What happens next is anyone's guess.",
        "We should all hope the leaders get this right.",
        "Contact the author: someone@example.com",
        "Will the talks succeed?",
        "I think we can do better than this.",
    ]
    high_scores = [model.score(s).score for s in high]
    low_scores = [model.score(s).score for s in low]
    assert min(high_scores) > max(low_scores)
    assert min(high_scores) >= 0.5 > max(low_scores)


def test_news_ledes_and_concrete_events_rank_above_plain_opinion() -> None:
    # a news lede and event sentences: who did what, when, for how long, with what figure
    events = [
        "The meeting follows a three-hour video call between Chancellor Anna Weber and Prime "
        "Minister Tomas Novak on Thursday.",
        "The two governments did agree to exchange 40 detained fishermen.",
        "Mayor Lena Ortiz signed the transit bill on Tuesday, two weeks after the city council "
        "passed it by nine votes to four.",
        "Police arrested three men after a four-hour standoff outside the central station.",
        "Judge Maria Costa ruled on Friday that the 2023 election law was unconstitutional.",
    ]
    opinions = [
        "Both leaders deserve credit for trying.",
        "Nobody knows where these talks will lead.",
        "It would be a mistake to expect too much from one phone call.",
        "Frankly, this is a sad day for the whole region.",
        "Voters want leaders who listen to them and keep their word.",
    ]
    model = load_model()
    event_scores = [model.score(s).score for s in events]
    opinion_scores = [model.score(s).score for s in opinions]
    assert min(event_scores) > max(opinion_scores), (event_scores, opinion_scores)
    assert min(event_scores) >= DEFAULT_THRESHOLD > max(opinion_scores)


def test_a_long_sentence_is_not_a_claim_for_its_length_alone() -> None:
    model = load_model()
    rambling = (
        "And I have to say that when you look at all of it, the whole thing, the way people "
        "feel about it in their hearts and the way they talk about it with their families and "
        "friends, you really do start to wonder whether any of us will ever get this right."
    )
    figure = "Exports rose 12 percent in May."
    assert model.score(rambling).score < DEFAULT_THRESHOLD <= model.score(figure).score


def test_explain_gives_reasons_not_ngrams() -> None:
    model = load_model()
    sentence = "Governor Ruth Adler signed a $2.1 billion budget on Monday after a 14-hour session."
    lines = Model.explain(model.score(sentence))
    assert lines
    reasons = {}
    for line in lines:
        weight, _, reason = line.partition(" ")
        assert reason in REASONS, line  # no raw word endings or word pairs
        reasons[reason] = float(weight)
    assert reasons.get("contains a figure", 0) > 0
    assert reasons.get("names a person or organisation", 0) > 0
    opinion = Model.explain(model.score("I think we should all hope for the best."))
    assert any(line.startswith("-") and "opinion, belief or hope" in line for line in opinion)


def test_select_threshold_and_top() -> None:
    doc = read_input(ARTICLES / "inflation-report.txt")
    everything = extract_claims(doc.text)
    assert select(everything, min_score=0) == everything
    kept = select(everything, min_score=0.5)
    assert all(c.score >= 0.5 for c in kept)
    assert [c.start for c in kept] == sorted(c.start for c in kept)
    top = select(everything, min_score=0, top=3)
    assert len(top) == 3
    assert [c.score for c in top] == sorted((c.score for c in everything), reverse=True)[:3]


def test_boilerplate_scores_low() -> None:
    text = "Contact the author: a@b.example\n\nCopyright 2025 Wire. All rights reserved."
    assert all(c.score < 0.1 for c in extract_claims(text))


def test_markup_captions_and_section_labels_are_boilerplate() -> None:
    from claimcheck.extract.features import is_boilerplate

    for line in (
        '<tweet id="123" author="@wire">The mayor wore a red hat. pic.twitter.com/abc</tweet>.',
        "— Jo Reporter (@joreporter) March 3, 2024</tweet>.",
        "Governor Ruth Adler speaks at a town hall in Dayton, Ohio on March 3, 2024.",
        "ABSTRACT.",
        "FULL TEXT.",
        "News Analysis.",
        "Contributing: Sam Lee.",
    ):
        assert is_boilerplate(line), line
    for line in (
        "Governor Ruth Adler spoke at a town hall in Dayton on March 3, 2024, and signed the bill.",
        "The abstract of the report says turnout fell 4 percent.",
    ):
        assert not is_boilerplate(line), line


def test_lede_index_skips_headline_and_byline() -> None:
    from claimcheck.extract.features import lede_index
    from claimcheck.extract.segment import segment

    text = (
        "Council votes to close the old bridge\n\nBy Sam Lee\n\n"
        "The city council voted 7 to 2 on Monday to close the old bridge. Repairs will start soon."
    )
    spans = segment(text)
    index = lede_index(text, spans)
    assert index is not None
    assert text[spans[index][0] : spans[index][1]].startswith("The city council voted")
    body = "The council met on Monday. It voted to close the bridge."
    assert lede_index(body, segment(body)) == 0
    assert lede_index("", []) is None


def test_in_an_article_events_rank_above_views_of_named_people() -> None:
    # sentences written for this test: views and feelings of named people against events
    text = (
        "Council closes the old bridge\n\n"
        "The city council voted 7 to 2 on Monday to close the old Harbour Bridge after engineers "
        "found cracks in two of its piers. "
        "Mayor Lena Ortiz said she was frustrated and worried about the delays. "
        "Councillor Tom Brandt called the decision a disgrace. "
        "The state paid $12 million for repairs to the bridge in 2019, according to council "
        "records. "
        "Senator Ann Moll said the city should have acted sooner."
    )
    cands = {c.text.split()[1]: c for c in extract_claims(text)}
    events = [cands["city"].score, cands["state"].score]
    views = [cands["Lena"].score, cands["Tom"].score, cands["Ann"].score]
    assert min(events) > max(views), (events, views)
    model = load_model()
    lede = "Crews closed two lanes of the ring road on Sunday for repairs."
    as_lede = model.score(lede, article=True, lede=True)
    assert as_lede.score > model.score(lede, article=True).score


def test_one_per_line() -> None:
    text = "GDP grew 3 percent in 2024.\nIs this good?\n\nPrices rose 2 percent."
    out = extract_claims(text, one_per_line=True)
    assert [c.text for c in out] == [
        "GDP grew 3 percent in 2024.",
        "Is this good?",
        "Prices rose 2 percent.",
    ]
    assert out[1].kind == "question"


def test_progress_callback() -> None:
    calls: list[tuple[int, int]] = []
    text = "\n".join(f"Sentence {i} rose 5 percent." for i in range(600))
    extract_claims(text, one_per_line=True, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (600, 600)
    assert len(calls) >= 3


def test_html_and_markdown_inputs() -> None:
    html = read_input(ARTICLES / "istanbul-talks.html")
    assert html.kind == "html"
    assert "Most read" not in html.text and "cookies" not in html.text
    assert "less than two hours" in html.text
    md = read_input(ARTICLES / "inflation-report.md")
    assert md.kind == "markdown"
    assert "**" not in md.text and "](" not in md.text
    assert md.title is not None and md.title.startswith("U.S. inflation")
    raw = (ARTICLES / "istanbul-talks.html").read_text(encoding="utf-8")
    assert read_input(raw, is_text=True).kind == "html"


def test_relative_dates() -> None:
    friday = dt.date(2025, 5, 16)
    (monday,) = find_dates("They met on Monday.", friday)
    assert monday.surface == "on Monday" and monday.resolved == dt.date(2025, 5, 12)
    (later,) = find_dates("They will meet on Monday.", friday)
    assert later.resolved == dt.date(2025, 5, 19)
    (today,) = find_dates("It happened earlier in the day.", friday)
    assert today.resolved == friday
    (explicit,) = find_dates("The call on Feb. 12 was long.", friday)
    assert explicit.resolved == dt.date(2025, 2, 12)
    (unresolved,) = find_dates("They met on Monday.")
    assert unresolved.resolved is None


def test_model_loads_and_scores_a_batch() -> None:
    # Its speed is measured in benchmarks/eval_extract.py (docs/benchmarks.md), not timed here.
    load_model.cache_clear()
    model = load_model()
    sentences = [
        "The economy grew 2.5 percent last year, the fastest pace since 2015.",
        "I think we should all be kinder to each other.",
    ] * 250
    scores = list(model.score_many(sentences))
    assert len(scores) == 500 and all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1] and scores[0] == scores[498]


def test_candidate_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError):
        Candidate.model_validate({"text": "x", "start": 0, "end": 1, "score": 0.5, "bogus": 1})


@settings(max_examples=150, deadline=None)
@given(st.text(), st.booleans())
def test_extract_offsets_property(text: str, one_per_line: bool) -> None:
    for cand in extract_claims(text, one_per_line=one_per_line):
        assert text[cand.start : cand.end] == cand.text
        assert 0.0 <= cand.score <= 1.0
