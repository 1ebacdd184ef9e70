#!/usr/bin/env python3
"""Train the shipped speaker-mention ranker from the PolNeAR attribution corpus.

For every sentence that claimcheck's own segmenter produces, the possible sources
(:func:`claimcheck.extract.speakers.sentence_mentions`) are featurised with
:func:`claimcheck.extract.speakers.mention_features`, the same code the runtime uses, with the
article's counts (:func:`~claimcheck.extract.speakers.document_counts`, ``document_leaders``,
``document_speakers``) computed as the runtime computes them. A mention is
a positive example when it overlaps the annotated source of an attribution whose content overlaps
this sentence more than any other sentence (the way ``benchmarks/eval_attribution.py`` scores).
A logistic regression (scikit-learn, only here) is fitted and written as gzipped JSON (feature →
weight, bias, decision threshold, the cue-word list) to
``claimcheck/extract/data/speakers.json.gz``; the runtime needs neither scikit-learn nor numpy.

Data: ``train.jsonl`` of PolNeAR (Newell, Margolin and Ruths, "An Attribution Relations Corpus for
Political News", LREC 2018), as kept in ``../shared/data/attribution``. Splits, by article id:

* held-out: ``crc32(id) % 10 == 0`` — never used here (``eval_attribution.py --set heldout``);
* validation: ``crc32(id) % 10 == 1`` — chooses ``C`` (unless ``--C`` is given);
* training: the rest. The final model is refitted on training + validation.

The cue-word list is the cue verbs that annotators marked at least five times in the training
articles (words only, no article text). The learnt cue lexicon (``cue_strength``) gives each
word stem marked in a cue at least three times its strength: times in a cue / (occurrences
outside quotations + 2). It is cross-fitted: each article's training rows use the lexicon of all
the other articles, so no row sees its own cue spans; the model ships the full lexicon.

Usage (needs the ``train`` extra: ``pip install -e '.[train]'``)::

    python scripts/train_speakers.py [--data ../shared/data/attribution]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimcheck.extract.segment import segment  # noqa: E402
from claimcheck.extract.speakers import (  # noqa: E402
    _tokens,
    document_counts,
    document_leaders,
    document_speakers,
    headline_split,
    mention_features,
    quote_spans,
    sentence_mentions,
    stem,
)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "attribution"
OUT = ROOT / "claimcheck" / "extract" / "data" / "speakers.json.gz"


def bucket(article_id: str) -> int:
    return zlib.crc32(article_id.encode()) % 10


def cue_words(articles: list[dict[str, Any]], minimum: int = 5) -> list[str]:
    counts: Counter[str] = Counter()
    for a in articles:
        for att in a["attributions"]:
            cue = att.get("cue")
            if not cue:
                continue
            for word in cue["text"].lower().replace(":", " ").split():
                if word.isalpha() and word not in ("to", "that", "the", "a", "of", "in", "on"):
                    counts[word] += 1
    return sorted(w for w, c in counts.items() if c >= minimum)


# a stem enters the learnt cue lexicon when annotators marked it in a cue at least this often,
# and its strength is (times in a cue) / (occurrences outside quotations + _LEXICON_SMOOTHING)
_LEXICON_MIN = 3
_LEXICON_SMOOTHING = 2.0


def cue_counts(article: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """(stem → times inside an annotated cue span, stem → occurrences outside quotations or in a
    cue) for one article, over claimcheck's own tokens."""
    text = article["text"]
    quoted = [(qs, qe) for qs, qe, _ in quote_spans(text)]
    parts = sorted(
        (p["start"], p["end"])
        for att in article["attributions"]
        if att.get("cue")
        for p in (att["cue"].get("parts") or [att["cue"]])
    )
    in_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for tok in _tokens(text, 0, len(text), quoted):
        if not tok.low.isalpha():
            continue
        cue = any(ps <= tok.start and tok.end <= pe for ps, pe in parts)
        if cue or not tok.quoted:
            word = stem(tok.low)
            seen[word] += 1
            if cue:
                in_cue[word] += 1
    return in_cue, seen


def lexicon(in_cue: Counter[str], seen: Counter[str]) -> dict[str, float]:
    return {
        w: round(c / (seen[w] + _LEXICON_SMOOTHING), 3)
        for w, c in in_cue.items()
        if c >= _LEXICON_MIN and c / (seen[w] + _LEXICON_SMOOTHING) >= 0.01
    }


def cross_fitted_lexicons(articles: list[dict[str, Any]]) -> tuple[dict[str, float], list[Any]]:
    """The lexicon of all the articles, and for each article the lexicon of all the *others*
    (so a training row never sees its own article's cue spans)."""
    per = [cue_counts(a) for a in articles]
    in_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for c, o in per:
        in_cue.update(c)
        seen.update(o)
    full = lexicon(in_cue, seen)
    out = []
    for c, o in per:
        own = dict(full)
        for w in set(c) | (set(o) & set(in_cue)):
            cue_n = in_cue[w] - c[w]
            seen_n = seen[w] - o[w]
            value = cue_n / (seen_n + _LEXICON_SMOOTHING)
            if cue_n >= _LEXICON_MIN and value >= 0.01:
                own[w] = round(value, 3)
            else:
                own.pop(w, None)
        out.append(own)
    return full, out


def examples(
    article: dict[str, Any], cues: frozenset[str], strength: dict[str, float] | None = None
) -> list[tuple[list[str], int, int, int]]:
    """(features, label, sentence number, mention number) for every mention of the article."""
    text = article["text"]
    spans = segment(text)
    quoted = [(qs, qe) for qs, qe, _ in quote_spans(text)]
    # a sentence carries an attribution when it holds part of its content (at least a fifth of
    # the sentence, or the content's largest part)
    sources: dict[int, list[tuple[int, int]]] = {}
    for att in article["attributions"]:
        if not att["source"]:
            continue
        parts = [(p["start"], p["end"]) for p in att["content"] if p["end"] > p["start"]]
        overlaps = []
        for k, (s, e) in enumerate(spans):
            o = sum(max(0, min(e, pe) - max(s, ps)) for ps, pe in parts)
            if o > 0:
                overlaps.append((o, k, e - s))
        if not overlaps:
            continue
        top = max(overlaps)[0]
        src = att["source"]
        ranges = [(p["start"], p["end"]) for p in src.get("parts") or [src]]
        for o, k, length in overlaps:
            if o == top or o >= 0.2 * length:
                sources.setdefault(k, []).extend(ranges)
    counts = document_counts(text)
    leaders = document_leaders(counts)
    said = document_speakers(text)
    lower_words = frozenset(re.findall(r"\b[a-z]{3,}\b", text))
    out = []
    for k, (s, e) in enumerate(spans):
        toks = _tokens(text, s, e, quoted)
        mentions = sentence_mentions(toks, headline_split(toks, lower_words, cues, strength))
        targets = sources.get(k, [])
        # only the first mention inside a source is its head: in "Anna Berg, an economist at
        # Nordbank", Nordbank is not the source
        heads = set()
        for ts, te in targets:
            for i, m in enumerate(mentions):
                if m.start < te and ts < m.end:
                    heads.add(i)
                    break
        for i in range(len(mentions)):
            label = int(i in heads)
            feats = mention_features(toks, mentions, i, cues, counts, leaders, said, strength)
            out.append((feats, label, k, i))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.3,
        help="decision threshold of the shipped model (chosen on PolNeAR dev: "
        "benchmarks/eval_attribution.py --threshold)",
    )
    parser.add_argument(
        "--store-threshold",
        type=float,
        default=0.98,
        help="confidence from which extract --add stores a speaker unconfirmed (default 0.98: "
        "the lowest confidence whose speakers are 0.98 precise on PolNeAR dev, confirmed on the "
        "held-out tenth; rerun the store curve of benchmarks/eval_attribution.py after a "
        "retrain and pass the new point, or a negative value for never)",
    )
    parser.add_argument(
        "--name-precision",
        type=float,
        default=None,
        help="the name precision measured by benchmarks/eval_attribution.py, quoted in notes",
    )
    parser.add_argument(
        "--C",
        dest="c",
        type=float,
        default=None,
        help="regularisation strength; default: the best of 0.1, 0.3, 1 and 3 on validation "
        "(the shipped model uses 0.3: 3 scores 0.001 higher F1 there but is less precise on dev)",
    )
    parser.add_argument(
        "--no-lexicon",
        dest="lexicon",
        action="store_false",
        help="train without the cue lexicon learnt from the annotated cue spans",
    )
    args = parser.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    with (args.data / "train.jsonl").open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    articles = [a for a in articles if bucket(a["id"]) != 0]  # the held-out part stays unseen
    cues = frozenset(stem(w) for w in cue_words(articles))
    train_rows: list[tuple[list[str], int, tuple[str, int]]] = []
    val_rows: list[tuple[list[str], int, tuple[str, int]]] = []
    strength, own_lexicons = (
        cross_fitted_lexicons(articles) if args.lexicon else ({}, [None] * len(articles))
    )
    print(f"learnt cue lexicon: {len(strength):,} stems")
    for a, own in zip(articles, own_lexicons, strict=True):
        rows = val_rows if bucket(a["id"]) == 1 else train_rows
        for feats, label, k, _i in examples(a, cues, own):
            rows.append((feats, label, (a["id"], k)))
    print(f"{len(train_rows):,} training mentions, {len(val_rows):,} validation mentions")

    def matrix(rows: list[tuple[list[str], int, tuple[str, int]]], vec: Any, fit: bool) -> Any:
        dicts = [dict.fromkeys(feats, 1) for feats, _, _ in rows]
        return vec.fit_transform(dicts) if fit else vec.transform(dicts)

    def sentence_precision(
        rows: list[tuple[list[str], int, tuple[str, int]]], probs: list[float]
    ) -> list[tuple[float, int]]:
        """Per sentence: the best mention's probability and whether it is a source."""
        best: dict[tuple[str, int], tuple[float, int]] = {}
        for (_f, label, key), p in zip(rows, probs, strict=True):
            if key not in best or p > best[key][0]:
                best[key] = (p, label)
        return list(best.values())

    best_c, best_f = 1.0, -1.0
    for c in (0.1, 0.3, 1.0, 3.0) if args.c is None else (args.c,):
        vec = DictVectorizer()
        x = matrix(train_rows, vec, True)
        y = [label for _, label, _ in train_rows]
        clf = LogisticRegression(C=c, max_iter=2000)
        clf.fit(x, y)
        probs = clf.predict_proba(matrix(val_rows, vec, False))[:, 1].tolist()
        pairs = sentence_precision(val_rows, probs)
        positives = sum(1 for _, label in pairs if label)
        chosen = [label for p, label in pairs if p >= 0.5]
        precision = sum(chosen) / len(chosen) if chosen else 0.0
        recall = sum(chosen) / positives if positives else 0.0
        f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"C={c}: sentence-level precision {precision:.3f} recall {recall:.3f} F1 {f:.3f}")
        if f > best_f:
            best_c, best_f = c, f
    rows = train_rows + val_rows
    counts: Counter[str] = Counter(f for feats, _, _ in rows for f in set(feats))
    rows = [([f for f in feats if counts[f] >= 3], label, key) for feats, label, key in rows]
    vec = DictVectorizer()
    x = matrix(rows, vec, True)
    clf = LogisticRegression(C=best_c, max_iter=3000)
    clf.fit(x, [label for _, label, _ in rows])
    weights = {
        name: round(float(w), 4)
        for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) >= 0.01
    }
    payload = {
        "format": "claimcheck-speakers/1",
        "bias": round(float(clf.intercept_[0]), 4),
        "threshold": args.threshold,
        "store_threshold": args.store_threshold if args.store_threshold >= 0 else None,
        "cues": sorted(cues),
        "cue_strength": dict(sorted(strength.items())),
        "weights": dict(sorted(weights.items())),
        "meta": {
            "data": "PolNeAR train (Newell, Margolin and Ruths, LREC 2018), held-out tenth excluded",
            "C": best_c,
            "mentions": len(rows),
            "validation_f1": round(best_f, 4),
            "name_precision": args.name_precision,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(payload, f, separators=(",", ":"), sort_keys=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, {len(weights):,} weights)")
    assert math.isfinite(payload["bias"])


if __name__ == "__main__":
    main()
