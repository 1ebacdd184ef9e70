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
* **news** — ``benchmarks/data/news_checkworthiness.jsonl``: PolNeAR sentences labelled by hand
  (article id, character offsets, label; the labelling rule is in docs/extraction.md), in a
  *tune* part (dev articles) and a *held-out* part (``train.jsonl`` articles with
  ``crc32(id) % 10 == 0``, never tuned on), and a *held-out 2* part (split ``heldout2``: 100
  sentences of 20 more such articles drawn by ``benchmarks/sample_news_sentences.py`` and labelled
  before any scoring; parts missing from the file are skipped). Each article goes through the
  full pipeline and a
  labelled sentence takes the score of the extracted sentence that overlaps it most. The text is
  read from ``../shared/data/attribution`` at run time; the labels file holds none.

Metrics: precision, recall and F1 of the check-worthy class at the default threshold (0.5),
average precision of the ranking (AP), quantity accuracy (a sentence is right when its list of
(value, unit, comparator) equals the expected list, over sentences with at least one expected or
found quantity), speaker accuracy (exact match of the speaker or of ``None``, over all labelled
sentences; also over those with a named speaker). Then the throughput of
:func:`claimcheck.extract.extract_claims` on a large input (at least 20,000 sentences) and on the
PolNeAR dev articles (wall and CPU seconds), the model's load time, and ``claimcheck extract -f
json`` as a whole process on a 10,000-word article assembled from the fixture sentences (our own
text), against ``claimcheck --help`` in the same run (medians of ``--repeat`` runs).

Usage::

    python benchmarks/eval_extract.py [--data ../shared/data/checkworthiness/train.tsv]
        [--repeat 5] [--no-process]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimcheck.extract import extract_claims, load_model, read_input  # noqa: E402
from claimcheck.extract.scoring import DEFAULT_THRESHOLD, Model  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "train.tsv"
ATTRIBUTION = ROOT.parent / "shared" / "data" / "attribution"
NEWS_LABELS = ROOT / "benchmarks" / "data" / "news_checkworthiness.jsonl"


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


def eval_fixtures(path: Path, model: Model | None = None) -> dict[str, float]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    predictions: dict[tuple[str, str], Any] = {}
    for article in sorted({r["article"] for r in rows}):
        doc = read_input(ROOT / article)
        for cand in extract_claims(doc.text, published=doc.published, model=model):
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
    start, cpu = time.perf_counter(), time.process_time()
    out = extract_claims(text, one_per_line=True)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert len(out) == n
    return {
        "sentences": n,
        "seconds": elapsed,
        "CPU seconds": cpu,
        "sentences/s": n / cpu,
        "sentences/s (wall clock)": n / elapsed,
    }


def _articles(path: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            if article["id"] in wanted:
                out[article["id"]] = article
    return out


NEWS_PARTS = (
    ("tune", "dev.jsonl", "tune"),
    ("held-out", "train.jsonl", "heldout"),
    ("held-out 2", "train.jsonl", "heldout2"),
    ("tune 2", "train.jsonl", "tune2"),
    ("held-out 3", "train.jsonl", "heldout3"),
    ("tune 3", "train.jsonl", "tune3"),
    ("held-out 4", "train.jsonl", "heldout4"),
)


def eval_news(
    labels_path: Path, corpus: Path, splits: set[str] | None = None, model: Model | None = None
) -> dict[str, dict[str, float]]:
    """AP and F1 of the hand-labelled news sentences, per part, through the full pipeline
    (only the parts in ``splits``, when given)."""
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()]
    results: dict[str, dict[str, float]] = {}
    for part, source, split in NEWS_PARTS:
        if splits is not None and split not in splits:
            continue
        mine = [r for r in rows if r["split"] == split]
        if not mine:
            continue  # a part whose labels this checkout does not have
        articles = _articles(corpus / source, {r["article"] for r in mine})
        by_article: dict[str, list[Any]] = {}
        for aid, article in articles.items():
            published = dt.date.fromisoformat(article["published"])
            by_article[aid] = extract_claims(article["text"], published=published, model=model)
        labels, scores = [], []
        for r in mine:
            cands = by_article.get(r["article"], [])
            best = max(
                cands,
                key=lambda c: min(c.end, r["end"]) - max(c.start, r["start"]),
                default=None,
            )
            overlap = min(best.end, r["end"]) - max(best.start, r["start"]) if best else 0
            labels.append(bool(r["checkworthy"]))
            scores.append(best.score if best is not None and overlap > 0 else 0.0)
        p, rc, f = prf(labels, scores, DEFAULT_THRESHOLD)
        results[part] = {
            "articles": len(articles),
            "sentences": len(labels),
            "check-worthy": sum(labels),
            "precision": p,
            "recall": rc,
            "F1": f,
            "AP": average_precision(labels, scores),
        }
    return results


def speed_articles(corpus: Path) -> dict[str, float]:
    """Throughput of the full pipeline on the PolNeAR dev articles (segmentation included)."""
    with (corpus / "dev.jsonl").open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    wall, cpu = time.perf_counter(), time.process_time()
    n = sum(len(extract_claims(text)) for text in texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "articles": len(texts),
        "sentences": n,
        "sentences/s (CPU)": n / cpu,
        "sentences/s (wall clock)": n / wall,
    }


def long_article(fixtures: Path, words: int = 10_000) -> str:
    """A 10,000-word article of our own: the fixture sentences in paragraphs, fixed order."""
    sentences = [
        json.loads(line)["text"]
        for line in fixtures.read_text(encoding="utf-8").splitlines()
        if line
    ]
    rng = random.Random(18)
    paragraphs = ["Ceasefire talks, prices and trade: a long read", ""]
    count = 0
    while count < words:
        rng.shuffle(sentences)
        for i in range(0, len(sentences), 4):
            paragraph = " ".join(sentences[i : i + 4])
            paragraphs += [paragraph, ""]
            count += len(paragraph.split())
            if count >= words:
                break
    return "\n".join(paragraphs)


def whole_process(fixtures: Path, repeat: int) -> dict[str, float]:
    """``claimcheck extract -f json`` on a 10,000-word article, as a whole process, against
    ``claimcheck --help`` (the start-up every command pays) in the same run; medians."""
    text = long_article(fixtures)
    exe = [sys.executable, "-m", "claimcheck"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long-article.txt"
        path.write_text(text, encoding="utf-8")

        def run(args: list[str]) -> tuple[float, float]:
            """Wall seconds and CPU seconds (user + system) of one child process."""
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(exe + args, check=True, capture_output=True, cwd=tmp)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return wall, cpu

        extract, helps = [], []
        for _ in range(repeat):
            helps.append(run(["--help"]))
            extract.append(run(["extract", str(path), "-f", "json", "--min-score", "0"]))
    wall = statistics.median(w for w, _ in extract)
    cpu = statistics.median(c for _, c in extract)
    help_wall = statistics.median(w for w, _ in helps)
    return {
        "article words": len(text.split()),
        "extract wall seconds (median)": wall,
        "extract CPU seconds (median)": cpu,
        "--help wall seconds (median)": help_wall,
        "--help CPU seconds (median)": statistics.median(c for _, c in helps),
        "ratio extract / --help (wall)": wall / help_wall,
        "runs": repeat,
    }


def show(title: str, figures: dict[str, float]) -> None:
    print(f"\n## {title}")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {key:<30} {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures" / "extract_eval.jsonl")
    parser.add_argument("--news", type=Path, default=NEWS_LABELS)
    parser.add_argument("--corpus", type=Path, default=ATTRIBUTION)
    parser.add_argument("--repeat", type=int, default=5, help="whole-process runs (median)")
    parser.add_argument("--no-process", action="store_true", help="skip the whole-process timing")
    parser.add_argument(
        "--parts",
        nargs="+",
        metavar="SPLIT",
        help="score only these news parts (split names: tune heldout heldout2 tune2 heldout3 tune3 heldout4)",
    )
    parser.add_argument("--no-speed", action="store_true", help="skip every speed figure")
    parser.add_argument("--model", type=Path, help="a model file other than the shipped one")
    args = parser.parse_args()

    start = time.perf_counter()
    load_model.cache_clear()
    model = load_model(str(args.model) if args.model else None)
    load_seconds = time.perf_counter() - start
    show("fixtures (project articles, full pipeline)", eval_fixtures(args.fixtures, model))
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
    if (args.corpus / "dev.jsonl").exists():
        wanted = set(args.parts) if args.parts else None
        for part, figures_news in eval_news(args.news, args.corpus, wanted, model).items():
            show(f"news sentences labelled by hand, {part} part (PolNeAR)", figures_news)
    else:
        print(f"\n(no PolNeAR articles at {args.corpus}: news figures skipped)")
    if args.no_speed:
        return
    figures = speed(speed_input)
    figures["model load seconds"] = load_seconds
    show("speed (extract_claims, one sentence per line, one core; sentences/s of CPU)", figures)
    if (args.corpus / "dev.jsonl").exists():
        show(
            "speed (extract_claims on the PolNeAR dev articles, one core)",
            speed_articles(args.corpus),
        )
    if not args.no_process:
        show("claimcheck extract as a whole process", whole_process(args.fixtures, args.repeat))


if __name__ == "__main__":
    main()
