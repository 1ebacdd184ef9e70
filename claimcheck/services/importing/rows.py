"""The row model of an import: what one row may hold, validated into a :class:`Checked` tuple.

Pure (pydantic, no database): :func:`validate_row` turns one :class:`RawRow` a reader produced
into a validated row or into its problems, each a ``line N, column X: problem`` line. The columns
are documented in docs/import.md; :class:`ImportRow` is their one definition (the readers take the
known column names from it).

Workflow invariants live here too: a row may only create a claim in status ``new``; a ``status``
other than ``new`` or a ``verdict``/``rationale`` is refused, because a verdict needs evidence and
a second person's approval, which an import cannot vouch for.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from claimcheck.core.limits import TOO_DEEP, TooDeep, raw_decode
from claimcheck.core.quantities.model import Quantity
from claimcheck.core.text import normalize_tag
from claimcheck.schemas import MAX_TEXT_CHARS, ClaimantKind, ClaimText, Name, SourceKind
from claimcheck.urls import normalize_url

# Header names people use for a column, mapped onto ImportRow's field names.
COLUMN_ALIASES = {"source": "source_url", "url": "source_url", "claimant": "speaker"}
# Columns of `claimcheck list -f csv` that describe a stored claim, not a claim to import: they
# are ignored (with a warning) so that a listing can be imported elsewhere.
IGNORED_COLUMNS = frozenset(
    {
        "id",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
        "assignee",
        "rank",
        "quote_verified",
    }
)


@lru_cache(maxsize=8192)
def _cached_url(value: str) -> str:
    return normalize_url(value)


def _url(value: str) -> str:
    return _cached_url(value)


@lru_cache(maxsize=8192)
def _cached_tag(value: str) -> str:
    return normalize_tag(value)


def _split_tags(value: Any) -> Any:
    if isinstance(value, str):
        return [t for t in re.split(r"[;,]", value) if t.strip()]
    return value


def _date_text(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date in the form YYYY-MM-DD") from None


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


def _quantities(value: Any) -> Any:
    """A JSON array of quantities, one JSON object, or objects separated by ';' (as listed)."""
    if not isinstance(value, str):
        return value
    decoder = json.JSONDecoder()
    items: list[Any] = []
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and value[pos] in " \t\r\n;":
            pos += 1
        if pos >= end:
            break
        try:
            item, pos = raw_decode(decoder, value, pos)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON at character {exc.pos + 1}: {exc.msg}") from None
        except TooDeep:
            raise ValueError(f"not valid JSON: {TOO_DEEP}") from None
        if isinstance(item, list):
            items.extend(item)
        else:
            items.append(item)
    return items


ImportDate = Annotated[dt.date, BeforeValidator(_date_text)]
ImportUrl = Annotated[str, AfterValidator(_url)]
ImportTag = Annotated[str, AfterValidator(_cached_tag)]
Score = Annotated[float, BeforeValidator(_number), Field(ge=0, le=1)]
Offset = Annotated[int, BeforeValidator(_number), Field(ge=0)]
LongText = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]


class ImportRow(BaseModel):
    """One row of an import file (the columns are documented in docs/import.md)."""

    model_config = ConfigDict(extra="forbid")

    text: ClaimText
    speaker: Name | None = None
    speaker_kind: ClaimantKind | None = None
    source_url: ImportUrl | None = None
    source_title: Annotated[str, Field(max_length=500)] | None = None
    publisher: Name | None = None
    published_on: ImportDate | None = None
    source_kind: SourceKind | None = None
    said_on: ImportDate | None = None
    tags: Annotated[list[ImportTag], BeforeValidator(_split_tags), Field(max_length=50)] = Field(
        default_factory=list
    )
    statement: Annotated[str, Field(max_length=300)] | None = None
    context: LongText | None = None
    start: Offset | None = None
    end: Offset | None = None
    checkworthiness: Score | None = None
    tolerance: Score | None = None
    quantities: Annotated[list[Quantity], BeforeValidator(_quantities)] | None = None
    status: str | None = None
    verdict: str | None = None
    rationale: str | None = None

    @field_validator("statement", "context", "source_title")
    @classmethod
    def _clean(cls, value: str) -> str | None:
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value.strip() or None

    @field_validator("status")
    @classmethod
    def _only_new(cls, value: str) -> str:
        if value.strip() != "new":
            raise ValueError(
                f"{value[:40]!r}: imported claims start as 'new'; a status changes only through "
                "review (claimcheck review)"
            )
        return "new"

    @field_validator("verdict", "rationale")
    @classmethod
    def _no_verdict(cls, value: str) -> None:
        raise ValueError(
            "verdicts are not imported: a verdict needs evidence and a second person's approval "
            "(leave the column empty and review the claims after the import)"
        )


FIELDS = tuple(ImportRow.model_fields)
KNOWN_COLUMNS = frozenset(FIELDS) | frozenset(COLUMN_ALIASES)


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RawRow:
    """One record as read: its first line, its fields, or the reason it cannot be read."""

    line: int
    data: dict[str, Any]
    problem: str | None = None
    check_text: bool = True  # False: the reader already made sure the text is valid Unicode


# Lone surrogates: bytes that were not valid UTF-8 (kept by surrogateescape), or \ud800-style
# escapes in JSON. Neither is text a database can store.
NOT_UNICODE = re.compile("[\ud800-\udfff]")


def bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return not value.isascii() and NOT_UNICODE.search(value) is not None
    if isinstance(value, list):
        return any(bad_text(v) for v in value)
    if isinstance(value, dict):
        return any(bad_text(k) or bad_text(v) for k, v in value.items())
    return False


@dataclass
class Defaults:
    """What the command line adds to every row: a source for rows without one, extra tags."""

    source_url: str | None = None
    tags: tuple[str, ...] = ()
    # A claim without a quantities column gets them parsed out of its text, as `add` does.
    parse_quantities: bool = True

    def apply(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.source_url and "source_url" not in data:
            data["source_url"] = self.source_url
        if self.tags:
            given = data.get("tags")
            if given is None:
                data["tags"] = list(self.tags)
            elif isinstance(given, str):
                data["tags"] = given + ";" + ";".join(self.tags)
            elif isinstance(given, list):
                data["tags"] = [*given, *self.tags]
        return data


_LOCATION_NAMES = frozenset(FIELDS) | frozenset(Quantity.model_fields)


def _column(loc: tuple[int | str, ...]) -> str | None:
    """('quantities', 0, 'value', 'float') -> 'quantities[0].value' (union tags dropped)."""
    if not loc:
        return None
    out = str(loc[0])
    for part in loc[1:]:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _LOCATION_NAMES:
            out += f".{part}"
    return out


def _problems_of(raw: RawRow, exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str | None] = set()
    for err in exc.errors():
        column = _column(tuple(err["loc"]))
        if column in seen:  # one problem per cell (a union reports one error per member)
            continue
        seen.add(column)
        msg = re.sub(r"^(Value error|Assertion failed), ", "", err["msg"])
        if err["type"] == "missing":
            msg = "is required"
        elif err["type"] in ("too_long", "string_too_long") and isinstance(err["input"], str):
            limit = (err.get("ctx") or {}).get("max_length")
            msg = f"is {len(err['input'])} characters long, the limit is {limit}"
        elif err["type"] == "extra_forbidden":
            msg = "is not a known column (see docs/import.md)"
        out.append(Problem(raw.line, column, msg))
    return out


class Checked(NamedTuple):
    """A validated row, as spooled between the passes (empty fields are None)."""

    line: int
    text: str
    speaker: str | None
    speaker_kind: str | None
    source_url: str | None
    source_title: str | None
    publisher: str | None
    published_on: dt.date | None
    source_kind: str | None
    said_on: dt.date | None
    tags: tuple[str, ...]
    statement: str | None
    context: str | None
    start: int | None
    end: int | None
    checkworthiness: float | None
    tolerance: float | None
    quantities: list[dict[str, Any]] | None
    quantities_parsed: bool = False  # read out of the text, not given by the row


def validate_row(raw: RawRow, defaults: Defaults) -> Checked | list[Problem]:
    """The row, validated, or its problems."""
    if raw.problem is not None:
        return [Problem(raw.line, None, raw.problem)]
    if raw.check_text:
        bad = [k for k, v in raw.data.items() if bad_text(v)]
        if bad:
            return [
                Problem(raw.line, k, "not valid UTF-8 text (or a lone surrogate escape)")
                for k in bad
            ]
    try:
        row = ImportRow.model_validate(defaults.apply(dict(raw.data)))
    except ValidationError as exc:
        return _problems_of(raw, exc)
    quantities = row.quantities
    parsed = quantities is None and defaults.parse_quantities
    if parsed:
        from claimcheck.core.quantities.scanner import parse_quantities

        quantities = parse_quantities(row.text)
    return Checked(
        raw.line,
        row.text,
        row.speaker,
        row.speaker_kind,
        row.source_url,
        row.source_title,
        row.publisher,
        row.published_on,
        row.source_kind,
        row.said_on,
        tuple(dict.fromkeys(row.tags)),
        row.statement,
        row.context,
        row.start,
        row.end,
        row.checkworthiness,
        row.tolerance,
        [q.model_dump(mode="json", exclude_none=True) for q in quantities]
        if quantities is not None
        else None,
        parsed,
    )
