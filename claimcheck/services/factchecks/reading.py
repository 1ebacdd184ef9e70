"""Reading ClaimReview from files: saved HTML pages, JSON, JSONL, feeds, API output, folders.

Everything here is I/O around the pure rules of :mod:`claimcheck.core.factchecks`: which files,
which bytes, which ``<script type="application/ld+json">`` blocks, and the two helpers core takes
(a date library for non-ISO dates, a language-identification model for claims whose page says no
language). No SQLAlchemy: :mod:`claimcheck.services.factchecks.store` stores what this yields.

Safety: every input is read with a size limit (a page over :data:`MAX_PAGE_BYTES`, a JSON
document over :data:`MAX_JSON_BYTES`, a JSONL line over :data:`MAX_LINE_BYTES` is refused
before it is parsed), bytes must be valid UTF-8 (or the charset the page declares), JSON nested
deeper than core's limit is refused, and a block that is not JSON is reported. Each such problem
is one :class:`Record` with an ``error`` — a clean line for the report, never an exception — and
nothing of that input reaches the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from claimcheck.core.factchecks import (
    FactCheckIn,
    LabelTable,
    Page,
    RecordError,
    find_reviews,
    read_review,
)

MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_LINE_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSON_SUFFIXES = frozenset({".json", ".jsonld"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
READABLE = HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

Progress = Callable[[int], None]


@dataclass
class Record:
    """One ClaimReview read (``review``) or one input that could not be read (``error``)."""

    origin: str
    review: FactCheckIn | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The helpers core takes


def parse_date(text: str, dayfirst: bool) -> dt.date | None:
    """A date python-dateutil reads (``2020-06-24 00:03``, ``24 June 2020``), else None."""
    from dateutil import parser  # type: ignore[import-untyped]

    try:
        moment = parser.parse(text, dayfirst=dayfirst, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1900 <= moment.year <= 2100:
        return None
    day: dt.date = moment.date()
    return day


_ALIASES = {"wuu": "zh", "yue": "zh", "hak": "zh", "nan": "zh", "zh-hant": "zh", "nb": "no"}


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import (  # type: ignore[import-untyped]
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The claim's language by py3langid (loaded on first use), when it is fairly sure."""
    if len(text.strip()) < 8:
        return None
    lang, prob = _identifier().classify(text)
    if prob < 0.5:
        return None
    return _ALIASES.get(str(lang), str(lang))


# ---------------------------------------------------------------------------------------------
# HTML pages


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.lang: str | None = None
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.base: str | None = None
        self.site_name: str | None = None
        self._in_block = False
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang") and self.lang is None:
            self.lang = a["lang"]
        elif tag == "script" and a.get("type", "").strip().lower().startswith(
            "application/ld+json"
        ):
            self._in_block, self._buf = True, []
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href") or None
        elif tag == "base" and a.get("href"):
            self.base = self.base or a["href"]
        elif tag == "meta":
            prop = (a.get("property") or a.get("name") or "").lower()
            if prop == "og:url":
                self.og_url = self.og_url or a.get("content") or None
            elif prop == "og:site_name":
                self.site_name = self.site_name or a.get("content") or None

    def handle_data(self, data: str) -> None:
        if self._in_block:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_block:
            self.blocks.append("".join(self._buf))
            self._in_block = False


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def _decode(data: bytes, *, html: bool) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    encoding = "utf-8"
    if html:
        m = _CHARSET.search(data[:4096])
        if m:
            encoding = m.group(1).decode("ascii", "replace").lower()
    try:
        return data.decode(encoding)
    except LookupError:
        return _decode_utf8(data)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding.replace("_", "-") in ("utf-8", "utf8") else encoding
        raise RecordError(f"not valid {name} (byte {exc.start})") from None


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"not valid UTF-8 (byte {exc.start})") from None


_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def parse_json(text: str) -> Any:
    """JSON, leniently: control characters inside strings and trailing commas are accepted."""
    try:
        return json.loads(text, strict=False)
    except RecursionError:
        raise RecordError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        repaired = _TRAILING_COMMA.sub(r"\1", text)
        if repaired != text:
            try:
                return json.loads(repaired, strict=False)
            except (json.JSONDecodeError, RecursionError):
                pass
        raise RecordError(
            f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def page_records(
    data: bytes, origin: str, table: LabelTable, *, detect: bool = True
) -> Iterator[Record]:
    """Every ClaimReview of a saved HTML page, each ld+json block read on its own."""
    if len(data) > MAX_PAGE_BYTES:
        yield Record(
            origin,
            error=f"page is {_size(len(data))}; pages over {_size(MAX_PAGE_BYTES)} are not read",
        )
        return
    try:
        text = _decode(data, html=True)
    except RecordError as exc:
        yield Record(origin, error=str(exc))
        return
    parser = _PageParser()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:  # pragma: no cover - html.parser is lenient
        yield Record(origin, error=f"cannot read the page as HTML: {exc}")
        return
    page = Page(
        url=_page_url(parser),
        lang=parser.lang,
        site_name=parser.site_name,
    )
    docs: list[tuple[str, Any]] = []
    for n, block in enumerate(parser.blocks, start=1):
        label = f"{origin} (block {n})" if len(parser.blocks) > 1 else origin
        if not block.strip():
            continue
        try:
            docs.append((label, parse_json(block.strip().removeprefix("<!--").removesuffix("-->"))))
        except RecordError as exc:
            yield Record(label, error=f"ld+json block {n}: {exc}")
    if not parser.blocks:
        yield Record(origin, error="no application/ld+json block on the page")
        return
    # The page's publisher and @id nodes may sit in any block: collect them all first.
    found: list[tuple[str, dict[str, Any]]] = []
    for label, doc in docs:
        try:
            reviews, page = find_reviews(doc, page)
        except RecordError as exc:
            yield Record(label, error=str(exc))
            continue
        found.extend((label, r) for r in reviews)
    if not found and docs:
        yield Record(origin, error="the page's ld+json holds no ClaimReview")
        return
    yield from _reviews(found, page, table, detect)


def _page_url(parser: _PageParser) -> str | None:
    from urllib.parse import urljoin

    for candidate in (parser.canonical, parser.og_url):
        if candidate and candidate.strip().startswith(("http://", "https://")):
            return candidate.strip()
    if parser.base and parser.base.strip().startswith(("http://", "https://")):
        if parser.canonical:
            return urljoin(parser.base.strip(), parser.canonical.strip())
        return parser.base.strip()
    return None


def _reviews(
    found: list[tuple[str, dict[str, Any]]], page: Page, table: LabelTable, detect: bool
) -> Iterator[Record]:
    counts: dict[str, int] = {}
    for label, _ in found:
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    for label, review in found:
        seen[label] = seen.get(label, 0) + 1
        origin = f"{label} #{seen[label]}" if counts[label] > 1 else label
        try:
            fc = read_review(
                review,
                page,
                table,
                parse=parse_date,
                detect=detect_language if detect else None,
            )
        except RecordError as exc:
            yield Record(origin, error=str(exc))
            continue
        except RecursionError:
            yield Record(origin, error="JSON nested too deeply")
            continue
        yield Record(origin, review=fc, warnings=fc.warnings)


def json_records(
    data: bytes | str, origin: str, table: LabelTable, *, detect: bool = True
) -> Iterator[Record]:
    """Every ClaimReview of one JSON document (an object, an array, a feed, API output)."""
    try:
        text = data if isinstance(data, str) else _decode_utf8(data)
        doc = parse_json(text)
        reviews, page = find_reviews(doc)
    except RecordError as exc:
        yield Record(origin, error=str(exc))
        return
    if not reviews:
        yield Record(origin, error="no ClaimReview found (expected schema.org ClaimReview JSON-LD)")
        return
    yield from _reviews([(origin, r) for r in reviews], page, table, detect)


def jsonl_records(
    stream: IO[bytes],
    origin: str,
    table: LabelTable,
    *,
    detect: bool = True,
    progress: Progress | None = None,
) -> Iterator[Record]:
    """One JSON document per line, read line by line (memory stays flat)."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if progress is not None:
            progress(len(line))
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            yield Record(f"{origin}:{number}", error=f"line longer than {_size(MAX_LINE_BYTES)}")
            while line and not line.endswith(b"\n"):  # skip the rest of the line
                line = stream.readline(MAX_LINE_BYTES)
            continue
        if not line.strip():
            continue
        yield from json_records(line.strip(), f"{origin}:{number}", table, detect=detect)


# ---------------------------------------------------------------------------------------------
# Files and folders


def _kind(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    return sniff(head)


def sniff(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return "html"
    if start in (b"{", b"["):
        first_line = head.lstrip().split(b"\n", 1)[0].strip()
        if start == b"{" and first_line.endswith(b"}") and b"\n" in head.strip():
            return "jsonl"
        return "json"
    return "unknown"


def expand(paths: Iterable[str]) -> list[Path | None]:
    """The files to read: each path, folders recursively (readable suffixes, sorted); None
    stands for standard input."""
    out: list[Path | None] = []
    for raw in paths:
        if raw == "-":
            out.append(None)
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in READABLE
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            out.append(path)
    return out


_MARKERS = (
    b'"ClaimReview"',
    b'"claimReviewMarkupPages"',
    b'"claimReviewMarkups"',
    b'"claimReview"',
)


def looks_like_claimreview(path: Path) -> bool:
    """Whether a JSON/JSONL file's first 64 KB name ClaimReview (for ``claimcheck import``'s
    hint: such a file holds published fact-checks, not claims)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    return any(marker in head for marker in _MARKERS)


def total_bytes(files: Iterable[Path | None]) -> int:
    total = 0
    for f in files:
        if f is not None:
            with contextlib.suppress(OSError):
                total += f.stat().st_size
    return total


def file_records(
    path: Path, table: LabelTable, *, detect: bool = True, progress: Progress | None = None
) -> Iterator[Record]:
    """Every ClaimReview of one file (its kind from the suffix, else from its first bytes)."""
    origin = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
            kind = _kind(path, head)
            if kind == "jsonl":
                fh.seek(0)
                yield from jsonl_records(fh, origin, table, detect=detect, progress=progress)
                return
            limit = MAX_PAGE_BYTES if kind == "html" else MAX_JSON_BYTES
            if size > limit:
                what = "pages" if kind == "html" else "JSON files"
                yield Record(
                    origin, error=f"file is {_size(size)}; {what} over {_size(limit)} are not read"
                )
                if progress is not None:
                    progress(size)
                return
            data = head + fh.read()
    except FileNotFoundError:
        yield Record(origin, error="no such file")
        return
    except IsADirectoryError:
        yield Record(origin, error="is a folder")
        return
    except OSError as exc:
        yield Record(origin, error=exc.strerror or str(exc))
        return
    if progress is not None:
        progress(len(data))
    yield from data_records(data, origin, table, kind=kind, detect=detect)


def data_records(
    data: bytes, origin: str, table: LabelTable, *, kind: str | None = None, detect: bool = True
) -> Iterator[Record]:
    kind = kind or sniff(data[:4096])
    if kind == "html":
        yield from page_records(data, origin, table, detect=detect)
    elif kind == "json":
        records = list(json_records(data, origin, table, detect=detect))
        if len(records) == 1 and records[0].error and "Extra data" in records[0].error:
            import io

            yield from jsonl_records(io.BytesIO(data), origin, table, detect=detect)
        else:
            yield from records
    elif kind == "jsonl":
        import io

        yield from jsonl_records(io.BytesIO(data), origin, table, detect=detect)
    else:
        yield Record(origin, error="not an HTML page, JSON or JSONL file")


def stdin_records(stream: IO[bytes], table: LabelTable, *, detect: bool = True) -> Iterator[Record]:
    data = stream.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        yield Record("-", error=f"standard input is over {_size(MAX_JSON_BYTES)}")
        return
    yield from data_records(data, "-", table, detect=detect)


def read_inputs(
    paths: Iterable[str],
    table: LabelTable,
    *,
    stdin: IO[bytes] | None = None,
    detect: bool = True,
    progress: Progress | None = None,
) -> Iterator[Record]:
    """Every record of every input, in order (folders recursively)."""
    for path in expand(paths):
        if path is None:
            if stdin is None:
                yield Record("-", error="standard input is not available")
                continue
            yield from stdin_records(stdin, table, detect=detect)
        else:
            yield from file_records(path, table, detect=detect, progress=progress)


__all__ = [
    "MAX_JSON_BYTES",
    "MAX_LINE_BYTES",
    "MAX_PAGE_BYTES",
    "Record",
    "data_records",
    "detect_language",
    "expand",
    "file_records",
    "json_records",
    "jsonl_records",
    "page_records",
    "parse_date",
    "parse_json",
    "read_inputs",
    "total_bytes",
]
