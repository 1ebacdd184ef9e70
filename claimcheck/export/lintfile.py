"""Linting ClaimReview markup from any file: JSON, a JSON array, a DataFeed, JSON Lines, or HTML.

Pure (bytes in, results out; no files opened here): ``claimcheck lint`` reads the files and calls
:func:`lint_bytes` on each. The input's form is told by its name (``.html``/``.htm``, ``.json``,
``.jsonl``) or, for stdin and other names, by its first character (``<`` is HTML). A saved page's
``application/ld+json`` blocks are each read on their own (their ``@id`` nodes are shared, as one
page's graph), and the page's canonical URL is the site a review's ``url`` must be on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from claimcheck.export.jsonld import MarkupError, find_reviews, parse_json, read_page
from claimcheck.export.lint import LintFailure, lint_review

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class ReviewResult:
    """One ClaimReview's problems; ``review`` is its url, else its 1-based place in the file
    (None when the file held no ClaimReview at all)."""

    file: str
    review: str | int | None
    failures: list[LintFailure] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"{f.message} [{f.rule}]" for f in self.failures if f.is_error]

    @property
    def warnings(self) -> list[str]:
        return [f"{f.message} [{f.rule}]" for f in self.failures if not f.is_error]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "review": self.review,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MarkupError(f"not valid UTF-8 (byte {exc.start})") from None


def _documents(data: bytes, name: str) -> tuple[list[Any], str | None, list[ReviewResult]]:
    """The JSON-LD documents of an input, the page URL when it is an HTML page, and a result
    for each of its ld+json blocks that is not JSON (Google cannot read those either)."""
    lowered = name.lower()
    head = data.lstrip()[:1]
    if lowered.endswith(HTML_SUFFIXES) or (
        not lowered.endswith((".json", ".jsonld", *JSONL_SUFFIXES)) and head == b"<"
    ):
        page = read_page(data)
        docs, broken = [], []
        for n, block in enumerate(page.blocks, start=1):
            if not block:
                continue
            try:
                docs.append(parse_json(block, f"ld+json block {n}: "))
            except MarkupError as exc:
                broken.append(ReviewResult(name, f"block {n}", [LintFailure(0, "json", str(exc))]))
        return docs, page.url, broken
    text = _decode(data)
    if lowered.endswith(JSONL_SUFFIXES):
        docs, broken = [], []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                docs.append(parse_json(line, f"line {n}: "))
            except MarkupError as exc:
                broken.append(ReviewResult(name, f"line {n}", [LintFailure(0, "json", str(exc))]))
        return docs, None, broken
    return [parse_json(text)], None, []


def lint_bytes(data: bytes, name: str, *, required: bool = True) -> list[ReviewResult]:
    """Every ClaimReview of one input, each with its problems.

    Raises :class:`~claimcheck.export.jsonld.MarkupError` when the input cannot be read (not
    UTF-8, not JSON, an HTML page without ld+json). A page's ld+json block (a JSON Lines line)
    that is not JSON is a result of its own (``review`` "block N", "line N") with an error; a readable input without any
    ClaimReview is one result (``review`` None) with an error.
    """
    docs, url, broken = _documents(data, name)
    ids: dict[str, dict[str, Any]] = {}
    found = []
    for doc in docs:
        for item in find_reviews(doc):
            ids.update({k: v for k, v in item.ids.items() if k not in ids})
            found.append(item)
    if not found:
        if not required:
            return broken
        return [
            *broken,
            ReviewResult(name, None, [LintFailure(0, "no-review", "no ClaimReview found")]),
        ]
    results = list(broken)
    for index, item in enumerate(found, start=1):
        failures = lint_review(index, item.review, page_url=url, context=item.context, ids=ids)
        own = item.review.get("url")
        label: str | int = own.strip() if isinstance(own, str) and own.strip() else index
        results.append(ReviewResult(name, label, failures))
    return results


__all__ = ["HTML_SUFFIXES", "ReviewResult", "lint_bytes"]
