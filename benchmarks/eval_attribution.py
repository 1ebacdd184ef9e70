#!/usr/bin/env python3
"""Evaluate speaker attribution on human-annotated news (PolNeAR), the way issue 13 measures it.

Each article goes through claimcheck's real extraction pipeline (:func:`extract_claims`:
segmentation, document-wide attribution, quantities, dates, scoring), and the speakers of the
returned sentences are compared with the annotators' attributions:

* For each attribution whose **source mention is named** (it has a capitalised word that is not a
  pronoun, nor a stopword such as a sentence-initial "The"), take the extracted sentence whose span
  overlaps the attribution's content most. It is **right** when the speaker claimcheck gives
  shares a word with the source mention (ignoring titles and stopwords, case and a possessive
  ``'s``), **wrong** when it names someone else, **missed** when it gives none.
* **Named accuracy** = right / named attributions.
* **Name precision** = right / every named speaker claimcheck gave on the sentences of the
  attributions scored, including those whose source is anonymous (``a source``, ``officials``,
  ``the president``): a name given there is counted as wrong.
* Attributions whose source is only pronouns (``he``, ``who``, ``they``) and those without a source
  are left out.

Sets: ``dev`` (PolNeAR dev, 84 articles) and ``heldout`` — the articles of ``train.jsonl`` with
``crc32(id) % 10 == 0`` (95), which no rule or model in claimcheck is tuned or trained on.
``tune`` is the validation tenth of ``scripts/train_speakers.py`` (``% 10 == 1``), ``train`` all
of train.jsonl but the held-out tenth.

Printed per set: the counts above, named accuracy, name precision, the pipeline's throughput in
CPU seconds, and the precision of the speakers given by how they were found (``named``,
``quotation``, ``continued``, ``pronoun``, ``descriptor``) and by the model's confidence, and the
**store curve**: the precision of the speakers ``extract --add`` could store unconfirmed (found by
a name in the sentence, confidence at least 0.5 … 0.99), counted the way name precision counts.

Usage::

    python benchmarks/eval_attribution.py                 # dev and held-out, table
    python benchmarks/eval_attribution.py --set dev -f json
    python benchmarks/eval_attribution.py --set dev --errors 40   # print wrong/missed cases
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import polnear  # noqa: E402

from claimcheck.extract import extract_claims  # noqa: E402
from claimcheck.extract.speakers import attribute_details, load_speaker_model  # noqa: E402

DATA = polnear.DATA

PRONOUNS = frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "us",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "this",
        "these",
        "those",
        "one",
    ]
)
STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "for",
        "to",
        "by",
        "from",
        "with",
        "as",
        "its",
        "his",
        "her",
        "their",
        "our",
        "'s",
        "s",
        "said",
        "says",
        "told",
        "according",
        "new",
    ]
)
# Words that two different people share without being the same speaker.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "president",
        "vice",
        "former",
        "prime",
        "minister",
        "secretary",
        "chancellor",
        "chair",
        "chairman",
        "chairwoman",
        "governor",
        "gov",
        "sen",
        "senator",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "gen",
        "general",
        "lt",
        "col",
        "colonel",
        "adm",
        "admiral",
        "maj",
        "major",
        "capt",
        "captain",
        "sgt",
        "judge",
        "justice",
        "chief",
        "ambassador",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commissioner",
        "mayor",
        "deputy",
        "acting",
        "speaker",
        "leader",
        "attorney",
        "aide",
        "adviser",
        "advisor",
        "candidate",
        "nominee",
        "sheriff",
        "officer",
        "official",
        "jr",
        "sr",
        "rev",
        "reverend",
        "pastor",
        "professor",
    ]
)

# confidences at which the precision of storable speakers is reported
STORE_CURVE = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)

_WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w’'.-]*")


def words(text: str) -> list[str]:
    """Words of a mention, lower-cased, without a possessive and trailing dots."""
    out = []
    for w in _WORD_RE.findall(text):
        w = re.sub(r"[’']s?$", "", w).strip(".-").lower()
        if w:
            out.append(w)
    return out


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and w not in TITLES and w not in PRONOUNS}


def source_kind(source: dict[str, Any] | None) -> str:
    """``named``, ``anonymous``, ``pronoun`` or ``none`` for an annotated source mention."""
    if not source:
        return "none"
    raw = _WORD_RE.findall(source["text"])
    if not raw:
        return "none"
    bare = [re.sub(r"[’']s?$", "", w).strip(".").lower() for w in raw]
    if all(b in PRONOUNS for b in bare):
        return "pronoun"
    for w, b in zip(raw, bare, strict=True):
        if w[:1].isupper() and b not in PRONOUNS and b not in STOPWORDS:
            return "named"
    return "anonymous"


def same_speaker(speaker: str, mention: str) -> bool:
    return bool(content_words(speaker) & content_words(mention))


def heldout_bucket(article: dict[str, Any]) -> bool:
    return polnear.bucket(article) == 0


def articles_of(name: str, data: Path) -> list[dict[str, Any]]:
    if name == "dev":
        return polnear.load(data / "dev.jsonl")
    train = polnear.load(data / "train.jsonl")
    if name == "heldout":
        return [a for a in train if heldout_bucket(a)]
    if name == "train":
        return [a for a in train if not heldout_bucket(a)]
    if name == "tune":  # the validation tenth of scripts/train_speakers.py
        return [a for a in train if polnear.bucket(a) == 1]
    raise SystemExit(f"--set: unknown set {name!r} (dev, heldout, train)")


@dataclass
class Case:
    article: str
    kind: str  # named | anonymous
    mention: str
    sentence: str
    speaker: str | None
    verdict: str  # right | wrong | missed | null (anonymous, nothing given) | named-anon
    basis: str | None = None
    prob: float = 0.0


@dataclass
class Tally:
    articles: int = 0
    sentences: int = 0
    seconds: float = 0.0
    named: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0
    anonymous: int = 0
    anonymous_named: int = 0
    cases: list[Case] = field(default_factory=list)
    by_basis: dict[str, list[int]] = field(default_factory=dict)
    by_band: dict[str, list[int]] = field(default_factory=dict)

    def figures(self) -> dict[str, float | int | str]:
        given = self.right + self.wrong + self.anonymous_named
        return {
            "articles": self.articles,
            "sentences": self.sentences,
            "named attributions": self.named,
            "right": self.right,
            "wrong": self.wrong,
            "missed": self.missed,
            "anonymous attributions": self.anonymous,
            "named speaker on anonymous": self.anonymous_named,
            "named accuracy": self.right / self.named if self.named else 0.0,
            "name precision": self.right / given if given else 1.0,
            "pipeline sentences/s (CPU)": self.sentences / self.seconds if self.seconds else 0.0,
            **{
                f"precision, {basis}": right / given
                for basis, (right, given) in sorted(self.by_basis.items())
            },
            **{f"given, {basis}": given for basis, (_r, given) in sorted(self.by_basis.items())},
            **{
                f"precision, {band}": f"{right / given:.3f} of {given}"
                for band, (right, given) in sorted(self.by_band.items())
            },
            **self.store_curve(),
        }

    def store_curve(self) -> dict[str, str]:
        """Precision of the speakers ``extract --add`` could store at each confidence: those
        found by a name in the sentence (``basis == named``) with the ranker's probability at
        least the threshold, counted as the name precision above counts them."""
        out = {}
        for threshold in STORE_CURVE:
            chosen = [
                c
                for c in self.cases
                if c.speaker is not None and c.basis == "named" and c.prob >= threshold
            ]
            right = sum(c.verdict == "right" for c in chosen)
            if chosen:
                out[f"storable, p>={threshold:g}"] = f"{right / len(chosen):.3f} of {len(chosen)}"
        return out


def _overlap(spans: Iterable[tuple[int, int]], start: int, end: int) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in spans)


def best_sentence(
    sentences: list[tuple[int, int, str | None]], parts: list[tuple[int, int]]
) -> int | None:
    """Index of the sentence overlapping the content parts most (first on ties)."""
    best, best_index = 0, None
    lo = min(s for s, _ in parts)
    hi = max(e for _, e in parts)
    for i, (s, e, _) in enumerate(sentences):
        if e <= lo or s >= hi:
            continue
        o = _overlap(parts, s, e)
        if o > best:
            best, best_index = o, i
    return best_index


def score_article(article: dict[str, Any], tally: Tally, threshold: float | None = None) -> None:
    text = article["text"]
    t0 = time.process_time()
    model = load_speaker_model()
    saved = model.threshold
    if threshold is not None:
        model.threshold = threshold
    try:
        candidates = extract_claims(text)
        tally.seconds += time.process_time() - t0
        details = attribute_details(text, [(c.start, c.end) for c in candidates])
    finally:
        model.threshold = saved
    tally.articles += 1
    tally.sentences += len(candidates)
    sentences = [(c.start, c.end, c.speaker) for c in candidates]
    bases = [d.basis for d in details]
    probs = [d.probability for d in details]
    for att in article["attributions"]:
        kind = source_kind(att["source"])
        if kind not in ("named", "anonymous"):
            continue
        parts = [(p["start"], p["end"]) for p in att["content"] if p["end"] > p["start"]]
        if not parts:
            continue
        index = best_sentence(sentences, parts)
        if index is None:
            continue
        s, e, speaker = sentences[index]
        mention = att["source"]["text"]
        if kind == "named":
            tally.named += 1
            if speaker is None:
                verdict = "missed"
                tally.missed += 1
            elif same_speaker(speaker, mention):
                verdict = "right"
                tally.right += 1
            else:
                verdict = "wrong"
                tally.wrong += 1
        else:
            tally.anonymous += 1
            if speaker is None:
                verdict = "null"
            else:
                verdict = "named-anon"
                tally.anonymous_named += 1
        tally.cases.append(
            Case(
                article["id"],
                kind,
                mention,
                text[s:e],
                speaker,
                verdict,
                bases[index],
                probs[index],
            )
        )
        if speaker is not None:
            band = f"p>={min(int(probs[index] * 10) / 10, 0.9):.1f}"
            by_p = tally.by_band.setdefault(band, [0, 0])
            by_p[0] += verdict == "right"
            by_p[1] += 1
            by = tally.by_basis.setdefault(str(bases[index]), [0, 0])
            by[0] += verdict == "right"
            by[1] += 1


def evaluate(articles: list[dict[str, Any]], threshold: float | None = None) -> Tally:
    tally = Tally()
    for article in articles:
        score_article(article, tally, threshold)
    return tally


def _errors(tally: Tally, limit: int, kinds: set[str]) -> Iterator[str]:
    shown = 0
    for case in tally.cases:
        if case.verdict in kinds and shown < limit:
            shown += 1
            sentence = case.sentence.replace("\n", " ")
            yield (
                f"[{case.verdict}, {case.basis}] source={case.mention!r} speaker={case.speaker!r}\n"
                f"    {sentence[:300]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with dev/train.jsonl")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=["dev", "heldout", "tune", "train"],
        help="which set(s) to score (default: dev and heldout)",
    )
    parser.add_argument("-f", "--format", dest="fmt", choices=["table", "json"], default="table")
    parser.add_argument("--errors", type=int, default=0, help="print up to N wrong/missed cases")
    parser.add_argument(
        "--kinds",
        default="wrong,named-anon",
        help="verdicts printed by --errors (right,wrong,missed,named-anon,null)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        action="append",
        help="score with this speaker-model threshold instead of the shipped one (repeatable)",
    )
    args = parser.parse_args()
    if not (args.data / "dev.jsonl").exists():
        raise SystemExit(f"no PolNeAR data in {args.data} (pass --data)")
    results: dict[str, dict[str, float | int | str]] = {}
    for name in args.sets or ["dev", "heldout"]:
        articles = articles_of(name, args.data)
        for threshold in args.threshold or [None]:
            tally = evaluate(articles, threshold)
            key = name if threshold is None else f"{name} @ {threshold:g}"
            results[key] = tally.figures()
        if args.errors:
            for line in _errors(tally, args.errors, set(args.kinds.split(","))):
                print(line, file=sys.stderr)
    if args.fmt == "json":
        print(json.dumps(results, indent=2))
        return
    for name, figures in results.items():
        print(f"\n## {name}")
        for key, value in figures.items():
            if isinstance(value, float):
                shown = f"{value:.3f}"
            else:
                shown = f"{value:,}" if isinstance(value, int) else value
            print(f"  {key:<28} {shown}")


if __name__ == "__main__":
    main()
