"""Draw PolNeAR news sentences to label for check-worthiness, without scoring them.

Run by hand::

    python benchmarks/sample_news_sentences.py --bucket 0 --articles 20 > /tmp/todo.jsonl

From the PolNeAR train articles with ``crc32(id) % 10 == bucket`` it draws ``--articles`` articles
(fixed seed) and from each the lede (the first sentence after the headline, as
``claimcheck.extract.segment`` cuts them) and ``--more`` further sentences at random. Each line
printed is a row of ``benchmarks/data/news_checkworthiness.jsonl`` with ``"checkworthy": null``
plus the sentence under ``"_text"`` for the labeller, who fills the label by the rule in
docs/extraction.md ("Evaluation data") and drops ``_text`` before appending the row: the text
never enters the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import polnear  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bucket", type=int, required=True, help="crc32(id) %% 10 of the articles")
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--more", type=int, default=4, help="random sentences after the lede")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--split", default="heldout2", help="the rows' split name")
    args = ap.parse_args()

    from claimcheck.extract.segment import segment

    pool = polnear.train_bucket(args.bucket)
    rng = random.Random(args.seed)
    for article in rng.sample(pool, min(args.articles, len(pool))):
        text = article["text"]
        spans = segment(text)
        if len(spans) < 2:
            continue
        rest = spans[2:]
        chosen = [spans[1], *rng.sample(rest, min(args.more, len(rest)))]
        for start, end in sorted(chosen):
            row = {
                "article": article["id"],
                "start": start,
                "end": end,
                "split": args.split,
                "checkworthy": None,
                "_text": text[start:end],
            }
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
