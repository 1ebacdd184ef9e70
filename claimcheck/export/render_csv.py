"""The CSV export: one row per claim with the main fields, for spreadsheets.

UTF-8, a header row, RFC 4180 quoting and CRLF line ends. Every cell goes through
:func:`~claimcheck.export.cells.guard_formula` (a row at a time:
:func:`~claimcheck.export.cells.guard_row`), so a claim such as ``=HYPERLINK(...)`` shows as text
instead of running as a formula. Lists (tags, evidence URLs) are joined with ``"; "``. Rows are
written one claim at a time, so the export streams.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from claimcheck.export.cells import guard_row
from claimcheck.export.claimreview import claim_reviewed
from claimcheck.export.common import fmt_number, iso_time, view
from claimcheck.export.model import Report

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions

COLUMNS = (
    "id",
    "url",
    "status",
    "verdict",
    "verdict_label",
    "rating_value",
    "claim_reviewed",
    "text",
    "claimant",
    "claimant_same_as",
    "said_on",
    "source_url",
    "source_title",
    "source_publisher",
    "tags",
    "rationale",
    "evidence_count",
    "evidence_urls",
    "checked_by",
    "checked_at",
    "approved_by",
    "approved_at",
    "corrections",
    "audit_head",
)


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    header = report.header
    audit_head = header.audit_head.token if header.audit_head is not None else ""
    for claim in report.iter_claims():
        v = view(header, claim)
        corrections = "; ".join(
            f"{c.date.date().isoformat()}: {c.old_label} -> {c.new_label}"
            + (" (pending)" if c.pending else "")
            for c in v.corrections
        )
        row = (
            str(claim.id),
            v.url,
            claim.status,
            claim.verdict or "",
            v.rating.label if v.rating else "",
            fmt_number(v.rating.value) if v.rating and v.rating.value is not None else "",
            claim_reviewed(claim),
            claim.text,
            v.claimant.name if v.claimant else "",
            v.claimant.same_as or "" if v.claimant else "",
            v.said_on.isoformat() if v.said_on else "",
            v.source.url if v.source else "",
            v.source.title or "" if v.source else "",
            v.source.publisher or "" if v.source else "",
            "; ".join(claim.tags),
            claim.rationale or "",
            str(len(claim.evidence)),
            "; ".join(dict.fromkeys(e.source.url for e in v.evidence if e.source)),
            claim.proposed_by or "",
            iso_time(claim.proposed_at) if claim.proposed_at else "",
            claim.approved_by or "",
            iso_time(claim.approved_at) if claim.approved_at else "",
            corrections,
            audit_head,
        )
        writer.writerow(guard_row(row))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    rest = buf.getvalue()
    if rest:
        yield rest


__all__ = ["COLUMNS", "render"]
