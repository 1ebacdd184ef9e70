"""``claimcheck extract``: the check-worthy claims of an article, ranked, optionally stored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, emit_rows, id_range, info, plural, success, warn


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


def _pick(candidates: list[Any]) -> tuple[list[Any], list[bool]]:
    """Ask about each candidate, showing what will be stored, and let the user correct the
    speaker and the quantities first. Returns the chosen candidates (corrected in place) and,
    for each, that a person confirmed its speaker."""
    from claimcheck.core.quantities.spec import QuantitySyntaxError, parse_quantity_spec
    from claimcheck.extract.speakers import BASIS_LABELS

    chosen: list[Any] = []
    for c in candidates:
        while True:
            how = f" ({BASIS_LABELS[c.speaker_basis]})" if c.speaker and c.speaker_basis else ""
            quantities = "; ".join(_quantity_text(q) for q in c.quantities) or "none"
            answer = click.prompt(
                f"[{c.score:.2f}] {c.text}\n"
                f"  speaker:    {c.speaker or 'none'}{how}\n"
                f"  quantities: {quantities}\n"
                "  add this claim? (y)es/(n)o/(e)dit speaker and quantities/(q)uit",
                type=click.Choice(["y", "n", "e", "q"], case_sensitive=False),
                default="n",
                show_choices=False,
                err=True,
            )
            if answer != "e":
                break
            speaker = click.prompt(
                "  speaker ('-' for none)", default=c.speaker or "-", err=True
            ).strip()
            c.speaker = None if speaker in ("", "-") else speaker
            c.speaker_basis, c.speaker_confidence = (None, None)
            while True:
                typed = click.prompt(
                    "  quantities, ';' between them, e.g. '~20 percent; <2 hour' ('-' for none)",
                    default=quantities if c.quantities else "-",
                    err=True,
                ).strip()
                if c.quantities and typed == quantities:
                    break  # kept as shown: the parsed quantities stay as they were
                try:
                    parsed = [
                        parse_quantity_spec(part.strip())
                        for part in typed.split(";")
                        if part.strip() and typed != "-"
                    ]
                except QuantitySyntaxError as exc:
                    click.echo(f"  {exc}", err=True)
                    continue
                c.quantities = parsed
                break
        if answer == "q":
            break
        if answer == "y":
            chosen.append(c)
    return chosen, [True] * len(chosen)


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
@click.argument("path", metavar="PATH|-")
@click.option(
    "--source",
    "source_url",
    metavar="URL",
    help="The article's URL: marks already-stored claims; needed by --add/--pick.",
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
    fmt: str,
) -> None:
    """Find the check-worthy claims in an article (text, Markdown or a saved web page).

    Every sentence is scored for check-worthiness (0–1) by a model trained on labelled debate
    sentences plus features such as quantities and attribution; quantities (value, unit,
    comparator) and speakers are parsed. Offsets point into the extracted text:
    text == extracted_text[start:end].

    \b
    Examples:
      claimcheck extract fixtures/articles/istanbul-talks.txt --top 5
      claimcheck extract page.html --source https://example.org/a -f json
      claimcheck extract article.txt --source https://example.org/a --add --yes
      cat sentences.txt | claimcheck extract - --one-per-line --min-score 0
    """
    from claimcheck.errors import InputError, UsageError
    from claimcheck.extract import DEFAULT_THRESHOLD, extract_claims, read_input, select
    from claimcheck.schemas import MAX_CLAIM_CHARS
    from claimcheck.urls import normalize_url

    if add_ and pick:
        raise UsageError("--add and --pick exclude each other")
    if (add_ or pick) and not source_url:
        raise UsageError(
            "--add/--pick need --source URL (the claims are stored as claims of that source)"
        )
    if source_url:
        try:
            source_url = normalize_url(source_url)
        except ValueError as exc:
            raise InputError(f"--source: {exc}") from None
    if path == "-":
        doc = read_input(sys.stdin.read(), kind, is_text=True)  # type: ignore[arg-type]
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
    if kept:
        from claimcheck.errors import DatabaseError
        from claimcheck.services.extraction import match_existing

        try:
            with app.session(write=False) as session:
                found = match_existing(session, [c.text for c in kept], source_url)
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
        click.echo(dumps([c.model_dump(mode="json") for c in kept]))
    elif fmt == "jsonl":
        for c in kept:
            click.echo(dumps(c.model_dump(mode="json"), indent=None))
    else:
        rows = []
        for rank, c in enumerate(kept, start=1):
            row: dict[str, Any] = {
                "n": rank,
                "score": f"{c.score:.2f}",
                "kind": c.kind,
                "speaker": c.speaker,
                "quantities": ", ".join(_quantity_text(q) for q in c.quantities),
                "stored": f"#{c.existing_claim_id}" if c.existing_claim_id else "",
                "text": c.text,
            }
            if explain:
                row["why"] = "; ".join(c.explain)
            rows.append(row)
        columns = ["n", "score", "kind", "speaker", "quantities", "stored", "text"] + (
            ["why"] if explain else []
        )
        emit_rows(
            rows, "table", columns, empty="no sentence reaches the threshold (try --min-score 0)"
        )
        info(f"{len(kept)} of {len(candidates)} sentences at score ≥ {threshold:g}")

    if not (add_ or pick):
        return
    assert source_url is not None
    chosen = [c for c in kept if c.text not in exact]
    confirmed: list[bool] = []
    if pick:
        chosen, confirmed = _pick(chosen)
    elif not yes:
        if not sys.stdin.isatty():
            raise UsageError("--add asks for confirmation on a terminal; pass --yes in scripts")
        click.confirm(f"Add {len(chosen)} claims to {source_url}?", abort=True, err=True)
    if not chosen:
        info("Nothing to add.")
        return
    from claimcheck.services.extraction import add_candidates

    with app.session() as session:
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
        )
        added, skipped, changed = result.added, result.skipped, result.archive_changed
    if changed:
        warn(
            "the source already archives a different text; offsets were looked up in the stored archive"
        )
    if add_ and not pick:
        from claimcheck.extract.speakers import storable_speaker

        held = sum(
            1
            for c in chosen
            if c.speaker
            and storable_speaker(c.speaker, c.speaker_basis, c.speaker_confidence)[0] is None
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
        + "."
    )
