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
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, NamedTuple, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from claimcheck.core.limits import MAX_JSON_DEPTH, TOO_DEEP, TooDeep, raw_decode
from claimcheck.core.quantities.model import COMPARATORS, Quantity
from claimcheck.core.text import normalize_tag, normalize_text
from claimcheck.errors import plain_message
from claimcheck.schemas import (
    MAX_CLAIM_CHARS,
    MAX_TEXT_CHARS,
    ClaimantKind,
    ClaimText,
    Name,
    SourceKind,
)
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
        "verdict_state",
        "sent_back_by",
        "sent_back_reason",
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


_TAG_SEPARATORS = re.compile(r"[;,]")


def _split_tags(value: Any) -> Any:
    if isinstance(value, str):
        return [t for t in _TAG_SEPARATORS.split(value) if t.strip()]
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


_DECODER = json.JSONDecoder()


def _decode_shallow(decoder: json.JSONDecoder, text: str, pos: int) -> tuple[Any, int]:
    return decoder.raw_decode(text, pos)


def _quantities(value: Any) -> Any:
    """A JSON array of quantities, one JSON object, or objects separated by ';' (as listed)."""
    if not isinstance(value, str):
        return value
    decoder = _DECODER
    # A value with no more opening brackets than the depth limit cannot nest deeper than it,
    # so the depth walk is needed only for the others.
    decode = raw_decode if value.count("[") + value.count("{") > MAX_JSON_DEPTH else _decode_shallow
    items: list[Any] = []
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and value[pos] in " \t\r\n;":
            pos += 1
        if pos >= end:
            break
        try:
            item, pos = decode(decoder, value, pos)
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
        msg = plain_message(dict(err))
        if err["type"] == "extra_forbidden":
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
    text_norm: str = ""  # normalize_text(text), computed here so the writer need not
    # The canonical JSON (services.audit.canonical) of text, statement, context, quantities,
    # the sorted tags, checkworthiness and tolerance: the parts of the claim's ``create`` event
    # and of its stored quantities known before the write (see writer.created_json).
    encoded: tuple[str, ...] = ()


# -- the fast path ---------------------------------------------------------------------------
#
# Building a pydantic model per row is most of the check pass's own cost. :func:`_fast` accepts
# the rows that are plainly valid and returns exactly the values ImportRow would; anything it is
# not sure of (every invalid row, and valid but unusual spellings such as " 1" or "1_000" for a
# number) it leaves to ImportRow, so every problem is still worded by the one model.
# tests/test_import_fast.py checks that the two agree on generated rows.

_FAIL: Any = object()
# The audit chain's canonical JSON (services.audit.canonical; the tests check they agree).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_encode_str = json.encoder.encode_basestring
_make_encoder = getattr(json.encoder, "c_make_encoder", None)


def _canonical_encoder() -> Callable[[Any], str]:
    """``_CANONICAL.encode``, without building the C encoder anew for every value (which is most
    of its cost on the small lists of quantities a row holds)."""
    if _make_encoder is None:  # no C accelerator
        return _CANONICAL.encode
    c = _CANONICAL
    chunks = _make_encoder(
        {}, c.default, _encode_str, None, ":", ",", True, c.skipkeys, c.allow_nan
    )
    # The markers ({}) catch circular lists; every call leaves them empty again.
    return lambda value: "".join(chunks(value, 0))


_encode_json = _canonical_encoder()


def _encode_number(value: float | None) -> str:
    """A finite float as JSON (what ``json`` writes: its ``repr``), or ``null``."""
    return "null" if value is None else repr(value)


def _encode_tags(tags: tuple[str, ...]) -> str:
    """The sorted tags as canonical JSON (a list of strings)."""
    return "[" + ",".join([_encode_str(tag) for tag in sorted(tags)]) + "]"


_INT = re.compile(r"[0-9]{1,15}")
_FLOAT = re.compile(r"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,17})?")
_CLAIMANT_KINDS = frozenset(get_args(ClaimantKind))
_SOURCE_KINDS = frozenset(get_args(SourceKind))
_QUANTITY_KEYS = frozenset(Quantity.model_fields)
_COMPARATORS = frozenset(COMPARATORS)


def _f_required(value: Any, limit: int) -> Any:
    """ClaimText / Name: a string, no NUL, not empty once stripped; stripped."""
    if type(value) is not str or len(value) > limit or "\x00" in value:
        return _FAIL
    return value.strip() or _FAIL


def _f_optional(value: Any, limit: int) -> Any:
    """statement / context / source_title: a string, no NUL; stripped, empty as None."""
    if type(value) is not str or len(value) > limit or "\x00" in value:
        return _FAIL
    return value.strip() or None


def _f_date(value: Any) -> Any:
    if type(value) is not str:
        return _FAIL
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return _FAIL


def _f_offset(value: Any) -> Any:
    if type(value) is int:
        return value if 0 <= value < 10**15 else _FAIL
    if type(value) is str and _INT.fullmatch(value):
        return int(value)
    return _FAIL


def _f_number(value: Any) -> Any:
    """A finite int or float (never a bool), or a plainly written decimal number."""
    if type(value) is float:
        return value if math.isfinite(value) else _FAIL
    if type(value) is int:
        return float(value) if abs(value) < 10**15 else _FAIL
    if type(value) is str and _FLOAT.fullmatch(value):
        return float(value)
    return _FAIL


def _f_score(value: Any) -> Any:
    number = _f_number(value)
    if number is _FAIL or not 0 <= number <= 1:
        return _FAIL
    return number


def _f_tags(value: Any) -> Any:
    if type(value) is str:
        value = _split_tags(value)
    elif type(value) is not list:
        return _FAIL
    if len(value) > 50:
        return _FAIL
    out = []
    for tag in value:
        if type(tag) is not str:
            return _FAIL
        try:
            out.append(_cached_tag(tag))
        except ValueError:
            return _FAIL
    return out


def _f_quantity(item: Any) -> Any:
    """One quantity as ``Quantity(...).model_dump(mode="json", exclude_none=True)`` gives it."""
    if type(item) is not dict or "value" not in item or not _QUANTITY_KEYS.issuperset(item):
        return _FAIL
    comparator = item.get("comparator", "=")
    if type(comparator) is not str or comparator not in _COMPARATORS:
        return _FAIL
    value = item["value"]
    if type(value) is list:
        if comparator != "range" or len(value) != 2:
            return _FAIL
        low, high = _f_plain(value[0]), _f_plain(value[1])
        if low is _FAIL or high is _FAIL or low > high:
            return _FAIL
        number: Any = [low, high]
    else:
        number = _f_plain(value)
        if number is _FAIL or comparator == "range":
            return _FAIL
    out: dict[str, Any] = {"value": number}
    unit = item.get("unit")
    if unit is not None:
        if type(unit) is not str:
            return _FAIL
        out["unit"] = unit
    out["comparator"] = comparator
    surface = item.get("surface", "")
    if type(surface) is not str:
        return _FAIL
    out["surface"] = surface
    tolerance = item.get("tolerance")
    if tolerance is not None:
        tolerance = _f_plain(tolerance)
        if tolerance is _FAIL or not 0 <= tolerance <= 10:
            return _FAIL
        out["tolerance"] = tolerance
    return out


def _f_plain(value: Any) -> Any:
    """A quantity's number: a finite int or float only (a string is left to pydantic)."""
    return _f_number(value) if type(value) is not str else _FAIL


def _f_quantities(value: Any) -> Any:
    if type(value) is str:
        try:
            value = _quantities(value)
        except ValueError:
            return _FAIL
    if type(value) is not list:
        return _FAIL
    out = []
    for item in value:
        quantity = _f_quantity(item)
        if quantity is _FAIL:
            return _FAIL
        out.append(quantity)
    return out


def _f_url(value: Any) -> Any:
    if type(value) is not str:
        return _FAIL
    try:
        return _cached_url(value)
    except ValueError:
        return _FAIL


def _f_status(value: Any) -> Any:
    return "new" if type(value) is str and value.strip() == "new" else _FAIL


def _f_kind(allowed: frozenset[str]) -> Callable[[Any], Any]:
    return lambda value: value if type(value) is str and value in allowed else _FAIL


_FAST: dict[str, Callable[[Any], Any]] = {
    "text": lambda v: _f_required(v, MAX_CLAIM_CHARS),
    "speaker": lambda v: _f_required(v, 200),
    "speaker_kind": _f_kind(_CLAIMANT_KINDS),
    "source_url": _f_url,
    "source_title": lambda v: _f_optional(v, 500),
    "publisher": lambda v: _f_required(v, 200),
    "published_on": _f_date,
    "source_kind": _f_kind(_SOURCE_KINDS),
    "said_on": _f_date,
    "tags": _f_tags,
    "statement": lambda v: _f_optional(v, 300),
    "context": lambda v: _f_optional(v, MAX_TEXT_CHARS),
    "start": _f_offset,
    "end": _f_offset,
    "checkworthiness": _f_score,
    "tolerance": _f_score,
    "quantities": _f_quantities,
    "status": _f_status,
    # verdict and rationale are always refused: left to ImportRow, which says why.
}


def _fast(data: dict[str, Any]) -> dict[str, Any] | None:
    """The row's fields as ImportRow would validate them, or None: ask ImportRow."""
    if "text" not in data:
        return None
    out: dict[str, Any] = {}
    for name, value in data.items():
        check = _FAST.get(name)
        if check is None:
            return None
        result = check(value)
        if result is _FAIL:
            return None
        out[name] = result
    return out


def _by_model(data: dict[str, Any]) -> dict[str, Any]:
    """The row's fields validated by ImportRow (ValidationError if it is bad)."""
    row = ImportRow.model_validate(data)
    fields = {name: getattr(row, name) for name in _OUT_FIELDS}
    if row.quantities is not None:
        fields["quantities"] = [
            q.model_dump(mode="json", exclude_none=True) for q in row.quantities
        ]
    return fields


_OUT_FIELDS = (
    "text",
    "speaker",
    "speaker_kind",
    "source_url",
    "source_title",
    "publisher",
    "published_on",
    "source_kind",
    "said_on",
    "tags",
    "statement",
    "context",
    "start",
    "end",
    "checkworthiness",
    "tolerance",
    "quantities",
)


def validate_row(raw: RawRow, defaults: Defaults, *, fast: bool = True) -> Checked | list[Problem]:
    """The row, validated, or its problems (``fast=False``: always through ImportRow)."""
    if raw.problem is not None:
        return [Problem(raw.line, None, raw.problem)]
    if raw.check_text:
        bad = [k for k, v in raw.data.items() if bad_text(v)]
        if bad:
            return [
                Problem(raw.line, k, "not valid UTF-8 text (or a lone surrogate escape)")
                for k in bad
            ]
    data = defaults.apply(dict(raw.data))
    fields = _fast(data) if fast else None
    if fields is None:
        try:
            fields = _by_model(data)
        except ValidationError as exc:
            return _problems_of(raw, exc)
    get = fields.get
    text = fields["text"]
    quantities = get("quantities")
    parsed = quantities is None and defaults.parse_quantities
    if parsed:
        from claimcheck.core.quantities.scanner import quantity_dicts

        quantities = quantity_dicts(text)
    tags = tuple(dict.fromkeys(get("tags") or ()))
    statement, context = get("statement"), get("context")
    checkworthiness, tolerance = get("checkworthiness"), get("tolerance")
    encoded = (
        _encode_str(text),
        _encode_str(statement) if statement is not None else "null",
        _encode_str(context) if context is not None else "null",
        _encode_json(quantities),
        _encode_tags(tags),
        _encode_number(checkworthiness),
        _encode_number(tolerance),
    )
    return Checked(
        raw.line,
        text,
        get("speaker"),
        get("speaker_kind"),
        get("source_url"),
        get("source_title"),
        get("publisher"),
        get("published_on"),
        get("source_kind"),
        get("said_on"),
        tags,
        statement,
        context,
        get("start"),
        get("end"),
        checkworthiness,
        tolerance,
        quantities,
        parsed,
        normalize_text(text),
        encoded,
    )
