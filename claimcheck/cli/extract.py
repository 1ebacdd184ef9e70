"""``claimcheck extract``: the check-worthy claims of an article, ranked, optionally stored."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.fetching import fetch_options
from claimcheck.cli.output import dumps, emit_rows, id_range, info, plural, success, warn
from claimcheck.cli.params import read_stdin_text


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}"


def _quantity_text(q: Any) -> str:
    value = q.value
    if isinstance(value, list):
        number = f"{_number(value[0])}–{_number(value[1])}"
        prefix = ""
    else:
        number = _number(value)
        prefix = "" if q.comparator == "=" else q.comparator
    return f"{prefix}{number}{' ' + q.unit if q.unit else ''}"


STATEMENT_CHARS = 300  # ClaimIn.statement's limit


def _ask_statement(current: str | None) -> str | None:
    from claimcheck.errors import ClaimcheckError
    from claimcheck.schemas import ClaimIn, validate

    while True:
        typed = click.prompt(
            "  statement, the claim in a short sentence of your own ('-' for none)",
            default=current or "-",
            err=True,
        ).strip()
        if typed in ("", "-"):
            return None
        if len(typed) > STATEMENT_CHARS:
            click.echo(
                f"  statement: at most {STATEMENT_CHARS} characters (got {len(typed)})", err=True
            )
            continue
        try:
            return validate(ClaimIn, {"text": "x", "statement": typed}, label=str).statement
        except ClaimcheckError as exc:
            click.echo(f"  {exc}", err=True)


def _ask_speaker(current: str | None) -> str | None:
    from claimcheck.errors import ClaimcheckError
    from claimcheck.schemas import ClaimIn, validate

    while True:
        typed = click.prompt("  speaker ('-' for none)", default=current or "-", err=True).strip()
        if typed in ("", "-"):
            return None
        try:
            return validate(ClaimIn, {"text": "x", "speaker": typed}, label=str).speaker
        except ClaimcheckError as exc:
            click.echo(f"  {exc}", err=True)


def _ask_quantities(current: list[Any]) -> list[Any]:
    from claimcheck.core.quantities.spec import QuantitySyntaxError, parse_quantity_spec

    shown = "; ".join(_quantity_text(q) for q in current)
    while True:
        typed = click.prompt(
            "  quantities, ';' between them, e.g. '~20 percent; <2 hour' ('-' for none)",
            default=shown or "-",
            err=True,
        ).strip()
        if current and typed == shown:
            return current  # kept as shown: the parsed quantities stay as they were
        try:
            return [
                parse_quantity_spec(part.strip())
                for part in typed.split(";")
                if part.strip() and typed != "-"
            ]
        except QuantitySyntaxError as exc:
            click.echo(f"  {exc}", err=True)


def _pick(
    candidates: list[Any],
    *,
    said_on: Any = None,
    claimant_of: Callable[[str], str | None] = lambda name: None,
) -> tuple[list[Any], list[bool], list[str | None]]:
    """Ask about each candidate, showing exactly what will be stored (statement, speaker as the
    claimant it will be stored under, quantities, date), and let the user edit the statement,
    the speaker and the quantities first. Returns the chosen candidates (corrected in place),
    for each that a person confirmed its speaker, and each one's statement."""
    from claimcheck.extract.speakers import BASIS_LABELS

    chosen: list[Any] = []
    statements: list[str | None] = []
    for c in candidates:
        statement: str | None = None
        while True:
            how = f" ({BASIS_LABELS[c.speaker_basis]})" if c.speaker and c.speaker_basis else ""
            if c.speaker:
                known = claimant_of(c.speaker)
                if known is not None and known != c.speaker:
                    how += f", stored as the claimant {known!r}"
                elif known is None:
                    how += ", a new claimant"
            quantities = "; ".join(_quantity_text(q) for q in c.quantities) or "none"
            answer = click.prompt(
                f"[{c.score:.2f}] {c.text}\n"
                f"  statement:  {statement or 'none'}\n"
                f"  speaker:    {c.speaker or 'none'}{how}\n"
                f"  quantities: {quantities}\n"
                + (f"  said on:    {said_on}\n" if said_on else "")
                + "  add this claim? (y)es/(n)o/(e)dit statement, speaker and quantities/(q)uit",
                type=click.Choice(["y", "n", "e", "q"], case_sensitive=False),
                default="n",
                show_choices=False,
                err=True,
            )
            if answer != "e":
                break
            statement = _ask_statement(statement)
            speaker = _ask_speaker(c.speaker)
            if speaker != c.speaker:
                c.speaker = speaker
                c.speaker_basis, c.speaker_confidence = (None, None)
            c.quantities = _ask_quantities(list(c.quantities))
        if answer == "q":
            break
        if answer == "y":
            chosen.append(c)
            statements.append(statement)
    return chosen, [True] * len(chosen), statements


class _Progress:
    """A progress bar on stderr for long inputs, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 200:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Scoring sentences", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command()
@click.argument("path", metavar="PATH|URL|-")
@click.option(
    "--source",
    "source_url",
    metavar="URL",
    help="The article's URL: marks already-stored claims; needed by --add/--pick "
    "(for a fetched URL, the URL itself).",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "text", "markdown", "html"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="Input format (auto guesses from the name and content).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=None,
    help="Keep sentences scoring at least this (default: the model's threshold; 0 keeps all).",
)
@click.option("--top", type=click.IntRange(1), help="Only the N best, ranked by score.")
@click.option(
    "--one-per-line", is_flag=True, help="Each input line is one sentence (no segmentation)."
)
@click.option("--explain", is_flag=True, help="Show the features behind each score.")
@click.option("--add", "add_", is_flag=True, help="Store the candidates as claims of --source.")
@click.option("--pick", is_flag=True, help="Choose interactively which candidates to store.")
@click.option("--yes", is_flag=True, help="With --add: do not ask for confirmation.")
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Tag every stored claim (repeatable)."
)
@fetch_options()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl"], case_sensitive=False),
    default="table",
    show_default=True,
    help="Output format: table, json or jsonl.",
)
def extract(
    path: str,
    source_url: str | None,
    kind: str,
    min_score: float | None,
    top: int | None,
    one_per_line: bool,
    explain: bool,
    add_: bool,
    pick: bool,
    yes: bool,
    tags: tuple[str, ...],
    timeout: float | None,
    max_bytes: int | None,
    allow_private: bool,
    wayback: bool,
    fmt: str,
) -> None:
    """Find the check-worthy claims in an article (text, Markdown, a saved web page or a URL).

    Every sentence is scored for check-worthiness (0–1) by a model trained on labelled debate
    sentences plus features such as quantities and attribution; quantities (value, unit,
    comparator) and speakers are parsed. Offsets point into the extracted text:
    text == extracted_text[start:end].

    An http(s) URL is fetched (HTML, plain text or PDF); with --add the page is archived as a
    capture of that URL's source and the claims' offsets refer to the capture's text.

    \b
    Examples:
      claimcheck extract https://example.org/talks --top 5
      claimcheck extract https://example.org/talks --add --yes --wayback
      claimcheck extract fixtures/articles/istanbul-talks.txt --top 5
      claimcheck extract page.html --source https://example.org/a -f json
      claimcheck extract article.txt --source https://example.org/a --add --yes
      cat sentences.txt | claimcheck extract - --one-per-line --min-score 0
    """
    from claimcheck.errors import InputError, UsageError
    from claimcheck.extract import DEFAULT_THRESHOLD, extract_claims, read_input, select
    from claimcheck.extract.text import ExtractedText
    from claimcheck.schemas import MAX_CLAIM_CHARS
    from claimcheck.urls import normalize_url

    if add_ and pick:
        raise UsageError("--add and --pick exclude each other")
    fetched = None
    if _is_url(path):
        if source_url:
            raise UsageError("--source: not needed with a URL (the fetched URL is the source)")
        if kind != "auto":
            raise UsageError("--kind: a fetched URL's content type decides its format")
        if wayback and not (add_ or pick):
            raise UsageError(
                "--wayback needs --add or --pick (the snapshot is kept with the capture)"
            )
        from claimcheck.cli.fetching import fetch_url
        from claimcheck.fetch.safety import check_scheme

        check_scheme(path)
        try:
            normalize_url(path)  # the URL a source would be stored under must be valid
        except ValueError as exc:
            raise InputError(f"URL: {exc}") from None
        fetched = fetch_url(
            get_app(), path, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
        )
        source_url = fetched[0].url
    elif timeout or max_bytes or allow_private or wayback:
        raise UsageError(
            "--timeout, --max-bytes, --allow-private and --wayback apply to a URL only"
        )
    if (add_ or pick) and not source_url:
        raise UsageError(
            "--add/--pick need --source URL (the claims are stored as claims of that source)"
        )
    if source_url:
        try:
            source_url = normalize_url(source_url)
        except ValueError as exc:
            raise InputError(f"--source: {exc}") from None
    if fetched is not None:
        page_doc = fetched[1]
        doc = ExtractedText(
            text=page_doc.text,
            title=page_doc.title,
            kind="html" if page_doc.kind == "html" else "text",
            published=page_doc.published,
            path=fetched[0].url,
        )
    elif path == "-":
        doc = read_input(read_stdin_text(), kind, is_text=True)  # type: ignore[arg-type]
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(f"PATH: {path} is not a readable file")
        raw = file.read_bytes()
        if b"\x00" in raw:
            raise InputError(f"PATH: {path} contains NUL bytes; not a text file")
        doc = read_input(file, kind)  # type: ignore[arg-type]
    progress = _Progress(sys.stderr.isatty())
    try:
        candidates = extract_claims(
            doc.text, one_per_line=one_per_line, published=doc.published, progress=progress
        )
    finally:
        progress.close()
    candidates = [c for c in candidates if len(c.text) <= MAX_CLAIM_CHARS]
    threshold = DEFAULT_THRESHOLD if min_score is None else min_score
    kept = select(candidates, min_score=threshold, top=top)

    app = get_app()
    exact: set[str] = set()
    found: dict[str, tuple[int, bool]] = {}
    checked: dict[str, list[dict[str, Any]]] = {}  # sentences checked elsewhere (fact-checks)
    if kept:
        from claimcheck.cli.factchecks import extract_marks
        from claimcheck.errors import DatabaseError
        from claimcheck.services.extraction import match_existing

        try:
            with app.session(write=False) as session:
                found = match_existing(session, [c.text for c in kept], source_url)
                checked = extract_marks(session, [c.text for c in kept])
        except DatabaseError:
            if add_ or pick:
                raise
            # Extraction works without a database; only the "already stored" marks need one.
        for c in kept:
            if c.text in found:
                c.existing_claim_id, same_source = found[c.text]
                if same_source:
                    exact.add(c.text)

    if fmt == "json":
        rows_json = [
            {**c.model_dump(mode="json"), "checked_before": checked.get(c.text, [])} for c in kept
        ]
        click.echo(dumps(rows_json))
    elif fmt == "jsonl":
        for c in kept:
            item = {**c.model_dump(mode="json"), "checked_before": checked.get(c.text, [])}
            click.echo(dumps(item, indent=None))
    else:
        from claimcheck.cli.factchecks import mark_text

        rows = []
        for rank, c in enumerate(kept, start=1):
            row: dict[str, Any] = {
                "n": rank,
                "score": f"{c.score:.2f}",
                "kind": c.kind,
                "speaker": c.speaker,
                "quantities": ", ".join(_quantity_text(q) for q in c.quantities),
                "stored": f"#{c.existing_claim_id}" if c.existing_claim_id else "",
                "checked": mark_text(checked.get(c.text, [])) if checked else "",
                "text": c.text,
            }
            if explain:
                row["why"] = "; ".join(c.explain)
            rows.append(row)
        columns = ["n", "score", "kind", "speaker", "quantities", "stored"]
        columns += (["checked"] if checked else []) + ["text"] + (["why"] if explain else [])
        emit_rows(
            rows, "table", columns, empty="no sentence reaches the threshold (try --min-score 0)"
        )
        info(f"{len(kept)} of {len(candidates)} sentences at score ≥ {threshold:g}")
        if checked:
            from claimcheck.cli.factchecks import extract_notes

            for line in extract_notes([c.text for c in kept], checked):
                info(line)

    if not (add_ or pick):
        return
    assert source_url is not None
    chosen = [c for c in kept if c.text not in exact]
    confirmed: list[bool] = []
    statements: list[str | None] = []
    if pick:
        from claimcheck.services.claims import find_claimant

        def claimant_of(name: str) -> str | None:
            with app.session(write=False) as session:
                found = find_claimant(session, name)
                return found.name if found is not None else None

        chosen, confirmed, statements = _pick(
            chosen, said_on=doc.published, claimant_of=claimant_of
        )
    elif not yes:
        if not sys.stdin.isatty():
            raise UsageError("--add asks for confirmation on a terminal; pass --yes in scripts")
        click.confirm(f"Add {len(chosen)} claims to {source_url}?", abort=True, err=True)
    if not chosen:
        info("Nothing to add.")
        return
    from claimcheck.services.extraction import add_candidates

    capture_id = None
    with app.session() as session:
        if fetched is not None:
            from claimcheck.services.captures import store

            stored = store(session, *fetched, app.actor(session))
            capture_id = stored.capture.id
            source_url = stored.source.url
        result = add_candidates(
            session,
            chosen,
            source_url=source_url,
            text=doc.text,
            title=doc.title,
            published=doc.published,
            actor=app.actor(session),
            tags=list(tags),
            confirmed=confirmed,
            statements=statements,
        )
        added, skipped, changed = result.added, result.skipped, result.archive_changed
    if changed:
        warn(
            "the source already archives a different text; offsets were looked up in the stored archive"
        )
    if add_ and not pick:
        from claimcheck.extract.speakers import storable_speaker

        verdicts = [
            storable_speaker(c.speaker, c.speaker_basis, c.speaker_confidence)[0] is not None
            for c in chosen
            if c.speaker
        ]
        held = verdicts.count(False)
        if verdicts.count(True):
            info(
                f"{plural(verdicts.count(True), 'speaker')} stored as claimant "
                "(named in the sentence, at a confidence measured 0.98 precise)."
            )
        if held:
            info(
                f"{held} suggested speakers were not stored (not precise enough unconfirmed; "
                "each claim has a note). Use --pick to confirm speakers."
            )
    success(
        f"Added {plural(len(added), 'claim')}"
        + (f" ({id_range(added[0], added[-1])})" if added else "")
        + (f"; {len(skipped)} already stored" if skipped else "")
        + (f"; the page is kept as capture #{capture_id}" if capture_id else "")
        + "."
    )
    if capture_id is not None and wayback:
        from claimcheck.cli.fetching import ask_wayback

        ask_wayback(app, capture_id, source_url)


def _is_url(path: str) -> bool:
    """An argument naming a URL (http, https, or a scheme that will be refused), not a file."""
    import re

    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]+):", path)
    return bool(m) and not Path(path).exists()
