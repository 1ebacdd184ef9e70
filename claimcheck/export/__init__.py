"""Export: pure renderers of a Report DTO, registered by name (no click, no SQLAlchemy).

``claimcheck.reports`` builds one :class:`~claimcheck.export.model.Report` from the database; each
format here turns it into text, chunk by chunk (``Iterator[str]``), so a large report streams to
its file instead of being assembled in memory. A renderer never reads the clock, the config or
the database: everything it shows is in the report, which is why exports are byte-identical for
the same data and golden-file tests can be exact.

The registry is a table of names to ``module:function`` paths, imported on first use: importing
this package costs nothing (the HTML renderer's Jinja2 loads only when HTML is asked for).
:func:`register` adds a format (a plugin, or a test's fake).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimcheck.export.model import ClaimEntry, Report


# Called with each claim and the ClaimReview dict a renderer publishes for it.
ReviewObserver = Callable[["ClaimEntry", dict[str, Any]], None]


@dataclass(frozen=True)
class RenderOptions:
    """Per-run choices a renderer may honour.

    ``template``: HTML only, a user template. ``observe_review``: formats that publish ClaimReview
    (html, claimreview) pass it every review they emit, so the lint judges exactly what was
    published without building the reviews a second time. ``tolerance``: the organisation's
    tolerance for the numeric check shown with each claim (None: the core default,
    :data:`claimcheck.core.quantities.model.DEFAULT_TOLERANCE`).
    """

    template: Path | None = None
    observe_review: ReviewObserver | None = None
    tolerance: float | None = None  # the organisation's relative tolerance for "about"


Renderer = Callable[["Report", RenderOptions], Iterator[str]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    target: str  # "package.module:function"
    extension: str
    media_type: str
    description: str
    full: bool = False  # needs archived source texts, internal notes and the audit events
    publishes_claimreview: bool = False  # output carries ClaimReview: lint it on every export

    def renderer(self) -> Renderer:
        module, _, attr = self.target.partition(":")
        func: Renderer = getattr(importlib.import_module(module), attr)
        return func


FORMATS: dict[str, ExportFormat] = {}
ALIASES: dict[str, str] = {"md": "markdown"}


def register(fmt: ExportFormat) -> None:
    FORMATS[fmt.name] = fmt


for _fmt in (
    ExportFormat(
        "markdown",
        "claimcheck.export.render_markdown:render",
        "md",
        "text/markdown",
        "GitHub-flavoured Markdown",
    ),
    ExportFormat(
        "html",
        "claimcheck.export.render_html:render",
        "html",
        "text/html",
        "one self-contained HTML page with embedded ClaimReview",
        publishes_claimreview=True,
    ),
    ExportFormat(
        "json",
        "claimcheck.export.render_json:render",
        "json",
        "application/json",
        "the full structured report (a backup: claimcheck restore reads it)",
        full=True,
    ),
    ExportFormat(
        "csv",
        "claimcheck.export.render_csv:render",
        "csv",
        "text/csv",
        "one row per claim for spreadsheets",
    ),
    ExportFormat(
        "claimreview",
        "claimcheck.export.claimreview:render",
        "jsonld",
        "application/ld+json",
        "schema.org ClaimReview JSON-LD",
        publishes_claimreview=True,
    ),
):
    register(_fmt)


def get_format(name: str) -> ExportFormat:
    """The format called ``name`` (or an alias such as ``md``); KeyError when unknown."""
    return FORMATS[ALIASES.get(name, name)]


def format_names() -> list[str]:
    return sorted([*FORMATS, *ALIASES])


def render(name: str, report: Report, options: RenderOptions | None = None) -> Iterator[str]:
    return get_format(name).renderer()(report, options or RenderOptions())


def render_text(name: str, report: Report, options: RenderOptions | None = None) -> str:
    """The whole output as one string (tests, small reports)."""
    return "".join(render(name, report, options))


__all__ = [
    "ALIASES",
    "FORMATS",
    "ExportFormat",
    "RenderOptions",
    "Renderer",
    "ReviewObserver",
    "format_names",
    "get_format",
    "register",
    "render",
    "render_text",
]
