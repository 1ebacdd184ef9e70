"""The store of external fact-checks: import (insert or update by review URL), list, search, get.

Import is batched: each batch of records looks up the review URLs already stored in one query,
inserts the new ones with one multi-row INSERT and updates the changed ones by primary key, so
100,000 records take seconds and memory stays flat (the per-record report goes to a spooled
temporary file, read back once the command commits). The caller's unit of work is the one
transaction: any database error rolls back the whole import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from pydantic import BaseModel
from sqlalchemy import bindparam, column, func, insert, literal_column, or_, select, table, update
from sqlalchemy.orm import Session

from claimcheck.core.factchecks import Appearance, Claimant, FactCheckIn, LabelTable
from claimcheck.core.matching import content_words, normalize, strip_attribution
from claimcheck.core.ratings import RatingScale
from claimcheck.errors import InputError, NotFoundError
from claimcheck.models import FactCheck, FactCheckTerm, utcnow
from claimcheck.services.factchecks.reading import Record
from claimcheck.urls import normalize_url

BATCH = 1000
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# ---------------------------------------------------------------------------------------------
# Output


class FactCheckOut(BaseModel):
    """The JSON contract of a stored fact-check (``factchecks list|search|show -f json``)."""

    id: int
    publisher: str
    review_url: str
    review_date: dt.date | None
    language: str | None
    claim_text: str
    claimants: list[Claimant]
    appearances: list[Appearance]
    rating_label: str | None
    rating_score: float | None
    verdict: str | None


class FactCheckDetail(FactCheckOut):
    """``factchecks show``: the contract plus where each value came from."""

    publisher_url: str | None
    language_from: str | None
    claim_date: dt.date | None
    rating_value: float | None
    rating_best: float | None
    rating_worst: float | None
    origin: str | None
    imported_at: dt.datetime
    imported_by: str
    updated_at: dt.datetime


def factcheck_out(fc: FactCheck) -> FactCheckOut:
    return FactCheckOut.model_validate(_fields(fc, FactCheckOut))


def factcheck_detail(fc: FactCheck) -> FactCheckDetail:
    return FactCheckDetail.model_validate(_fields(fc, FactCheckDetail))


def _fields(fc: FactCheck, model: type[BaseModel]) -> dict[str, Any]:
    return {name: getattr(fc, name) for name in model.model_fields}


# ---------------------------------------------------------------------------------------------
# Terms: what the full-text index holds, for every language alike


def terms(text: str) -> str:
    """The claim's comparison words (claim matching's content words), CJK runs as character
    pairs — the text the full-text index covers and queries are written in."""
    out: list[str] = []
    for word in content_words(normalize(strip_attribution(text))):
        if _CJK_RUN.search(word):
            for run in _CJK_RUN.findall(word):
                out.extend(
                    [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                )
            rest = _CJK_RUN.sub(" ", word).split()
            out.extend(rest)
        else:
            out.append(word)
    return " ".join(out)


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    report: IO[str] = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8"
        )
    )

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + self.skipped

    def add(self, status: str, entry: dict[str, Any]) -> None:
        setattr(self, status, getattr(self, status) + 1)
        row = {
            "status": status,
            "origin": entry["origin"],
            "id": entry.get("id"),
            "review_url": entry.get("review_url"),
            "reason": entry.get("reason"),
            "warnings": entry.get("warnings") or [],
        }
        self.report.write(json.dumps(row, ensure_ascii=False) + "\n")

    def rows(self) -> Iterator[dict[str, Any]]:
        self.report.flush()
        self.report.seek(0)
        for line in self.report:
            yield json.loads(line)

    def close(self) -> None:
        self.report.close()


_COMPARED = (
    "publisher",
    "publisher_url",
    "review_date",
    "language",
    "language_from",
    "claim_text",
    "claim_date",
    "claimants",
    "appearances",
    "rating_label",
    "rating_value",
    "rating_best",
    "rating_worst",
    "rating_score",
    "verdict",
)


def _row(fc: FactCheckIn, origin: str) -> dict[str, Any]:
    data = fc.model_dump(mode="python", exclude={"warnings"})
    data["claimants"] = [c.model_dump(mode="json") for c in fc.claimants]
    data["appearances"] = [a.model_dump(mode="json") for a in fc.appearances]
    data["origin"] = origin[:2048]
    return data


MAX_TERM = 100
MAX_PENDING_TERMS = 200_000


def _counted(claim_terms: str, deltas: Counter[str], sign: int) -> str:
    """Count each distinct index word of a claim once (+1 stored, −1 replaced)."""
    for term in set(claim_terms.split()):
        if len(term) <= MAX_TERM:
            deltas[term] += sign
    return claim_terms


def _count_terms(session: Session, deltas: Counter[str]) -> None:
    """Add the batch's word counts to ``factcheck_terms`` (one upsert per batch)."""
    rows = [{"term": t, "df": n} for t, n in deltas.items() if n]
    if not rows:
        return
    if is_sqlite(session):
        from sqlalchemy.dialects.sqlite import insert as upsert
    else:
        from sqlalchemy.dialects.postgresql import insert as upsert  # type: ignore[assignment]
    for i in range(0, len(rows), 400):  # one multi-row statement per 400 words
        chunk = upsert(FactCheckTerm).values(rows[i : i + 400])
        session.execute(
            chunk.on_conflict_do_update(
                index_elements=[FactCheckTerm.term],
                set_={"df": FactCheckTerm.df + chunk.excluded.df},
            )
        )
    deltas.clear()


def _changes(old: Any, new: dict[str, Any]) -> list[str]:
    return [name for name in _COMPARED if getattr(old, name) != new[name]]


def import_records(
    session: Session,
    records: Iterable[Record],
    actor: str,
    *,
    on_record: Callable[[], None] | None = None,
) -> ImportResult:
    """Store every readable record (insert, or update the row with the same review URL) and
    report each one: ``imported``, ``updated`` (which fields), ``unchanged`` or ``skipped`` (why).
    Flushes, never commits."""
    result = ImportResult()
    deltas: Counter[str] = Counter()  # word counts, written once at the end (or when many)
    # A batch keeps the input's order: skipped records wait in it too, so the report follows
    # the files (an entry is (origin, review) or (origin, reason for skipping it)).
    batch: list[tuple[str, FactCheckIn | str]] = []
    urls: set[str] = set()
    for record in records:
        if on_record is not None:
            on_record()
        if record.review is None:
            batch.append((record.origin, record.error or "unreadable"))
            continue
        try:
            url = normalize_url(record.review.review_url)
        except ValueError as exc:
            batch.append((record.origin, f"url: {exc}"))
            continue
        record.review.review_url = url
        if record.review.rating_label and record.review.verdict is None:
            result.unmapped[record.review.rating_label] += 1
        if url in urls:
            _flush(session, batch, actor, result, deltas)
            batch, urls = [], set()
        batch.append((record.origin, record.review))
        urls.add(url)
        if len(batch) >= BATCH:
            _flush(session, batch, actor, result, deltas)
            batch, urls = [], set()
    if batch:
        _flush(session, batch, actor, result, deltas)
    _count_terms(session, deltas)
    return result


def _flush(
    session: Session,
    batch: list[tuple[str, FactCheckIn | str]],
    actor: str,
    result: ImportResult,
    deltas: Counter[str],
) -> None:
    now = utcnow()
    urls = [fc.review_url for _, fc in batch if not isinstance(fc, str)]
    existing = {
        fc.review_url: fc
        for fc in session.execute(select(FactCheck).where(FactCheck.review_url.in_(urls))).scalars()
    }
    new_rows: list[dict[str, Any]] = []
    # The report rows in input order; an inserted record's id is known after the INSERT.
    pending: list[tuple[str, dict[str, Any]]] = []
    inserted: list[dict[str, Any]] = []
    for origin, fc in batch:
        if isinstance(fc, str):
            pending.append(("skipped", {"origin": origin, "reason": fc}))
            continue
        row = _row(fc, origin)
        old = existing.get(fc.review_url)
        if old is None:
            row.update(
                claim_terms=_counted(terms(fc.claim_text), deltas, 1),
                imported_at=now,
                imported_by=actor,
                updated_at=now,
            )
            new_rows.append(row)
            entry: dict[str, Any] = {
                "origin": origin,
                "review_url": fc.review_url,
                "warnings": fc.warnings,
            }
            inserted.append(entry)
            pending.append(("imported", entry))
            continue
        changed = _changes(old, row)
        if not changed:
            pending.append(
                (
                    "unchanged",
                    {
                        "origin": origin,
                        "id": old.id,
                        "review_url": fc.review_url,
                        "warnings": fc.warnings,
                    },
                )
            )
            continue
        if old.claim_text != fc.claim_text:
            _counted(old.claim_terms, deltas, -1)
            old.claim_terms = _counted(terms(fc.claim_text), deltas, 1)
        for name in changed:
            setattr(old, name, row[name])
        old.origin = row["origin"]
        old.updated_at = now
        pending.append(
            (
                "updated",
                {
                    "origin": origin,
                    "id": old.id,
                    "review_url": fc.review_url,
                    "reason": "changed: " + ", ".join(changed),
                    "warnings": fc.warnings,
                },
            )
        )
    session.flush()
    if len(deltas) > MAX_PENDING_TERMS:
        _count_terms(session, deltas)
    if new_rows:
        # One executemany, then the new ids by review URL (one indexed query): cheaper than an
        # INSERT ... RETURNING that must keep the parameters' order.
        session.execute(insert(FactCheck.__table__), new_rows)  # type: ignore[arg-type]
        stmt = select(FactCheck.review_url, FactCheck.id).where(
            FactCheck.review_url.in_([e["review_url"] for e in inserted])
        )
        ids = {url: int(i) for url, i in session.execute(stmt).all()}
        for entry in inserted:
            entry["id"] = ids[entry["review_url"]]
    for status, entry in pending:
        result.add(status, entry)


# ---------------------------------------------------------------------------------------------
# Reading the store


def get_factcheck(session: Session, ref: str | int) -> FactCheck:
    """A fact-check by id or by its review URL."""
    if isinstance(ref, int) or str(ref).strip().isdigit():
        fc = session.get(FactCheck, int(ref))
        if fc is None:
            raise NotFoundError(f"no fact-check #{ref}")
        return fc
    try:
        url = normalize_url(str(ref))
    except ValueError as exc:
        raise InputError(f"ID: expected a fact-check id or review URL ({exc})") from None
    found = session.execute(
        select(FactCheck).where(FactCheck.review_url == url)
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"no fact-check with review URL {url}")
    return found


@dataclass
class FactCheckFilter:
    publisher: str | None = None
    language: str | None = None
    verdict: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    unmapped: bool = False
    limit: int | None = 100


def _filtered(stmt: Any, f: FactCheckFilter) -> Any:
    if f.publisher:
        stmt = stmt.where(func.lower(FactCheck.publisher) == f.publisher.lower())
    if f.language:
        lang = f.language.lower()
        stmt = stmt.where(
            or_(
                func.lower(FactCheck.language) == lang,
                func.lower(FactCheck.language).like(lang + "-%"),
            )
        )
    if f.verdict:
        stmt = stmt.where(FactCheck.verdict.in_(f.verdict))
    if f.since:
        stmt = stmt.where(FactCheck.review_date >= f.since)
    if f.until:
        stmt = stmt.where(FactCheck.review_date <= f.until)
    if f.unmapped:
        stmt = stmt.where(FactCheck.verdict.is_(None), FactCheck.rating_label.is_not(None))
    return stmt


def list_factchecks(session: Session, f: FactCheckFilter) -> list[FactCheck]:
    stmt = _filtered(select(FactCheck), f).order_by(FactCheck.id.desc())
    if f.limit:
        stmt = stmt.limit(f.limit)
    return list(session.execute(stmt).scalars())


_FTS = table("claims_fts_factchecks", column("rowid"), column("rank"))
_QUERY_WORD = re.compile(r"\w+")


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def fts_term(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts_match(expr: str, name: str = "q") -> Any:
    return literal_column("claims_fts_factchecks").op("MATCH")(bindparam(name, expr))


def pg_doc() -> Any:
    return literal_column("factchecks.claims_fts_doc")


def query_terms(text: str) -> list[str]:
    """The distinct index words of a query (as the importer wrote them), in order."""
    words: list[str] = []
    for word in terms(text).split():
        words.extend(_QUERY_WORD.findall(word))
    return list(dict.fromkeys(w for w in words if len(w) > 1 or w.isdigit() or _CJK_RUN.match(w)))


def search_factchecks(
    session: Session, query: str, f: FactCheckFilter
) -> list[tuple[FactCheck, float]]:
    """Fact-checks whose claim holds every word of ``query`` (as compared: stemmed, stop words
    dropped), best first."""
    words = query_terms(query)
    if not words:
        raise InputError("QUERY: no searchable words (only stop words or punctuation)")
    limit = f.limit or 10_000
    if is_sqlite(session):
        expr = " AND ".join(fts_term(w) for w in words)
        ranked = (
            select(_FTS.c.rowid.label("id"), _FTS.c.rank.label("rank"))
            .where(fts_match(expr))
            .subquery()
        )
        stmt = _filtered(
            select(FactCheck, (-ranked.c.rank).label("score")).join(
                ranked, ranked.c.id == FactCheck.id
            ),
            f,
        ).order_by(ranked.c.rank, FactCheck.id)
    else:
        tsq = func.to_tsquery("simple", bindparam("q", " & ".join(words)))
        rank = func.ts_rank(pg_doc(), tsq)
        stmt = _filtered(
            select(FactCheck, rank.label("score")).where(pg_doc().op("@@")(tsq)), f
        ).order_by(rank.desc(), FactCheck.id)
    return [(fc, float(score)) for fc, score in session.execute(stmt.limit(limit)).all()]


def label_counts(session: Session, *, unmapped_only: bool = False) -> list[dict[str, Any]]:
    """How often each published label occurs, with the verdict it maps to."""
    stmt = select(FactCheck.rating_label, FactCheck.verdict, func.count()).where(
        FactCheck.rating_label.is_not(None)
    )
    if unmapped_only:
        stmt = stmt.where(FactCheck.verdict.is_(None))
    rows = session.execute(stmt.group_by(FactCheck.rating_label, FactCheck.verdict)).all()
    return [
        {"rating_label": label, "verdict": verdict, "count": int(n)}
        for label, verdict, n in sorted(rows, key=lambda r: (-r[2], r[0]))
    ]


def remap(session: Session, table_: LabelTable) -> int:
    """Map every stored label again (after the scale or the config's label table changed);
    returns how many verdicts changed. Flushes."""
    changed = 0
    rows = session.execute(
        select(FactCheck.rating_label, FactCheck.verdict)
        .where(FactCheck.rating_label.is_not(None))
        .group_by(FactCheck.rating_label, FactCheck.verdict)
    ).all()
    for label, verdict in rows:
        new = table_.lookup(label)
        if new != verdict:
            res = session.execute(
                update(FactCheck)
                .where(
                    FactCheck.rating_label == label, FactCheck.verdict.is_not_distinct_from(verdict)
                )
                .values(verdict=new)
            )
            changed += int(res.rowcount or 0)  # type: ignore[attr-defined]
    session.flush()
    return changed


__all__ = [
    "FactCheckDetail",
    "FactCheckFilter",
    "FactCheckOut",
    "ImportResult",
    "factcheck_detail",
    "factcheck_out",
    "get_factcheck",
    "import_records",
    "label_counts",
    "list_factchecks",
    "remap",
    "search_factchecks",
    "terms",
]


def label_table(scale: str | RatingScale, extra: dict[str, str] | None = None) -> LabelTable:
    """The label table for the desk's scale (a built-in one by name, or the config's
    ``settings.scale()``), extended by the config's ``factcheck_labels`` (each target must be a
    verdict of the scale or a rating class)."""
    from claimcheck.core.factchecks import RATING_CLASSES
    from claimcheck.core.ratings import get_scale
    from claimcheck.errors import ConfigError

    if isinstance(scale, str):
        scale = get_scale(scale)
    for label, target in (extra or {}).items():
        if target not in scale.keys and target not in RATING_CLASSES:
            raise ConfigError(
                f"factcheck_labels: {label!r} → {target!r} is not a verdict of the "
                f"{scale.name} scale ({', '.join(scale.keys)})"
            )
    return LabelTable.build(scale.keys, extra)
