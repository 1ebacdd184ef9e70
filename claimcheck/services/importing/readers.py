"""Streaming readers for import files: CSV (or TSV), JSONL and a JSON array of objects.

Each reader yields one :class:`~claimcheck.services.importing.rows.RawRow` per record — its first
line, its fields (column names mapped onto the row model's, empty cells left out), or the reason
it cannot be read — and never holds the file in memory. A problem that stops the reading (a bad
header, broken CSV quoting, invalid JSON between array elements) raises :class:`FileProblem`.
Pure: no database.

Files are opened with ``surrogateescape``: a file that is not valid UTF-8 is still read to the
end, and each cell holding such bytes is reported with its line instead of failing on the first.

The JSON array reader is written by hand over :meth:`json.JSONDecoder.raw_decode`: it decodes one
element at a time from a growing buffer and knows each element's first line, which the row's
problems name. (A maintained streaming parser such as ijson was measured against it — see
docs/benchmarks.md — it reports no line of an element, and its error messages differ.)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from claimcheck.core import limits
from claimcheck.errors import UsageError
from claimcheck.services.importing.rows import (
    COLUMN_ALIASES,
    FIELDS,
    IGNORED_COLUMNS,
    KNOWN_COLUMNS,
    NOT_UNICODE,
    Problem,
    RawRow,
)

FORMATS = ("csv", "jsonl", "json")
MAX_LINE_CHARS = 16_000_000  # one JSONL line; longer ones are refused, not read into memory
CSV_FIELD_LIMIT = csv.field_size_limit()


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
            if not physical.isascii() and NOT_UNICODE.search(physical):
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
                # Only a cell that starts with a quote can carry the export's formula guard.
                data[name] = _unguard(value) if value[0] == "'" else value
        yield RawRow(line, data, check_text=last_bad >= line)
    if names is None:
        raise FileProblem(Problem(None, None, "the file is empty (a CSV import needs a header)"))


class _KeyMapper:
    """JSON keys → field names; reports each ignored key once.

    The mapping of each key is remembered (the same few keys repeat on every row), up to
    :data:`KEY_CACHE` distinct keys so that a file of ever new keys cannot grow it.
    """

    KEY_CACHE = 1000

    def __init__(self, notify: Callable[[list[str]], None]) -> None:
        self.notify = notify
        self.ignored: set[str] = set()
        self.names: dict[str, str | None] = {}  # key -> field name, None: an ignored column

    def _name(self, key: str) -> str | None:
        name = str(key).strip().lower()
        if name in IGNORED_COLUMNS:
            if name not in self.ignored:
                self.ignored.add(name)
                self.notify([name])
            return None
        return COLUMN_ALIASES.get(name, name)

    def row(self, line: int, value: Any) -> RawRow:
        if not isinstance(value, dict):
            kind = type(value).__name__.replace("dict", "object").replace("str", "string")
            return RawRow(line, {}, f"expected a JSON object, found a {kind}")
        out: dict[str, Any] = {}
        names = self.names
        for key, item in value.items():
            if key in names:
                name = names[key]
            else:
                name = self._name(key)
                if len(names) < self.KEY_CACHE:
                    names[key] = name
            if name is None or item is None or item == "":
                continue
            out[name] = item
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
            # No more opening brackets than the depth limit: it cannot nest deeper than that.
            shallow = text.count("[") + text.count("{") <= limits.MAX_JSON_DEPTH
            value = json.loads(text) if shallow else limits.loads(text)
        except json.JSONDecodeError as exc:
            yield RawRow(line, {}, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        except limits.TooDeep:
            yield RawRow(line, {}, f"not valid JSON: {limits.TOO_DEEP}")
            continue
        yield keys.row(line, value)


def _read_json_array(fh: IO[str], keys: _KeyMapper) -> Iterator[RawRow]:
    """Stream the elements of a top-level JSON array, one object at a time."""
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    line = 1  # the line of buf[counted]: newlines are counted once, as pos moves on
    counted = 0
    eof = False
    chunk = 1 << 16

    def more(size: int) -> bool:
        nonlocal buf, pos, line, counted, eof
        if eof:
            return False
        line += buf.count("\n", counted, pos)
        counted = 0
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
        nonlocal line, counted
        line += buf.count("\n", counted, pos)
        counted = pos
        return line

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
                value, end = limits.raw_decode(decoder, buf, pos)
            except json.JSONDecodeError as exc:
                # exc.pos is an index into buf as it is now: read it before more() moves buf.
                at = line + buf.count("\n", counted, exc.pos)
                if more(size):
                    size *= 2
                    continue
                raise FileProblem(Problem(at, None, f"not valid JSON: {exc.msg}")) from None
            except limits.TooDeep:
                raise FileProblem(Problem(here(), None, f"JSON {limits.TOO_DEEP}")) from None
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


def count_lines(path: Path) -> int:
    """The number of lines of a file (at least 1): the length of the checking progress bar."""
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines, 1)
