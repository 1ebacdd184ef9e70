"""Claim matching against external fact-checks: the rules added for them (negation counts,
negations and attributions of other languages) and the search over the fact-checks' own index
(every language tokenised alike, CJK as character pairs). Both backends for the database half."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claimcheck.core.factchecks import FactCheckIn
from claimcheck.core.matching import match_texts, strip_attribution
from claimcheck.db import Database, resolve_url
from claimcheck.services.factchecks import matching, store
from claimcheck.services.factchecks.reading import Record
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The health minister did not resign after the vote of no confidence",
            "The health minister resigned after a vote of no confidence",
        ),
        (
            "Le vaccin contre la rougeole ne provoque pas l'autisme chez les enfants",
            "Le vaccin contre la rougeole provoque l'autisme chez les enfants",
        ),
        (
            "Der Strompreis hat sich in Deutschland seit Januar nicht verdreifacht",
            "Der Strompreis hat sich in Deutschland seit Januar verdreifacht",
        ),
        (
            "A vacina da dengue não altera o DNA de quem a recebe",
            "A vacina da dengue altera o DNA de quem a recebe",
        ),
        (
            "Electric cars catch fire far less often than petrol cars",
            "Electric cars catch fire far more often than petrol cars",
        ),
    ],
)
def test_negations_and_directions_in_several_languages_block_same(a: str, b: str) -> None:
    result = match_texts(a, b)
    assert result.blocked and result.label == "none", result


def test_the_same_negations_still_match() -> None:
    result = match_texts(
        "The minister did not resign after the vote of no confidence, officials said",
        "The minister did not resign after the vote of no confidence",
    )
    assert result.label == "same"


@pytest.mark.parametrize(
    ("text", "core"),
    [
        (
            "Según un mensaje viral, el agua del grifo contiene litio",
            "El agua del grifo contiene litio",
        ),
        (
            "Selon un internaute, le pont s'est effondré hier soir",
            "Le pont s'est effondré hier soir",
        ),
        ("According to the union, fares went up by half", "Fares went up by half"),
    ],
)
def test_attribution_in_other_languages_is_stripped(text: str, core: str) -> None:
    assert strip_attribution(text) == core


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Wind turbines kill birds", "wind turbin kill bird"),
        ("喝熱水可以殺死病毒", "喝熱 熱水 水可 可以 以殺 殺死 死病 病毒"),
        ("El agua del grifo", "el agua del grifo"),
    ],
)
def test_index_terms(text: str, terms: str) -> None:
    assert store.terms(text) == terms


def _records(items: list[tuple[str, str | None, str]], start: int = 0) -> list[Record]:
    return [
        Record(
            f"t{n}",
            review=FactCheckIn(
                publisher="P",
                review_url=f"https://p.example.org/{n}",
                language=lang,
                claim_text=text,
                rating_label=label,
            ),
        )
        for n, (text, lang, label) in enumerate(items, start=start)
    ]


def test_find_factchecks_on_both_backends(db_url: str) -> None:
    data = json.loads((FIXTURES / "factcheck_pairs.json").read_text(encoding="utf-8"))
    db = Database(resolve_url(db_url))
    try:
        with db.session() as session:
            result = store.import_records(
                session,
                _records([(f["text"], f["lang"], "False") for f in data["factchecks"]])
                + _records([("喝熱水可以殺死體內的病毒", "zh", "錯誤")], start=1000),
                "ed",
            )
            assert result.imported == len(data["factchecks"]) + 1
            result.close()
        with db.session(write=False) as session:
            hits: dict[str, Any] = {}
            for q in data["queries"]:
                found = matching.find_factchecks(session, q["text"], limit=5)
                hits[q["text"]] = found
            for q in data["queries"]:
                if q["kind"] in ("negation", "number", "opposite"):
                    assert all(m.label != "same" for m in hits[q["text"]]), q
            paraphrases = [q for q in data["queries"] if q["match"]]
            texts = {f["key"]: f["text"] for f in data["factchecks"]}
            first = sum(
                bool(hits[q["text"]]) and hits[q["text"]][0].claim_text == texts[q["match"]]
                for q in paraphrases
            )
            assert first >= len(paraphrases) - 1
            zh = matching.find_factchecks(session, "喝熱水可以殺死病毒")
            assert zh and zh[0].claim_text == "喝熱水可以殺死體內的病毒"
            assert matching.find_factchecks(session, "the of and") == []
    finally:
        db.dispose()


def test_hint_lines() -> None:
    base: dict[str, Any] = {
        "id": 3,
        "publisher": "AFP",
        "review_url": "https://factcheck.example/a",
        "review_date": "2024-03-02",
        "language": "en",
        "claim_text": "x",
        "claimants": [],
        "appearances": [],
        "rating_label": "False",
        "rating_score": 0.0,
        "verdict": "false",
        "text_similarity": 0.9,
        "reasons": [],
    }
    same = matching.FactCheckMatch(**base, score=0.91, label="same")
    maybe = matching.FactCheckMatch(**{**base, "id": 4}, score=0.7, label="suggestion")
    none = matching.FactCheckMatch(**{**base, "id": 5}, score=0.2, label="none")
    assert matching.hint_lines([same, maybe]) == [
        "checked before: AFP, 'False', 2024-03-02, https://factcheck.example/a (fact-check #3)"
    ]
    assert matching.hint_lines([maybe, none]) == [
        "maybe checked before: AFP, 'False', 2024-03-02, https://factcheck.example/a "
        "(fact-check #4, score 0.70)"
    ]
    assert matching.hint_lines([none]) == []


def test_word_counts_follow_imports_and_updates(db_url: str) -> None:
    from collections import Counter

    from sqlalchemy import select

    from claimcheck.models import FactCheck, FactCheckTerm

    db = Database(resolve_url(db_url))
    texts = ["Rail fares rose in June", "Bus fares rose in May", "Rail strikes in June"]
    try:
        with db.session() as session:
            store.import_records(
                session, _records([(t, "en", "False") for t in texts]), "ed"
            ).close()
        with db.session() as session:  # the second text changes: its words move
            changed = _records([("Ferry fares fell in May", "en", "False")], start=1)
            store.import_records(session, changed, "ed").close()
        with db.session(write=False) as session:
            stored = session.execute(select(FactCheck.claim_terms)).scalars().all()
            expected = Counter(t for terms in stored for t in set(terms.split()))
            counts = dict(session.execute(select(FactCheckTerm.term, FactCheckTerm.df)).all())
            assert {t: n for t, n in counts.items() if n} == dict(expected)
            assert counts["bus"] == 0 and counts["rail"] == 2 and counts[store.terms("Ferry")] == 1
    finally:
        db.dispose()
