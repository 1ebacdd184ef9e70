#!/usr/bin/env python3
"""Evaluate claim extraction: check-worthiness, quantities, speakers and speed.

Prints, for two sets:

* **fixtures** — ``fixtures/extract_eval.jsonl``: sentences of the project's own articles
  (``fixtures/articles/*.txt``), each labelled check-worthy or not with the expected quantities
  and speaker. The articles are run through the full pipeline (segmentation, attribution over the
  whole document); a labelled sentence the segmenter does not reproduce exactly counts as a miss
  (score 0, no quantities, no speaker).
* **held-out** — the part of the ClaimBuster/CheckThat! training sentences that the training
  script never sees (``crc32(id) % 100 < 15``), scored one sentence per line. Labels only.

Metrics: precision, recall and F1 of the check-worthy class at the default threshold (0.5),
average precision of the ranking (AP), quantity accuracy (a sentence is right when its list of
(value, unit, comparator) equals the expected list, over sentences with at least one expected or
found quantity), speaker accuracy (exact match of the speaker or of ``None``, over all labelled
sentences; also over those with a named speaker). Then the throughput of
:func:`claimcheck.extract.extract_claims` on a large input (at least 20,000 sentences), and the
model's load time.

Usage::

    python benchmarks/eval_extract.py [--data ../shared/data/checkworthiness/train.tsv]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimcheck.extract import extract_claims, load_model, read_input  # noqa: E402
from claimcheck.extract.scoring import DEFAULT_THRESHOLD, Model  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "train.tsv"


def prf(labels: list[bool], scores: list[float], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for y, s in zip(labels, scores, strict=True) if y and s >= threshold)
    fp = sum(1 for y, s in zip(labels, scores, strict=True) if not y and s >= threshold)
    fn = sum(1 for y, s in zip(labels, scores, strict=True) if y and s < threshold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def average_precision(labels: list[bool], scores: list[float]) -> float:
    ranked = sorted(zip(scores, labels, strict=True), key=lambda sl: -sl[0])
    hits = 0
    total = 0.0
    for rank, (_, y) in enumerate(ranked, start=1):
        if y:
            hits += 1
            total += hits / rank
    positives = sum(labels)
    return total / positives if positives else 0.0


def _qkey(q: dict[str, Any]) -> tuple[Any, ...]:
    value = q["value"]
    if isinstance(value, list):
        value = tuple(round(float(v), 4) for v in value)
    else:
        value = round(float(value), 4)
    return (value, q["unit"], q["comparator"])


def eval_fixtures(path: Path) -> dict[str, float]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    predictions: dict[tuple[str, str], Any] = {}
    for article in sorted({r["article"] for r in rows}):
        doc = read_input(ROOT / article)
        for cand in extract_claims(doc.text, published=doc.published):
            predictions[(article, cand.text)] = cand
    labels, scores = [], []
    q_total = q_right = 0
    s_right = named_total = named_right = 0
    missing = 0
    for r in rows:
        cand = predictions.get((r["article"], r["text"]))
        if cand is None:
            missing += 1
        labels.append(bool(r["checkworthy"]))
        scores.append(cand.score if cand else 0.0)
        found = [_qkey(q.model_dump()) for q in cand.quantities] if cand else []
        expected = [_qkey(q) for q in r["quantities"]]
        if expected or found:
            q_total += 1
            q_right += found == expected
        speaker = cand.speaker if cand else None
        s_right += speaker == r["speaker"]
        if r["speaker"] is not None:
            named_total += 1
            named_right += speaker == r["speaker"]
    p, rc, f = prf(labels, scores, DEFAULT_THRESHOLD)
    return {
        "sentences": len(rows),
        "check-worthy": sum(labels),
        "unsegmented": missing,
        "precision": p,
        "recall": rc,
        "F1": f,
        "AP": average_precision(labels, scores),
        "quantity accuracy": q_right / q_total if q_total else 1.0,
        "quantity sentences": q_total,
        "speaker accuracy": s_right / len(rows),
        "named-speaker accuracy": named_right / named_total if named_total else 1.0,
    }


def load_heldout(path: Path) -> tuple[list[str], list[bool]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            r for r in csv.DictReader(f, delimiter="\t") if zlib.crc32(r["id"].encode()) % 100 < 15
        ]
    return [r["sentence"] for r in rows], [r["label"] == "1" for r in rows]


def eval_heldout(sentences: list[str], labels: list[bool], model: Model) -> dict[str, float]:
    scores = [model.score(s).score for s in sentences]
    p, r, f = prf(labels, scores, DEFAULT_THRESHOLD)
    has_number = [1.0 if any(ch.isdigit() for ch in s) else 0.0 for s in sentences]
    _, _, f_number = prf(labels, has_number, 0.5)
    return {
        "sentences": len(sentences),
        "check-worthy": sum(labels),
        "precision": p,
        "recall": r,
        "F1": f,
        "AP": average_precision(labels, scores),
        "F1 of the 'has a digit' rule": f_number,
    }


def speed(sentences: list[str], minimum: int = 20_000) -> dict[str, float]:
    pool = list(sentences)
    while len(pool) < minimum:
        pool += sentences
    text = "\n".join(pool[: max(minimum, len(sentences))])
    n = text.count("\n") + 1
    start = time.perf_counter()
    out = extract_claims(text, one_per_line=True)
    elapsed = time.perf_counter() - start
    assert len(out) == n
    return {"sentences": n, "seconds": elapsed, "sentences/s": n / elapsed}


def show(title: str, figures: dict[str, float]) -> None:
    print(f"\n## {title}")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {key:<30} {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures" / "extract_eval.jsonl")
    args = parser.parse_args()

    start = time.perf_counter()
    load_model.cache_clear()
    model = load_model()
    load_seconds = time.perf_counter() - start
    show("fixtures (project articles, full pipeline)", eval_fixtures(args.fixtures))
    if args.data.exists():
        sentences, labels = load_heldout(args.data)
        show(
            "held-out ClaimBuster/CheckThat! sentences (15 %, never trained on)",
            eval_heldout(sentences, labels, model),
        )
        speed_input = sentences
    else:
        print(f"\n(no training data at {args.data}: held-out figures skipped)")
        speed_input = [
            json.loads(line)["text"]
            for line in args.fixtures.read_text(encoding="utf-8").splitlines()
            if line
        ]
    figures = speed(speed_input)
    figures["model load seconds"] = load_seconds
    show("speed (extract_claims, one sentence per line, one core)", figures)


if __name__ == "__main__":
    main()
