"""``claimcheck demo``: the main job end to end on the sample articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import emit_rows, info, success


@click.command()
@click.option(
    "--fixtures",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("fixtures"),
    show_default=True,
    help="Folder with demo.json and the sample articles.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the demo database and report (recreated).",
)
def demo(fixtures: Path, out: Path) -> None:
    """Run claimcheck end to end on the sample articles in fixtures/.

    Creates a fresh SQLite database in --out (unless --db is given), registers two desk members,
    archives the sample articles as sources, stores their claims and lists them.

    \b
    Example:
      claimcheck demo
      claimcheck --db demo.db demo --out /tmp/demo
    """
    from claimcheck import demo as demo_lib
    from claimcheck.db import describe
    from claimcheck.queries import claim_out, list_claims
    from claimcheck.schemas import ClaimFilter
    from claimcheck.services import users

    app = get_app()
    data = demo_lib.load_demo_file(fixtures)
    if app.db_option is None:
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        app.db_option = str((out / "claimcheck.db").absolute())
    from claimcheck.cli.db import _migrate_to

    _migrate_to("head")
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
    with app.session() as session:
        ids = demo_lib.add_claims(session, data, urls, demo_lib.REVIEWER)
    info(f"4. Stored {len(ids)} claims with their quote positions")
    with app.session(write=False) as session:
        rows = [
            claim_out(c).model_dump(mode="json")
            for c in list_claims(session, ClaimFilter(), newest_first=False)
        ]
    emit_rows(rows, "table", ["id", "status", "claimant", "said_on", "text"])
    success(f"Done. Explore with: claimcheck --db {describe(app.database.url)} list")
