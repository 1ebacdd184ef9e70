"""``claimcheck demo``: the main job end to end on the sample articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import emit_rows, info, success, warn
from claimcheck.cli.params import PathType

if TYPE_CHECKING:
    from claimcheck.cli.app import App
    from claimcheck.demo import ReviewPlan


@click.command()
@click.option(
    "--fixtures",
    type=PathType(path_type=Path, file_okay=False),
    help="Folder with demo.json and the sample articles (default: the ones claimcheck ships).",
)
@click.option(
    "--out",
    type=PathType(path_type=Path, file_okay=False),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the demo database and report: a new or empty one, or one an earlier demo "
    "made (only its own files are replaced).",
)
def demo(fixtures: Path | None, out: Path) -> None:
    """Run claimcheck end to end on the sample articles that ship with it.

    Creates a fresh SQLite database in --out (unless --db is given), registers two desk members,
    archives the sample articles as sources and stores their claims. Then the review desk runs
    with scripted decisions: the reviewer adds evidence and proposes verdicts, the editor approves
    most and sends one back; the audit trail is verified, the verified claims are published in
    --out (report.html, report.md, report.json, report.csv, claimreview.json) and the claims
    are listed.

    --out must be a new or empty folder, or one an earlier demo made (it leaves a
    .claimcheck-demo marker there): then only the demo's own files are replaced. A folder with
    anything else in it is refused and nothing in it is touched.

    \b
    Examples:
      claimcheck demo
      claimcheck --db demo.db demo --out /tmp/demo
      claimcheck demo --fixtures my-fixtures/      # your own demo.json and articles
    """
    from claimcheck import demo as demo_lib
    from claimcheck.db import describe
    from claimcheck.queries import claim_out, list_claims
    from claimcheck.schemas import ClaimFilter
    from claimcheck.services import users

    app = get_app()
    data = demo_lib.load_demo_file(fixtures)
    demo_lib.prepare_output_folder(out, with_database=app.db_option is None)
    if app.db_option is None:
        app.db_option = str((out / demo_lib.DEMO_DATABASE).absolute())
    app.allow_create()  # the demo's own database, or a new one at --db
    from claimcheck.migrate import migrate_to

    migrate_to(app.database, "head")
    info(f"1. Database ready: {describe(app.database.url)}")
    with app.session() as session:
        if users.get_user(session, demo_lib.EDITOR) is None:
            users.add_user(
                session,
                demo_lib.EDITOR,
                "editor",
                demo_lib.EDITOR,
                bootstrap=users.count_users(session) == 0,
            )
        if users.get_user(session, demo_lib.REVIEWER) is None:
            users.add_user(session, demo_lib.REVIEWER, "reviewer", demo_lib.EDITOR)
    info(f"2. Desk: {demo_lib.EDITOR} (editor) and {demo_lib.REVIEWER} (reviewer)")
    with app.session() as session:
        urls = demo_lib.add_sources(session, data, demo_lib.EDITOR)
    info(f"3. Archived {len(urls)} sample articles as sources")
    extraction = demo_lib.extract_articles(data)
    with app.session() as session:
        ids = demo_lib.add_claims(session, data, urls, demo_lib.REVIEWER, extraction)
    ranked = sum(1 for c in data.claims if c["text"] in extraction.candidates)
    info(
        f"4. Extraction scored {extraction.sentences} sentences: {extraction.check_worthy} "
        f"check-worthy; the desk stored {len(ids)} of them ({ranked} ranked check-worthy by "
        "the model) with their quote positions and quantities"
    )
    _review_at_the_desk(app, demo_lib.review_plans(data), ids)
    report = _publish(app, out)
    with app.session(write=False) as session:
        rows = [
            claim_out(c).model_dump(mode="json")
            for c in list_claims(session, ClaimFilter(), newest_first=False)
        ]
    emit_rows(rows, "table", ["id", "status", "verdict", "claimant", "said_on", "text"])
    success(
        f"Done. The verified report is {report}; "
        f"explore with: claimcheck --db {describe(app.database.url)} list"
    )


REPORT_FILES = (
    ("html", "report.html"),
    ("markdown", "report.md"),
    ("json", "report.json"),
    ("csv", "report.csv"),
    ("claimreview", "claimreview.json"),
)


def _publish(app: App, out: Path) -> Path:
    """Step 8: the verified claims exported in every format, as `claimcheck export` does."""
    import datetime as dt

    from claimcheck.export import get_format
    from claimcheck.reports import build_report, export_report

    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    problems = 0
    with app.session(write=False) as session:
        for fmt, name in REPORT_FILES:
            built = build_report(session, app.settings, generated_at=now, full=get_format(fmt).full)
            problems += len(
                export_report(built, fmt, out / name, tolerance=app.settings.tolerance).failures
            )
            total = built.header.summary.total
    names = ", ".join(name for _, name in REPORT_FILES[1:])
    info(f"8. Published the {total} verified claims: {out / 'report.html'} (also {names})")
    if problems:
        warn(f"ClaimReview lint: {problems} problems; see claimcheck export -f claimreview --check")
    return out / "report.html"


def _review_at_the_desk(app: App, plans: list[ReviewPlan], ids: list[int]) -> None:
    """Steps 5-7: the reviewer's and the editor's sessions at the desk, then the audit check."""
    from claimcheck import demo as demo_lib
    from claimcheck.cli.prompts import CardLike, Decision, PlannedDecider
    from claimcheck.cli.review import run_desk
    from claimcheck.core.workflow import AWAITING_APPROVAL
    from claimcheck.services import integrity

    scale = app.settings.scale()

    def proposal(plan: ReviewPlan) -> Callable[[CardLike], Decision]:
        def decide(card: CardLike) -> Decision:  # cite the evidence just added
            return Decision(
                "propose",
                verdict=plan.verdict,
                rationale=plan.rationale,
                evidence=tuple(card.evidence_ids),
            )

        return decide

    research: dict[int, list[Decision | Callable[[CardLike], Decision]]] = {}
    verdicts: dict[int, list[Decision | Callable[[CardLike], Decision]]] = {}
    for plan in plans:
        claim_id = ids[plan.claim_index]
        research[claim_id] = [
            *(
                Decision("evidence", evidence_fields=ev.model_dump(mode="json", exclude_none=True))
                for ev in plan.evidence
            ),
            proposal(plan),
        ]
        verdicts[claim_id] = [
            Decision("send_back", reason=plan.send_back) if plan.send_back else Decision("approve")
        ]
    quiet: Callable[[str], None] = lambda _line: None  # noqa: E731
    desk = run_desk(
        app, PlannedDecider(research), scale, out=quiet, actor=demo_lib.REVIEWER
    ).decisions
    info(
        f"5. {demo_lib.REVIEWER} (reviewer) at the desk: added {desk['evidence']} evidence "
        f"records and proposed {desk['propose']} verdicts"
    )
    desk = run_desk(
        app,
        PlannedDecider(verdicts),
        scale,
        statuses=[AWAITING_APPROVAL],
        out=quiet,
        actor=demo_lib.EDITOR,
    ).decisions
    info(
        f"6. {demo_lib.EDITOR} (editor) at the desk: approved {desk['approve']} "
        f"and sent {desk['send_back']} back to review with a reason"
    )
    with app.session(write=False) as session:
        report = integrity.verify(session)
    state = "verified, every record replays from its events" if report.ok else "BROKEN"
    info(f"7. Audit trail {state}: {report.events} events")
