"""Bulk import of claims from CSV, JSONL or JSON files: check every row, then write in batches.

Design
------
A file is never held in memory (a 1,000,000-row file needs no more memory than a 10,000-row one;
docs/benchmarks.md measures it):

1. **Check** (:func:`check_file`): every row is parsed and validated with :class:`ImportRow`
   (pydantic). Every problem becomes one ``line N, column X: problem`` line; the first
   :data:`MAX_PROBLEMS` are kept and the rest counted. This pass does not touch the database, so
   no lock is held while a large file is checked. While the file is good, the validated rows
   (:class:`Checked` tuples) are spooled to a temporary file in pickled batches, so the write
   pass neither parses nor validates a second time.
2. **Write** (:func:`import_checked`): only when the check found nothing. The spooled batches of
   :data:`BATCH_SIZE` rows are written with multi-row INSERTs
   (:func:`claimcheck.services.bulk.insert_rows`), all inside the command's one transaction:
   either every row is stored or none. Sources, claimants and tags are resolved once per distinct
   value (bounded caches). Claims already stored are found with one query per batch; the INSERT
   itself says ``ON CONFLICT (dedupe_key) DO NOTHING``, so a claim stored meanwhile by another
   process is a duplicate, never a second copy and never a crash. The full-text index follows by
   itself (SQLite triggers, PostgreSQL GIN index).

Audit trail: every imported claim gets its own ``create`` event (the same snapshot
``claimcheck add`` records, comment ``import FILE line N``) and every new source its
``source.add`` event, so ``history`` and history replay treat imported claims like any other. The
events are hash-chained in Python and written with one multi-row INSERT per batch
(:func:`claimcheck.services.audit.record_many`). The chain's lock is taken before the first write,
so an import cannot deadlock with other writers (they queue behind it).

Workflow invariants: an import creates claims in status ``new`` only. A ``status`` other than
``new`` or a ``verdict``/``rationale`` in a row is refused: a verdict needs evidence and a second
person's approval, which an import cannot vouch for. A full restore of an export is
``claimcheck restore``'s job.

Duplicates (same normalised text and source as a stored claim, or as an earlier row) follow
``on_duplicate``: ``skip`` them, ``error`` (every duplicate row is listed, nothing is written), or
``update`` the stored claim with the row's non-empty fields (one ``edit`` event per changed claim).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
import re
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Annotated, Any, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from sqlalchemy import Table, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimcheck.core.quantities.model import Quantity
from claimcheck.errors import InputError, RejectedRows, UsageError
from claimcheck.models import Claim, Claimant, ClaimTag, Source, Tag, utcnow
from claimcheck.schemas import MAX_TEXT_CHARS, ClaimantKind, ClaimText, Name, SourceKind, _tag
from claimcheck.services import audit
from claimcheck.services.audit import PendingEvent, canonical
from claimcheck.services.bulk import insert_rows, processors
from claimcheck.services.claims import (
    _locate,
    dedupe_key,
    ensure_claimant,
    get_claim,
    normalize_text,
    set_tags,
    snapshot,
    touch,
)
from claimcheck.services.users import require_role
from claimcheck.urls import normalize_url

FORMATS = ("csv", "jsonl", "json")
ON_DUPLICATE = ("skip", "error", "update")
MAX_PROBLEMS = 50
BATCH_SIZE = 1000
MAX_LINE_CHARS = 16_000_000  # one JSONL line; longer ones are refused, not read into memory
CACHE_SIZE = 10_000  # distinct sources / claimants / tags remembered between batches
CSV_FIELD_LIMIT = csv.field_size_limit()

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
# What `cli.output` writes in front of a CSV cell that a spreadsheet would run as a formula.

Progress = Callable[[int], None]


# ---------------------------------------------------------------------------------------------
# The row model


@lru_cache(maxsize=8192)
def _cached_url(value: str) -> str:
    return normalize_url(value)


def _url(value: str) -> str:
    return _cached_url(value)


@lru_cache(maxsize=8192)
def _cached_tag(value: str) -> str:
    return _tag(value)


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
            item, pos = decoder.raw_decode(value, pos)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON at character {exc.pos + 1}: {exc.msg}") from None
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


# ---------------------------------------------------------------------------------------------
# Reading files


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


class FileProblem(Exception):
    """The file cannot be read further (bad header, broken CSV quoting, invalid JSON)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def detect_format(path: str, given: str | None) -> str:
    if given:
        if given not in FORMATS:
            raise UsageError(f"--format: must be one of {', '.join(FORMATS)}")
        return given
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    raise UsageError(
        f"FILE: cannot tell the format of {path!r} from its name; give --format csv|jsonl|json"
    )


def _open(path: Path) -> IO[str]:
    # surrogateescape: a file that is not valid UTF-8 is still read to the end, and each cell
    # holding such bytes is reported with its line instead of failing on the first one.
    return path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="")


# Lone surrogates: bytes that were not valid UTF-8 (kept by surrogateescape), or \ud800-style
# escapes in JSON. Neither is text a database can store.
_NOT_UNICODE = re.compile("[\ud800-\udfff]")


def _bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return not value.isascii() and _NOT_UNICODE.search(value) is not None
    if isinstance(value, list):
        return any(_bad_text(v) for v in value)
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    return False


def _header(cells: list[str]) -> tuple[list[str | None], list[str]]:
    """Column names → field names (None: ignored column); also the ignored names."""
    names: list[str | None] = []
    ignored: list[str] = []
    seen: set[str] = set()
    unknown: list[str] = []
    for cell in cells:
        name = cell.strip().lower().replace(" ", "_").replace("-", "_")
        if name in IGNORED_COLUMNS:
            names.append(None)
            ignored.append(name)
            continue
        if name not in KNOWN_COLUMNS:
            unknown.append(cell)
            names.append(None)
            continue
        name = COLUMN_ALIASES.get(name, name)
        if name in seen:
            raise FileProblem(Problem(1, cell, "this column appears twice in the header"))
        seen.add(name)
        names.append(name)
    if unknown:
        raise FileProblem(
            Problem(
                1,
                None,
                f"unknown column{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(repr(u[:40]) for u in unknown[:5])} "
                f"(known: {', '.join(FIELDS)}; see docs/import.md)",
            )
        )
    if "text" not in seen:
        raise FileProblem(Problem(1, None, "the header has no 'text' column"))
    return names, ignored


def _unguard(value: str) -> str:
    """Undo the quote claimcheck's CSV writers put before a cell a spreadsheet would run
    (``'=1+1`` → ``=1+1``; ``''=x`` → ``'=x``; see ``claimcheck.export.cells``)."""
    from claimcheck.export.cells import unguard_formula

    return unguard_formula(value)


def _read_csv(fh: IO[str], on_header: Callable[[list[str]], None]) -> Iterator[RawRow]:
    first = fh.readline()
    fh.seek(0)
    delimiter = "\t" if "\t" in first and "," not in first else ","
    last_bad = 0  # the last physical line holding text that is not valid UTF-8

    def lines() -> Iterator[str]:
        nonlocal last_bad
        for number, physical in enumerate(fh, start=1):
            if not physical.isascii() and _NOT_UNICODE.search(physical):
                last_bad = number
            yield physical

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    names: list[str | None] | None = None
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            msg = str(exc)
            if "field larger than field limit" in msg:
                msg = f"a cell is longer than {CSV_FIELD_LIMIT} characters"
            raise FileProblem(
                Problem(last + 1, None, f"{msg} (the rest of the file was not read)")
            ) from None
        line = last + 1
        last = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if names is None:
            if last_bad >= line:
                raise FileProblem(Problem(line, None, "the header is not valid UTF-8"))
            names, ignored = _header(cells)
            on_header(ignored)
            continue
        if len(cells) != len(names):
            yield RawRow(
                line,
                {},
                f"has {len(cells)} cells, the header has {len(names)} "
                "(check the quoting of cells that hold the delimiter)",
            )
            continue
        data = {}
        for name, value in zip(names, cells, strict=True):
            if name is not None and value != "":
                data[name] = _unguard(value)
        yield RawRow(line, data, check_text=last_bad >= line)
    if names is None:
        raise FileProblem(Problem(None, None, "the file is empty (a CSV import needs a header)"))


class _KeyMapper:
    """JSON keys → field names; reports each ignored key once."""

    def __init__(self, notify: Callable[[list[str]], None]) -> None:
        self.notify = notify
        self.ignored: set[str] = set()

    def row(self, line: int, value: Any) -> RawRow:
        if not isinstance(value, dict):
            kind = type(value).__name__.replace("dict", "object").replace("str", "string")
            return RawRow(line, {}, f"expected a JSON object, found a {kind}")
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key).strip().lower()
            if name in IGNORED_COLUMNS:
                if name not in self.ignored:
                    self.ignored.add(name)
                    self.notify([name])
                continue
            if item is None or item == "":
                continue
            out[COLUMN_ALIASES.get(name, name)] = item
        return RawRow(line, out)


def _read_jsonl(fh: IO[str], keys: _KeyMapper) -> Iterator[RawRow]:
    line = 0
    while True:
        raw = fh.readline(MAX_LINE_CHARS)
        if not raw:
            break
        line += 1
        if len(raw) >= MAX_LINE_CHARS and not raw.endswith("\n"):
            while True:  # skip the rest of the over-long line without keeping it
                rest = fh.readline(MAX_LINE_CHARS)
                if not rest or rest.endswith("\n"):
                    break
            yield RawRow(line, {}, f"longer than {MAX_LINE_CHARS} characters")
            continue
        text = raw.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RawRow(line, {}, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield RawRow(line, {}, "not valid JSON: nested too deeply")
            continue
        yield keys.row(line, value)


def _read_json_array(fh: IO[str], keys: _KeyMapper) -> Iterator[RawRow]:
    """Stream the elements of a top-level JSON array, one object at a time."""
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    line = 1
    eof = False
    chunk = 1 << 16

    def more(size: int) -> bool:
        nonlocal buf, pos, line, eof
        if eof:
            return False
        line += buf.count("\n", 0, pos)
        data = fh.read(size)
        buf = buf[pos:] + data
        pos = 0
        if not data:
            eof = True
        return bool(data)

    def skip_ws() -> str:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not more(chunk):
                return ""

    def here() -> int:
        return line + buf.count("\n", 0, pos)

    more(chunk)
    first = skip_ws()
    if first == "{":
        raise FileProblem(
            Problem(
                here(),
                None,
                "this is a JSON object, not an array of claims: a claimcheck export is restored "
                "with `claimcheck restore FILE`",
            )
        )
    if first != "[":
        raise FileProblem(Problem(here(), None, "a JSON import file must be an array of objects"))
    pos += 1
    expect_value = True
    while True:
        ch = skip_ws()
        if ch == "":
            raise FileProblem(Problem(here(), None, "the JSON array is not closed with ']'"))
        if ch == "]":
            pos += 1
            if skip_ws() != "":
                raise FileProblem(Problem(here(), None, "text after the end of the JSON array"))
            return
        if not expect_value:
            if ch != ",":
                raise FileProblem(Problem(here(), None, "expected ',' or ']' between elements"))
            pos += 1
            expect_value = True
            continue
        size = chunk
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if more(size):
                    size *= 2
                    continue
                raise FileProblem(
                    Problem(line + buf.count("\n", 0, exc.pos), None, f"not valid JSON: {exc.msg}")
                ) from None
            except RecursionError:
                raise FileProblem(Problem(here(), None, "JSON nested too deeply")) from None
            break
        start_line = here()
        pos = end
        expect_value = False
        yield keys.row(start_line, value)


def read_rows(
    path: Path, fmt: str, on_header: Callable[[list[str]], None] | None = None
) -> Iterator[RawRow]:
    """The file's rows as dicts of field → value (empty cells left out)."""
    notify = on_header or (lambda _ignored: None)
    with _open(path) as fh:
        if fmt == "csv":
            yield from _read_csv(fh, notify)
        elif fmt == "jsonl":
            yield from _read_jsonl(fh, _KeyMapper(notify))
        else:
            yield from _read_json_array(fh, _KeyMapper(notify))


# ---------------------------------------------------------------------------------------------
# Pass 1: check


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
        bad = [k for k, v in raw.data.items() if _bad_text(v)]
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


@dataclass
class CheckReport:
    rows: int = 0
    bad_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.bad_rows == 0 and not self.problems


def check_file(
    path: Path,
    fmt: str,
    defaults: Defaults | None = None,
    *,
    limit: int = MAX_PROBLEMS,
    progress: Progress | None = None,
    spool: IO[bytes] | None = None,
) -> CheckReport:
    """Pass 1: validate every row without touching the database.

    With ``spool`` (a binary file), the validated rows are written to it in pickled batches
    while the file is good, so the write pass reads them back instead of parsing and validating
    the file a second time; the spool is on disk, memory stays flat.
    """
    defaults = defaults or Defaults()
    report = CheckReport()
    batch: list[Checked] = []

    def keep(problem: Problem) -> None:
        if len(report.problems) < limit:
            report.problems.append(problem)
        else:
            report.more += 1

    try:
        for raw in read_rows(path, fmt, report.ignored_columns.extend):
            report.rows += 1
            result = validate_row(raw, defaults)
            if isinstance(result, list):
                report.bad_rows += 1
                for problem in result:
                    keep(problem)
            elif spool is not None and not report.bad_rows:
                batch.append(result)
                if len(batch) >= BATCH_SIZE:
                    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
            if progress is not None and report.rows % 1000 == 0:
                progress(1000)
    except FileProblem as exc:
        report.bad_rows += 1
        keep(exc.problem)
    except OSError as exc:
        raise InputError(f"FILE: cannot read {path}: {exc.strerror or exc}") from None
    if spool is not None and batch and not report.bad_rows:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    if progress is not None:
        progress(report.rows % 1000)
    return report


def read_spool(spool: IO[bytes]) -> Iterator[list[Checked]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def rejected(name: str, report: CheckReport) -> RejectedRows:
    what = "row" if report.bad_rows == 1 else "rows"
    return RejectedRows(
        f"{name}: {report.bad_rows} bad {what} of {report.rows}; nothing was imported",
        [str(p) for p in report.problems],
        report.more,
    )


# ---------------------------------------------------------------------------------------------
# Pass 2: write


@dataclass
class ImportStats:
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    updated: int = 0
    sources_added: int = 0
    verified_kept: int = (
        0  # duplicates of verified claims, left as they are by --on-duplicate update
    )
    first_id: int | None = None
    last_id: int | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class _SourceInfo:
    id: int
    published_on: dt.date | None
    archived: bool


class _Cache(OrderedDict[Any, Any]):
    """A dict that forgets its oldest entries beyond ``size`` (memory stays flat)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def lookup(self, key: Any) -> Any:
        """The value, or None; a hit becomes the most recently used entry."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


CLAIM_COLUMNS = (
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
    "checkworthiness",
    "quantities",
    "tolerance",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
)
SOURCE_COLUMNS = (
    "url",
    "title",
    "publisher",
    "published_on",
    "kind",
    "created_at",
    "created_by",
)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


class _Writer:
    def __init__(
        self, session: Session, actor: str, origin: str, on_duplicate: str, now: dt.datetime
    ) -> None:
        self.session = session
        self.actor = actor
        self.origin = origin
        self.on_duplicate = on_duplicate
        self.now = now
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.sources = _Cache(CACHE_SIZE)
        self.claimants = _Cache(CACHE_SIZE)
        self.tags = _Cache(CACHE_SIZE)
        self.archives = _Cache(4)
        self.stats = ImportStats()
        self.problems: list[Problem] = []
        self.more = 0
        self.claims_table = _table(Claim)
        self.sources_table = _table(Source)
        self.tags_table = _table(Tag)
        self.claim_tags_table = _table(ClaimTag)
        # Values that are the same in every row are converted for the driver once.
        created = processors(session, self.claims_table, ["created_at"])[0]
        self.now_value = created(now) if created is not None else now

    def problem(self, line: int, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, column, message))
        else:
            self.more += 1

    # -- sources, claimants, tags ---------------------------------------------------------

    def _sources(self, batch: list[Checked], events: list[PendingEvent]) -> dict[str, _SourceInfo]:
        """The batch's sources by URL: from the cache, the database, or created now.

        Returned as a dict of their own so that the cache may forget entries meanwhile.
        """
        resolved: dict[str, _SourceInfo] = {}
        wanted: dict[str, Checked] = {}
        for row in batch:
            url = row.source_url
            if not url or url in resolved or url in wanted:
                continue
            hit = self.sources.lookup(url)
            if hit is not None:
                resolved[url] = hit
            else:
                wanted[url] = row
        if not wanted:
            return resolved
        resolved.update(self._load_sources(list(wanted)))
        missing = [row for url, row in wanted.items() if url not in resolved]
        if not missing:
            return resolved
        values = [
            (
                row.source_url,
                row.source_title,
                row.publisher,
                row.published_on,
                row.source_kind or "article",
                self.now_value,
                self.actor,
            )
            for row in missing
        ]
        created = dict(
            insert_rows(
                self.session,
                self.sources_table,
                SOURCE_COLUMNS,
                values,
                on_conflict_do_nothing=["url"],
                returning=("url", "id"),
                convert=("published_on",),
            )
        )
        for row in missing:
            url = row.source_url
            sid = created.get(url)
            if url is None or sid is None:
                continue  # stored meanwhile by another process: found by the reload below
            self.stats.sources_added += 1
            resolved[url] = _SourceInfo(sid, row.published_on, False)
            self.sources.put(url, resolved[url])
            events.append(
                PendingEvent(
                    action="source.add",
                    entity="source",
                    entity_id=sid,
                    after={
                        "url": url,
                        "title": row.source_title,
                        "publisher": row.publisher,
                        "author": None,
                        "published_on": row.published_on.isoformat() if row.published_on else None,
                        "kind": row.source_kind or "article",
                        "language": None,
                        "text_sha256": None,
                    },
                    comment=f"import {self.origin}",
                )
            )
        others = [row.source_url for row in missing if row.source_url not in created]
        if others:
            resolved.update(self._load_sources([u for u in others if u]))
        return resolved

    def _load_sources(self, urls: list[str]) -> dict[str, _SourceInfo]:
        t = self.sources_table
        rows = self.session.execute(
            select(t.c.id, t.c.url, t.c.published_on, t.c.text_sha256.is_not(None)).where(
                t.c.url.in_(urls)
            )
        ).all()
        found = {}
        for sid, url, published_on, archived in rows:
            found[url] = _SourceInfo(sid, published_on, bool(archived))
            self.sources.put(url, found[url])
        return found

    def _archive(self, source_id: int) -> str | None:
        if source_id not in self.archives:
            text_ = self.session.execute(
                select(self.sources_table.c.archived_text).where(
                    self.sources_table.c.id == source_id
                )
            ).scalar_one_or_none()
            self.archives.put(source_id, text_)
        value = self.archives[source_id]
        return str(value) if value is not None else None

    def _claimant(self, name: str, kind: str | None) -> tuple[int, str]:
        hit = self.claimants.lookup((name, kind))
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        if not self.postgres:  # the import holds SQLite's write lock: nobody else can add one
            claimant = ensure_claimant(self.session, name, kind)
            found = (claimant.id, claimant.name)
        else:
            for attempt in range(3):
                try:
                    with self.session.begin_nested():
                        claimant = ensure_claimant(self.session, name, kind)
                        found = (claimant.id, claimant.name)
                    break
                except IntegrityError:
                    # Created by a concurrent import between our lookup and insert: look again.
                    if attempt == 2:
                        raise
        self.claimants.put((name, kind), found)
        return found

    def _tag_ids(self, names: set[str]) -> dict[str, int]:
        """The ids of these tags (created when new), as a dict of their own."""
        found: dict[str, int] = {}
        missing = []
        for name in names:
            hit = self.tags.lookup(name)
            if hit is None:
                missing.append(name)
            else:
                found[name] = hit
        if not missing:
            return found
        t = self.tags_table
        insert_rows(
            self.session, t, ("name",), [(n,) for n in missing], on_conflict_do_nothing=["name"]
        )
        for tid, name in self.session.execute(
            select(t.c.id, t.c.name).where(t.c.name.in_(missing))
        ).all():
            found[name] = tid
            self.tags.put(name, tid)
        return found

    # -- claims ---------------------------------------------------------------------------

    def write(self, batch: list[Checked]) -> None:
        events: list[PendingEvent] = []
        sources = self._sources(batch, events)
        tags = self._tag_ids({tag for row in batch for tag in row.tags})
        pending: dict[str, tuple[Checked, tuple[Any, ...], dict[str, Any]]] = {}
        repeats: list[tuple[Checked, str]] = []
        now, actor = self.now_value, self.actor
        for row in batch:
            source = sources[row.source_url] if row.source_url else None
            text_norm = normalize_text(row.text)
            key = dedupe_key(text_norm, source.id if source else None)
            if key in pending:
                repeats.append((row, key))
                continue
            archived = self._archive(source.id) if source is not None and source.archived else None
            if archived is None and row.start is None and row.end is None:
                start, end = None, None
            else:
                try:
                    start, end = _locate(archived, row.text, row.start, row.end)
                except InputError as exc:
                    self.problem(row.line, "start", exc.message.removeprefix("--start/--end: "))
                    continue
            claimant = self._claimant(row.speaker, row.speaker_kind) if row.speaker else None
            said_on = row.said_on or (source.published_on if source else None)
            quantities = canonical(row.quantities)
            values = (
                row.text,
                text_norm,
                key,
                row.statement,
                row.context,
                claimant[0] if claimant else None,
                source.id if source else None,
                start,
                end,
                said_on,
                "new",
                row.checkworthiness,
                quantities,
                row.tolerance,
                now,
                actor,
                now,
                actor,
                1,
            )
            after = {
                "text": row.text,
                "statement": row.statement,
                "context": row.context,
                "said_on": said_on.isoformat() if said_on else None,
                "claimant": claimant[1] if claimant else None,
                "source": row.source_url if source else None,
                "start": start,
                "end": end,
                "quantities": row.quantities,
                "tolerance": row.tolerance,
                "checkworthiness": row.checkworthiness,
                "tags": sorted(row.tags),
                "status": "new",
                "verdict": None,
                "assignee": None,
            }
            pending[key] = (row, values, after)
        if pending:
            # Claims already stored are set aside before the INSERT (on PostgreSQL a conflicting
            # row would still use up a sequence number); ON CONFLICT DO NOTHING remains the
            # guard against a concurrent import storing the same claim meanwhile.
            t = self.claims_table
            stored = self.session.execute(
                select(t.c.dedupe_key).where(t.c.dedupe_key.in_(list(pending)))
            ).scalars()
            for key in stored:
                row, _values, _after = pending.pop(key)
                repeats.append((row, key))
        inserted: dict[str, int] = {}
        if pending:
            inserted = dict(
                insert_rows(
                    self.session,
                    self.claims_table,
                    CLAIM_COLUMNS,
                    [p[1] for p in pending.values()],
                    on_conflict_do_nothing=["dedupe_key"],
                    returning=("dedupe_key", "id"),
                    convert=("said_on",),
                )
            )
        links: list[tuple[int, int]] = []
        for key, (row, _values, after) in pending.items():
            cid = inserted.get(key)
            if cid is None:
                repeats.append((row, key))
                continue
            self.stats.added += 1
            if self.stats.first_id is None or cid < self.stats.first_id:
                self.stats.first_id = cid
            if self.stats.last_id is None or cid > self.stats.last_id:
                self.stats.last_id = cid
            links.extend((cid, tags[tag]) for tag in row.tags)
            events.append(
                PendingEvent(
                    action="create",
                    claim_id=cid,
                    after=after,
                    comment=f"import {self.origin} line {row.line}",
                )
            )
        if links:
            insert_rows(self.session, self.claim_tags_table, ("claim_id", "tag_id"), links)
        audit.record_many(self.session, events, actor=self.actor, at=self.now)
        if repeats:
            self._duplicates(repeats)

    def _duplicates(self, repeats: list[tuple[Checked, str]]) -> None:
        t = self.claims_table
        keys = list({key for _r, key in repeats})
        existing = dict(
            self.session.execute(
                select(t.c.dedupe_key, t.c.id).where(t.c.dedupe_key.in_(keys))
            ).all()
        )
        for row, key in sorted(repeats, key=lambda r: r[0].line):
            self.stats.duplicates += 1
            cid = existing.get(key)
            if self.on_duplicate == "skip" or cid is None:
                continue
            if self.on_duplicate == "error":
                self.problem(row.line, "text", f"already stored as claim #{cid}")
                continue
            if self._update(cid, row):
                self.stats.updated += 1

    def _update(self, claim_id: int, row: Checked) -> bool:
        """Overwrite the stored claim's fields with the row's non-empty ones."""
        # Tags and claimant first: creating them flushes, and the claim must be flushed only
        # once (every flush of a changed claim bumps its version).
        self._tag_ids(set(row.tags))
        claimant = self._claimant(row.speaker, row.speaker_kind) if row.speaker else None
        claim = get_claim(self.session, claim_id)
        if claim.status == "verified":
            # A published check changes only through a reopened review (as `edit` refuses too).
            self.stats.verified_kept += 1
            return False
        before = snapshot(claim)
        # Everything that queries (and so autoflushes) before the first change to the claim.
        new_claimant = (
            self.session.get(Claimant, claimant[0])
            if claimant is not None and claim.claimant_id != claimant[0]
            else None
        )
        if row.tags:
            set_tags(self.session, claim, list(row.tags))
        if new_claimant is not None:
            claim.claimant = new_claimant
        for name in ("statement", "context", "said_on", "checkworthiness", "tolerance"):
            value = getattr(row, name)
            if value is not None:
                setattr(claim, name, value)
        if row.quantities is not None and not row.quantities_parsed:
            claim.quantities = row.quantities
        after = snapshot(claim)
        changed = [k for k in after if after[k] != before[k]]
        if not changed:
            return False
        touch(claim, self.actor)
        self.session.flush()
        audit.record(
            self.session,
            actor=self.actor,
            action="edit",
            claim_id=claim.id,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            comment=f"import {self.origin} line {row.line}",
        )
        return True


def import_checked(
    session: Session,
    spool: IO[bytes],
    actor: str,
    *,
    origin: str,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportStats:
    """Pass 2: write the rows :func:`check_file` spooled (flushes, never commits).

    With ``dry_run`` everything is written inside a savepoint that is rolled back: the figures
    (added, duplicates, sources) are exact, and nothing stays in the database.
    """
    if on_duplicate not in ON_DUPLICATE:
        raise UsageError(f"--on-duplicate: must be one of {', '.join(ON_DUPLICATE)}")
    require_role(session, actor, "contributor", "importing claims")
    if session.get_bind().dialect.name == "sqlite":
        # A larger page cache for this connection (64 MB, released when the command ends): the
        # claims table's indexes and the full-text index stay in memory during the batches.
        session.execute(text("PRAGMA cache_size = -65536"))
    audit.lock_chain(session)
    writer = _Writer(session, actor, origin, on_duplicate, utcnow())
    nested = session.begin_nested() if dry_run else None
    for batch in read_spool(spool):
        writer.stats.rows += len(batch)
        writer.write(batch)
        if progress is not None:
            progress(len(batch))
    if writer.problems:
        if nested is not None:
            nested.rollback()
        count = len(writer.problems) + writer.more
        raise RejectedRows(
            f"{origin}: {count} row{'s' if count != 1 else ''} cannot be imported; "
            "nothing was imported"
            + (
                " (--on-duplicate skip or update accepts duplicates)"
                if on_duplicate == "error"
                else ""
            ),
            [str(p) for p in writer.problems],
            writer.more,
        )
    if nested is not None:
        nested.rollback()
        writer.stats.dry_run = True
    return writer.stats


def is_export_document(path: Path) -> bool:
    """A JSON file whose top level is an object: a ``claimcheck export -f json`` document."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] == b"{"


def restore_export(
    session: Session, path: Path, actor: str, *, dry_run: bool = False
) -> dict[str, Any]:
    """``import --format json`` of an export document: a full restore (services/restore.py).

    The export format nests claims with their evidence, history and corrections, so it is read
    whole (as ``claimcheck restore`` does) rather than streamed row by row. With ``dry_run`` the
    restore runs inside a savepoint that is rolled back.
    """
    from claimcheck.services.restore import read_document, restore_report

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"FILE: cannot read {path}: {exc.strerror or exc}") from None
    doc = read_document(raw, origin=path.name)
    nested = session.begin_nested() if dry_run else None
    summary = restore_report(session, doc, actor).as_dict()
    if nested is not None:
        nested.rollback()
    return summary


def import_file(
    session: Session,
    path: Path,
    fmt: str,
    actor: str,
    *,
    defaults: Defaults | None = None,
    on_duplicate: str = "skip",
    origin: str | None = None,
    dry_run: bool = False,
    limit: int = MAX_PROBLEMS,
) -> ImportStats:
    """Both passes: check ``path`` (RejectedRows listing every problem), then write it."""
    with tempfile.TemporaryFile(prefix="claimcheck-import-") as spool:
        report = check_file(path, fmt, defaults, limit=limit, spool=spool)
        if not report.ok:
            raise rejected(path.name, report)
        return import_checked(
            session,
            spool,
            actor,
            origin=origin or path.name,
            on_duplicate=on_duplicate,
            dry_run=dry_run,
        )


__all__ = [
    "FORMATS",
    "ON_DUPLICATE",
    "CheckReport",
    "Checked",
    "Defaults",
    "ImportRow",
    "ImportStats",
    "check_file",
    "detect_format",
    "import_checked",
    "import_file",
    "is_export_document",
    "read_rows",
    "rejected",
    "restore_export",
]
