#!/usr/bin/env python3
"""Evaluate "checked before": matching claims against external fact-checks, and import speed.

Prints, each against a reference measured in the same run:

1. **Quality** — ``fixtures/factcheck_pairs.json``: 42 fact-checks written for this project
   (English, Spanish, French, German, Portuguese) and 90 queries, 48 of which repeat one of them
   (paraphrases, repeats with attribution, other-language paraphrases in the fact-check's
   language) and 42 of which do not (negations, opposite directions, changed numbers, other
   actors or places, other claims on the same topic). The store holds the 42 plus
   ``--distractors`` synthetic fact-checks (claim matching's synthetic claims, and templated ones
   in the four other languages). Reported: MAP@5 of
   :func:`claimcheck.services.factchecks.matching.find_factchecks` over the 48 (one relevant
   fact-check each, AP@5 = 1/rank in the top five); the precision and recall of the flag at the
   automatic threshold ("checked before": the best match labelled ``same``) over all 90, and of
   the weaker flag ("maybe checked before": ``same`` or ``suggestion``); per kind. Reference: the
   full-text candidate query's own bm25 order (MAP@5).
2. **Import** — ``--records`` generated ClaimReview records (JSONL; 10 % without a language, so
   language identification runs) imported by ``claimcheck factchecks import`` as a new process:
   wall time and peak memory, at a tenth of the size and at full size (flat memory: the peak must
   not grow with the count). Reference: the same rows inserted by a bare loop (``json.loads`` and
   one multi-row INSERT per 1,000, no reading rules, no report), the floor of any import.
3. **Match query** — median and 95th percentile of ``find_factchecks`` over 200 queries against
   the imported store; reference: the full-text candidate query alone.

Usage::

    python benchmarks/eval_factchecks.py [--distractors 10000] [--records 100000] [--skip-speed]
        [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_matching import synthetic_corpus  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from claimcheck import migrate  # noqa: E402
from claimcheck.core.factchecks import FactCheckIn  # noqa: E402
from claimcheck.db import Database, resolve_url  # noqa: E402
from claimcheck.models import FactCheck, utcnow  # noqa: E402
from claimcheck.services.factchecks import matching, store  # noqa: E402
from claimcheck.services.factchecks.reading import Record  # noqa: E402
from claimcheck.services.users import add_user  # noqa: E402

PAIRS = ROOT / "fixtures" / "factcheck_pairs.json"

# Templated distractors in the other languages (generated names; the words are everyday ones).
_TEMPLATES = {
    "es": [
        "El ayuntamiento de {p} prohibió {x} en {m}",
        "El precio de {x} subió un {n} por ciento en {p}",
        "{q} dijo que {p} cerrará {x} el próximo año",
        "La policía de {p} detuvo a {n} personas por {x}",
    ],
    "fr": [
        "La mairie de {p} a interdit {x} en {m}",
        "Le prix de {x} a augmenté de {n} pour cent à {p}",
        "{q} affirme que {p} fermera {x} l'an prochain",
    ],
    "de": [
        "Die Stadt {p} hat {x} im {m} verboten",
        "Der Preis für {x} ist in {p} um {n} Prozent gestiegen",
        "{q} sagt, {p} schließt {x} im nächsten Jahr",
    ],
    "pt": [
        "A prefeitura de {p} proibiu {x} em {m}",
        "O preço de {x} subiu {n} por cento em {p}",
        "{q} disse que {p} vai fechar {x} no ano que vem",
    ],
}
_THINGS = {
    "es": ["los coches", "el pan", "las escuelas", "los mercados", "la gasolina", "los parques"],
    "fr": ["les voitures", "le pain", "les écoles", "les marchés", "l'essence", "les parcs"],
    "de": ["Autos", "Brot", "Schulen", "Märkte", "Benzin", "Parks"],
    "pt": ["os carros", "o pão", "as escolas", "os mercados", "a gasolina", "os parques"],
}
_MONTHS = {
    "es": ["enero", "marzo", "mayo", "julio", "octubre"],
    "fr": ["janvier", "mars", "mai", "juillet", "octobre"],
    "de": ["Januar", "März", "Mai", "Juli", "Oktober"],
    "pt": ["janeiro", "março", "maio", "julho", "outubro"],
}
_SYL = [
    "ka",
    "ro",
    "vin",
    "dal",
    "mer",
    "tos",
    "lan",
    "bek",
    "sor",
    "ith",
    "ul",
    "gar",
    "nov",
    "pet",
    "ask",
    "zen",
    "mir",
    "hol",
]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()


def other_language_texts(n: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lang = rng.choice(list(_TEMPLATES))
        text = rng.choice(_TEMPLATES[lang]).format(
            p=_name(rng),
            q=f"{_name(rng)} {_name(rng)}",
            x=rng.choice(_THINGS[lang]),
            m=rng.choice(_MONTHS[lang]),
            n=rng.randint(2, 90),
        )
        out.append((lang, text))
    return out


def fake(i: int, text: str, lang: str | None, label: str = "False") -> FactCheckIn:
    return FactCheckIn(
        publisher=f"Checker {i % 40}",
        review_url=f"https://checker{i % 40}.example.org/checks/{i}",
        language=lang,
        claim_text=text,
        rating_label=label,
    )


def make_db(path: Path) -> Database:
    db = Database(resolve_url(str(path)))
    with db.engine.begin() as conn:
        migrate.upgrade(conn)
    with db.session() as session:
        add_user(session, "bench", "editor", "bench", bootstrap=True)
    return db


# ---------------------------------------------------------------------------------------------
# 1. Quality


def eval_quality(tmp: Path, distractors: int) -> None:
    data = json.loads(PAIRS.read_text(encoding="utf-8"))
    db = make_db(tmp / "quality.db")
    english, _, _ = synthetic_corpus(distractors * 4 // 5, seed=3)
    others = other_language_texts(distractors - len(english))
    records = [
        Record(f"pairs:{f['key']}", review=fake(n, f["text"], f["lang"]))
        for n, f in enumerate(data["factchecks"])
    ]
    records += [Record(f"en:{n}", review=fake(10_000 + n, t, "en")) for n, t in enumerate(english)]
    records += [
        Record(f"x:{n}", review=fake(50_000 + n, t, lang)) for n, (lang, t) in enumerate(others)
    ]
    with db.session() as session:
        result = store.import_records(session, records, "bench")
        ids = {}
        for row in result.rows():
            if row["origin"].startswith("pairs:"):
                ids[row["id"]] = row["origin"].removeprefix("pairs:")
        result.close()

    ap: list[float] = []
    ap_bm25: list[float] = []
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    flag = Counter[str]()
    weak = Counter[str]()
    times = []
    with db.session(write=False) as session:
        for q in data["queries"]:
            t0 = time.perf_counter()
            found = matching.find_factchecks(session, q["text"], limit=5)
            times.append(time.perf_counter() - t0)
            keys = [ids.get(m.id) for m in found]
            bm25 = [ids.get(i) for i in matching.candidate_ids(session, q["text"])[:5]]
            kind = per_kind[q["kind"]]
            kind["n"] += 1
            gold = q["match"]
            if gold is not None:
                ap.append(1 / (keys.index(gold) + 1) if gold in keys else 0.0)
                ap_bm25.append(1 / (bm25.index(gold) + 1) if gold in bm25 else 0.0)
                kind["top1"] += bool(keys) and keys[0] == gold
            top = found[0] if found else None
            flagged = top is not None and top.label == "same"
            maybe = top is not None and top.label in ("same", "suggestion")
            right = top is not None and ids.get(top.id) == gold and gold is not None
            for counter, on in ((flag, flagged), (weak, maybe)):
                if on:
                    counter["flagged"] += 1
                    counter["right"] += right
                counter["relevant"] += gold is not None
                counter["found"] += on and right
            kind["flagged"] += flagged
            kind["flag_right"] += flagged and right
            kind["maybe"] += maybe
    n_match = len(ap)
    print(
        f"\n## Quality ({len(data['factchecks'])} labelled fact-checks + {distractors:,} distractors)"
    )
    print(f"queries: {len(data['queries'])} ({n_match} with a match)")
    print(
        f"MAP@5 find_factchecks: {sum(ap) / n_match:.3f}   reference bm25 order: {sum(ap_bm25) / n_match:.3f}"
    )
    for name, c in (
        ("checked before (same)", flag),
        ("maybe checked before (same|suggestion)", weak),
    ):
        precision = c["right"] / c["flagged"] if c["flagged"] else 1.0
        recall = c["found"] / c["relevant"]
        print(
            f"flag {name}: precision {precision:.3f} ({c['right']}/{c['flagged']}), recall {recall:.3f} ({c['found']}/{c['relevant']})"
        )
    print(
        "\n| kind | queries | right first | flagged 'checked before' | of them right | 'maybe' or better |"
    )
    print("|---|---|---|---|---|---|")
    for kind, c in per_kind.items():
        print(
            f"| {kind} | {c['n']} | {c['top1']} | {c['flagged']} | {c['flag_right']} | {c['maybe']} |"
        )
    print(f"query time: median {statistics.median(times) * 1000:.1f} ms")
    db.dispose()
    hard_retrieval(tmp, data, records)


def hard_retrieval(tmp: Path, data: dict[str, Any], records: list[Record]) -> None:
    """MAP@5 with the hard negatives stored too: every query without a match becomes a stored
    fact-check (same words, another number, actor or polarity), so a paraphrase must rank its
    own fact-check above near-duplicates that say something else."""
    db = make_db(tmp / "hard.db")
    extra = [
        Record(f"neg:{n}", review=fake(90_000 + n, q["text"], None))
        for n, q in enumerate(data["queries"])
        if q["match"] is None
    ]
    with db.session() as session:
        result = store.import_records(session, records + extra, "bench")
        ids = {
            row["id"]: row["origin"].removeprefix("pairs:")
            for row in result.rows()
            if row["origin"].startswith("pairs:")
        }
        result.close()
    ap, ap_bm25, first = [], [], 0
    with db.session(write=False) as session:
        for q in data["queries"]:
            if q["match"] is None:
                continue
            keys = [ids.get(m.id) for m in matching.find_factchecks(session, q["text"], limit=5)]
            bm25 = [ids.get(i) for i in matching.candidate_ids(session, q["text"])[:5]]
            ap.append(1 / (keys.index(q["match"]) + 1) if q["match"] in keys else 0.0)
            ap_bm25.append(1 / (bm25.index(q["match"]) + 1) if q["match"] in bm25 else 0.0)
            first += bool(keys) and keys[0] == q["match"]
    db.dispose()
    print(
        f"\nwith the {len(extra)} hard negatives stored as fact-checks too: MAP@5 "
        f"{sum(ap) / len(ap):.3f} ({first}/{len(ap)} right first); "
        f"reference bm25 order: {sum(ap_bm25) / len(ap_bm25):.3f}"
    )


# ---------------------------------------------------------------------------------------------
# 2. Import speed


def write_records(path: Path, n: int, seed: int = 5) -> None:
    english, _, _ = synthetic_corpus(int(n * 0.8), seed=seed)
    others = other_language_texts(n - len(english), seed=seed)
    rng = random.Random(seed)
    labels = ["False", "Mostly false", "Misleading", "Falso", "Faux", "Engañoso", "True", "Satire"]
    with path.open("w", encoding="utf-8") as fh:
        items = [("en", t) for t in english] + others
        rng.shuffle(items)
        for i, (lang, text) in enumerate(items):
            review: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://checker{i % 40}.example.org/{2020 + i % 5}/checks/{i}",
                "datePublished": f"{2020 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "author": {"@type": "Organization", "name": f"Checker {i % 40}"},
                "claimReviewed": text,
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": f"Speaker {i % 997}"},
                    "appearance": [{"url": f"https://social.example.net/p/{i}"}],
                },
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": 1 + i % 5,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": labels[i % len(labels)],
                },
            }
            if i % 10:
                review["inLanguage"] = lang
            fh.write(json.dumps(review, ensure_ascii=False) + "\n")


def run_import(db_path: Path | str, records: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `claimcheck factchecks import` as a new process."""
    env = {**os.environ, "CLAIMCHECK_USER": "bench"}
    code = (
        "import resource, sys; from claimcheck.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n"
        "    print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "    raise\n"
    )
    args = [sys.executable, "-c", code, "--db", str(db_path), "factchecks", "import",
            str(records), "--report", "none"]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    rss = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("RSS"))
    return wall, rss / 1024


def bare_insert(db_path: Path, records: Path) -> float:
    db = make_db(db_path)
    t0 = time.perf_counter()
    now = utcnow()
    with db.session() as session, records.open(encoding="utf-8") as fh:
        batch: list[dict[str, Any]] = []
        for line in fh:
            r = json.loads(line)
            batch.append(
                {
                    "review_url": r["url"],
                    "publisher": r["author"]["name"],
                    "claim_text": r["claimReviewed"],
                    "claim_terms": r["claimReviewed"],
                    "claimants": [],
                    "appearances": [],
                    "rating_label": r["reviewRating"]["alternateName"],
                    "imported_at": now,
                    "imported_by": "bench",
                    "updated_at": now,
                }
            )
            if len(batch) == 1000:
                session.execute(insert(FactCheck), batch)
                batch = []
        if batch:
            session.execute(insert(FactCheck), batch)
    wall = time.perf_counter() - t0
    db.dispose()
    return wall


def eval_speed(tmp: Path, n: int, n_queries: int) -> None:
    print(f"\n## Import ({n:,} generated ClaimReview records, JSONL)")
    small, full = tmp / "small.jsonl", tmp / "full.jsonl"
    write_records(small, n // 10)
    write_records(full, n)
    rows = []
    for label, path in ((f"{n // 10:,}", small), (f"{n:,}", full)):
        db_path = tmp / f"import-{path.stem}.db"
        make_db(db_path).dispose()
        wall, rss = run_import(db_path, path)
        bare = bare_insert(tmp / f"bare-{path.stem}.db", path)
        rows.append((label, wall, rss, bare))
    print("| records | `factchecks import` | peak memory | reference: bare INSERT loop |")
    print("|---|---|---|---|")
    for label, wall, rss, bare in rows:
        print(f"| {label} | {wall:.1f} s | {rss:.0f} MB | {bare:.1f} s |")
    db_path = tmp / "import-full.db"
    wall, _ = run_import(db_path, full)
    print(f"re-import of the {n:,} (every record unchanged): {wall:.1f} s")

    print(f"\n## Match query ({n:,} fact-checks)")
    match_latency(str(db_path), full, n_queries)


def match_latency(url: str, full: Path, n_queries: int) -> None:
    db = Database(resolve_url(url))
    texts = [line and json.loads(line)["claimReviewed"] for line in full.open(encoding="utf-8")]
    rng = random.Random(9)
    queries = [t.replace(" the ", " a ", 1) + " recently" for t in rng.sample(texts, n_queries)]
    with db.session(write=False) as session:
        matching.find_factchecks(session, queries[0])  # warm up caches
        full_times, cand_times = [], []
        for q in queries:
            t0 = time.perf_counter()
            matching.find_factchecks(session, q)
            full_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            matching.candidate_ids(session, q)
            cand_times.append(time.perf_counter() - t0)
    db.dispose()
    print("| | median | p95 |")
    print("|---|---|---|")
    for name, values in (
        ("find_factchecks", full_times),
        ("reference: candidate query alone", cand_times),
    ):
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"| {name} | {statistics.median(values) * 1000:.1f} ms | {p95 * 1000:.1f} ms |")


def eval_postgresql(tmp: Path, n: int, n_queries: int, server: str) -> None:
    """The same import and match query on PostgreSQL (a scratch database on ``server``)."""
    import psycopg

    name = "cc_eval_factchecks"
    admin = resolve_url(server)
    conninfo = f"host={admin.host or '127.0.0.1'} port={admin.port or 5432} "
    conninfo += f"user={admin.username or 'postgres'} dbname={admin.database or 'postgres'}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = str(admin.set(database=name).render_as_string(hide_password=False))
    try:
        db = Database(resolve_url(url))
        with db.engine.begin() as conn:
            migrate.upgrade(conn)
        with db.session() as session:  # on PostgreSQL the actor is the database role
            role = admin.username or "postgres"
            add_user(session, role, "editor", role, bootstrap=True)
        db.dispose()
        records = tmp / "full.jsonl"
        if not records.exists():
            write_records(records, n)
        print(f"\n## PostgreSQL ({n:,} records)")
        wall, rss = run_import(url, records)
        print(f"import: {wall:.1f} s, peak memory {rss:.0f} MB")
        match_latency(url, records, n_queries)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--distractors", type=int, default=10_000)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--keep", type=Path, help="Keep the generated files and databases here.")
    ap.add_argument(
        "--pg",
        metavar="URL",
        help="Also time import and match on this PostgreSQL server (a scratch database).",
    )
    args = ap.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"peak RSS of this process so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = args.keep or Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        if not args.skip_quality:
            eval_quality(tmp, args.distractors)
        if not args.skip_speed:
            eval_speed(tmp, args.records, args.queries)
        if args.pg:
            eval_postgresql(tmp, args.records, args.queries, args.pg)


if __name__ == "__main__":
    main()
