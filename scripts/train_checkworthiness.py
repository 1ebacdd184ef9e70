#!/usr/bin/env python3
"""Train the shipped check-worthiness model from the ClaimBuster/CheckThat! training sentences.

The model is a logistic regression over the sparse features of
:func:`claimcheck.extract.features.featurize` (word unigrams and bigrams, character 4-grams and
named hand features such as quantities, superlatives and attribution). It is written as gzipped
JSON (feature name → weight, plus bias) to ``claimcheck/extract/data/checkworthiness.json.gz``,
so the runtime scorer needs neither scikit-learn nor numpy.

Data: ``train.tsv`` of the CLEF CheckThat! 2024 task 1 English training split, drawn from the
ClaimBuster dataset (Arslan, Hassan, Li and Tremayne, "A Benchmark Dataset of Check-worthy
Factual Claims", ICWSM 2020). Labels: 1 = check-worthy factual sentence.

Splits (deterministic, by sentence id, so ``benchmarks/eval_extract.py`` can rebuild them):

* held-out test: ``crc32(id) % 100 < 15`` — never used for training or tuning;
* validation: ``15 <= crc32(id) % 100 < 30`` — chooses the regularisation strength ``C`` and the
  decision threshold;
* training: the rest. The final model is refitted on training + validation.

The shipped model blends two logistic regressions into one linear model: ``--blend`` (0.6) of
the model over all features, and the rest of a model over the hand features alone. The n-gram
model fits debates best; the hand features (figures, names, dates, event verbs, reported views)
are what carries over to news copy, where on hand-labelled PolNeAR sentences the blend ranks
better (average precision 0.781 → 0.823 on the tune part) at a small cost on debates; see
docs/extraction.md.

The bias is shifted so that a score of 0.5 is the validation-F1-optimal threshold: the CLI's
default ``--min-score 0.5`` is then the tuned operating point.

The *article model* (the file's ``article`` block, added only to sentences read inside an
article) is a logistic regression over the hand features of the debate sentences (training +
validation) and of the hand-labelled news sentences of ``--news-splits`` (``tune2 tune3``; weight
``--news-weight``), with a news-only copy ``n:…`` of every hand feature and ``n:lede``, so that
those weights are learnt from the news alone (feature augmentation, Daumé 2007). It is stored
multiplied by ``--article-scale`` (0.5), its two copies of each feature merged.

Usage (needs the ``train`` extra: ``pip install -e '.[train]'``)::

    python scripts/train_checkworthiness.py [--data ../shared/data/checkworthiness/train.tsv]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import sys
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimcheck.extract.features import (  # noqa: E402
    NGRAM_NORM,
    featurize,
    hand_features,
    lede_index,
)
from claimcheck.extract.segment import segment  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "train.tsv"
DEFAULT_NEWS = ROOT / "benchmarks" / "data" / "news_checkworthiness.jsonl"
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "attribution"
OUT = ROOT / "claimcheck" / "extract" / "data" / "checkworthiness.json.gz"


def bucket(sentence_id: str) -> int:
    """The split bucket 0–99 of a sentence id (stable across runs and machines)."""
    return zlib.crc32(sentence_id.encode()) % 100


def load(path: Path) -> list[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            (r["id"], r["sentence"], int(r["label"])) for r in csv.DictReader(f, delimiter="\t")
        ]


def load_news(labels: Path, corpus: Path, splits: set[str]) -> list[tuple[dict[str, float], int]]:
    """The hand-labelled news sentences of ``splits`` as (article features, label): the hand
    features, their ``n:`` copies and ``n:lede``, as :func:`article_features` gives them."""
    return [(feats, label) for _, _, feats, label in load_news_rows(labels, corpus, splits)]


def load_news_rows(
    labels: Path, corpus: Path, splits: set[str]
) -> list[tuple[str, str, dict[str, float], int]]:
    """(article id, sentence, article features, label) of each labelled news sentence."""
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if r["split"] in splits]
    wanted = {r["article"] for r in rows}
    texts: dict[str, str] = {}
    for name in ("train.jsonl", "dev.jsonl"):
        with (corpus / name).open(encoding="utf-8") as f:
            for line in f:
                article = json.loads(line)
                if article["id"] in wanted:
                    texts[article["id"]] = article["text"]
    out = []
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for r in rows:
        text = texts[r["article"]]
        spans = spans_of.setdefault(r["article"], segment(text))
        lede = lede_index(text, spans) == spans.index((r["start"], r["end"]))
        sentence = text[r["start"] : r["end"]]
        feats = article_features(hand_features(sentence), lede)
        out.append((r["article"], sentence, feats, r["checkworthy"]))
    return out


def article_features(hand: dict[str, float], lede: bool) -> dict[str, float]:
    """Features of a sentence read in an article: the hand features, a news-only copy of each
    (``n:``) and ``n:lede``. The debate sentences have no ``n:`` features, so their weights are
    learnt from the labelled news alone (feature augmentation, Daumé 2007)."""
    feats = dict(hand)
    feats.update({"n:" + k[2:]: v for k, v in hand.items()})
    if lede:
        feats["n:lede"] = 1.0
    return feats


def f1_best_threshold(y: list[int], p: list[float]) -> tuple[float, float]:
    best = (0.0, 0.5)
    for t in [i / 100 for i in range(5, 96)]:
        tp = sum(1 for yi, pi in zip(y, p, strict=True) if pi >= t and yi == 1)
        fp = sum(1 for yi, pi in zip(y, p, strict=True) if pi >= t and yi == 0)
        fn = sum(1 for yi, pi in zip(y, p, strict=True) if pi < t and yi == 1)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (f1, t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument(
        "--blend",
        type=float,
        default=0.6,
        help="share of the full model; the rest is a model of the hand features alone",
    )
    parser.add_argument(
        "--prune", type=float, default=0.02, help="drop features whose |weight| is below this"
    )
    parser.add_argument("--news", type=Path, default=DEFAULT_NEWS, help="labelled news sentences")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="PolNeAR articles")
    parser.add_argument(
        "--news-splits",
        nargs="*",
        default=["tune2", "tune3"],
        help="news parts to train on (none: no article model)",
    )
    parser.add_argument("--news-weight", type=float, default=20.0, help="weight of a news sentence")
    parser.add_argument(
        "--article-scale",
        type=float,
        default=0.5,
        help="share of the article model added in articles",
    )
    args = parser.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = load(args.data)
    feats = [featurize(s) for _, s, _ in rows]
    buckets = [bucket(i) for i, _, _ in rows]
    labels = [y for _, _, y in rows]
    train_idx = [i for i, b in enumerate(buckets) if b >= 30]
    val_idx = [i for i, b in enumerate(buckets) if 15 <= b < 30]
    fit_idx = [i for i, b in enumerate(buckets) if b >= 15]

    def vocab(indices: list[int]) -> set[str]:
        df: Counter[str] = Counter()
        for i in indices:
            df.update(feats[i].keys())
        return {k for k, c in df.items() if c >= args.min_df or k.startswith("h:")}

    def fit(indices: list[int], c: float) -> tuple[DictVectorizer, LogisticRegression]:
        keep = vocab(indices)
        vec = DictVectorizer()
        x = vec.fit_transform([{k: v for k, v in feats[i].items() if k in keep} for i in indices])
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="lbfgs")
        model.fit(x, [labels[i] for i in indices])
        return vec, model

    def hand_only(indices: list[int]) -> list[dict[str, float]]:
        return [{k: v for k, v in feats[i].items() if k.startswith("h:")} for i in indices]

    def fit_hand(indices: list[int]) -> tuple[DictVectorizer, LogisticRegression]:
        vec = DictVectorizer()
        x = vec.fit_transform(hand_only(indices))
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
        model.fit(x, [labels[i] for i in indices])
        return vec, model

    def logits(pair: tuple[DictVectorizer, LogisticRegression], rows: list[dict[str, float]]):
        vec, model = pair
        return model.decision_function(vec.transform(rows))

    alpha = args.blend
    hand_train = fit_hand(train_idx)
    z_hand_val = logits(hand_train, hand_only(val_idx))
    y_val = [labels[i] for i in val_idx]
    best = (-1.0, 1.0, 0.5)
    for c in (0.05, 0.1, 0.2, 0.4, 0.8):
        z = (
            alpha * logits(fit(train_idx, c), [feats[i] for i in val_idx])
            + (1 - alpha) * z_hand_val
        )
        f1, t = f1_best_threshold(y_val, [1 / (1 + math.exp(-v)) for v in z])
        print(f"C={c:<5} validation F1={f1:.3f} at threshold {t:.2f}")
        if f1 > best[0]:
            best = (f1, c, t)
    _, c, threshold = best
    vec, model = fit(fit_idx, c)
    hvec, hmodel = fit_hand(fit_idx)
    shift = math.log(threshold / (1 - threshold))
    # one linear model: alpha x (all features) + (1 - alpha) x (hand features only)
    combined = {
        name: alpha * float(w)
        for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
    }
    for name, w in zip(hvec.get_feature_names_out(), hmodel.coef_[0], strict=True):
        combined[name] = combined.get(name, 0.0) + (1 - alpha) * float(w)
    bias = alpha * float(model.intercept_[0]) + (1 - alpha) * float(hmodel.intercept_[0])
    weights = {
        name: round(w, 4)
        for name, w in combined.items()
        if abs(w) >= args.prune or name.startswith("h:")
    }
    article_block = None
    if args.news_splits:
        news = load_news(args.news, args.corpus, set(args.news_splits))
        avec = DictVectorizer()
        xa = avec.fit_transform(hand_only(fit_idx) + [f for f, _ in news])
        amodel = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
        amodel.fit(
            xa,
            [labels[i] for i in fit_idx] + [y for _, y in news],
            sample_weight=[1.0] * len(fit_idx) + [args.news_weight] * len(news),
        )
        # at run time a sentence of an article has both copies of each hand feature: merge them
        merged: dict[str, float] = {}
        for name, w in zip(avec.get_feature_names_out(), amodel.coef_[0], strict=True):
            key = "h:" + name[2:] if name.startswith("n:") and name != "n:lede" else name
            merged[key] = merged.get(key, 0.0) + args.article_scale * float(w)
        article_block = {
            "bias": round(args.article_scale * float(amodel.intercept_[0]), 4),
            "weights": {k: round(v, 4) for k, v in sorted(merged.items())},
            "news_sentences": len(news),
            "news_splits": sorted(args.news_splits),
            "news_weight": args.news_weight,
            "scale": args.article_scale,
        }
        print(f"article model: {len(news)} news sentences, weight {args.news_weight}")
    payload = {
        "format": "claimcheck-checkworthiness/2",
        "bias": round(bias - shift, 4),
        "weights": dict(sorted(weights.items())),
        "meta": {
            "trained_on": "CLEF CheckThat! 2024 task 1 English train (ClaimBuster; "
            "Arslan et al., ICWSM 2020)",
            "sentences": len(fit_idx),
            "heldout_rule": "crc32(id) % 100 < 15",
            "C": c,
            "blend": alpha,
            "ngram_norm": NGRAM_NORM,
            "validation_threshold": threshold,
            "validation_f1": round(best[0], 4),
        },
    }
    if article_block is not None:
        payload["article"] = article_block
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(payload, f, separators=(",", ":"), ensure_ascii=False)
    print(
        f"C={c}, threshold={threshold:.2f}; kept {len(weights)} weights; "
        f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)"
    )


if __name__ == "__main__":
    main()
