#!/usr/bin/env python3
"""Evaluate claim matching: quality on labelled pairs, retrieval MAP@5, latency and dupes time.

Prints, each against a reference measured in the same run:

1. **Pairs** — ``fixtures/claim_pairs.jsonl`` (labelled ``same`` / ``different``; kinds:
   paraphrase, repeat, number, topic, actor, negation). Precision, recall and F1 of "same claim"
   at the high threshold (label ``same``) and at the low one (``same`` or ``suggestion``), the
   accuracy per kind, and a threshold sweep. Reference: the text similarity alone (no number,
   name or polarity rules) at the same thresholds.
2. **Retrieval** — a SQLite store holding the pairs' earlier claims, their hard negatives (the
   other side of every ``different`` pair: same words, another number or actor) and 10,000
   synthetic claims; each ``same`` pair's second text is a query whose right answer is the first.
   MAP@5 (one relevant claim per query, so AP@5 = 1/rank within the top five) of
   :func:`claimcheck.services.matching.similar.find_similar`. Reference: the full-text candidate query's
   own bm25 order.
3. **Scale** — synthetic stores of 10,000 and 100,000 claims (templates over a generated
   vocabulary with Zipf-distributed names and places, 3 % injected rewordings and 2 % injected
   "same words, other number" variants). Match-query latency (median and 95th percentile over
   200 queries, one session) against the raw full-text candidate query alone; the time of
   ``claimcheck similar`` as a fresh process; ``dupes`` time, and how many injected rewordings it
   clusters and how many other-number variants it wrongly joins. Reference: the same scorer over
   every pair of a 1,000-claim sample, timed and extrapolated to the store size, and the share of
   its "same" pairs that the rare-word blocking keeps (blocking recall).

Usage::

    python benchmarks/eval_matching.py [--sizes 10000,100000] [--queries 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from claimcheck import migrate  # noqa: E402
from claimcheck.core.claim_text import normalize  # noqa: E402
from claimcheck.core.matching import HIGH, LOW, comparison_text, features, score  # noqa: E402
from claimcheck.core.quantities.scanner import parse_quantities  # noqa: E402
from claimcheck.core.text import dedupe_key, normalize_text  # noqa: E402
from claimcheck.db import Database, resolve_url  # noqa: E402
from claimcheck.models import Claim, utcnow  # noqa: E402
from claimcheck.queries import search_claims  # noqa: E402
from claimcheck.schemas import ClaimFilter  # noqa: E402
from claimcheck.services.matching import candidates, similar  # noqa: E402

PAIRS = ROOT / "fixtures" / "claim_pairs.jsonl"

# ---------------------------------------------------------------------------------------------
# 1. Pairs


def load_pairs() -> list[dict[str, str]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def text_only(a: str, b: str) -> float:
    x, y = normalize(a), normalize(b)
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 200.0


def eval_pairs() -> None:
    pairs = load_pairs()
    gold = [p["label"] == "same" for p in pairs]
    results = [score(features(p["a"]), features(p["b"])) for p in pairs]
    baseline = [text_only(p["a"], p["b"]) for p in pairs]
    counts = Counter(p["label"] for p in pairs)
    print(
        f"## 1. Labelled pairs: {len(pairs)} ({counts['same']} same, {counts['different']} different)"
    )
    print(f"thresholds: high {HIGH}, low {LOW}")
    print(f"{'':32} {'precision':>9} {'recall':>7} {'F1':>6}")
    rows = [
        ("matcher, high (same)", [r.label == "same" for r in results]),
        ("matcher, low (same+suggestion)", [r.label != "none" for r in results]),
        ("text similarity only, high", [s >= HIGH for s in baseline]),
        ("text similarity only, low", [s >= LOW for s in baseline]),
    ]
    for name, pred in rows:
        p, r, f = prf(gold, pred)
        print(f"{name:32} {p:9.3f} {r:7.3f} {f:6.3f}")
    print("\naccuracy per kind (same kinds: label 'same'; different kinds: label 'none'):")
    by_kind: dict[str, list[bool]] = {}
    for p, r in zip(pairs, results, strict=True):
        ok = r.label == "same" if p["label"] == "same" else r.label == "none"
        by_kind.setdefault(p["kind"], []).append(ok)
    for kind, oks in sorted(by_kind.items()):
        print(f"  {kind:11} {sum(oks):3}/{len(oks):<3} {sum(oks) / len(oks):.3f}")
    print("\nsweep of the high threshold (matcher):")
    for th in (0.70, 0.75, 0.80, 0.85, 0.90, 0.95):
        pred = [
            r.score >= th and not r.blocked and "too short to be sure" not in r.reasons
            for r in results
        ]
        p, r, f = prf(gold, pred)
        print(f"  {th:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print()


# ---------------------------------------------------------------------------------------------
# Synthetic claims


def _split(text: str, sep: str | None = None) -> list[str]:
    return [w.strip() for w in text.split(sep) if w.strip()]


_SYL = _split(
    "ka ro vin dal mer tos lan bek sor ith ul gar nov pet ask zen mir hol rud fen cas tor bal vey "
    "lom dru sel kin wat ob ash te mun rav olt is pra dem ek vo"
)
_COUNT = _split(
    "drones missiles tanks refugees soldiers civilians jobs homes schools hospitals trucks ships "
    "shells prisoners doctors teachers flights tractors generators shelters"
)
_ECON = _split(
    "Inflation|Unemployment|Exports|Imports|Wages|Rents|Food prices|Fuel prices|Gas prices|"
    "Electricity prices|Industrial output|Retail sales|House prices|Youth unemployment",
    "|",
)
_VERBS = _split(
    "launched destroyed built reopened sent delivered lost captured evacuated repaired bought "
    "intercepted recruited trained released"
)
_CHANGE = _split("rose fell climbed dropped jumped eased grew slipped")
_MONTHS = _split(
    "January February March April May June July August September October November December"
)
_TOPICS = _split("defence health education roads energy research")
_SYNONYMS = {"launched": "fired", "rose": "climbed", "fell": "dropped", "built": "constructed"}


class Vocabulary:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = self._names(2500)
        self.people = [
            f"{f} {s}" for f, s in zip(self._names(1500), self._names(1500), strict=True)
        ]
        self.orgs = [
            f"the {n} {k}"
            for n, k in zip(
                self._names(300),
                ["Institute", "Ministry", "Agency", "Council", "Bank"] * 60,
                strict=True,
            )
        ]

    def _names(self, n: int) -> list[str]:
        out: set[str] = set()
        while len(out) < n:
            out.add(
                "".join(self.rng.choice(_SYL) for _ in range(self.rng.randint(2, 3))).capitalize()
            )
        return sorted(out)

    def zipf(self, items: list[str]) -> str:
        # rank r has weight 1/(r+10): a heavy head and a long tail, like names in the news
        i = int(len(items) * (self.rng.random() ** 2.2))
        return items[min(i, len(items) - 1)]


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return str(rng.randint(2, 999))
    if kind < 0.7:
        return f"{rng.randint(1, 999):,}{rng.choice([',000', ',500', ''])}"
    return f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"


def synthetic_claim(v: Vocabulary) -> str:
    rng = v.rng
    place, place2 = v.zipf(v.places), v.zipf(v.places)
    person, org = v.zipf(v.people), v.zipf(v.orgs)
    when = rng.choice(
        [
            "last year",
            f"in {rng.choice(_MONTHS)}",
            f"since {rng.randint(1995, 2024)}",
            "in the first quarter",
            "overnight",
            "this week",
            f"in {rng.randint(1995, 2024)}",
        ]
    )
    pct = f"{rng.randint(1, 60)}.{rng.randint(0, 9)}"
    t = rng.randrange(8)
    if t == 0:
        return f"{place} {rng.choice(_VERBS)} {rng.randint(2, 5000):,} {rng.choice(_COUNT)} near {place2} {when}."
    if t == 1:
        return f"{rng.choice(_ECON)} in {place} {rng.choice(_CHANGE)} to {pct} percent {when}."
    if t == 2:
        return f"{rng.choice(_ECON)} in {place} {rng.choice(_CHANGE)} by {pct} percent {when}, {person} said."
    if t == 3:
        n = rng.randint(2, 900) * rng.choice([1, 1000])
        what = rng.choice(["displaced", "evacuated", "killed", "injured", "rescued"])
        return f"{org.capitalize()} says {n:,} people have been {what} in {place} {when}."
    if t == 4:
        return f"The talks between {place} and {place2} lasted {rng.choice(['less than', 'more than', 'about'])} {rng.randint(2, 14)} hours."
    if t == 5:
        return f"{place} will spend {pct} percent of its GDP on {rng.choice(_TOPICS)} {when}."
    if t == 6:
        what = rng.choice(["road", "pipeline", "railway", "power line", "canal"])
        return f"The {what} from {place} to {place2} is {_number(rng)} kilometres long."
    amount = rng.choice(["million", "billion"])
    what = rng.choice(["aid", "loans", "investment", "grants"])
    return f"{person} said {place} had received {rng.randint(2, 900)} {amount} dollars in {what} {when}."


def reword(text: str, v: Vocabulary) -> str:
    """A rewording a desk would call the same claim."""
    rng = v.rng
    body = text.rstrip(".")
    choice = rng.randrange(3)
    if choice == 0 and ", " not in body:
        return f"{body}, {v.zipf(v.people)} told reporters."
    if choice == 1:
        words = body.split()
        swapped = [_SYNONYMS.get(w, w) for w in words]
        if swapped != words:
            return " ".join(swapped) + "."
    return f"According to {v.zipf(v.orgs)}, {body[0].lower()}{body[1:]}."


def renumber(text: str, rng: random.Random) -> str | None:
    """The same words with another number: never the same claim."""
    import re

    numbers = list(re.finditer(r"\d+(?:,\d{3})*(?:\.\d+)?", text))
    numbers = [m for m in numbers if not re.fullmatch(r"(19|20)\d\d", m.group())]
    if not numbers:
        return None
    m = rng.choice(numbers)
    value = float(m.group().replace(",", ""))
    new = value * rng.choice([0.5, 0.6, 1.5, 2, 3])
    new_text = f"{new:,.1f}" if "." in m.group() else f"{round(new):,}"
    return text[: m.start()] + new_text + text[m.end() :]


def synthetic_corpus(
    n: int, seed: int = 7
) -> tuple[list[str], list[tuple[int, int]], list[tuple[int, int]]]:
    """``n`` distinct texts, the index pairs of injected rewordings, and of renumbered variants."""
    v = Vocabulary(random.Random(seed))
    texts: list[str] = []
    seen: set[str] = set()
    rewordings: list[tuple[int, int]] = []
    renumbered: list[tuple[int, int]] = []

    def push(text: str) -> int | None:
        key = normalize_text(text)
        if key in seen:
            return None
        seen.add(key)
        texts.append(text)
        return len(texts) - 1

    while len(texts) < n:
        i = push(synthetic_claim(v))
        if i is None:
            continue
        roll = v.rng.random()
        if roll < 0.03 and len(texts) < n:
            j = push(reword(texts[i], v))
            if j is not None:
                rewordings.append((i, j))
        elif roll < 0.05 and len(texts) < n:
            other = renumber(texts[i], v.rng)
            j = push(other) if other else None
            if j is not None:
                renumbered.append((i, j))
    return texts, rewordings, renumbered


# ---------------------------------------------------------------------------------------------
# Stores


def make_store(path: Path, texts: list[str]) -> tuple[Database, list[int]]:
    """A migrated SQLite store holding ``texts`` (quantities parsed, as `add` does); their ids."""
    database = Database(resolve_url(str(path)))
    with database.engine.begin() as conn:
        migrate.upgrade(conn)
    now = utcnow()
    rows = []
    for text in texts:
        norm = normalize_text(text)
        rows.append(
            {
                "text": text,
                "text_norm": norm,
                "dedupe_key": dedupe_key(norm, None),
                "status": "new",
                "quantities": [
                    q.model_dump(mode="json", exclude_none=True) for q in parse_quantities(text)
                ],
                "created_at": now,
                "created_by": "bench",
                "updated_at": now,
                "updated_by": "bench",
                "version": 1,
            }
        )
    with database.session() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Claim), rows[start : start + 5000])
    with database.session(write=False) as session:
        ids = list(session.execute(select(Claim.id).order_by(Claim.id)).scalars())
    return database, ids


# ---------------------------------------------------------------------------------------------
# 2. Retrieval


def eval_retrieval(tmp: Path, distractors: int) -> None:
    pairs = load_pairs()
    same = [p for p in pairs if p["label"] == "same"]
    stored: list[str] = []
    for p in pairs:
        stored.append(p["a"])
        if p["label"] == "different":
            stored.append(p["b"])
    texts, _, _ = synthetic_corpus(distractors, seed=11)
    stored = list(dict.fromkeys(stored)) + texts
    database, ids = make_store(tmp / "retrieval.db", stored)
    id_of = {t: i for t, i in zip(stored, ids, strict=True)}
    ap_full: list[float] = []
    ap_fts: list[float] = []
    ap_and: list[float] = []
    with database.session(write=False) as session:
        for p in same:
            want = id_of[p["a"]]
            found = [m.id for m in similar.find_similar(session, p["b"], limit=5)]
            ap_full.append(1 / (found.index(want) + 1) if want in found else 0.0)
            raw = candidates.candidate_ids(session, p["b"], limit=5)
            ap_fts.append(1 / (raw.index(want) + 1) if want in raw else 0.0)
            hits = [c.id for c, _ in search_claims(session, p["b"], ClaimFilter(limit=5))]
            ap_and.append(1 / (hits.index(want) + 1) if want in hits else 0.0)
    database.dispose()
    print(f"## 2. Retrieval: {len(same)} queries against {len(stored):,} stored claims")
    print(
        f"MAP@5 find_similar (rare-word full-text pre-filter + matcher): {statistics.mean(ap_full):.3f}"
    )
    print(
        f"MAP@5 reference (full-text candidate query, bm25 order):       {statistics.mean(ap_fts):.3f}"
    )
    print(
        f"MAP@5 reference (`claimcheck search`: every word must match):  {statistics.mean(ap_and):.3f}"
    )
    hits = sum(a == 1.0 for a in ap_full)
    print(
        f"right claim ranked first: {hits}/{len(same)}; in the top 5: {sum(a > 0 for a in ap_full)}/{len(same)}\n"
    )


# ---------------------------------------------------------------------------------------------
# 3. Scale


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def eval_scale(tmp: Path, n: int, n_queries: int) -> None:
    t0 = time.perf_counter()
    texts, rewordings, renumbered = synthetic_corpus(n)
    database, ids = make_store(tmp / f"scale-{n}.db", texts)
    build = time.perf_counter() - t0
    print(
        f"## 3. Scale: {n:,} claims (built in {build:.0f} s; {len(rewordings)} injected rewordings, {len(renumbered)} renumbered variants)"
    )
    rng = random.Random(3)
    v = Vocabulary(random.Random(5))
    pair_queries = [p["b"] for p in load_pairs()]
    queries = [reword(rng.choice(texts), v) for _ in range(n_queries // 2)]
    queries += [rng.choice(pair_queries) for _ in range(n_queries - len(queries))]
    full: list[float] = []
    raw: list[float] = []
    with database.session(write=False) as session:
        similar.find_similar(session, queries[0])  # warm the caches once
        for q in queries:
            t = time.perf_counter()
            similar.find_similar(session, q, limit=10)
            full.append(time.perf_counter() - t)
            words = candidates.rare_words(session, q)
            t = time.perf_counter()
            candidates.candidate_ids(session, q, words=words)
            raw.append(time.perf_counter() - t)
    print(
        f"match query (find_similar): median {statistics.median(full) * 1000:.1f} ms, "
        f"p95 {percentile(full, 0.95) * 1000:.1f} ms"
    )
    print(
        f"reference, the full-text candidate query alone: median {statistics.median(raw) * 1000:.1f} ms, "
        f"p95 {percentile(raw, 0.95) * 1000:.1f} ms"
    )

    def process(*args: str) -> float:
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "claimcheck", "--db", str(tmp / f"scale-{n}.db"), *args],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - t

    runs = [process("similar", q, "-f", "json") for q in queries[:5]]
    listing = [process("list", "--limit", "1") for _ in range(5)]
    print(
        f"`claimcheck similar` as a new process: median {statistics.median(runs):.2f} s; "
        f"reference `claimcheck list --limit 1`: {statistics.median(listing):.2f} s (start-up)"
    )

    t = time.perf_counter()
    with database.session(write=False) as session:
        clusters = similar.dupes(session)
    dupes_time = time.perf_counter() - t
    index = {cid: i for i, cid in enumerate(ids)}
    cluster_of: dict[int, int] = {}
    for c in clusters:
        for cid in c.ids:
            cluster_of[index[cid]] = c.cluster
    found = sum(
        1 for a, b in rewordings if a in cluster_of and cluster_of.get(a) == cluster_of.get(b)
    )
    wrong = sum(
        1 for a, b in renumbered if a in cluster_of and cluster_of.get(a) == cluster_of.get(b)
    )
    print(
        f"dupes: {dupes_time:.1f} s, {len(clusters)} clusters; injected rewordings clustered "
        f"{found}/{len(rewordings)}; renumbered variants wrongly joined {wrong}/{len(renumbered)}"
    )
    database.dispose()

    # Reference: the same scorer over every pair of a sample, and the blocking's recall on it.
    sample_n = 1000
    sample = texts[:sample_n]
    feats = [features(t) for t in sample]
    t = time.perf_counter()
    brute = set()
    for i in range(sample_n):
        for j in range(i + 1, sample_n):
            if score(feats[i], feats[j]).label == "same":
                brute.add((i, j))
    brute_time = time.perf_counter() - t
    pairs_n = n * (n - 1) / 2
    per_pair = brute_time / (sample_n * (sample_n - 1) / 2)
    words = {i: frozenset(comparison_text(s).split()) for i, s in enumerate(sample)}
    blocked = candidates.candidate_pairs(candidates.blocking_keys(words))
    kept = sum(1 for p in brute if p in blocked)
    print(
        f"reference, every pair scored: {brute_time:.1f} s for {sample_n:,} claims → "
        f"~{per_pair * pairs_n / 3600:.1f} h for {n:,} ({per_pair * 1e6:.0f} µs a pair); "
        f"blocking keeps {kept}/{len(brute)} of its 'same' pairs"
    )
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Store sizes for the scale runs.")
    parser.add_argument("--queries", type=int, default=200, help="Match queries per size.")
    parser.add_argument(
        "--distractors", type=int, default=10_000, help="Synthetic claims in the retrieval store."
    )
    parser.add_argument("--keep", type=Path, help="Keep the stores in this directory.")
    args = parser.parse_args(argv)
    eval_pairs()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = args.keep or Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        eval_retrieval(tmp, args.distractors)
        for size in (int(s) for s in args.sizes.split(",") if s):
            eval_scale(tmp, size, args.queries)


if __name__ == "__main__":
    main()
