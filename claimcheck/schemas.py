"""pydantic DTOs: validated input at the boundary, serialised output whose keys are a contract.

Input models (``*In``, ``*Edit``, filters) validate everything a user types or a file holds;
:func:`validate` turns the first problem into one :class:`InputError` line that names the field.
Output models (``*Out``) are what ``-f json`` prints: ORM objects never leave the service layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from claimcheck.core.quantities.model import Quantity
from claimcheck.core.text import normalize_tag
from claimcheck.errors import InputError, plain_message
from claimcheck.urls import normalize_url

MAX_CLAIM_CHARS = 5_000
MAX_TEXT_CHARS = 20_000
MAX_ARCHIVE_CHARS = 5_000_000
# A saved web page (`source add --html`): trafilatura's own MAX_FILE_SIZE, beyond which it
# extracts nothing at all.
MAX_HTML_BYTES = 20_000_000

SOURCE_KINDS = (
    "article",
    "transcript",
    "social-post",
    "official-statement",
    "dataset",
    "report",
    "other",
)
SourceKind = Literal[
    "article", "transcript", "social-post", "official-statement", "dataset", "report", "other"
]
ClaimantKind = Literal["person", "organization"]

M = TypeVar("M", bound=BaseModel)


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _url(value: str) -> str:
    return normalize_url(value)


def _date(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _language(value: str) -> str:
    from claimcheck.languages import LanguageTagError, language_tag

    try:
        return language_tag(value)
    except LanguageTagError as exc:
        raise ValueError(str(exc)) from None


Text = Annotated[str, AfterValidator(_clean_text)]
LanguageTag = Annotated[str, AfterValidator(_language)]
ClaimText = Annotated[str, AfterValidator(_clean_text), Field(max_length=MAX_CLAIM_CHARS)]
Name = Annotated[str, AfterValidator(_clean_text), Field(max_length=200)]
Url = Annotated[str, AfterValidator(_url)]
TagName = Annotated[str, AfterValidator(normalize_tag)]
Date = Annotated[dt.date, BeforeValidator(_date)]


# defer_build: a model's validator is built when it is first used, not at import, so a command
# pays only for the models it uses (``claimcheck list`` builds three of the module's dozens).
class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, defer_build=True)


class SourceIn(_In):
    url: Url
    title: Annotated[str, AfterValidator(_clean_text), Field(max_length=500)] | None = None
    publisher: Name | None = None
    author: Name | None = None
    published_on: Date | None = None
    kind: SourceKind = "article"
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None
    archived_text: Annotated[str, Field(max_length=MAX_ARCHIVE_CHARS)] | None = None


class SourceEdit(_In):
    title: Annotated[str, AfterValidator(_clean_text), Field(max_length=500)] | None = None
    publisher: Name | None = None
    author: Name | None = None
    published_on: Date | None = None
    kind: SourceKind | None = None
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None


class ClaimIn(_In):
    text: ClaimText
    statement: Annotated[str, AfterValidator(_clean_text), Field(max_length=300)] | None = None
    speaker: Name | None = None
    # Claimants besides the first (``speaker``), in order.
    co_speakers: list[Name] = Field(default_factory=list, max_length=20)
    speaker_kind: ClaimantKind | None = None
    language: LanguageTag | None = None
    source: Url | None = None
    said_on: Date | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=50)
    context: (
        Annotated[str, AfterValidator(_clean_text), Field(max_length=MAX_TEXT_CHARS)] | None
    ) = None
    start: Annotated[int, Field(ge=0)] | None = None
    end: Annotated[int, Field(ge=0)] | None = None
    checkworthiness: Annotated[float, Field(ge=0, le=1)] | None = None
    quantities: list[Quantity] | None = None
    tolerance: Annotated[float, Field(ge=0, le=1)] | None = None


class ClaimEdit(_In):
    """Fields an edit may change; None means 'leave as is'."""

    text: ClaimText | None = None
    statement: Annotated[str, Field(max_length=300)] | None = None
    speaker: Annotated[str, Field(max_length=200)] | None = None
    co_speakers: list[Name] | None = Field(None, max_length=20)
    language: LanguageTag | None = None
    said_on: Date | None = None
    context: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    quantities: list[Quantity] | None = None
    tolerance: Annotated[float, Field(ge=0, le=1)] | None = None


class ClaimFilter(_In):
    status: list[str] = Field(default_factory=list)
    verdict: list[str] = Field(default_factory=list)
    speaker: Name | None = None
    source: Url | None = None
    tag: list[TagName] = Field(default_factory=list)
    since: Date | None = None
    until: Date | None = None
    assignee: Name | None = None
    limit: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    offset: Annotated[int, Field(ge=0)] = 0


def error_line(exc: ValidationError, label: Callable[[str], str] | None = None) -> str:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    field = loc[0] if loc else "input"
    name = label(field) if label else field
    if len(loc) > 1:
        name += "[" + "][".join(loc[1:]) + "]"
    return f"{name}: {plain_message(err)}"


def option_label(field: str) -> str:
    return "--" + field.replace("_", "-")


def validate(
    model: type[M], data: dict[str, Any], *, label: Callable[[str], str] | None = option_label
) -> M:
    """Build ``model`` from ``data`` or raise InputError naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(error_line(exc, label)) from None


# ---------------------------------------------------------------------------------------------
# Output models


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, defer_build=True)


class SourceOut(_Out):
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
    archived_chars: int | None
    claims: int | None = None
    created_at: dt.datetime
    created_by: str


class CaptureOut(_Out):
    """One fetch of a source (``source show -f json`` lists them under ``captures``)."""

    id: int
    source_id: int
    requested_url: str
    url: str
    redirects: list[dict[str, Any]]
    status: int
    http_version: str
    media_type: str
    kind: str
    charset: str | None
    peer: str | None
    payload_bytes: int
    content_bytes: int
    content_sha256: str
    text_chars: int
    text_sha256: str
    metadata: dict[str, Any]
    headers: list[list[str]]
    fetched_at: dt.datetime
    fetched_by: str
    wayback_url: str | None
    claims: int = 0


class ClaimantOut(_Out):
    id: int
    name: str
    kind: str
    same_as: str | None
    aliases: list[str]


class ClaimOut(_Out):
    id: int
    text: str
    statement: str | None
    status: str
    verdict: str | None
    claimant: str | None
    source: str | None
    source_title: str | None
    said_on: dt.date | None
    tags: list[str]
    quantities: list[Quantity]
    checkworthiness: float | None
    assignee: str | None
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    version: int


class ClaimDetail(ClaimOut):
    context: str | None
    start: int | None
    end: int | None
    quote_verified: bool | None
    rationale: str | None
    tolerance: float | None
    proposed_by: str | None
    proposed_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    same_as_id: int | None
    claimant_info: ClaimantOut | None
    source_info: SourceOut | None
    language: str | None = None  # None: the organisation's default
    published_at: dt.datetime | None = None  # first publication (ClaimReview datePublished)
    modified_at: dt.datetime | None = None  # last public correction or update (dateModified)


class SearchHit(ClaimOut):
    rank: float


class UserOut(_Out):
    id: int
    name: str
    role: str
    active: bool
    created_at: dt.datetime
    created_by: str


# ---------------------------------------------------------------------------------------------
# Review workflow: evidence, notes, audit events, corrections

Stance = Literal["supports", "refutes", "context"]
STANCES = ("supports", "refutes", "context")


class EvidenceIn(_In):
    """One evidence record as typed by a reviewer (``claimcheck evidence add``)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    source: Url
    excerpt: Annotated[str, AfterValidator(_clean_text), Field(max_length=MAX_TEXT_CHARS)]
    stance: Stance
    figure: float | None = None
    unit: Annotated[str, AfterValidator(_clean_text), Field(max_length=32)] | None = None
    as_of: Date | None = None
    note: Annotated[str, AfterValidator(_clean_text), Field(max_length=MAX_TEXT_CHARS)] | None = (
        None
    )
    title: Annotated[str, AfterValidator(_clean_text), Field(max_length=500)] | None = None


class EvidenceOut(_Out):
    id: int
    claim_id: int
    source: str
    source_title: str | None
    excerpt: str
    excerpt_found: bool | None
    stance: str
    figure: float | None
    unit: str | None
    as_of: dt.date | None
    note: str | None
    cited: bool
    created_at: dt.datetime
    created_by: str


class NoteOut(_Out):
    id: int
    claim_id: int
    body: str
    created_at: dt.datetime
    created_by: str


class EventOut(_Out):
    id: int
    claim_id: int | None
    entity: str
    entity_id: int | None
    actor: str
    at: dt.datetime
    action: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str | None
    hash: str


class CorrectionOut(_Out):
    id: int
    claim_id: int
    reopened_at: dt.datetime
    reopened_by: str
    reason: str
    old_verdict: str | None
    new_verdict: str | None
    note: str | None
    completed_at: dt.datetime | None


class ClaimShow(ClaimDetail):
    """``claimcheck show -f json``: the claim with its evidence, notes and corrections."""

    evidence: list[EvidenceOut]
    notes: list[NoteOut]
    corrections: list[CorrectionOut]
