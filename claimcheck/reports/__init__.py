"""Builds the one Report DTO from the database: the only bridge between the database and export.

``build_report`` reads; renderers in :mod:`claimcheck.export` never touch the database.
``export_report`` renders a built report into a file or stream (all or nothing) with the
ClaimReview lint; the ``export`` command and the demo both use it.

``claimcheck.reports.builder`` holds the builder (how it reads, and why);
``claimcheck.reports.output`` the writer.
"""

from __future__ import annotations

from claimcheck.reports.builder import DEFAULT_BATCH, build_report, default_title, scale_info
from claimcheck.reports.output import ExportResult, export_report, refuse_on_lint, write_chunks

__all__ = [
    "DEFAULT_BATCH",
    "ExportResult",
    "build_report",
    "default_title",
    "export_report",
    "refuse_on_lint",
    "scale_info",
    "write_chunks",
]
