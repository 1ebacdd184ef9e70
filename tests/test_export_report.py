"""The Report builder (claimcheck.reports): filters, order, counts, streams, full vs public."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from claimcheck.config import Settings
from claimcheck.export import render_text
from claimcheck.export.model import (
    DERIVED_HEADER_FIELDS,
    ClaimEntry,
    Report,
    ReportDocument,
    ReportFilters,
)
from claimcheck.reports import build_report
from tests.conftest import DBUnderTest
from tests.reportdata import GENERATED_AT, Dataset, build_dataset, session_for


@pytest.fixture
def data_session(test_db: DBUnderTest) -> Iterator[tuple[Session, Dataset]]:
    # written with fixed actors and times: on PostgreSQL only the database's owner may
    with session_for(test_db.admin_url) as session:
        data = build_dataset(session)
        session.commit()
        yield session, data


def _report(session: Session, filters: ReportFilters | None = None, **kw: object) -> Report:
    return build_report(session, Settings(), filters, generated_at=GENERATED_AT, **kw)  # type: ignore[arg-type]


def _ids(report: Report) -> list[int]:
    return [c.id for c in report.iter_claims()]


def test_default_report_holds_verified_claims_in_id_order(
    data_session: tuple[Session, Dataset],
) -> None:
    session, data = data_session
    report = _report(session)
    assert _ids(report) == sorted(data.verified)
    assert [e.id for e in report.header.index] == sorted(data.verified)
    assert all(c.status == "verified" for c in report.iter_claims())
    assert report.header.filters.statuses == ["verified"]
    assert report.header.complete is False
    assert report.header.generated_at == GENERATED_AT


def test_summary_counts_follow_the_scale_order(data_session: tuple[Session, Dataset]) -> None:
    session, _ = data_session
    summary = _report(session).header.summary
    assert summary.total == 7
    assert [(v.verdict, v.count) for v in summary.by_verdict] == [
        ("true", 1),
        ("mostly-true", 2),
        ("half-true", 1),
        ("false", 2),
        ("unsupported", 1),
    ]
    everything = _report(session, ReportFilters(statuses=None)).header.summary
    assert everything.total == 12
    assert everything.by_verdict[-1].verdict is None and everything.by_verdict[-1].count == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ReportFilters(verdicts=["false"]), ["inflation", "script"]),
        (ReportFilters(tags=["war", "refugees"]), ["refugees"]),
        (
            ReportFilters(source="https://wire.claimcheck.example/2025/05/13/us-inflation-april"),
            ["inflation", "formula"],
        ),
        (ReportFilters(since=dt.date(2025, 5, 17)), ["script", "formula", "unicode"]),
        (
            ReportFilters(statuses=["awaiting_approval", "dismissed"]),
            ["pending", "dismissed", "again"],
        ),
        (ReportFilters(statuses=None, speaker="Trump"), ["inflation", "pending", "formula"]),
        (ReportFilters(statuses=None, until=dt.date(2025, 5, 13)), ["inflation"]),
    ],
)
def test_filters_select_claims(
    data_session: tuple[Session, Dataset], filters: ReportFilters, expected: list[str]
) -> None:
    session, data = data_session
    assert _ids(_report(session, filters)) == sorted(data.claims[k] for k in expected)


def test_header_lists_only_the_sources_and_claimants_the_claims_use(
    data_session: tuple[Session, Dataset],
) -> None:
    session, data = data_session
    header = _report(session, ReportFilters(verdicts=["mostly-true"])).header
    # refugees (talks, unhcr evidence) and unicode (talks)
    assert [s.id for s in header.sources] == sorted([data.sources["talks"], data.sources["unhcr"]])
    assert [c.id for c in header.claimants] == sorted(
        [data.claimants["un"], data.claimants["umerov"]]
    )
    assert all(s.archived_text is None for s in header.sources)
    complete = _report(session, ReportFilters(statuses=None)).header
    assert complete.complete is True
    assert len(complete.sources) == len(data.sources)
    assert len(complete.claimants) == len(data.claimants)


def test_public_reports_leave_out_notes_archives_and_events(
    data_session: tuple[Session, Dataset],
) -> None:
    session, data = data_session
    public = _report(session)
    swap = next(c for c in public.iter_claims() if c.id == data.claims["swap"])
    assert swap.notes == []
    assert not public.has_events and list(public.iter_events()) == []
    full = _report(session, full=True)
    swap = next(c for c in full.iter_claims() if c.id == data.claims["swap"])
    assert [n.body for n in swap.notes] == [
        "Called the ministry press office to confirm the figure."
    ]
    talks = full.header.source_by_id[data.sources["talks"]]
    assert talks.archived_text is not None and talks.text_sha256 is not None
    events = list(full.iter_events())
    assert {e.entity for e in events} == {
        "source",
        "claimant",
        "claim",
        "evidence",
        "note",
        "correction",
    }
    created = [e.claim_id for e in events if e.action == "create"]
    assert created == sorted(data.verified)  # only the exported claims' events, in order


def test_claim_entries_carry_evidence_citations_corrections_and_appearances(
    data_session: tuple[Session, Dataset],
) -> None:
    session, data = data_session
    claims = {c.id: c for c in _report(session, ReportFilters(statuses=None)).iter_claims()}
    swap = claims[data.claims["swap"]]
    assert [e.stance for e in swap.evidence] == ["supports", "context"]
    assert [e.cited for e in swap.evidence] == [True, False]
    assert swap.tags == ["prisoners", "war"]
    assert swap.version == 2  # created, then decided: the ORM's version counter
    assert [a.claim_id for a in swap.appearances] == [data.claims["again"]]
    assert swap.appearances[0].url == "https://radio.example.net/2025/05/20/umerov-interview"
    assert swap.slug == f"{swap.id}-russia-and-ukraine-agreed-to-swap-1-000-prisoners-each"
    inflation = claims[data.claims["inflation"]]
    assert [(c.old_verdict, c.new_verdict) for c in inflation.corrections] == [
        ("mostly-false", "false")
    ]
    refugees = claims[data.claims["refugees"]]
    assert refugees.evidence[0].figure == 6.868 and refugees.evidence[0].unit == "million people"
    assert refugees.quantities == [{"comparator": "~", "unit": "million people", "value": 6.9}]


def test_corrections_listing_is_oldest_first(data_session: tuple[Session, Dataset]) -> None:
    session, data = data_session
    listing = _report(session, ReportFilters(statuses=None)).header.corrections
    assert [r.claim_id for r in listing] == [data.claims["inflation"], data.claims["reopened"]]
    assert listing[1].correction.completed_at is None


def test_batches_do_not_change_the_output(data_session: tuple[Session, Dataset]) -> None:
    session, _ = data_session
    filters = ReportFilters(statuses=None)
    big = render_text("json", _report(session, filters, full=True))
    small = render_text("json", _report(session, filters, full=True, batch_size=2))
    assert big == small


def test_claim_stream_can_be_read_twice(data_session: tuple[Session, Dataset]) -> None:
    session, _ = data_session
    report = _report(session)
    assert _ids(report) == _ids(report)


def test_streamed_json_equals_the_whole_document_serialised_at_once(
    data_session: tuple[Session, Dataset],
) -> None:
    session, _ = data_session
    report = _report(session, ReportFilters(statuses=None), full=True)
    doc = report.document()
    expected = doc.model_dump_json(indent=2, exclude=set(DERIVED_HEADER_FIELDS)) + "\n"
    assert render_text("json", report) == expected
    data = json.loads(expected)
    assert next(iter(data)) == "schema_version" and list(data)[-2:] == ["claims", "events"]
    assert "index" not in data and "corrections" not in data


@pytest.mark.parametrize("chunk", [1, 5])
def test_streamed_json_is_the_same_whatever_its_chunks(
    data_session: tuple[Session, Dataset], monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # claims and events are serialised CHUNK at a time: the joins between chunks are exact
    from claimcheck.export import render_json

    session, _ = data_session
    report = _report(session, ReportFilters(statuses=None), full=True)
    whole = render_text("json", report)
    monkeypatch.setattr(render_json, "CHUNK", chunk)
    assert render_text("json", report) == whole
    assert len(json.loads(whole)["claims"]) > 5 and len(json.loads(whole)["events"]) > 5


def test_naive_generation_time_is_refused(data_session: tuple[Session, Dataset]) -> None:
    session, _ = data_session
    with pytest.raises(ValueError, match="timezone-aware"):
        build_report(session, Settings(), generated_at=dt.datetime(2025, 6, 1))


def test_org_settings_reach_the_header(data_session: tuple[Session, Dataset]) -> None:
    session, _ = data_session
    settings = Settings(
        org_name="Desk of Facts",
        org_url="https://facts.example.com/desk/",
        methodology="We check.",
        rating_scale="politifact",
        language="de",
    )
    header = build_report(session, settings, generated_at=GENERATED_AT, title="T").header
    assert header.title == "T"
    assert header.organisation.model_dump() == {
        "name": "Desk of Facts",
        "url": "https://facts.example.com/desk",
        "language": "de",
    }
    assert header.methodology == "We check."
    assert header.scale.name == "politifact" and header.scale.best == 6
    assert build_report(session, settings, generated_at=GENERATED_AT).header.title == (
        "Fact checks by Desk of Facts"
    )


def test_report_from_document_rebuilds_the_derived_listings(
    data_session: tuple[Session, Dataset],
) -> None:
    session, _ = data_session
    original = _report(session, ReportFilters(statuses=None), full=True)
    data = json.loads(render_text("json", original))
    doc = ReportDocument.model_validate(data)
    again = Report.from_document(doc)
    assert again.header.index == original.header.index
    assert again.header.corrections == original.header.corrections
    assert render_text("markdown", again) == render_text("markdown", original)


def test_unknown_verdict_renders_with_its_key(data_session: tuple[Session, Dataset]) -> None:
    session, _ = data_session
    report = _report(session)
    first: ClaimEntry = next(report.iter_claims())
    odd = first.model_copy(update={"verdict": "pants-on-fire"})
    header = report.header.model_copy(update={"index": []})
    text = render_text("markdown", Report(header, lambda: [odd]))
    assert "**Verdict: pants-on-fire**" in text


def test_export_report_writes_all_or_nothing(
    data_session: tuple[Session, Dataset], tmp_path: Path
) -> None:
    from claimcheck.errors import LintError, UsageError
    from claimcheck.export import FORMATS, ExportFormat, register
    from claimcheck.reports import export_report

    session, _ = data_session
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "report.md"
    result = export_report(_report(session), "md", target)
    assert result.claims == 7 and result.bytes == target.stat().st_size and result.failures == []
    html = export_report(_report(session), "html", tmp_path / "r.html")
    assert [f.claim_id for f in html.failures] == [10]  # the javascript: source: no appearance
    before = target.read_bytes()
    register(ExportFormat("broken", "tests.test_export_report:_broken_renderer", "x", "x", "x"))
    try:
        with pytest.raises(RuntimeError, match="renderer failed"):
            export_report(_report(session), "broken", target)
    finally:
        del FORMATS["broken"]
    assert target.read_bytes() == before  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "report.md"]  # no temp left
    # claim 10's missing appearance is advice: --check writes, strict refuses and writes nothing
    passed = export_report(_report(session), "claimreview", tmp_path / "ok.json", check=True)
    assert [(f.claim_id, f.rule) for f in passed.failures] == [(10, "appearance")]
    assert (tmp_path / "ok.json").exists()
    with pytest.raises(LintError) as failed:
        export_report(
            _report(session), "claimreview", tmp_path / "cr.json", check=True, strict=True
        )
    assert failed.value.problems[0].startswith("claim 10: warning: the claim has no appearance")
    assert not (tmp_path / "cr.json").exists()
    with pytest.raises(UsageError):
        export_report(_report(session), "csv", tmp_path / "x.csv", template=tmp_path / "t.j2")


def _broken_renderer(report: Report, options: object) -> Iterator[str]:
    yield "# partial\n"
    raise RuntimeError("renderer failed")


@pytest.mark.slow
def test_export_package_imports_neither_click_nor_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import claimcheck.export as e\n"
        "for f in e.FORMATS.values(): f.renderer()\n"
        "import claimcheck.export.lint, claimcheck.export.model, claimcheck.export.cells\n"
        "print(','.join(m for m in ('click', 'sqlalchemy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_entries_of_typed_rows_equal_the_validated_ones(
    data_session: tuple[Session, Dataset],
) -> None:
    # The formats other than the backup make the builder's rows into entries without
    # validating them again: the same entries, the same JSON, the same pages.
    import copy

    from claimcheck.export.model import claims_from_rows, claims_from_typed_rows

    session, _ = data_session
    report = _report(session, ReportFilters(statuses=None))
    batches = list(report.iter_claim_rows() or [])
    validated = [c for rows in copy.deepcopy(batches) for c in claims_from_rows(rows)]
    typed = [c for rows in batches for c in claims_from_typed_rows(rows)]
    assert len(typed) == 12 and any(c.evidence and c.corrections for c in typed)
    assert typed == validated
    assert [c.model_dump_json() for c in typed] == [c.model_dump_json() for c in validated]
    assert [type(e) for c in typed for e in c.evidence] == [
        type(e) for c in validated for e in c.evidence
    ]
    for name in ("markdown", "html", "csv", "claimreview"):
        checked = Report(report.header, lambda: validated)
        assert render_text(name, report) == render_text(name, checked), name


def test_rows_that_do_not_fit_the_entries_are_validated(
    data_session: tuple[Session, Dataset],
) -> None:
    import pydantic

    from claimcheck.export.model import claims_from_typed_rows

    session, _ = data_session
    rows = next(iter(_report(session).iter_claim_rows() or []))
    rows[0]["evidence"][0]["weight"] = 3  # a column the entry does not know
    with pytest.raises(pydantic.ValidationError, match="weight"):
        claims_from_typed_rows(rows)
