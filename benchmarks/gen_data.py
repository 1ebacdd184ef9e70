#!/usr/bin/env python3
"""Synthetic claim archives for the benchmarks: 10k, 100k or 1M claims with a fixed seed.

Design
------
The archive is generated the way a desk fills it: article by article, in time order from 2019 to
late 2025. Each *source* (a news article, transcript, post ...) yields 1-30 claims said on (about)
its publication day by one to three claimants, who follow a Zipf distribution (a few politicians
say a lot). Claims carry topic, country and event tags, structured quantities when they hold a
number, a check-worthiness score when "extracted", and a workflow history that depends on their
age: old claims are mostly verified or dismissed, recent ones new or in review. Reviewed claims
gather evidence (from a growing pool of statistics pages and reports), citations, notes, and a few
corrections. Every change is an audit event built by the same :mod:`claimcheck.core.events` builders the
services use, hash-chained with :func:`claimcheck.services.audit.event_hash`, in time order, so
``verify_chain`` accepts the whole archive and a history replay gives each claim's stored state.

Speed
-----
The schema comes from the real migrations (:func:`claimcheck.migrate.upgrade`). Rows are then
written without the ORM: ``executemany`` on SQLite (journal off, secondary indexes and FTS triggers
dropped during the load and recreated from their own stored SQL afterwards, the FTS table filled
with one ``INSERT ... SELECT``), ``COPY`` on PostgreSQL (non-constraint indexes dropped and
recreated, foreign-key triggers disabled during the load, sequences moved past the loaded ids).
Both end with ``ANALYZE``. 1M claims take a few minutes; the result is cached under
``benchmarks/data/`` (git-ignored) with a manifest naming the generator version, the seed, the row
counts and the sample values the benchmarks query (a busy speaker, a rare tag, a date range ...).
A cached database is reused while the generator version matches; one at an older schema
revision is upgraded in place.

Values are written as the ORM stores them (dates ``YYYY-MM-DD``, naive-UTC
``YYYY-MM-DD HH:MM:SS.ffffff`` on SQLite, JSON text), and ``--verify`` (automatic for the 10k
size) reads the archive back through claimcheck itself: the audit chain, listing, showing.

Usage::

    python benchmarks/gen_data.py 10k 100k 1m          # SQLite archives (cached)
    python benchmarks/gen_data.py 1m --backend postgresql [--pg-url postgresql://postgres@127.0.0.1/]
    python benchmarks/gen_data.py --csv 100000          # the import benchmark's CSV
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import heapq
import json
import os
import random
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimcheck.core import events  # noqa: E402
from claimcheck.core.text import alias_key, dedupe_key, normalize_text  # noqa: E402
from claimcheck.services.audit import GENESIS, event_hash  # noqa: E402

GEN_VERSION = 2
DEFAULT_SEED = 20250519
DATA_DIR = Path(__file__).resolve().parent / "data"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PG_DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

UTC = dt.UTC
START = dt.datetime(2019, 1, 1, 6, 0, tzinfo=UTC)
END = dt.datetime(2025, 10, 1, 6, 0, tzinfo=UTC)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
NAIVE_EPOCH = dt.datetime(1970, 1, 1)
MINUTE = 60_000_000  # microseconds
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# ---------------------------------------------------------------------------------------------
# Vocabulary: names, places and words, in benchmarks/vocab.json (written for claimcheck).

_VOCAB: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "vocab.json").read_text(encoding="utf-8")
)


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def _words(key: str) -> tuple[Any, ...]:
    return _frozen(_VOCAB[key])  # type: ignore[no-any-return]


USERS: tuple[tuple[str, str], ...] = _words("users")
EDITORS = tuple(u for u, r in USERS if r == "editor")
REVIEWERS = tuple(u for u, r in USERS if r in ("reviewer", "editor"))
CONTRIBUTORS = tuple(u for u, _ in USERS)
FIRST = _words("first")
LAST = _words("last")
TITLES = _words("titles")
ORG_KINDS = _words("org_kinds")
COUNTRIES = _words("countries")
CITIES = _words("cities")
# (indicator, unit phrase, unit name for the quantity, low, high, decimals, topic tag)
INDICATORS = _words("indicators")
RISE = _words("rise")
FALL = _words("fall")
MONTHS = _words("months")
SECTORS = _words("sectors")
BUILT = _words("built")
GROUPS = _words("groups")
EVENTS = _words("events")
TERRITORY = _words("territory")
FILLER = _words("filler")
PUBLISHERS = _words("publishers")
SOURCE_KINDS = _words("source_kinds")
REFERENCE_PUBLISHERS = _words("reference_publishers")
VERDICTS = _words("verdicts")
DISMISS_REASONS = _words("dismiss_reasons")
REOPEN_REASONS = _words("reopen_reasons")
EVENT_TAGS_PER_YEAR = _words("event_tags_per_year")
MISC_TAGS = _words("misc_tags")
EXCERPTS = _words("excerpts")
NOTE_BODIES = _words("note_bodies")


def _weights(items: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [v for v, _ in items]
    cum: list[int] = []
    total = 0
    for _, w in items:
        total += w
        cum.append(total)
    return values, cum


def _zipf_cum(n: int, s: float) -> list[float]:
    cum: list[float] = []
    total = 0.0
    for i in range(n):
        total += 1.0 / (i + 1) ** s
        cum.append(total)
    return cum


def ts(us: int) -> str:
    """Microseconds since the epoch → the naive-UTC text SQLAlchemy stores on SQLite."""
    return (NAIVE_EPOCH + dt.timedelta(microseconds=us)).isoformat(" ", "microseconds")


def iso(us: int) -> str:
    """Microseconds since the epoch → ISO text as :func:`audit.jsonable` writes datetimes."""
    return (EPOCH + dt.timedelta(microseconds=us)).isoformat()


def aware(us: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=us)


def day_of(us: int) -> str:
    return (NAIVE_EPOCH + dt.timedelta(microseconds=us)).date().isoformat()


def to_us(value: dt.datetime) -> int:
    return (value - EPOCH) // dt.timedelta(microseconds=1)


# ---------------------------------------------------------------------------------------------
# Tables and their column order (as written)

COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("id", "name", "role", "active", "created_at", "created_by"),
    "claimants": ("id", "name", "kind", "same_as", "created_at"),
    "claimant_aliases": ("id", "claimant_id", "alias", "alias_key"),
    "tags": ("id", "name"),
    "sources": (
        "id",
        "url",
        "title",
        "publisher",
        "author",
        "published_on",
        "retrieved_at",
        "kind",
        "language",
        "archived_text",
        "text_sha256",
        "created_at",
        "created_by",
    ),
    "claims": (
        "id",
        "text",
        "text_norm",
        "dedupe_key",
        "statement",
        "context",
        "claimant_id",
        "source_id",
        "start",
        "end",
        "said_on",
        "status",
        "verdict",
        "rationale",
        "checkworthiness",
        "quantities",
        "tolerance",
        "assignee",
        "proposed_by",
        "proposed_at",
        "approved_by",
        "approved_at",
        "same_as_id",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
    ),
    "claim_tags": ("claim_id", "tag_id"),
    "evidence": (
        "id",
        "claim_id",
        "source_id",
        "excerpt",
        "stance",
        "figure",
        "unit",
        "as_of",
        "note",
        "created_at",
        "created_by",
    ),
    "citations": ("claim_id", "evidence_id"),
    "notes": ("id", "claim_id", "body", "created_at", "created_by"),
    "corrections": (
        "id",
        "claim_id",
        "reopened_at",
        "reopened_by",
        "reason",
        "old_verdict",
        "new_verdict",
        "note",
        "completed_at",
    ),
    "events": (
        "id",
        "claim_id",
        "entity",
        "entity_id",
        "actor",
        "at",
        "action",
        "before",
        "after",
        "comment",
        "prev_hash",
        "hash",
    ),
    "audit_head": ("id", "last_event_id", "last_hash"),
}
# Load order respects the foreign keys (checked on PostgreSQL when the triggers come back).
TABLE_ORDER = tuple(COLUMNS)
BIG_TABLES = ("sources", "claims", "claim_tags", "evidence", "citations", "notes", "events")


class Sink:
    """Where rows go: :class:`SqliteSink` or :class:`PostgresSink`."""

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------
# The generator


@dataclass(order=True)
class Planned:
    """An audit event waiting for its time: emitted in (at, seq) order, ids and hashes then."""

    at: int
    seq: int
    actor: str = field(compare=False)
    payload: events.Payload = field(compare=False)


@dataclass
class Stats:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    status: dict[str, int] = field(default_factory=dict)
    tag_counts: dict[int, int] = field(default_factory=dict)
    claimant_counts: dict[int, int] = field(default_factory=dict)
    archived_claim: int | None = None
    verified_claim: int | None = None
    sample_source_url: str | None = None
    sample_source_claims: int = 0


class Generator:
    """Produces the archive's rows in time order into a :class:`Sink`, in batches."""

    BATCH = 20_000  # claims per flush

    def __init__(self, n_claims: int, seed: int, sink: Sink) -> None:
        self.n = n_claims
        self.rng = random.Random(seed)
        self.sink = sink
        self.stats = Stats()
        self.buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        self.heap: list[Planned] = []
        self.seq = 0
        self.prev_hash = GENESIS
        self.ids = dict.fromkeys(
            ("events", "sources", "claims", "evidence", "notes", "corrections"), 0
        )
        self._verdicts = _weights(VERDICTS)
        self._kinds = _weights(SOURCE_KINDS)
        self._alias_keys_global: set[str] = set()
        # Each claimant's latest claims (id, text, quantities): a few claims are said again.
        self.recent: dict[int, deque[tuple[int, str, list[dict[str, Any]]]]] = {}
        self.roots: dict[int, int] = {}  # a repeated claim's id -> the original's id
        self._build_claimants()
        self._build_tags()
        self.reference_sources: list[tuple[int, str, str]] = []  # (id, url, unit topic)

    # -- fixed entities ------------------------------------------------------------------------

    def _build_claimants(self) -> None:
        rng = self.rng
        count = max(60, self.n // 40)
        names: list[tuple[str, str, str | None]] = []  # name, kind, title
        seen: set[str] = set()
        while len(names) < count:
            if rng.random() < 0.1:
                name = f"{rng.choice(COUNTRIES)} {rng.choice(ORG_KINDS)}"
                kind, title = "organization", None
            else:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                kind, title = "person", rng.choice(TITLES)
            if name in seen:
                name = f"{name} {len(names)}" if kind == "person" else f"{name} ({len(names)})"
            seen.add(name)
            names.append((name, kind, title))
        self.claimants = names
        self.claimant_cum = _zipf_cum(count, 1.05)
        alias_id = 0
        self.same_as: list[tuple[int, str, str]] = []  # claimant id, kind, authority URL
        rows: list[tuple[Any, ...]] = []
        alias_rows: list[tuple[Any, ...]] = []
        created = ts(to_us(START) - 30 * DAY)
        for i, (name, kind, title) in enumerate(names, start=1):
            same_as = (
                f"https://www.wikidata.org/wiki/Q{100000 + i * 7}" if rng.random() < 0.3 else None
            )
            rows.append((i, name, kind, same_as, created))
            if same_as is not None:  # set by `claimant same-as`, which records a claimant.edit
                self.same_as.append((i, kind, same_as))
            spellings = [name]
            if title is not None:
                spellings.append(f"{title} {name}")
                if rng.random() < 0.5:
                    spellings.append(name.split()[-1] if " " in name else name)
            keys: set[str] = set()
            for spelling in spellings:
                key = alias_key(spelling)
                if key in keys or key in self._alias_keys_global:
                    continue
                keys.add(key)
                self._alias_keys_global.add(key)
                alias_id += 1
                alias_rows.append((alias_id, i, spelling, key))
        self.buffers["claimants"] = rows
        self.buffers["claimant_aliases"] = alias_rows

    def _build_tags(self) -> None:
        names: list[str] = []
        names.extend(sorted({ind[6] for ind in INDICATORS}))
        names.extend(("war", "diplomacy", "sanctions", "ceasefire"))
        names.extend(c.lower() for c in COUNTRIES)
        for year in range(START.year - 1, END.year + 1):
            names.extend(f"{e}-{year}" for e in EVENT_TAGS_PER_YEAR)
        names.extend(MISC_TAGS)
        names = list(dict.fromkeys(names))
        self.tag_ids = {name: i for i, name in enumerate(names, start=1)}
        self.buffers["tags"] = [(i, name) for name, i in self.tag_ids.items()]

    # -- helpers -------------------------------------------------------------------------------

    def plan(self, at: int, actor: str, payload: events.Payload) -> None:
        """An event (built by :mod:`claimcheck.core.events`, as the services build theirs)."""
        self.seq += 1
        heapq.heappush(self.heap, Planned(at, self.seq, actor, payload))

    def emit_until(self, until: int | None) -> None:
        heap = self.heap
        out = self.buffers["events"]
        while heap and (until is None or heap[0].at <= until):
            planned = heapq.heappop(heap)
            ev = planned.payload
            entity_id = (
                ev.claim_id if ev.entity == "claim" and ev.entity_id is None else ev.entity_id
            )
            self.ids["events"] += 1
            digest = event_hash(
                prev_hash=self.prev_hash,
                claim_id=ev.claim_id,
                entity=ev.entity,
                entity_id=entity_id,
                actor=planned.actor,
                at=aware(planned.at),
                action=ev.action,
                before=ev.before,
                after=ev.after,
                comment=ev.comment,
            )
            out.append(
                (
                    self.ids["events"],
                    ev.claim_id,
                    ev.entity,
                    entity_id,
                    planned.actor,
                    ts(planned.at),
                    ev.action,
                    None if ev.before is None else json.dumps(ev.before),
                    None if ev.after is None else json.dumps(ev.after),
                    ev.comment,
                    self.prev_hash,
                    digest,
                )
            )
            self.prev_hash = digest

    def flush(self) -> None:
        for table in TABLE_ORDER:
            rows = self.buffers[table]
            if rows:
                self.sink.write(table, rows)
                self.stats.counts[table] += len(rows)
                self.buffers[table] = []

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> Stats:
        rng = self.rng
        setup = to_us(START) - 20 * DAY
        for i, (name, role) in enumerate(USERS, start=1):
            at = setup + i * MINUTE
            self.buffers["users"].append((i, name, role, 1, ts(at), "ed"))
            self.plan(at, "ed", events.user_added(i, name, role))
        for i, kind, url in self.same_as:  # the desk links claimants to their authority pages
            self.plan(
                setup + DAY + i * MINUTE, "ed", events.claimant_edited(i, (None, kind), (url, kind))
            )
        for _ in range(12):
            self._reference_source(setup + 5 * DAY + rng.randrange(DAY))
        span = to_us(END) - to_us(START)
        since_flush = 0
        now = to_us(START)
        while self.ids["claims"] < self.n:
            progress = self.ids["claims"] / self.n
            now = max(now + MINUTE, to_us(START) + int(progress * span) + rng.randrange(2 * HOUR))
            self.emit_until(now)
            if rng.random() < 0.03:
                self._reference_source(now)
                now += MINUTE
            made = self._article(now, progress)
            since_flush += made
            if since_flush >= self.BATCH:
                self.flush()
                since_flush = 0
        self.emit_until(None)
        self.buffers["audit_head"].append((1, self.ids["events"], self.prev_hash))
        self.flush()
        self.sink.finish()
        return self.stats

    def _reference_source(self, at: int) -> None:
        rng = self.rng
        publisher, domain = rng.choice(REFERENCE_PUBLISHERS)
        indicator = rng.choice(INDICATORS)
        self.ids["sources"] += 1
        sid = self.ids["sources"]
        url = f"https://{domain}/data/{indicator[6]}/{indicator[0].replace(' ', '-')}-{sid}"
        title = (
            f"{indicator[0].capitalize()}: {rng.choice(COUNTRIES)} time series, {day_of(at)[:4]}"
        )
        kind = rng.choice(("dataset", "report", "official-statement"))
        self._source_row(sid, url, title, publisher, None, day_of(at), None, kind, None, at)
        self.reference_sources.append((sid, url, indicator[6]))

    def _source_row(
        self,
        sid: int,
        url: str,
        title: str,
        publisher: str,
        author: str | None,
        published_on: str,
        archived: str | None,
        kind: str,
        retrieved: int | None,
        at: int,
    ) -> None:
        actor = self.rng.choice(CONTRIBUTORS)
        sha = hashlib.sha256(archived.encode("utf-8")).hexdigest() if archived else None
        self.buffers["sources"].append(
            (
                sid,
                url,
                title,
                publisher,
                author,
                published_on,
                ts(retrieved) if retrieved is not None else None,
                kind,
                "en",
                archived,
                sha,
                ts(at),
                actor,
            )
        )
        state = events.source_state(
            url=url,
            title=title,
            publisher=publisher,
            author=author,
            published_on=published_on,
            kind=kind,
            language="en",
            text_sha256=sha,
        )
        self.plan(at, actor, events.source_added(sid, state))

    def _number(self, ind: tuple[Any, ...]) -> tuple[float, str]:
        rng = self.rng
        low, high, decimals = ind[3], ind[4], ind[5]
        value = round(rng.uniform(low, high), decimals)
        if decimals == 0:
            value = float(int(value))
            text = f"{int(value):,}"
        else:
            text = f"{value:.{decimals}f}"
        return value, text

    def _sentence(self, place: str, year: int) -> tuple[str, list[dict[str, Any]], str]:
        """One claim: its text, its quantities (JSON-ready) and its topic tag."""
        rng = self.rng
        ind = rng.choice(INDICATORS)
        name, unit_phrase, unit, topic = ind[0], ind[1], ind[2], ind[6]
        value, num = self._number(ind)
        surface = f"{num} {unit_phrase}"
        comparator = "="
        quantities: list[dict[str, Any]] | None = None
        kind = rng.randrange(14)
        Name = name[0].upper() + name[1:]
        if kind == 0:
            text = f"{Name} {rng.choice(RISE)} to {surface} in {rng.choice(MONTHS)}"
        elif kind == 1:
            text = f"{Name} {rng.choice(FALL)} to {surface} last year"
        elif kind == 2:
            text = f"{Name} in {place} is the highest it has been in {rng.randint(3, 40)} years"
            quantities = [{"value": float(rng.randint(3, 40)), "unit": "year", "comparator": "="}]
        elif kind == 3:
            pct = rng.randint(5, 60)
            surface = f"{pct} percent"
            text = f"We have cut {name} by {pct} percent since taking office"
            value, unit = float(pct), "percent"
        elif kind == 4:
            comparator = "~"
            surface = f"about {surface}"
            text = f"{Name} in {place} is {surface}, more than in any neighbouring country"
        elif kind == 5:
            count = rng.randint(2, 900) * 100
            surface = f"More than {count:,} people"
            text = f"More than {count:,} people {rng.choice(EVENTS)} in {place} in {year}"
            value, unit, comparator = float(count), "people", ">"
        elif kind == 6:
            pct = rng.randint(5, 35)
            surface = f"about {pct} percent"
            text = f"{rng.choice(COUNTRIES)} still controls about {pct} percent of {rng.choice(TERRITORY)}"
            value, unit, comparator = float(pct), "percent", "~"
        elif kind == 7:
            count = rng.randint(2, 500) * 10
            what = rng.choice(BUILT)
            surface = f"{count:,} new {what}"
            text = (
                f"Our government built {count:,} new {what} in {place} in {rng.randint(2, 8)} years"
            )
            value, unit = float(count), "count"
        elif kind == 8:
            pct = rng.randint(3, 95)
            surface = f"{pct} percent"
            text = f"Only {pct} percent of {rng.choice(GROUPS)} in {place} can afford {name.removeprefix('the ')}"
            value, unit = float(pct), "percent"
        elif kind == 9:
            lo, hi = sorted((round(value * 0.8, 1), round(value * 1.2, 1)))
            surface = f"between {lo:g} and {hi:g} {unit_phrase}"
            text = f"{Name} will be between {lo:g} and {hi:g} {unit_phrase} by {year + 1}"
            quantities = [
                {"value": [lo, hi], "unit": unit, "comparator": "range", "surface": surface}
            ]
        elif kind == 10:
            billions = rng.randint(2, 400) / 10 if rng.random() < 0.5 else rng.randint(20, 900)
            surface = f"{billions:g} billion dollars"
            text = f"{place} spends {surface} a year on {rng.choice(SECTORS)}, twice the average"
            value, unit = float(billions) * 1e9, "USD"
        elif kind == 11:
            verb = "have" if name.endswith("s") and not name.startswith("the ") else "has"
            text = f"{Name} {verb} doubled since {year - rng.randint(2, 12)}"
            quantities = []
        elif kind == 12:
            text = (
                f"{rng.choice(COUNTRIES)} never agreed to the {rng.choice(('ceasefire', 'treaty', 'grain deal', 'sanctions package'))} "
                f"signed in {rng.choice(CITIES)}"
            )
            quantities = []
        else:
            text = f"{Name} is {surface} lower than it was {rng.randint(2, 20)} years ago"
        if quantities is None:
            quantities = [
                {"value": value, "unit": unit, "comparator": comparator, "surface": surface}
            ]
        return text + ".", quantities, topic

    def _article(self, now: int, progress: float) -> int:
        """One source and its claims (and their planned histories). Returns the claim count."""
        rng = self.rng
        publisher, domain = rng.choice(PUBLISHERS)
        kind = rng.choices(self._kinds[0], cum_weights=self._kinds[1])[0]
        published = now - rng.randrange(3 * DAY)
        if rng.random() < 0.08:  # an older statement entered late
            published -= rng.randrange(700 * DAY)
            published = max(published, to_us(START) - 300 * DAY)
        year = int(day_of(published)[:4])
        country = rng.choice(COUNTRIES)
        place = country if rng.random() < 0.6 else rng.choice(CITIES)
        k = min(30, 1 + int(rng.expovariate(1 / 6)))
        k = min(k, self.n - self.ids["claims"])
        speakers = [
            rng.choices(range(1, len(self.claimants) + 1), cum_weights=self.claimant_cum)[0]
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))
        ]
        lead = self.claimants[speakers[0] - 1][0]
        event_tag = f"{rng.choice(EVENT_TAGS_PER_YEAR)}-{year}" if rng.random() < 0.12 else None
        self.ids["sources"] += 1
        sid = self.ids["sources"]
        date = day_of(published)
        slug_words = [w.lower() for w in (lead.split()[-1], place, rng.choice(INDICATORS)[6])]
        url = f"https://{domain}/{date.replace('-', '/')}/{'-'.join(slug_words)}-{sid}"
        if rng.random() < 0.02:
            url += "?page=2"
        sentences: list[tuple[str, list[dict[str, Any]], str]] = []
        seen: set[str] = set()
        while len(sentences) < k:
            s = self._sentence(place, year)
            norm = normalize_text(s[0])
            if norm in seen:
                continue
            seen.add(norm)
            sentences.append(s)
        first_topic = sentences[0][2]
        title = rng.choice(
            (
                f"{lead} defends record on {first_topic} in {place}",
                f"{place}: {first_topic} dominates {lead}'s speech",
                f"Fact check: what {lead} said about {first_topic}",
                f"{lead} and rivals clash over {first_topic}",
                f"{first_topic.capitalize()} figures in {place} questioned",
            )
        )
        archived: str | None = None
        offsets: list[tuple[int, int] | None] = [None] * k
        if rng.random() < 0.02:
            parts: list[str] = []
            pos = 0
            for i, (text, _, _) in enumerate(sentences):
                filler = rng.choice(FILLER).format(day=date, city=rng.choice(CITIES))
                chunk = f"{lead} said: {text} {filler}\n\n"
                start = pos + len(lead) + len(" said: ")
                offsets[i] = (start, start + len(text))
                parts.append(chunk)
                pos += len(chunk)
            archived = "".join(parts)
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if kind == "article" else None
        self._source_row(
            sid,
            url,
            title,
            publisher,
            author,
            date,
            archived,
            kind,
            now if archived else None,
            now,
        )
        if self.stats.sample_source_url is None and k >= 5 and progress > 0.5:
            self.stats.sample_source_url = url
            self.stats.sample_source_claims = k
        for i, (text, quantities, topic) in enumerate(sentences):
            claimant = speakers[i % len(speakers)] if rng.random() < 0.95 else None
            same_as = None
            earlier = self.recent.get(claimant) if claimant else None
            if earlier and archived is None and rng.random() < 0.03:
                # The speaker says an earlier claim again: stored as a new appearance, linked.
                original, again, again_quantities = rng.choice(earlier)
                if normalize_text(again) not in seen:
                    seen.add(normalize_text(again))
                    text, quantities = again, again_quantities
                    same_as = self.roots.get(original, original)
            tags = []
            if rng.random() < 0.75:
                tags.append(topic)
            if rng.random() < 0.4:
                tags.append(country.lower())
            if event_tag and rng.random() < 0.8:
                tags.append(event_tag)
            if rng.random() < 0.06:
                tags.append(rng.choice(MISC_TAGS))
            if rng.random() < 0.05:
                tags.append(rng.choice(("war", "diplomacy", "sanctions", "ceasefire")))
            self._claim(
                now + i * MINUTE,
                progress,
                sid,
                url,
                text,
                quantities,
                claimant,
                date,
                sorted(set(tags)),
                offsets[i],
                archived is not None,
                same_as,
            )
            if claimant:
                self.recent.setdefault(claimant, deque(maxlen=5)).append(
                    (self.ids["claims"], text, quantities)
                )
        return k

    def _claim(
        self,
        created: int,
        progress: float,
        sid: int,
        url: str,
        text: str,
        quantities: list[dict[str, Any]],
        claimant: int | None,
        said_on: str,
        tags: list[str],
        offset: tuple[int, int] | None,
        archived: bool,
        same_as: int | None = None,
    ) -> None:
        rng = self.rng
        self.ids["claims"] += 1
        cid = self.ids["claims"]
        contributor = rng.choice(CONTRIBUTORS)
        norm = normalize_text(text)
        statement = None
        if rng.random() < 0.25:
            statement = text[:72].rstrip(" ,.") if len(text) > 75 else text.rstrip(".")
        context = (
            f"The remarks came during a debate in {rng.choice(CITIES)}."
            if rng.random() < 0.2
            else None
        )
        checkworthiness = round(rng.betavariate(3, 2), 3) if rng.random() < 0.7 else None
        claimant_name = self.claimants[claimant - 1][0] if claimant else None
        start, end = offset if offset else (None, None)
        state = events.claim_state(
            text=text,
            statement=statement,
            context=context,
            said_on=said_on,
            claimant=claimant_name,
            source=url,
            start=start,
            end=end,
            quantities=quantities,
            checkworthiness=checkworthiness,
            tags=tags,
        )
        self.plan(created, contributor, events.claim_created(cid, state))
        flow = ClaimFlow(self, cid, created, contributor)
        if same_as is not None:
            self.roots[cid] = same_as
            flow.link(same_as, contributor)
        flow.live(self._fate(progress), quantities)
        state = flow.state
        status = state["status"]
        self.stats.status[status] = self.stats.status.get(status, 0) + 1
        for tag in tags:
            tag_id = self.tag_ids[tag]
            self.buffers["claim_tags"].append((cid, tag_id))
            self.stats.tag_counts[tag_id] = self.stats.tag_counts.get(tag_id, 0) + 1
        if claimant:
            self.stats.claimant_counts[claimant] = self.stats.claimant_counts.get(claimant, 0) + 1
        if archived and self.stats.archived_claim is None and progress > 0.5:
            self.stats.archived_claim = cid
        if status == "verified" and self.stats.verified_claim is None and progress > 0.5:
            self.stats.verified_claim = cid
        self.buffers["claims"].append(
            (
                cid,
                text,
                norm,
                dedupe_key(norm, sid),
                statement,
                context,
                claimant,
                sid,
                start,
                end,
                said_on,
                status,
                state["verdict"],
                state["rationale"],
                checkworthiness,
                json.dumps(quantities),
                None,
                state["assignee"],
                state["proposed_by"],
                flow.times.get("proposed_at"),
                state["approved_by"],
                flow.times.get("approved_at"),
                same_as,
                ts(created),
                contributor,
                ts(flow.updated_at),
                flow.updated_by,
                flow.version,
            )
        )

    def _fate(self, progress: float) -> str:
        """The claim's status today: recent claims are still being worked on."""
        r = self.rng.random()
        if progress > 0.97:
            table: tuple[tuple[float, str], ...] = (
                (0.55, "new"),
                (0.80, "in_review"),
                (0.90, "awaiting_approval"),
                (0.98, "verified"),
                (1.0, "dismissed"),
            )
        else:
            table = (
                (0.22, "new"),
                (0.26, "in_review"),
                (0.28, "awaiting_approval"),
                (0.70, "verified"),
                (0.715, "reopened"),
                (1.0, "dismissed"),
            )
        for bound, fate in table:
            if r < bound:
                return fate
        return "dismissed"

    def _evidence(self, cid: int, at: int, actor: str, quantities: list[dict[str, Any]]) -> int:
        rng = self.rng
        self.ids["evidence"] += 1
        eid = self.ids["evidence"]
        ref_id, ref_url, _topic = rng.choice(self.reference_sources)
        q = quantities[0] if quantities else None
        figure: float | None = None
        unit: str | None = None
        if q is not None and not isinstance(q["value"], list) and rng.random() < 0.8:
            figure = round(float(q["value"]) * rng.uniform(0.6, 1.4), 2)
            unit = q.get("unit")
        stance = rng.choice(("supports", "refutes", "refutes", "context"))
        excerpt = rng.choice(EXCERPTS)
        as_of = day_of(at - rng.randrange(400 * DAY))
        note = "Seasonally adjusted." if rng.random() < 0.2 else None
        self.buffers["evidence"].append(
            (eid, cid, ref_id, excerpt, stance, figure, unit, as_of, note, ts(at), actor)
        )
        state = events.evidence_state(
            source=ref_url,
            excerpt=excerpt,
            stance=stance,
            figure=figure,
            unit=unit,
            as_of=as_of,
            note=note,
        )
        self.plan(at, actor, events.evidence_added(cid, eid, state))
        return eid

    def _note(self, cid: int, at: int, actor: str) -> None:
        self.ids["notes"] += 1
        nid = self.ids["notes"]
        body = self.rng.choice(NOTE_BODIES)
        self.buffers["notes"].append((nid, cid, body, ts(at), actor))
        self.plan(at, actor, events.note_added(cid, nid, body))


class ClaimFlow:
    """One claim's life through the review workflow, as planned audit events.

    Each move's event is built by :func:`claimcheck.core.events.transition`, the builder
    :func:`services.workflow.transition` uses (the status first, then the fields the move
    carries, then ``citations``); the flow stamps who changed the claim and bumps the version, so
    the stored row equals the replay of its events.
    """

    def __init__(self, gen: Generator, cid: int, created: int, contributor: str) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.cid = cid
        self.t = created
        self.updated_at = created
        self.updated_by = contributor
        self.version = 1
        self.times: dict[str, str | None] = {}
        self.cited: list[int] = []
        self.state: dict[str, Any] = {
            "status": "new",
            "verdict": None,
            "rationale": None,
            "assignee": None,
            "proposed_by": None,
            "proposed_at": None,
            "approved_by": None,
            "approved_at": None,
        }

    def step(self) -> int:
        self.t += self.rng.randrange(20 * MINUTE, 6 * DAY)
        return self.t

    def link(self, original: int, actor: str) -> None:
        """Linked as an appearance of an earlier claim (as ``services.matching.links.link`` does)."""
        at = self.step()
        self.gen.plan(
            at, actor, events.linked(self.cid, None, original, comment="the same claim, said again")
        )
        self.touch(at, actor)

    def touch(self, at: int, actor: str) -> None:
        self.updated_at = at
        self.updated_by = actor
        self.version += 1

    def move(
        self,
        action: str,
        actor: str,
        changes: dict[str, Any],
        *,
        reason: str | None = None,
        citations: tuple[list[int], list[int]] | None = None,
        at: int | None = None,
    ) -> int:
        at = at if at is not None else self.step()
        fields = {k: (self.state[k], v) for k, v in changes.items() if k != "status"}
        if citations is not None:
            fields["citations"] = citations
        payload = events.transition(
            self.cid,
            action,
            status=(self.state["status"], changes["status"]),
            fields=fields,
            reason=reason,
        )
        self.state.update(changes)
        self.gen.plan(at, actor, payload)
        self.touch(at, actor)
        return at

    def propose(self, reviewer: str, rationale: str, new_cited: list[int]) -> None:
        verdict = self.rng.choices(self.gen._verdicts[0], cum_weights=self.gen._verdicts[1])[0]
        at = self.step()
        self.move(
            "propose",
            reviewer,
            {
                "status": "awaiting_approval",
                "verdict": verdict,
                "rationale": rationale,
                "proposed_by": reviewer,
                "proposed_at": iso(at),
                "approved_by": None,
                "approved_at": None,
            },
            citations=(self.cited, new_cited),
            at=at,
        )
        self.cited = new_cited
        self.times["proposed_at"] = ts(at)
        self.times["approved_at"] = None

    def approve(self, reviewer: str) -> int:
        approver = self.rng.choice([e for e in EDITORS if e != reviewer])
        at = self.step()
        self.move(
            "approve",
            approver,
            {"status": "verified", "approved_by": approver, "approved_at": iso(at)},
            at=at,
        )
        self.times["approved_at"] = ts(at)
        return at

    def live(self, fate: str, quantities: list[dict[str, Any]]) -> None:
        rng = self.rng
        gen = self.gen
        if fate == "new":
            return
        if fate == "dismissed" and rng.random() < 0.6:
            self.move(
                "dismiss",
                rng.choice(EDITORS),
                {"status": "dismissed"},
                reason=rng.choice(DISMISS_REASONS),
            )
            return
        reviewer = rng.choice(REVIEWERS)
        self.move("start", reviewer, {"status": "in_review", "assignee": reviewer})
        n_evidence = {"in_review": rng.randint(0, 2), "dismissed": rng.randint(0, 1)}.get(
            fate, rng.randint(1, 3)
        )
        evidence: list[int] = []
        for _ in range(n_evidence):
            at = self.step()
            evidence.append(gen._evidence(self.cid, at, reviewer, quantities))
            self.touch(at, reviewer)
        if fate == "dismissed":
            self.move(
                "dismiss",
                rng.choice(EDITORS),
                {"status": "dismissed"},
                reason=rng.choice(DISMISS_REASONS),
            )
        elif fate != "in_review":
            rounds = 2 if fate != "awaiting_approval" and rng.random() < 0.15 else 1
            for round_ in range(rounds):
                cite = sorted(rng.sample(evidence, k=min(len(evidence), rng.randint(1, 2))))
                publisher = rng.choice(REFERENCE_PUBLISHERS)[0]
                self.propose(
                    reviewer,
                    f"The {publisher} figures for the period do not match; see the cited evidence.",
                    cite,
                )
                if round_ + 1 < rounds:
                    self.move(
                        "send_back",
                        rng.choice(EDITORS),
                        {"status": "in_review"},
                        reason="The evidence does not cover the period the claim is about.",
                    )
            if fate != "awaiting_approval":
                self.approve(reviewer)
                if fate == "reopened" or rng.random() < 0.01:
                    self.correction(reviewer, stay_open=fate == "reopened")
            gen.buffers["citations"].extend((self.cid, e) for e in self.cited)
        if rng.random() < 0.1:
            gen._note(self.cid, self.step(), reviewer)

    def correction(self, reviewer: str, *, stay_open: bool) -> None:
        rng = self.rng
        gen = self.gen
        editor = rng.choice(EDITORS)
        reason = rng.choice(REOPEN_REASONS)
        old = self.state["verdict"]
        gen.ids["corrections"] += 1
        corr = gen.ids["corrections"]
        reopened = self.move(
            "reopen",
            editor,
            {"status": "reopened", "approved_by": None, "approved_at": None},
            reason=reason,
        )
        self.times["approved_at"] = None
        if stay_open:
            gen.buffers["corrections"].append(
                (corr, self.cid, ts(reopened), editor, reason, old, None, None, None)
            )
            return
        self.propose(reviewer, "Re-rated after the revised statistics were published.", self.cited)
        approved = self.approve(reviewer)
        new = self.state["verdict"]
        day = day_of(approved)
        note = (
            f"Corrected on {day}: the rating changed from {old} to {new}. {reason}"
            if old != new
            else f"We reviewed this check again on {day} and confirmed the rating. {reason}"
        )
        gen.plan(
            approved,
            self.state["approved_by"],
            events.correction_completed(self.cid, corr, old, new, note),
        )
        gen.buffers["corrections"].append(
            (corr, self.cid, ts(reopened), editor, reason, old, new, note, ts(approved))
        )


# ---------------------------------------------------------------------------------------------
# Sinks


class SqliteSink(Sink):
    """executemany into a migrated file; indexes and FTS triggers rebuilt at the end."""

    def __init__(self, path: Path) -> None:
        from sqlalchemy.engine import make_url

        from claimcheck import migrate
        from claimcheck.db import Database

        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database = Database(make_url(f"sqlite:///{path}"))
        with database.engine.begin() as conn:
            migrate.upgrade(conn)
        database.dispose()
        self.conn = sqlite3.connect(path, isolation_level=None)
        c = self.conn
        c.execute("PRAGMA journal_mode = OFF")
        c.execute("PRAGMA synchronous = OFF")
        c.execute("PRAGMA cache_size = -1000000")
        c.execute("PRAGMA temp_store = MEMORY")
        c.execute("PRAGMA foreign_keys = OFF")
        names = ",".join(f"'{t}'" for t in BIG_TABLES)
        self.deferred = c.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN "
            f"({names}) AND sql IS NOT NULL AND type IN ('index', 'trigger')"
        ).fetchall()
        for kind, name, _ in self.deferred:
            c.execute(f'DROP {kind.upper()} "{name}"')
        c.execute("BEGIN")
        self.sql = {
            t: f"INSERT INTO {t} ({', '.join(f'{c!r}'.replace(chr(39), chr(34)) for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})"
            for t, cols in COLUMNS.items()
        }

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        self.conn.executemany(self.sql[table], rows)

    def finish(self) -> None:
        c = self.conn
        c.execute(
            "INSERT INTO claims_fts (rowid, text, statement, source_title) "
            "SELECT c.id, c.text, coalesce(c.statement, ''), coalesce(s.title, '') "
            "FROM claims c LEFT JOIN sources s ON s.id = c.source_id"
        )
        for _, _, sql in self.deferred:
            c.execute(sql)
        c.execute("COMMIT")
        c.execute("ANALYZE")
        c.execute("PRAGMA journal_mode = WAL")
        c.close()


class PostgresSink(Sink):
    """COPY into a migrated database; indexes rebuilt and foreign keys re-enabled at the end."""

    def __init__(self, server_url: str, dbname: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        from claimcheck import migrate
        from claimcheck.db import Database

        base = make_url(server_url).set(drivername="postgresql+psycopg")
        self.admin_kw = dict(
            host=base.host or "127.0.0.1",
            port=base.port or 5432,
            user=base.username or "postgres",
        )
        with psycopg.connect(
            dbname=base.database or "postgres", autocommit=True, **self.admin_kw
        ) as a:
            a.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            a.execute(f'CREATE DATABASE "{dbname}"')
        database = Database(base.set(database=dbname))
        with database.engine.begin() as conn:
            migrate.upgrade(conn)
        database.dispose()
        self.conn = psycopg.connect(dbname=dbname, **self.admin_kw)
        c = self.conn
        c.execute("SET TIME ZONE 'UTC'")
        c.execute("SET maintenance_work_mem = '512MB'")
        self.deferred = c.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
        for name, _ in self.deferred:
            c.execute(f'DROP INDEX "{name}"')
        for table in COLUMNS:
            c.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        self.copies = {
            t: f"COPY {t} ({', '.join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN"
            for t, cols in COLUMNS.items()
        }

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        with self.conn.cursor() as cur, cur.copy(self.copies[table]) as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        c = self.conn
        for table in COLUMNS:
            c.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        # The search table (migration search2) is filled by the claims' triggers, off during the
        # load: filled here in one statement, as the migration fills it.
        c.execute(
            "INSERT INTO claims_fts_docs (claim_id, status, doc) "
            "SELECT id, status, claims_fts_doc FROM claims ORDER BY id"
        )
        # So is each tag's claims with their dates (migration tagdates1), its foreign key
        # checked by the load itself.
        c.execute("ALTER TABLE claims_pg_tag_dates DISABLE TRIGGER ALL")
        c.execute(
            "INSERT INTO claims_pg_tag_dates (tag_id, claim_id, said_on) "
            "SELECT ct.tag_id, ct.claim_id, c.said_on "
            "FROM claim_tags ct JOIN claims c ON c.id = ct.claim_id ORDER BY 1, 2"
        )
        c.execute("ALTER TABLE claims_pg_tag_dates ENABLE TRIGGER ALL")
        for _, sql in self.deferred:
            c.execute(sql)
        for table, cols in COLUMNS.items():
            if cols[0] == "id":
                c.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
        c.commit()
        c.autocommit = True
        c.execute("VACUUM ANALYZE")
        c.close()


# ---------------------------------------------------------------------------------------------
# Manifest, cache, verification


def manifest_for(n: int, seed: int, stats: Stats, gen: Generator, seconds: float) -> dict[str, Any]:
    by_count_tags = sorted(stats.tag_counts.items(), key=lambda kv: -kv[1])
    tag_names = {i: name for name, i in gen.tag_ids.items()}
    claimants = sorted(stats.claimant_counts.items(), key=lambda kv: -kv[1])
    busy = claimants[0][0]
    mid = claimants[len(claimants) // 10][0]
    topic_tags = [
        tag_names[i] for i, _ in by_count_tags if tag_names[i] in {x[6] for x in INDICATORS}
    ]
    rare = [tag_names[i] for i, c in by_count_tags if c >= 20][-1]
    return {
        "generator_version": GEN_VERSION,
        "seed": seed,
        "claims": n,
        "seconds": round(seconds, 1),
        "counts": stats.counts,
        "status": stats.status,
        "samples": {
            "show_id": stats.archived_claim or stats.verified_claim or 1,
            "verified_id": stats.verified_claim or 1,
            "busy_speaker": gen.claimants[busy - 1][0],
            "busy_speaker_claims": stats.claimant_counts[busy],
            "speaker": gen.claimants[mid - 1][0],
            "speaker_claims": stats.claimant_counts[mid],
            "source_url": stats.sample_source_url,
            "source_claims": stats.sample_source_claims,
            "common_tag": tag_names[by_count_tags[0][0]],
            "topic_tag": topic_tags[len(topic_tags) // 2],
            "rare_tag": rare,
            "tag_counts": {tag_names[i]: c for i, c in by_count_tags},
            "assignee": "carol",
        },
    }


def sqlite_path(label: str) -> Path:
    return DATA_DIR / f"claims-{label}.db"


def manifest_path(label: str, backend: str) -> Path:
    return DATA_DIR / (f"claims-{label}.json" if backend == "sqlite" else f"pg-claims-{label}.json")


def pg_dbname(label: str) -> str:
    """The benchmark database of this size; ``CLAIMCHECK_BENCH_PG_PREFIX`` gives a session its own."""
    prefix = os.environ.get("CLAIMCHECK_BENCH_PG_PREFIX", "claimcheck_bench")
    return f"{prefix}_{label}"


def _upgrade_if_needed(url: str) -> None:
    """A cached archive from before a new migration is brought to the head revision."""
    from sqlalchemy import text

    from claimcheck import migrate
    from claimcheck.db import HEAD_REVISION, Database, current_revision, resolve_url

    database = Database(resolve_url(url))
    try:
        with database.engine.connect() as conn:
            revision = current_revision(conn)
        if revision != HEAD_REVISION:
            print(
                f"  upgrading the cached archive from {revision} to {HEAD_REVISION}",
                file=sys.stderr,
            )
            with database.engine.begin() as conn:
                migrate.upgrade(conn)
            with database.engine.begin() as conn:
                conn.execute(text("ANALYZE claims"))
    finally:
        database.dispose()


def database_url(label: str, backend: str, pg_url: str = PG_DEFAULT_URL) -> str:
    if backend == "sqlite":
        return str(sqlite_path(label))
    from sqlalchemy.engine import make_url

    return make_url(pg_url).set(database=pg_dbname(label)).render_as_string(hide_password=False)


def _pg_exists(pg_url: str, dbname: str) -> bool:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(pg_url)
    try:
        with psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            user=u.username or "postgres",
            dbname=u.database or "postgres",
            autocommit=True,
        ) as c:
            return (
                c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
                is not None
            )
    except psycopg.OperationalError:
        return False


def ensure(
    label: str,
    *,
    backend: str = "sqlite",
    seed: int = DEFAULT_SEED,
    force: bool = False,
    verify: bool | None = None,
    pg_url: str = PG_DEFAULT_URL,
) -> dict[str, Any]:
    """The archive of this size (generated, or from the cache); returns its manifest."""
    n = SIZES[label]
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    mpath = manifest_path(label, backend)
    present = (
        sqlite_path(label).exists() if backend == "sqlite" else _pg_exists(pg_url, pg_dbname(label))
    )
    if not force and present and mpath.exists():
        manifest = json.loads(mpath.read_text())
        if manifest.get("generator_version") == GEN_VERSION and manifest.get("seed") == seed:
            _upgrade_if_needed(database_url(label, backend, pg_url))
            manifest["url"] = database_url(label, backend, pg_url)
            return manifest
    print(f"generating {n:,} claims on {backend} (seed {seed}) ...", file=sys.stderr)
    started = time.perf_counter()
    sink: Sink = (
        SqliteSink(sqlite_path(label))
        if backend == "sqlite"
        else PostgresSink(pg_url, pg_dbname(label))
    )
    gen = Generator(n, seed, sink)
    stats = gen.run()
    seconds = time.perf_counter() - started
    manifest = manifest_for(n, seed, stats, gen, seconds)
    print(
        f"  {n:,} claims, {stats.counts['events']:,} events, {stats.counts['evidence']:,} evidence "
        f"in {seconds:.0f} s",
        file=sys.stderr,
    )
    url = database_url(label, backend, pg_url)
    if verify or (verify is None and n <= 10_000):
        verify_archive(url, manifest)
    mpath.write_text(json.dumps(manifest, indent=2) + "\n")
    manifest["url"] = url
    return manifest


REPLAY_SAMPLE = 500  # claims whose history verify_archive replays (spread over the archive)


def verify_archive(url: str, manifest: dict[str, Any]) -> None:
    """Read the archive back through claimcheck: audit chain, history replay, listing, showing.

    The replay check is the one the test suite holds every service to
    (:func:`claimcheck.services.history.replay_matches`): each sampled claim's events, folded by
    :func:`claimcheck.core.events.replay`, give the claim's row, citations included.
    """
    from sqlalchemy import text

    from claimcheck.core.quantities.model import Quantity
    from claimcheck.db import Database, resolve_url
    from claimcheck.queries import claim_detail, claim_out, count_claims, list_claims
    from claimcheck.schemas import ClaimFilter
    from claimcheck.services.audit import verify_chain
    from claimcheck.services.claims import get_claim
    from claimcheck.services.history import replay_matches

    database = Database(resolve_url(url))
    try:
        with database.session(write=False) as session:
            report = verify_chain(session)
            if not report.ok:
                raise SystemExit(f"audit chain broken: {report.problem}")
            total = count_claims(session, ClaimFilter())
            if total != manifest["claims"]:
                raise SystemExit(f"expected {manifest['claims']} claims, found {total}")
            sampled = range(1, total + 1, max(1, total // REPLAY_SAMPLE))
            for claim_id in sampled:
                same, diff = replay_matches(session, get_claim(session, claim_id))
                if not same:
                    raise SystemExit(f"claim {claim_id}: its history does not replay: {diff}")
            for claim in list_claims(session, ClaimFilter(limit=200)):
                claim_out(claim)
            stored = session.execute(text("SELECT id, quantities FROM claims")).all()
            for claim_id, quantities in stored:
                for q in (
                    json.loads(quantities) if isinstance(quantities, str) else quantities or []
                ):
                    try:
                        Quantity.model_validate(q)
                    except ValueError as exc:
                        raise SystemExit(f"claim {claim_id}: bad quantity {q}: {exc}") from None
            detail = claim_detail(get_claim(session, manifest["samples"]["show_id"]))
            if detail.start is not None and detail.quote_verified is not True:
                raise SystemExit(f"claim {detail.id}: quote offsets do not match the archived text")
        print(
            f"  verified: {report.events:,} events chain, {total:,} claims readable, "
            f"{len(sampled):,} histories replay",
            file=sys.stderr,
        )
    finally:
        database.dispose()


# ---------------------------------------------------------------------------------------------
# The import CSV


def import_csv_columns() -> list[str]:
    """Columns per docs/import.md when it documents them, else the brief's default set."""
    doc = ROOT / "docs" / "import.md"
    default = ["text", "speaker", "source_url", "said_on", "tags"]
    if not doc.exists():
        return default
    content = doc.read_text(encoding="utf-8")
    known = ["text", "speaker", "source_url", "source", "said_on", "tags", "context", "statement"]
    found = [c for c in known if f"`{c}`" in content]
    return found if "text" in found else default


def write_csv(rows: int, seed: int = DEFAULT_SEED + 1, path: Path | None = None) -> Path:
    """A CSV of ``rows`` new claims (unique texts), cached by size, seed and columns."""
    columns = import_csv_columns()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = path or DATA_DIR / f"import-{rows // 1000}k.csv"
    stamp = path.with_suffix(".json")
    want = {"generator_version": GEN_VERSION, "seed": seed, "rows": rows, "columns": columns}
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == want:
        return path
    gen = Generator(rows, seed, _NullSink())
    rng = gen.rng
    seen: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        written = 0
        while written < rows:
            day = START + dt.timedelta(days=rng.randrange((END - START).days))
            country = rng.choice(COUNTRIES)
            text, _, topic = gen._sentence(country, day.year)
            speaker_idx = rng.choices(range(len(gen.claimants)), cum_weights=gen.claimant_cum)[0]
            name, _kind, title = gen.claimants[speaker_idx]
            speaker = f"{title} {name}" if title and rng.random() < 0.3 else name
            _, domain = rng.choice(PUBLISHERS)
            url = f"https://{domain}/{day:%Y/%m/%d}/{topic}-{rng.randrange(rows // 5 + 1)}"
            key = normalize_text(text) + "\x00" + url
            if key in seen:
                continue
            seen.add(key)
            tags = [topic] + ([country.lower()] if rng.random() < 0.4 else [])
            values = {
                "text": text,
                "speaker": speaker,
                "source_url": url,
                "source": url,
                "said_on": day.date().isoformat(),
                "tags": ";".join(tags),
                "context": "",
                "statement": "",
            }
            writer.writerow([values[c] for c in columns])
            written += 1
    stamp.write_text(json.dumps(want) + "\n")
    return path


class _NullSink(Sink):
    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        return None

    def finish(self) -> None:
        return None


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", help=f"archive sizes to build ({', '.join(SIZES)})")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_DEFAULT_URL, help="PostgreSQL server (admin) URL")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    parser.add_argument("--verify", action="store_true", help="read the archive back afterwards")
    parser.add_argument("--csv", type=int, metavar="ROWS", help="also write the import CSV")
    args = parser.parse_args(list(argv) if argv is not None else None)
    unknown = [size for size in args.sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r} (choose from {', '.join(SIZES)})")
    for label in args.sizes:
        manifest = ensure(
            label,
            backend=args.backend,
            seed=args.seed,
            force=args.force,
            verify=True if args.verify else None,
            pg_url=args.pg_url,
        )
        print(manifest["url"])
    if args.csv:
        print(write_csv(args.csv))


if __name__ == "__main__":
    main()
