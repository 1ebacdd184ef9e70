"""The Report DTOs: everything an export renders, and everything a restore reads back.

Design:

- :mod:`claimcheck.reports` builds these from the database; it is the *only* bridge between the
  database and export. This module imports pydantic and the standard library only, so renderers
  never see an ORM object and can be tested on hand-made DTOs.
- A report is split in two. :class:`ReportHeader` holds what is small and needed up front (title,
  organisation, filters, rating scale, summary counts, table of contents, corrections listing, the
  sources and claimants the claims refer to). The claims themselves (and, for the full JSON
  export, the audit events) are *streams*: :class:`Report` holds factories that yield
  :class:`ClaimEntry` objects batch by batch from the database, so exporting 10,000 claims keeps
  memory flat. A factory may be called again for a second pass.
- :class:`ReportDocument` is the same report fully materialised: the shape of the JSON export
  (minus the derived ``index`` and ``corrections`` listings, which are rebuilt on load) and the
  input of ``claimcheck restore``.

Field names are a contract (the JSON export is read back by restore and by other tools); a change
that breaks readers bumps :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _none(value: Any) -> bool:
    return value is None


def _empty(value: Any) -> bool:
    return not value


# Fields added after SCHEMA_VERSION 1 are left out of the JSON when they hold their default, so
# older readers and the existing golden files see the same document.
def _optional(default: Any = None) -> Any:
    if isinstance(default, list):
        return Field(default_factory=list, exclude_if=_empty)
    if isinstance(default, dict):
        return Field(default_factory=dict, exclude_if=_empty)
    return Field(default, exclude_if=_none)


class Organisation(_Model):
    name: str
    url: str
    language: str
    logo: str | None = _optional()
    same_as: list[str] = _optional([])


class RatingInfo(_Model):
    """One verdict of the rating scale: key, label, one-line meaning, number, badge colour."""

    key: str
    label: str
    meaning: str
    value: int | None
    colour: str
    labels: dict[str, str] = _optional({})  # label by BCP 47 tag, besides the English one

    def label_in(self, language: str | None) -> str:
        """The label in ``language`` (exact tag, then its primary subtag), else the English one."""
        if language and self.labels:
            found = self.labels.get(language) or self.labels.get(language.split("-")[0])
            if found:
                return found
        return self.label


class ScaleInfo(_Model):
    name: str
    title: str
    worst: int
    best: int
    ratings: list[RatingInfo]

    def get(self, key: str | None) -> RatingInfo | None:
        if key is None:
            return None
        return self.by_key.get(key)

    @cached_property
    def by_key(self) -> dict[str, RatingInfo]:
        return {r.key: r for r in self.ratings}


class ReportFilters(_Model):
    """The filters the report was built with. ``statuses`` None means every status."""

    statuses: list[str] | None = Field(default_factory=lambda: ["verified"])
    verdicts: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    source: str | None = None
    speaker: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    # Only claims that have been published (approved at least once): the site's selection.
    published: bool = Field(False, exclude_if=_empty)

    @property
    def complete(self) -> bool:
        """True when nothing is filtered out: the export is a complete backup."""
        return self.statuses is None and not (
            self.published
            or self.verdicts
            or self.tags
            or self.source
            or self.speaker
            or self.since
            or self.until
        )

    def describe(self) -> list[str]:
        """Human-readable phrases, e.g. ``["status: verified", "tag: war"]``."""
        parts = ["status: " + (", ".join(self.statuses) if self.statuses is not None else "all")]
        if self.verdicts:
            parts.append("verdict: " + ", ".join(self.verdicts))
        if self.tags:
            parts.append("tag: " + ", ".join(self.tags))
        if self.speaker:
            parts.append(f"claimant: {self.speaker}")
        if self.source:
            parts.append(f"source: {self.source}")
        if self.since:
            parts.append(f"said on or after {self.since.isoformat()}")
        if self.until:
            parts.append(f"said on or before {self.until.isoformat()}")
        return parts


class VerdictCount(_Model):
    verdict: str | None
    label: str
    colour: str
    count: int


class Summary(_Model):
    total: int
    by_verdict: list[VerdictCount]


class IndexEntry(_Model):
    """One line of the table of contents."""

    id: int
    slug: str
    headline: str
    verdict: str | None


class ClaimantInfo(_Model):
    id: int
    name: str
    kind: str
    same_as: str | None
    aliases: list[str]
    created_at: dt.datetime
    job_title: str | None = _optional()


class SourceInfo(_Model):
    id: int
    url: str
    title: str | None
    publisher: str | None
    author: str | None
    published_on: dt.date | None
    retrieved_at: dt.datetime | None
    kind: str
    language: str | None
    text_sha256: str | None
    archived_text: str | None = None
    created_at: dt.datetime
    created_by: str
    # The Wayback Machine snapshot of the latest capture that has one (``--wayback``); left out
    # of the JSON when there is none, so reports of sources never archived there are unchanged.
    archived_copy: str | None = Field(None, exclude_if=lambda value: value is None)
    # The other URLs that find the source (the URLs a fetch was asked for and redirected from),
    # in the JSON backup only, so a restore keeps them; left out of the JSON when there are none
    # (older backups, without the field, read as none).
    aliases: list[str] = _optional([])


class CaptureEntry(_Model):
    """One fetch of a source (full JSON export only), so a restore brings the captures back.

    Every column of the capture as stored: ``payload`` is the body exactly as it arrived,
    zlib-compressed as the database keeps it, in base64; ``content_sha256`` is the SHA-256 of
    the decoded body and ``text_sha256`` that of ``text`` (a restore checks both). ``claim_ids``
    and ``evidence_ids``: the exported claims and evidence items taken from this capture.
    """

    id: int
    source_id: int
    requested_url: str
    url: str
    redirects: list[Any]
    status: int
    reason: str | None
    http_version: str
    headers: list[Any]
    peer: str | None
    media_type: str
    kind: str
    charset: str | None
    payload: str
    payload_bytes: int
    content_bytes: int
    content_sha256: str
    text: str
    text_sha256: str
    meta: dict[str, Any]
    fetched_at: dt.datetime
    fetched_by: str
    wayback_url: str | None
    wayback_requested_at: dt.datetime | None
    claim_ids: list[int]
    evidence_ids: list[int]


class EvidenceEntry(_Model):
    id: int
    source_id: int
    excerpt: str
    stance: str
    figure: float | None
    unit: str | None
    as_of: dt.date | None
    note: str | None
    cited: bool
    created_at: dt.datetime
    created_by: str


class NoteEntry(_Model):
    id: int
    body: str
    created_at: dt.datetime
    created_by: str


class CorrectionEntry(_Model):
    id: int
    reopened_at: dt.datetime
    reopened_by: str
    reason: str
    old_verdict: str | None
    new_verdict: str | None
    note: str | None
    completed_at: dt.datetime | None
    old_rationale: str | None = _optional()


class UpdateEntry(_Model):
    """A public update of a published claim that is not a correction (its note is public)."""

    id: int
    at: dt.datetime
    by: str
    note: str


class Appearance(_Model):
    """Another claim recorded as the same claim said elsewhere (its ``same_as_id`` points here)."""

    claim_id: int
    url: str | None
    title: str | None
    publisher: str | None
    said_on: dt.date | None


class ClaimEntry(_Model):
    id: int
    slug: str
    text: str
    statement: str | None
    context: str | None
    claimant_id: int | None
    source_id: int | None
    start: int | None
    end: int | None
    said_on: dt.date | None
    status: str
    verdict: str | None
    rationale: str | None
    checkworthiness: float | None
    quantities: list[dict[str, Any]] | None
    tolerance: float | None
    assignee: str | None
    proposed_by: str | None
    proposed_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    same_as_id: int | None
    tags: list[str]
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    version: int
    evidence: list[EvidenceEntry]
    notes: list[NoteEntry]
    corrections: list[CorrectionEntry]
    appearances: list[Appearance]
    language: str | None = _optional()
    co_claimant_ids: list[int] = _optional([])
    published_at: dt.datetime | None = _optional()
    modified_at: dt.datetime | None = _optional()
    updates: list[UpdateEntry] = _optional([])

    @property
    def claimant_ids(self) -> list[int]:
        """Every claimant, the first one first."""
        first = [self.claimant_id] if self.claimant_id is not None else []
        return first + [c for c in self.co_claimant_ids if c != self.claimant_id]

    @property
    def headline(self) -> str:
        return headline(self.statement, self.text)


class CorrectionListing(_Model):
    """One line of the report's corrections section."""

    claim_id: int
    slug: str
    headline: str
    correction: CorrectionEntry


class EventEntry(_Model):
    """An audit event without its id: restore re-chains events in order.

    ``hash`` is the event's hash in the database it was exported from. A complete backup holds
    every event of that trail, so restore can recompute the chain from the first event to the
    file's ``audit_head`` and refuse a file whose events were altered (older files have none).
    """

    claim_id: int | None
    entity: str
    entity_id: int | None
    actor: str
    at: dt.datetime
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str | None
    hash: str | None = None


class AuditHeadInfo(_Model):
    """The head of the audit trail a report was made from: its event count and last hash.

    Written ``COUNT:HASH`` it is an anchor: ``claimcheck audit verify --anchor`` (given the
    report file or the token) fails unless the database's trail still contains it.
    """

    events: int
    hash: str

    @property
    def token(self) -> str:
        return f"{self.events}:{self.hash}"


class UserInfo(_Model):
    """A desk member (full JSON export only, so a restore brings the desk back)."""

    name: str
    role: str
    active: bool
    created_at: dt.datetime
    created_by: str


class ReportHeader(_Model):
    schema_version: int = SCHEMA_VERSION
    title: str
    organisation: Organisation
    generated_at: dt.datetime
    filters: ReportFilters
    complete: bool
    scale: ScaleInfo
    methodology: str
    summary: Summary
    index: list[IndexEntry] = Field(default_factory=list)
    corrections: list[CorrectionListing] = Field(default_factory=list)
    claimants: list[ClaimantInfo]
    sources: list[SourceInfo]
    users: list[UserInfo] = Field(default_factory=list)
    audit_head: AuditHeadInfo | None = None
    # Left out of the JSON when there are none, so exports of databases without captures are
    # unchanged.
    captures: list[CaptureEntry] = _optional([])

    @cached_property
    def claimant_by_id(self) -> dict[int, ClaimantInfo]:
        return {c.id: c for c in self.claimants}

    @cached_property
    def source_by_id(self) -> dict[int, SourceInfo]:
        return {s.id: s for s in self.sources}


# Derived listings left out of the JSON export; rebuilt by Report.from_document.
DERIVED_HEADER_FIELDS = frozenset({"index", "corrections"})


class ReportDocument(ReportHeader):
    """A whole report in memory: the JSON export's shape and restore's input."""

    # Its validator is built on first use (restore, tests), not when an export imports this.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    claims: list[ClaimEntry]
    events: list[EventEntry] = Field(default_factory=list)


def headline(statement: str | None, text: str, limit: int = 160) -> str:
    """The short form of a claim for headings and listings: its statement, else its text."""
    value = " ".join((statement or text).split())
    if len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


class Report:
    """A report header plus re-iterable streams of claims and (for full exports) events."""

    def __init__(
        self,
        header: ReportHeader,
        claims: Callable[[], Iterable[ClaimEntry]],
        events: Callable[[], Iterable[EventEntry]] | None = None,
        *,
        claim_rows: Callable[[], Iterable[list[dict[str, Any]]]] | None = None,
    ) -> None:
        self.header = header
        self._claims = claims
        self._events = events
        self._claim_rows = claim_rows

    def iter_claims(self) -> Iterator[ClaimEntry]:
        return iter(self._claims())

    def iter_claim_rows(self) -> Iterator[list[dict[str, Any]]] | None:
        """The claims as batches of plain data (None when the report has no such stream):
        what :func:`claims_from_rows` turns into the entries :meth:`iter_claims` yields. Cheap
        to hand to another process, which validates them itself."""
        return iter(self._claim_rows()) if self._claim_rows is not None else None

    def iter_events(self) -> Iterator[EventEntry]:
        return iter(self._events()) if self._events is not None else iter(())

    @property
    def has_events(self) -> bool:
        return self._events is not None

    def document(self) -> ReportDocument:
        """Materialise the whole report (tests, small reports)."""
        data = self.header.model_dump()
        return ReportDocument.model_validate(
            {
                **data,
                "claims": [c.model_dump() for c in self.iter_claims()],
                "events": [e.model_dump() for e in self.iter_events()],
            }
        )

    @classmethod
    def from_document(cls, doc: ReportDocument) -> Report:
        """A report over an in-memory document, with the derived listings rebuilt."""
        header = ReportHeader.model_validate(
            {
                **doc.model_dump(exclude={"claims", "events"}),
                "index": [
                    IndexEntry(id=c.id, slug=c.slug, headline=c.headline, verdict=c.verdict)
                    for c in doc.claims
                ],
                "corrections": corrections_listing(doc.claims),
            }
        )
        claims = list(doc.claims)
        events = list(doc.events)
        return cls(header, lambda: claims, lambda: events)


@functools.cache
def _claims_adapter() -> TypeAdapter[list[ClaimEntry]]:
    return TypeAdapter(list[ClaimEntry])


def claims_from_rows(rows: list[dict[str, Any]]) -> list[ClaimEntry]:
    """A batch of claims as plain data validated into entries, by one call of pydantic's
    validator (not one Python-level constructor per object)."""
    return _claims_adapter().validate_python(rows)


_PARTS: tuple[tuple[str, type[_Model]], ...] = (
    ("evidence", EvidenceEntry),
    ("notes", NoteEntry),
    ("corrections", CorrectionEntry),
    ("appearances", Appearance),
    ("updates", UpdateEntry),
)


def _shaped(rows: list[dict[str, Any]]) -> bool:
    """Whether the batch's first claim, and the first of each of its parts, holds exactly its
    entry's fields (a column added to a table but not to its entry would not)."""
    fields = ClaimEntry.model_fields
    for row in rows[:1]:
        if row.keys() != fields.keys():
            return False
        for name, model in _PARTS:
            items = row[name]
            if items and items[0].keys() != model.model_fields.keys():
                return False
    return True


def _entry(model: type[_Model], data: dict[str, Any]) -> Any:
    # What BaseModel.model_construct makes (the fields as given, nothing validated), without its
    # per-field loop for aliases and defaults: the data holds every field, by name.
    entry = object.__new__(model)
    object.__setattr__(entry, "__dict__", data)
    object.__setattr__(entry, "__pydantic_fields_set__", set(data))
    object.__setattr__(entry, "__pydantic_extra__", None)
    object.__setattr__(entry, "__pydantic_private__", None)
    return entry


@functools.cache
def _field_names(model: type[_Model]) -> tuple[str, ...]:
    return tuple(model.model_fields)


def _in_order(model: type[_Model], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` with their keys in the order of the model's fields (the order a validated
    entry holds them in, and so the order they are serialised in)."""
    names = _field_names(model)
    if tuple(items[0]) == names:  # the report builder makes them so
        return items
    return [{name: item[name] for name in names} for item in items]


def claims_from_typed_rows(rows: list[dict[str, Any]]) -> list[ClaimEntry]:
    """A batch of claims as :func:`claims_from_rows` gives them, from rows the report builder
    typed itself: every value read from a typed column (aware UTC datetimes, dates, numbers,
    parsed JSON) and every field present, by name. Such rows are made into entries without a
    second validation, several times faster than validating them. A batch whose rows do not
    hold exactly the entries' fields is validated instead, so a schema change that the
    entries miss fails as loudly as before. ``tests/test_export_report.py`` checks that both
    ways give equal entries, the same JSON and the same pages.

    The JSON backup validates (:func:`claims_from_rows`): a restore must be able to read back
    whatever it writes, even from a database someone edited by hand.
    """
    if not rows:
        return []
    if not _shaped(rows):
        return claims_from_rows(rows)
    for row in rows:
        for name, model in _PARTS:
            items = row[name]
            if items:
                row[name] = [_entry(model, item) for item in _in_order(model, items)]
    return [_entry(ClaimEntry, row) for row in _in_order(ClaimEntry, rows)]


def corrections_listing(claims: Iterable[ClaimEntry]) -> list[CorrectionListing]:
    """Every correction of these claims, oldest first."""
    rows = [
        CorrectionListing(claim_id=c.id, slug=c.slug, headline=c.headline, correction=corr)
        for c in claims
        for corr in c.corrections
    ]
    rows.sort(
        key=lambda r: (r.correction.completed_at or r.correction.reopened_at, r.correction.id)
    )
    return rows


__all__ = [
    "DERIVED_HEADER_FIELDS",
    "SCHEMA_VERSION",
    "Appearance",
    "AuditHeadInfo",
    "CaptureEntry",
    "ClaimEntry",
    "ClaimantInfo",
    "CorrectionEntry",
    "CorrectionListing",
    "EventEntry",
    "EvidenceEntry",
    "IndexEntry",
    "NoteEntry",
    "Organisation",
    "RatingInfo",
    "Report",
    "ReportDocument",
    "ReportFilters",
    "ReportHeader",
    "ScaleInfo",
    "SourceInfo",
    "Summary",
    "UpdateEntry",
    "UserInfo",
    "VerdictCount",
    "claims_from_rows",
    "claims_from_typed_rows",
    "headline",
]
