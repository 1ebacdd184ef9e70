"""Draw number mentions to label for ``eval_quantities.py``, without running the scanner.

Run by hand::

    python benchmarks/sample_quantity_mentions.py --part "held-out 3" --bucket 2 > /tmp/todo.jsonl
    python benchmarks/sample_quantity_mentions.py --part "debates 1" --debates 80 --seed 29 > /tmp/todo.jsonl

From the PolNeAR train articles with ``crc32(id) % 10 == bucket`` it draws ``--articles``
articles, and from each up to ``--sentences`` sentences (``claimcheck.extract.segment``) that
hold a number mention, with a fixed seed. A mention is every run of digits and every number
word, found by the plain pattern below, which knows nothing of the scanner. Each line printed is
a label row of ``quantity_labels.jsonl`` with ``"expect": null`` plus the sentence text under
``"_text"``, for the labeller: the text goes to a scratch file, never into the repository; the
labeller fills ``expect`` (by the rule in ``eval_quantities.py``'s docstring and
docs/extraction.md) and drops ``_text`` before appending the rows.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import polnear  # noqa: E402

_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|thousand|million|billion|trillion|dozen|half|halves|third|thirds|quarter|quarters|"
    "twice"
)
MENTION_RE = re.compile(rf"\d(?:[\d,.]*\d)?|\b(?:{_WORDS})\b", re.IGNORECASE)


def debate_sentences() -> dict[str, str]:
    """The check-worthiness debate sentences by id (``cw:ID``), as ``eval_quantities`` reads them."""
    import csv

    path = ROOT.parent / "shared" / "data" / "checkworthiness" / "train.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {f"cw:{row['id']}": row["sentence"] for row in csv.DictReader(fh, delimiter="\t")}


def draw_debates(part: str, n: int, seed: int) -> None:
    """``n`` debate sentences that hold a mention, drawn with ``seed``: one label row a mention."""
    sentences = debate_sentences()
    labels = ROOT / "benchmarks" / "quantity_labels.jsonl"
    with labels.open(encoding="utf-8") as fh:
        taken = {json.loads(line)["article"] for line in fh}  # never a sentence drawn before
    pool = sorted(k for k, text in sentences.items() if MENTION_RE.search(text) and k not in taken)
    for key in random.Random(seed).sample(pool, min(n, len(pool))):
        text = sentences[key]
        for m in MENTION_RE.finditer(text):
            row = {
                "part": part,
                "article": key,
                "text_crc32": zlib.crc32(text.encode()),
                "sentence": [0, len(text)],
                "mention": [m.start(), m.end()],
                "expect": None,
                "labelled_after_output": False,
                "_text": text,
                "_mention": m.group(),
            }
            print(json.dumps(row, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", required=True, help="the part's name, e.g. 'held-out 3'")
    ap.add_argument("--bucket", type=int, default=0, help="crc32(id) %% 10 of the articles")
    ap.add_argument("--articles", type=int, default=30)
    ap.add_argument("--sentences", type=int, default=3, help="sentences drawn per article")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--debates",
        type=int,
        metavar="N",
        help="instead: draw N debate sentences of ../shared/data/checkworthiness (ids 'cw:ID')",
    )
    args = ap.parse_args()

    if args.debates:
        draw_debates(args.part, args.debates, args.seed)
        return

    from claimcheck.extract.segment import segment

    pool = polnear.train_bucket(args.bucket)
    rng = random.Random(args.seed)
    for article in rng.sample(pool, min(args.articles, len(pool))):
        text = article["text"]
        spans = [(s, e) for s, e in segment(text) if MENTION_RE.search(text[s:e])]
        for s0, s1 in sorted(rng.sample(spans, min(args.sentences, len(spans)))):
            for m in MENTION_RE.finditer(text, s0, s1):
                row = {
                    "part": args.part,
                    "article": article["id"],
                    "text_crc32": zlib.crc32(text.encode()),
                    "sentence": [s0, s1],
                    "mention": [m.start(), m.end()],
                    "expect": None,
                    "labelled_after_output": False,
                    "_text": text[s0:s1],
                    "_mention": m.group(),
                }
                print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
