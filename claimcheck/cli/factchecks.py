"""``claimcheck factchecks import|list|search|show|labels|remap``: other organisations' checks.

Thin over :mod:`claimcheck.services.factchecks`. The "checked before" hints of ``add``,
``similar``, ``show``, ``extract`` and the review desk are built here too (:func:`hints`,
:func:`similar_rows`, :func:`extract_marks`, :func:`card_data` and :func:`factchecks_panel`, listed
in :mod:`claimcheck.cli.panels`), so each of those commands needs a line or two.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.card import Card, Panel
from claimcheck.cli.output import dumps, emit_record, emit_rows, format_option, info, success, warn
from claimcheck.cli.params import PathType

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimcheck.models import Claim

LIST_COLUMNS = [
    "id",
    "publisher",
    "review_date",
    "language",
    "rating_label",
    "verdict",
    "claim_text",
]
REPORT_COLUMNS = ["status", "id", "origin", "review_url", "reason"]


def _table() -> Any:
    from claimcheck.services.factchecks.store import label_table

    settings = get_app().settings
    return label_table(settings.scale(), settings.factcheck_labels)


@click.group()
def factchecks() -> None:
    """Fact-checks published by other organisations (ClaimReview), to see what was checked before.

    Imported fact-checks are kept apart from the desk's own claims: they have no workflow, and
    `add`, `similar`, `show`, `extract` and the review desk say when a claim matches one
    ("checked before: AFP, 'False', 2024-03-02, URL"). `evidence add ID --factcheck N` cites one.

    \b
    Examples:
      claimcheck factchecks import saved-pages/            # every .html/.json/.jsonl below
      claimcheck factchecks import feed.json -f json | jq '.[] | select(.status=="skipped")'
      claimcheck factchecks list --publisher AFP --verdict false
      claimcheck factchecks search "vaccine microchip"
      claimcheck factchecks show 12 -f json
    """


@factchecks.command("import")
@click.argument(
    "paths", nargs=-1, required=True, metavar="PATH...|-", type=PathType(allow_dash=True)
)
@click.option("--strict", is_flag=True, help="Store nothing if any record is skipped.")
@click.option("--dry-run", is_flag=True, help="Read and report, store nothing.")
@click.option(
    "--no-detect",
    is_flag=True,
    help="Do not guess a language the markup and page do not give (faster).",
)
@click.option(
    "--report",
    "show",
    type=click.Choice(["all", "problems", "none"], case_sensitive=False),
    default="all",
    show_default=True,
    help="Table output: every record, only skipped/warned ones, or the summary alone.",
)
@format_option(("table", "json", "jsonl"))
def import_(
    paths: tuple[str, ...], strict: bool, dry_run: bool, no_detect: bool, show: str, fmt: str
) -> None:
    """Import fact-checks from saved pages, JSON/JSONL files, feeds or API output (PATH or -).

    Reads the application/ld+json blocks of saved HTML pages (@graph, arrays, nested
    mainEntity), JSON and JSONL files, schema.org DataFeeds, the Fact Check Tools API's
    claim-search and page-markup JSON, and claimcheck's own claimreview.json and published
    pages; folders recursively. Each record is reported: imported, updated (which fields),
    unchanged, or skipped (why). A record with the review URL of a stored one updates it. The
    import is one transaction; a database error stores nothing.

    \b
    Examples:
      claimcheck factchecks import pages/ claimreview.json
      curl -s "$API_URL" | claimcheck factchecks import -
      claimcheck factchecks import feed.jsonl --report problems
      claimcheck factchecks import page.html --dry-run -f json
    """
    from claimcheck.errors import InputError
    from claimcheck.services.factchecks import reading
    from claimcheck.services.factchecks.store import import_records

    table = _table()
    files = reading.expand(paths)
    if not files:
        raise InputError("PATH: no .html, .json or .jsonl file found in " + ", ".join(paths))
    total = reading.total_bytes(files)
    bar: Any = None
    if sys.stderr.isatty() and total > 1_000_000:
        bar = click.progressbar(length=total, label="Importing fact-checks", file=sys.stderr)
        bar.__enter__()
    app = get_app()

    class Rollback(Exception):
        pass

    result: Any = None
    try:
        with app.session() as session:
            actor = app.actor(session)
            from claimcheck.services.users import require_role

            require_role(session, actor, "contributor", "importing fact-checks")
            records = reading.read_inputs(
                paths,
                table,
                stdin=sys.stdin.buffer if "-" in paths else None,
                detect=not no_detect,
                progress=bar.update if bar is not None else None,
            )
            result = import_records(session, records, actor)
            if dry_run or (strict and result.skipped):
                raise Rollback
    except Rollback:
        pass
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    assert result is not None
    try:
        _print_report(result, fmt, show)
    finally:
        result.close()
    summary = (
        f"{result.imported} imported, {result.updated} updated, {result.unchanged} unchanged, "
        f"{result.skipped} skipped"
    )
    if result.unmapped:
        top = ", ".join(f"{label!r} ({n})" for label, n in result.unmapped.most_common(5))
        more = len(result.unmapped) - 5
        warn(
            f"{len(result.unmapped)} rating label(s) not in the label table, kept without a "
            f"verdict: {top}{f' and {more} more' if more > 0 else ''} "
            "(map them with `claimcheck config set factcheck_labels ...`)"
        )
    if result.total == 0:
        raise InputError("PATH: no ClaimReview found")
    if result.skipped == result.total:
        raise InputError(f"nothing imported: every record ({result.total}) was skipped")
    if dry_run:
        info(f"Dry run, nothing stored: {summary}.")
    elif strict and result.skipped:
        raise InputError(
            f"--strict: {result.skipped} record(s) skipped, nothing stored ({summary})"
        )
    else:
        success(f"Fact-checks: {summary}.")


def _print_report(result: Any, fmt: str, show: str) -> None:
    rows = result.rows()
    if fmt == "json":
        click.echo("[", nl=False)
        for n, row in enumerate(rows):
            click.echo(("," if n else "") + "\n  " + dumps(row, indent=None), nl=False)
        click.echo("\n]" if result.total else "]")
        return
    if fmt == "jsonl":
        for row in rows:
            click.echo(dumps(row, indent=None))
        return
    if show == "none":
        return
    selected = []
    for row in rows:
        if show == "problems" and row["status"] != "skipped" and not row["warnings"]:
            continue
        reason = row["reason"] or ""
        if row["warnings"]:
            reason = "; ".join([reason, *row["warnings"]] if reason else row["warnings"])
        selected.append({**row, "reason": reason})
    if selected:
        emit_rows(selected, "table", REPORT_COLUMNS)


def _filter(**kw: Any) -> Any:
    from claimcheck.errors import InputError
    from claimcheck.schemas import _date
    from claimcheck.services.factchecks.store import FactCheckFilter

    dates = {}
    for key in ("since", "until"):
        if kw.get(key):
            try:
                dates[key] = _date(kw[key])
            except ValueError as exc:
                raise InputError(f"--{key}: {exc}") from None
    return FactCheckFilter(
        publisher=kw.get("publisher"),
        language=kw.get("language"),
        verdict=tuple(kw.get("verdict") or ()),
        unmapped=bool(kw.get("unmapped")),
        limit=kw.get("limit") or None,
        **dates,
    )


def filter_options(f: Any) -> Any:
    for decorator in reversed(
        [
            click.option("--publisher", metavar="NAME", help="Only this fact-checker."),
            click.option(
                "--language", metavar="TAG", help="Only this language (en, es, pt-BR ...)."
            ),
            click.option(
                "--verdict",
                multiple=True,
                metavar="VERDICT",
                help="Only this verdict (repeatable).",
            ),
            click.option("--since", metavar="DATE", help="Reviewed on or after DATE (YYYY-MM-DD)."),
            click.option(
                "--until", metavar="DATE", help="Reviewed on or before DATE (YYYY-MM-DD)."
            ),
            click.option(
                "--unmapped", is_flag=True, help="Only labels the label table does not know."
            ),
        ]
    ):
        f = decorator(f)
    return f


def _rows(items: list[Any]) -> list[dict[str, Any]]:
    return [i.model_dump(mode="json") for i in items]


def _table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "claimants": [c["name"] for c in r["claimants"]]} for r in rows]


@factchecks.command("list")
@filter_options
@click.option(
    "--limit", type=click.IntRange(0), default=100, show_default=True, help="At most N (0: all)."
)
@format_option()
def list_(fmt: str, **kw: Any) -> None:
    """List imported fact-checks, newest import first.

    \b
    Examples:
      claimcheck factchecks list --publisher AFP --since 2024-01-01
      claimcheck factchecks list --verdict false --language es -f json
      claimcheck factchecks list --unmapped        # labels the table does not map yet
    """
    from claimcheck.services.factchecks.store import factcheck_out, list_factchecks

    f = _filter(**kw)
    with get_app().session(write=False) as session:
        rows = _rows([factcheck_out(fc) for fc in list_factchecks(session, f)])
    emit_rows(
        rows if fmt != "table" else _table_rows(rows), fmt, LIST_COLUMNS, empty="no fact-checks"
    )
    if fmt == "table" and f.limit and len(rows) == f.limit:
        info(f"(showing the first {f.limit}; --limit 0 shows all)")


@factchecks.command()
@click.argument("query")
@filter_options
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="At most N hits."
)
@format_option()
def search(query: str, fmt: str, **kw: Any) -> None:
    """Full-text search over the claims of imported fact-checks, best first.

    Every word must match, compared as claim matching compares them (case, accents and simple
    English endings ignored; stop words dropped). To find the fact-checks that say the same as a
    claim, use `claimcheck similar` instead.

    \b
    Examples:
      claimcheck factchecks search "vaccine microchip"
      claimcheck factchecks search "vacuna" --language es -f json
    """
    from claimcheck.services.factchecks.store import factcheck_out, search_factchecks

    f = _filter(**kw)
    with get_app().session(write=False) as session:
        rows = []
        for fc, rank in search_factchecks(session, query, f):
            row = factcheck_out(fc).model_dump(mode="json")
            row["rank"] = round(rank, 4)
            rows.append(row)
    emit_rows(
        rows if fmt != "table" else _table_rows(rows),
        fmt,
        ["id", "rank", "publisher", "rating_label", "claim_text"],
        empty="no fact-checks match",
    )


@factchecks.command()
@click.argument("ref", metavar="ID|URL")
@format_option(("table", "json"))
def show(ref: str, fmt: str) -> None:
    """Show one imported fact-check (by id or review URL).

    \b
    Examples:
      claimcheck factchecks show 12
      claimcheck factchecks show https://checker.example/2024/03/claim -f json
    """
    from claimcheck.services.factchecks.store import factcheck_detail, get_factcheck

    with get_app().session(write=False) as session:
        data = factcheck_detail(get_factcheck(session, ref)).model_dump(mode="json")
    if fmt == "json":
        click.echo(dumps(data))
        return
    record = {
        **data,
        "publisher": data["publisher"]
        + (f" <{data['publisher_url']}>" if data["publisher_url"] else ""),
        "language": (data["language"] or "")
        + (f" (from {data['language_from']})" if data["language_from"] else ""),
        "rating": _rating(data),
        "claimants": [
            c["name"] + (f" <{', '.join(c['same_as'])}>" if c["same_as"] else "")
            for c in data["claimants"]
        ],
        "appearances": [
            a["url"] + (f" ({a['date']})" if a["date"] else "") for a in data["appearances"]
        ],
    }
    order = [
        "id",
        "publisher",
        "review_url",
        "review_date",
        "language",
        "claim_text",
        "claim_date",
        "claimants",
        "appearances",
        "rating",
        "verdict",
        "origin",
        "imported_at",
        "imported_by",
        "updated_at",
    ]
    emit_record(record, "table", order=order)


def _rating(d: dict[str, Any]) -> str:
    parts = [repr(d["rating_label"]) if d["rating_label"] else "no label"]
    if d["rating_value"] is not None:
        text = f"{d['rating_value']:g}"
        if d["rating_best"] is not None:
            worst = f"{d['rating_worst']:g}" if d["rating_worst"] is not None else "?"
            text += f" on a {worst}–{d['rating_best']:g} scale"
        parts.append(text)
    if d["rating_score"] is not None:
        parts.append(f"score {d['rating_score']:g}")
    return ", ".join(parts)


@factchecks.command()
@click.option("--unmapped", is_flag=True, help="Only labels without a verdict.")
@format_option()
def labels(unmapped: bool, fmt: str) -> None:
    """The rating labels of the imported fact-checks, how often each occurs, and their verdict.

    A label the built-in table does not know is kept without a verdict; map it in the config
    (`factcheck_labels`) and run `claimcheck factchecks remap`.

    \b
    Examples:
      claimcheck factchecks labels --unmapped
      claimcheck config set factcheck_labels '{"Bulo": "false", "Sátira": "unsupported"}'
      claimcheck factchecks remap
    """
    from claimcheck.services.factchecks.store import label_counts

    with get_app().session(write=False) as session:
        rows = label_counts(session, unmapped_only=unmapped)
    emit_rows(rows, fmt, ["count", "verdict", "rating_label"], empty="no rating labels")


@factchecks.command()
def remap() -> None:
    """Map every stored rating label to a verdict again (after the scale or label table changed).

    \b
    Example:
      claimcheck config set rating_scale politifact && claimcheck factchecks remap
    """
    from claimcheck.services.factchecks.store import remap as do_remap

    table = _table()
    with get_app().session() as session:
        changed = do_remap(session, table)
    success(f"{changed} verdict(s) changed.")


# ---------------------------------------------------------------------------------------------
# Hooks for other commands: each is one call from that command


def hints(session: Session, claim: Claim | str) -> list[str]:
    """ "checked before: ..." lines for ``add`` (empty without a matching fact-check)."""
    from claimcheck.services.factchecks.matching import factcheck_hints

    return factcheck_hints(session, claim)


def similar_rows(
    session: Session, target: Claim | str, *, limit: int, min_score: float
) -> list[dict[str, Any]]:
    """``similar``'s external matches: the fact-check keys plus score, label and reasons."""
    from claimcheck.services.factchecks.matching import find_factchecks, has_factchecks

    if not has_factchecks(session):
        return []
    matches = find_factchecks(session, target, limit=limit, min_score=min_score)
    return [m.model_dump(mode="json") for m in matches]


def print_similar(rows: list[dict[str, Any]], fmt: str) -> None:
    """The table of ``similar``'s external matches (after the claims)."""
    if fmt != "table" or not rows:
        return
    from claimcheck.cli.output import render_table

    click.echo("")
    click.echo("Checked elsewhere:")
    table_rows = [{**r, "fact_check": f"#{r['id']}", "why": "; ".join(r["reasons"])} for r in rows]
    click.echo(
        render_table(
            table_rows,
            [
                "fact_check",
                "score",
                "label",
                "publisher",
                "rating_label",
                "review_date",
                "claim_text",
                "why",
            ],
        )
    )


def extract_marks(session: Session, texts: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For ``extract``: each sentence's matching fact-checks (``same`` or ``suggestion``)."""
    from claimcheck.services.factchecks.matching import find_factchecks, has_factchecks

    if not has_factchecks(session):
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for text in texts:
        found = [
            m.model_dump(mode="json")
            for m in find_factchecks(session, text, limit=3)
            if m.label in ("same", "suggestion")
        ]
        if found:
            out[text] = found
    return out


def mark_text(found: list[dict[str, Any]]) -> str:
    """``extract``'s CHECKED cell: 'AFP: False' for the best match (``?`` when a suggestion)."""
    if not found:
        return ""
    best = found[0]
    return f"{best['publisher']}: {best['rating_label'] or best['verdict'] or 'rated'}" + (
        "" if best["label"] == "same" else " ?"
    )


def extract_notes(texts: list[str], checked: dict[str, list[dict[str, Any]]]) -> list[str]:
    """``extract``'s closing lines: each sentence checked elsewhere, who checked it, the verdict."""
    lines = []
    for n, text in enumerate(texts, start=1):
        for m in checked.get(text, [])[:1]:
            head = "checked before" if m["label"] == "same" else "maybe checked before"
            lines.append(f"#{n} {head}: {_describe(m)}")
    return lines


def _describe(m: dict[str, Any]) -> str:
    label = repr(m["rating_label"]) if m["rating_label"] else "no rating"
    date = f", {m['review_date']}" if m["review_date"] else ""
    return f"{m['publisher']}, {label}{date}, {m['review_url']}"


def card_data(session: Session, claim: Claim) -> dict[str, Any]:
    """What the desk's and ``show``'s card carry: ``factchecks`` (matches at the low
    threshold or above)."""
    from claimcheck.services.factchecks.matching import find_factchecks, has_factchecks

    if not has_factchecks(session):
        return {"factchecks": []}
    return {
        "factchecks": [
            m.model_dump(mode="json")
            for m in find_factchecks(session, claim, limit=3)
            if m.label in ("same", "suggestion")
        ]
    }


def factchecks_panel(card: Card) -> Panel | None:
    """Checked before: the external fact-checks matching the claim (desk and show)."""
    found = card.detail.get("factchecks") or []
    if not found:
        return None
    lines = []
    cited: dict[str, int] = {}
    for e in card.detail.get("evidence") or []:
        cited.setdefault(e["source"], e["id"])
    for m in found:
        head = "checked before" if m["label"] == "same" else "maybe checked before"
        mark = f", cited as evidence #{cited[m['review_url']]}" if m["review_url"] in cited else ""
        lines.append(
            f"{head}: {_describe(m)}  (fact-check #{m['id']}, score {m['score']:.2f}{mark})"
        )
        lines.append(f"    “{m['claim_text']}”")
    lines.append(f"cite one: claimcheck evidence add {card.claim_id} --factcheck N")
    return Panel("Checked before", lines)
