"""Quantity accuracy on real news: hand labels over PolNeAR articles and debates (issue 13).

Run by hand (never part of the test suite)::

    python benchmarks/eval_quantities.py            # the table for docs/extraction.md
    python benchmarks/eval_quantities.py --misses   # also every mention it gets wrong

``benchmarks/quantity_labels.jsonl`` holds one labelled *number mention* a line: the article's
id, the character offsets of its sentence and of the mention, and the quantity a fact-checker
would want from it; never the article text, which is read at run time from
``../shared/data/attribution/{dev,train}.jsonl`` (a CRC of each article's text guards the
offsets). The mentions are every number in sentences drawn at random (fixed seed) from

* **tuned**: PolNeAR dev articles, labelled after seeing the scanner's output (the scanner was
  then fixed on some of them): a figure of fit, not of generalisation;
* **held-out 1**: PolNeAR train articles with ``crc32(id) % 10 == 0``, labelled before the
  scanner was run on them; its first run was the held-out figure, after which its misses were
  fixed (so it is now tuned too). Three of its labels (``delegate`` where the scanner's stated
  convention says ``people``) were corrected after that run; ``expect_before_output`` keeps them
  and ``--as-first-labelled`` scores with them;
  (One tuned label, ``3 husband``, was corrected the same way in round four.)
* **held-out 2**: PolNeAR train articles with ``crc32(id) % 10 == 1``, labelled before the scanner
  was run on them; scored once as the figure of generalisation, then tuned on (round three);
* **held-out 3**: PolNeAR train articles with ``crc32(id) % 10 == 2``, drawn by
  ``benchmarks/sample_quantity_mentions.py`` and labelled before the scanner was run on them;
  scored once (round three's figure of generalisation), then tuned on;
* **held-out 4**: PolNeAR train articles with ``crc32(id) % 10 == 3``, drawn and labelled the same
  way before the scanner was run on them; never used to change it (tune with ``--part`` naming
  the other parts, so that its misses are not printed): round three's figure of generalisation;
* **held-out 5**: PolNeAR train articles with ``crc32(id) % 10 == 4``, drawn the same way (seed
  13, 30 articles, 3 sentences each) and labelled before the scanner was run on them, at the
  start of round four; scored once, then tuned on in round five;
* **held-out 6**: PolNeAR train articles with ``crc32(id) % 10 == 7``, drawn the same way
  (``--part "held-out 6" --bucket 7``, seed 13, 30 articles, 3 sentences each) at the start of
  round six and labelled before the scanner was run on them; scored once (round six's figure
  of generalisation), then tuned on. No label was made on this tenth before, but round four read
  tenths 5–9 with the scanner's output and took human nouns from them, so it is less blind
  than a tenth never read;
* **held-out 7**: PolNeAR train articles with ``crc32(id) % 10 == 8``, drawn the same way
  (``--part "held-out 7" --bucket 8``, seed 13, 30 articles, 3 sentences each) and labelled
  by a labeller who never ran the scanner on them; scored once, after round seven (tenth 8 was read with the
  output in round four, like tenth 7);
* **held-out 8**: PolNeAR train articles with ``crc32(id) % 10 == 9``, drawn the same way (``--part
  "held-out 8" --bucket 9``, seed 13, 30 articles, 3 sentences each) and labelled by a labeller (not
  held-out 7's) who never ran the scanner on them; scored once, after round seven (tenth 9 was read with the output
  in round four, like tenths 7 and 8);
* **debates 1**: 80 sentences of the check-worthiness debates (``../shared/data/checkworthiness``,
  ids ``cw:ID``; ``sample_quantity_mentions.py --debates 80 --seed 29``), labelled before the
  scanner was run on them, in round five: spoken, not news, but the only text left that no one
  had read with the scanner's output in view; scored once, then tuned on;
* **debates 2**: 80 more debate sentences, none of debates 1 (``--debates 80 --seed 31``),
  labelled the same way at the same time, before any change made from debates 1's misses;
  scored once, as round five's end figure (its figure of generalisation), then tuned on in
  round six.

A mention is every run of digits and every number word (``two``, ``half``, ``million`` ...), found
by a plain pattern independent of the scanner. Its label (``expect``) is one of

* a quantity in the compact form ``[comparator]value[..high] unit`` (``~20 year``,
  ``>=100000 USD``, ``2..3 week``, ``3210 people``; units as the scanner names them: ``people``
  for humans, a counted noun in the singular, ``percent``, ``percentage point``, ISO currencies,
  ``fold`` for multipliers, ``a/b`` for rates);
* ``none``: not a quantity (a year, a date, a clock time, an ordinal, an age after a name, a
  label such as a docket number, ``one of``, a number word that refers, ``the two sides``);
* ``same``: part of the quantity of the mention before it (``1 in 4``, ``2 to 3 weeks``): not
  scored.

**Right** means: for a quantity, the scanner gives a quantity overlapping the mention with the
same value (both ends of a range, to 0.1 %), the same unit and the same comparator; for ``none``,
it gives no quantity there. "value right" relaxes the unit (a bare number where a noun was
wanted). The labels are one person's reading; where the text is ambiguous (``a 10-point lead``:
points or percentage points?) the label says what a fact-checker would most likely check.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELS = ROOT / "benchmarks" / "quantity_labels.jsonl"
CORPUS = ROOT.parent / "shared" / "data" / "attribution"
_SPEC_RE = re.compile(
    r"^(?P<cmp><=|>=|<|>|~)?(?P<low>\d+(?:\.\d+)?(?:e\d+)?)"
    r"(?:\.\.(?P<high>\d+(?:\.\d+)?(?:e\d+)?))?(?:\s+(?P<unit>.+))?$"
)


def parse_expect(text: str) -> dict[str, Any] | None:
    """``"~20 year"`` → {value: 20, unit: "year", comparator: "~"}; ``"none"`` → None."""
    if text == "none":
        return None
    m = _SPEC_RE.match(text)
    if m is None:
        raise SystemExit(f"{LABELS.name}: bad label {text!r}")
    low = float(m.group("low"))
    if m.group("high"):
        return {"value": [low, float(m.group("high"))], "unit": m.group("unit"), "cmp": "range"}
    return {"value": low, "unit": m.group("unit"), "cmp": m.group("cmp") or "="}


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list)):
            return False
        return all(_close(x, y) for x, y in zip(a, b, strict=True))
    return math.isclose(float(a), float(b), rel_tol=1e-3)


def load_texts() -> dict[str, str]:
    """The PolNeAR articles by id, and the debate sentences by ``cw:ID``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from sample_quantity_mentions import debate_sentences

    texts: dict[str, str] = debate_sentences()
    for split in ("dev", "train"):
        path = CORPUS / f"{split}.jsonl"
        if not path.exists():
            raise SystemExit(f"{path}: not found (the PolNeAR articles are read at run time)")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                article = json.loads(line)
                texts[article["id"]] = article["text"]
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--misses", action="store_true", help="print every wrong mention")
    ap.add_argument(
        "--as-first-labelled", action="store_true", help="score with labels before corrections"
    )
    ap.add_argument(
        "--part",
        action="append",
        help="score only this part (repeatable); the default is every part",
    )
    args = ap.parse_args()

    from claimcheck.core.quantities.format import describe_quantity
    from claimcheck.core.quantities.scanner import find_quantities

    texts = load_texts()
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: list[str] = []
    with LABELS.open(encoding="utf-8") as fh:
        labels = [json.loads(line) for line in fh]
    for row in labels:
        if row["expect"] == "same" or (args.part and row["part"] not in args.part):
            continue
        text = texts[row["article"]]
        if zlib.crc32(text.encode()) != row["text_crc32"]:
            raise SystemExit(f"{row['article']}: the article's text changed; offsets are stale")
        s0, s1 = row["sentence"]
        m0, m1 = row["mention"]
        sentence = text[s0:s1]
        found = [q for q in find_quantities(sentence) if q.start + s0 < m1 and q.end + s0 > m0]
        label = row.get("expect_before_output", row["expect"]) if args.as_first_labelled else None
        expect = parse_expect(label or row["expect"])
        got = found[0].quantity if found else None
        part = stats[row["part"]]
        kind = "quantity" if expect else "none"
        part[f"{kind} n"] += 1
        if expect is None:
            right = value_right = got is None
        else:
            value_right = (
                got is not None
                and got.comparator == expect["cmp"]
                and _close(got.value, expect["value"])
            )
            right = value_right and got is not None and got.unit == expect["unit"]
        part[f"{kind} right"] += right
        part[f"{kind} value right"] += value_right
        if not right:
            shown = describe_quantity(got) if got else "nothing"
            misses.append(
                f"[{row['part']}] {text[m0:m1]!r} in …{text[max(s0, m0 - 50) : m1 + 40]!r}…: "
                f"want {row['expect']}, got {shown}"
            )

    print(
        "| part | labels seen after output | mentions | right | quantities | right | "
        "value right | not quantities | right |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    parts = (
        ("tuned", "yes (PolNeAR dev)"),
        ("held-out 1", "no, then tuned on (train, crc32 % 10 = 0)"),
        ("held-out 2", "no, scored once, then tuned on (train, crc32 % 10 = 1)"),
        ("held-out 3", "no, scored once, then tuned on (train, crc32 % 10 = 2)"),
        ("held-out 4", "no, scored once, then tuned on (train, crc32 % 10 = 3)"),
        ("held-out 5", "no, scored once, then tuned on (train, crc32 % 10 = 4)"),
        ("debates 1", "no, scored once, then tuned on (debate sentences, not news)"),
        ("debates 2", "no, scored once, then tuned on (debate sentences, not news)"),
        ("held-out 6", "no, scored once, then tuned on (train, crc32 % 10 = 7)"),
        ("held-out 7", "no, scored once (train, crc32 % 10 = 8)"),
        ("held-out 8", "no, scored once (train, crc32 % 10 = 9)"),
    )
    named = {name for name, _ in parts}
    # a part the table does not describe yet is still printed, never silently dropped
    parts += tuple((name, "(not described)") for name in sorted(stats) if name not in named)
    for name, seen in parts:
        p = stats[name]
        if not p:
            continue
        n = p["quantity n"] + p["none n"]
        right = p["quantity right"] + p["none right"]
        print(
            f"| {name} | {seen} | {n} | {right / n:.3f} | {p['quantity n']} | "
            f"{p['quantity right'] / p['quantity n']:.3f} | "
            f"{p['quantity value right'] / p['quantity n']:.3f} | {p['none n']} | "
            f"{p['none right'] / p['none n']:.3f} |"
        )
    if args.misses:
        print()
        for line in misses:
            print(line)


if __name__ == "__main__":
    main()
