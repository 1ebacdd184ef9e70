"""Claim commands: add, list, show, search, edit, tag. Thin: parse options, call services."""

from __future__ import annotations

from typing import Any

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import (
    dumps,
    emit_record,
    emit_rows,
    format_option,
    info,
    paged,
    pager_option,
    success,
)
from claimcheck.cli.params import read_stdin_text
from claimcheck.core.workflow import STATUSES

STATUS_CHOICE = click.Choice(STATUSES, case_sensitive=False)
LIST_COLUMNS = ["id", "status", "verdict", "claimant", "said_on", "text"]


def filter_options(f: Any) -> Any:
    """The filters shared by list, search and export."""
    for decorator in reversed(
        [
            click.option(
                "--status",
                multiple=True,
                type=STATUS_CHOICE,
                help="Only this workflow status (repeatable).",
            ),
            click.option(
                "--verdict",
                multiple=True,
                metavar="VERDICT",
                help="Only this verdict (repeatable).",
            ),
            click.option(
                "--speaker", metavar="NAME", help="Only claims by this claimant (name or alias)."
            ),
            click.option("--source", metavar="URL", help="Only claims from this source URL."),
            click.option(
                "--tag",
                multiple=True,
                metavar="TAG",
                help="Only claims with this tag (repeatable: all must match).",
            ),
            click.option(
                "--since", metavar="DATE", help="Only claims said on or after DATE (YYYY-MM-DD)."
            ),
            click.option(
                "--until", metavar="DATE", help="Only claims said on or before DATE (YYYY-MM-DD)."
            ),
        ]
    ):
        f = decorator(f)
    return f


def _filter_values(limit: int | None, kw: dict[str, Any]) -> dict[str, Any]:
    """The filter options a command was given, without the empty ones."""
    data = {
        "status": list(kw.get("status") or []),
        "verdict": list(kw.get("verdict") or []),
        "speaker": kw.get("speaker"),
        "source": kw.get("source"),
        "tag": list(kw.get("tag") or []),
        "since": kw.get("since"),
        "until": kw.get("until"),
        "assignee": kw.get("assignee"),
        "limit": limit or None,
    }
    return {k: v for k, v in data.items() if v not in (None, [])}


def build_filter(limit: int | None = None, **kw: Any) -> Any:
    from claimcheck.errors import InputError, UsageError
    from claimcheck.schemas import ClaimFilter, validate

    try:
        return validate(ClaimFilter, _filter_values(limit, kw))
    except InputError as exc:  # a filter's value is part of how the command was typed: exit 2
        raise UsageError(exc.message) from None


def read_filter(limit: int | None = None, **kw: Any) -> Any:
    """:func:`build_filter` for the read commands: the same checks, no pydantic model."""
    from claimcheck.errors import InputError, UsageError
    from claimcheck.services.filters import read_filter as make

    try:
        return make(_filter_values(limit, kw))
    except InputError as exc:  # a filter's value is part of how the command was typed: exit 2
        raise UsageError(exc.message) from None


def checked_filter(session: Any, f: Any, scale: Any) -> Any:
    """``f`` with each value checked against what exists (verdicts on the scale, desk members,
    claimants), so a typo is an error with suggestions rather than "no claims match".
    ``scale``: the active rating scale, or a function returning it (read only for --verdict)."""
    import dataclasses

    from claimcheck.services import filters

    if f.verdict:
        verdicts = filters.check_verdicts(session, f.verdict, scale() if callable(scale) else scale)
        if dataclasses.is_dataclass(f) and not isinstance(f, type):
            f = dataclasses.replace(f, verdict=verdicts)
        else:
            f = f.model_copy(update={"verdict": verdicts})
    if f.assignee:
        filters.check_assignee(session, f.assignee)
    if f.speaker:
        filters.check_speaker(session, f.speaker)
    return f


def read_text_argument(text: str) -> str:
    if text == "-":
        # Read once per command, even if the command runs again after a conflict.
        meta = click.get_current_context().meta
        if "claimcheck.stdin_text" not in meta:
            meta["claimcheck.stdin_text"] = read_stdin_text()
        return str(meta["claimcheck.stdin_text"])
    return text


@click.command()
@click.argument("text")
@click.option("--source", metavar="URL", help="Where it was said (created if not stored yet).")
@click.option(
    "--speaker",
    "speakers",
    multiple=True,
    metavar="NAME",
    help="Who said it (a claimant; titles and aliases are matched). Repeat for several "
    "claimants, the first first.",
)
@click.option(
    "--language",
    metavar="TAG",
    help="The claim's BCP 47 language, e.g. en, ar, es-419 (default: the config's language).",
)
@click.option(
    "--speaker-kind",
    type=click.Choice(["person", "organization"], case_sensitive=False),
    help="For a new claimant.",
)
@click.option(
    "--said-on", metavar="DATE", help="When it was said (YYYY-MM-DD; default: the source's date)."
)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable).")
@click.option("--context", metavar="TEXT", help="The surrounding sentence(s).")
@click.option(
    "--statement", metavar="TEXT", help="Short checkable proposition (≤ 75 characters to publish)."
)
@click.option(
    "--start", type=int, help="Character offset of the quote in the source's archived text."
)
@click.option("--end", type=int, help="End offset of the quote (found automatically when omitted).")
@format_option(("table", "json"), default="table")
@retry_conflicts
def add(
    text: str, fmt: str, tags: tuple[str, ...], speakers: tuple[str, ...], **fields: Any
) -> None:
    """Add a claim, verbatim as said (TEXT, or - to read it from stdin).

    A claim with the same text and source as a stored one is refused with that claim's id.
    When the source has archived text, the quote's position in it is found and kept.

    \b
    Example:
      claimcheck add "Russia still occupies about 20 percent of Ukraine" \\
          --source https://example.org/talks --speaker "Volodymyr Zelensky" \\
          --said-on 2025-05-19 --tag war
      claimcheck add "..." --speaker "Ana Ruiz" --speaker "Luis Gil" --language es
    """
    from claimcheck.queries import claim_detail
    from claimcheck.schemas import ClaimIn, option_label, validate
    from claimcheck.services import claims

    data = {k: v for k, v in fields.items() if v is not None}
    data["text"] = read_text_argument(text)
    data["tags"] = list(tags)
    if speakers:
        data["speaker"] = speakers[0]
        data["co_speakers"] = list(speakers[1:])
    payload = validate(ClaimIn, data, label=lambda f: "TEXT" if f == "text" else option_label(f))
    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        claim, created_source = claims.add_claim(session, payload, actor)
        detail = claim_detail(claim).model_dump(mode="json")
        from claimcheck.cli.matching import match_hint

        hint = match_hint(session, claim)
    if created_source:
        info(f"Created source {detail['source']} (add its details with `claimcheck source edit`).")
    if hint:
        info(hint)
    if fmt == "json":
        click.echo(dumps(detail))
    else:
        success(f"Added claim #{detail['id']}.")
        click.echo(detail["id"])


@click.command("list")
@filter_options
@click.option("--assignee", metavar="NAME", help="Only claims assigned to NAME.")
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=100,
    show_default=True,
    help="At most N claims (0: all).",
)
@click.option("--oldest-first", is_flag=True, help="Oldest first (default: newest first).")
@format_option()
def list_(limit: int, oldest_first: bool, fmt: str, **filters: Any) -> None:
    """List claims, newest first, with filters.

    \b
    Examples:
      claimcheck list --status new --tag war
      claimcheck list --speaker "Zelensky" --since 2025-05-01 -f json
      claimcheck list --verdict false -f csv > false-claims.csv
    """
    from claimcheck.cli.verdicts import verdict_rows
    from claimcheck.queries import list_rows

    f = read_filter(limit, **filters)
    app = get_app()
    with app.database.reader() as conn:
        f = checked_filter(conn, f, lambda: app.settings.scale())
        rows = list_rows(conn, f, newest_first=not oldest_first)
        rows = verdict_rows(conn, rows, fmt)
    emit_rows(rows, fmt, LIST_COLUMNS, empty="no claims match")
    if limit and len(rows) == limit and fmt == "table":
        info(f"(showing the first {limit}; --limit 0 shows all)")


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@format_option(("table", "json"))
@pager_option()
def show(claim_id: int, fmt: str) -> None:
    """Show everything about one claim: text, claimant, source, quote position, status, verdict,
    evidence, notes, corrections and recent history.

    \b
    Example:
      claimcheck show 3
      claimcheck show 3 --no-pager
      claimcheck show 3 -f json | jq .quantities
    """
    from claimcheck.cli import panels as cards
    from claimcheck.cli.card import render

    app = get_app()
    with app.database.reader() as conn:
        card = cards.show_card(conn, claim_id, tolerance=app.tolerance)
    from claimcheck.cli.output import minute
    from claimcheck.cli.verdicts import verdict_text
    from claimcheck.core.events import describe_value

    detail = card.detail
    window = card.context
    if fmt == "json":
        click.echo(dumps(detail))
        return
    source = detail.get("source_info") or {}
    record = {
        "id": detail["id"],
        "text": detail["text"],
        "statement": detail["statement"],
        "claimant": detail["claimant"],
        "said_on": detail["said_on"],
        "source": f"{source.get('title') or ''} <{source.get('url')}>".strip() if source else None,
        "quote": f"characters {detail['start']}..{detail['end']}"
        + (
            " (matches the archived text)"
            if detail["quote_verified"]
            else " (DOES NOT match the archived text)"
        )
        if detail["start"] is not None
        else None,
        "context": window,
        "status": detail["status"],
        "verdict": verdict_text(detail),
        "rationale": detail["rationale"],
        "tags": detail["tags"],
        "quantities": [q.get("surface") or describe_value(q) for q in detail["quantities"]],
        "assignee": detail["assignee"],
        "created": f"{minute(detail['created_at'])} by {detail['created_by']}",
        "updated": (
            f"{minute(detail['updated_at'])} by {detail['updated_by']} "
            f"(version {detail['version']})"
        ),
    }
    with paged():
        emit_record(record, fmt)
        extra = cards.panels(card, "show")
        if extra:
            click.echo(render(extra))


@click.command()
@click.argument("query")
@filter_options
@click.option(
    "--in",
    "where",
    type=click.Choice(["all", "claims", "sources"], case_sensitive=False),
    default="all",
    show_default=True,
    help="Search claims (their text, statement and claimant), their sources' titles, or all.",
)
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="At most N hits."
)
@format_option()
def search(query: str, where: str, limit: int, fmt: str, **filters: Any) -> None:
    """Full-text search over claim text, short statements, claimants and source titles.

    Every word must match (English stemming: "occupies" finds "occupy"); OR between words
    accepts either, "quoted words" must appear together in that order, and a word ending in *
    matches as a prefix. Claims whose own words match come first, then claims by a claimant the
    query names (a close spelling works too: "Zelenskyy" finds Zelensky), then claims whose
    source's title matches. RELEVANCE is 1-100: claim-text hits score 40-100, claimant hits
    25-39, source-title hits below 25; MATCHED says which it was.

    \b
    Examples:
      claimcheck search "occupies percent"
      claimcheck search '"direct talks" OR negotiations' --in claims
      claimcheck search "istanbul talk*" --status verified -f json
      claimcheck search Zelenskyy --since 2025-01-01
    """
    from claimcheck.queries import search_rows

    f = read_filter(limit, **filters)
    app = get_app()
    with app.database.reader() as conn:
        f = checked_filter(conn, f, lambda: app.settings.scale())
        rows = search_rows(conn, query, f, where.lower())
    if fmt == "table":
        rows = [{**r, "relevance": f"{r['relevance']}%"} for r in rows]
    emit_rows(
        rows,
        fmt,
        ["id", "relevance", "matched", "status", "claimant", "text"],
        empty="no claims match",
    )


EDIT_FIELDS = ("text", "statement", "speaker", "said_on", "context")


def _editor_template(detail: dict[str, Any]) -> str:
    lines = [
        f"# Editing claim #{detail['id']} (version {detail['version']}).",
        "# Change the values after the colons, save and close the editor to apply.",
        "# Lines starting with # are ignored; leave the file unchanged or empty to cancel.",
    ]
    values = {
        "text": detail["text"],
        "statement": detail["statement"],
        "speaker": detail["claimant"],
        "said_on": detail["said_on"],
        "context": detail["context"],
    }
    for key in EDIT_FIELDS:
        value = values[key]
        lines.append(f"{key}: {'' if value is None else str(value).replace(chr(10), ' ')}")
    return "\n".join(lines) + "\n"


def _parse_editor(text: str) -> dict[str, str]:
    from claimcheck.errors import InputError

    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in EDIT_FIELDS:
            raise InputError(
                f"editor line {number}: expected one of {', '.join(EDIT_FIELDS)} followed by ':'"
            )
        out[key] = value.strip()
    return out


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--text", help="New verbatim text.")
@click.option("--statement", help="New short statement ('' clears it).")
@click.option(
    "--speaker",
    "speakers",
    multiple=True,
    help="New claimant ('' clears it); repeat for several claimants, the first first.",
)
@click.option("--language", metavar="TAG", help="The claim's BCP 47 language, e.g. ar.")
@click.option(
    "--update-note",
    metavar="TEXT",
    help="On a verified claim: publish the edit as an update that is not a correction, with "
    "this public note (editors).",
)
@click.option("--said-on", metavar="DATE", help="New date (YYYY-MM-DD).")
@click.option("--context", help="New context ('' clears it).")
@click.option(
    "--tolerance", type=float, help="This claim's relative tolerance for 'about' (0.1 = ±10 %)."
)
@click.option(
    "--quantity",
    "quantities",
    multiple=True,
    metavar="SPEC",
    help="Set the claim's quantities, e.g. '~20 percent', '<2 hour', '10-20 km' (repeatable; "
    "replaces the parsed ones).",
)
@click.option("--clear-quantities", is_flag=True, help="Remove every quantity from the claim.")
@click.option(
    "--expect-version", type=int, help="Refuse the edit unless the claim is at this version."
)
@format_option(("table", "json"))
@retry_conflicts
def edit(
    claim_id: int,
    expect_version: int | None,
    fmt: str,
    quantities: tuple[str, ...],
    clear_quantities: bool,
    speakers: tuple[str, ...],
    update_note: str | None,
    **fields: Any,
) -> None:
    """Change a claim's fields; with no field given, opens $EDITOR like `git commit`.

    The change is refused if someone else changed the claim since it was loaded.

    \b
    Examples:
      claimcheck edit 3 --statement "Russia occupies about 20% of Ukraine"
      claimcheck edit 3 --quantity "~20 percent" --quantity ">4 year"
      claimcheck edit 3            # edit in $EDITOR
      claimcheck edit 3 --language ar
      claimcheck edit 5 --text "..." --update-note "Corrected a typo in the quote."  # published
    """
    from claimcheck.queries import claim_detail
    from claimcheck.schemas import ClaimEdit, validate
    from claimcheck.services import claims

    app = get_app()
    given = {k: v for k, v in fields.items() if v is not None}
    if speakers:
        given["speaker"] = speakers[0]
        given["co_speakers"] = [s for s in speakers[1:] if s.strip()]
    if quantities or clear_quantities:
        from claimcheck.cli.check import quantity_options

        given["quantities"] = quantity_options(quantities, clear_quantities)
    if not given and update_note is not None:
        from claimcheck.errors import UsageError

        raise UsageError(
            "--update-note goes with the fields to change; to publish an update of changes made "
            f"elsewhere, use `claimcheck review {claim_id} --update NOTE`"
        )
    if not given:
        with app.session(write=False) as session:
            detail = claim_detail(claims.get_claim(session, claim_id)).model_dump(mode="json")
        template = _editor_template(detail)
        try:
            edited = click.edit(template, extension=".txt")
        except UnicodeDecodeError as exc:
            from claimcheck.errors import InputError

            raise InputError(
                f"the edited text is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
                f"position {exc.start + 1}); nothing was changed"
            ) from None
        if edited is None or edited.strip() == template.strip() or not edited.strip():
            info("No change.")
            return
        parsed = _parse_editor(edited)
        original = _parse_editor(template)
        given = {k: v for k, v in parsed.items() if v != original.get(k)}
        expect_version = detail["version"] if expect_version is None else expect_version
        if not given:
            info("No change.")
            return
    changes = validate(ClaimEdit, given)
    with app.session() as session:
        actor = app.actor(session)
        claim = claims.get_claim(session, claim_id)
        changed = claims.edit_claim(
            session,
            claim,
            changes,
            actor,
            expected_version=expect_version,
            update_note=update_note,
        )
        detail = claim_detail(claim).model_dump(mode="json")
    if fmt == "json":
        click.echo(dumps(detail))
    elif changed:
        success(f"Claim #{claim_id} updated: {', '.join(changed)} (version {detail['version']}).")
    else:
        info("No change.")


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.argument("action", type=click.Choice(["add", "remove"], case_sensitive=False))
@click.argument("tags", nargs=-1, required=True)
@retry_conflicts
def tag(claim_id: int, action: str, tags: tuple[str, ...]) -> None:
    """Add or remove TAGS on a claim.

    \b
    Examples:
      claimcheck tag 3 add war diplomacy
      claimcheck tag 3 remove diplomacy
    """
    from claimcheck.schemas import TagName
    from claimcheck.services import claims

    names = [_validate_tag(t, TagName) for t in tags]
    app = get_app()
    with app.session() as session:
        claim = claims.get_claim(session, claim_id)
        now = claims.change_tags(session, claim, action, names, app.actor(session))
    success(f"Claim #{claim_id} tags: {', '.join(now) or '(none)'}")


def _validate_tag(value: str, kind: Any) -> str:
    from pydantic import TypeAdapter, ValidationError

    from claimcheck.errors import InputError, plain_message

    try:
        return str(TypeAdapter(kind).validate_python(value))
    except ValidationError as exc:
        raise InputError(f"TAG: {plain_message(dict(exc.errors()[0]))}") from None
