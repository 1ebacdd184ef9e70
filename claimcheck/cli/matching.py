"""Claim matching commands: similar, link, unlink, dupes, repeats. Thin over services.matching."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import emit_rows, format_option, info, success

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimcheck.models import Claim


def match_hint(session: Session, claim: Claim) -> str | None:
    """For `add`: "already checked: #12 (false)" or "similar: #12 (0.78)", and "checked before:
    AFP, 'False', ..." for a matching external fact-check; else None."""
    from claimcheck.cli.factchecks import hints
    from claimcheck.services.matching.similar import add_hint, find_similar

    hint = add_hint(find_similar(session, claim, limit=5, min_score=0.0))
    return "\n".join(([hint] if hint else []) + hints(session, claim)) or None


def _reasons(row: dict[str, Any]) -> str:
    parts = list(row["reasons"])
    if row.get("linked"):
        parts.insert(0, "linked")
    if row.get("group_verdict") and row["group_verdict"] != row.get("verdict"):
        parts.append(f"original #{row['original_id']}: {row['group_verdict']}")
    return "; ".join(parts)


@click.command()
@click.argument("query", metavar='ID|"TEXT"')
@click.option(
    "--limit", type=click.IntRange(1, 200), default=10, show_default=True, help="At most N matches."
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.3,
    show_default=True,
    help="Leave out matches scoring below this (0-1).",
)
@format_option()
def similar(query: str, limit: int, min_score: float, fmt: str) -> None:
    """Stored claims similar to claim ID or to a TEXT, best first, with scores.

    The label says what the score means: "same" (at or above the high threshold, nothing
    contradicting), "suggestion" (between the two thresholds) or "none"; the reasons say why a
    close text is not the same claim (different numbers, names, negation). Imported fact-checks
    of other organisations that match follow, under "Checked elsewhere" (in JSON, rows with
    "kind": "factcheck" after the claims' "kind": "claim" rows).

    \b
    Examples:
      claimcheck similar 12
      claimcheck similar "Russia occupies a fifth of Ukraine" --limit 5 -f json
    """
    from claimcheck.services.claims import get_claim
    from claimcheck.services.matching.similar import find_similar

    app = get_app()
    with app.session(write=False) as session:
        target: Any
        if query.strip().isdigit():
            target = get_claim(session, int(query))
        else:
            target = _validate_text(query)
        matches = find_similar(session, target, limit=limit, min_score=min_score)
        from claimcheck.cli.verdicts import verdict_rows

        rows = verdict_rows(
            session, [{"kind": "claim", **m.model_dump(mode="json")} for m in matches], fmt
        )
        from claimcheck.cli.factchecks import print_similar, similar_rows

        external = similar_rows(session, target, limit=limit, min_score=min_score)
    for row in rows:
        row["why"] = _reasons(row)
    if fmt in ("json", "jsonl"):
        emit_rows(rows + external, fmt, [])
        return
    emit_rows(
        rows,
        fmt,
        ["id", "score", "label", "verdict", "status", "claimant", "text", "why"],
        empty="no similar claims",
    )
    print_similar(external, fmt)


def _validate_text(value: str) -> str:
    from pydantic import TypeAdapter, ValidationError

    from claimcheck.errors import InputError, plain_message
    from claimcheck.schemas import ClaimText

    try:
        return str(TypeAdapter(ClaimText).validate_python(value))
    except ValidationError as exc:
        raise InputError(f"TEXT: {plain_message(dict(exc.errors()[0]))}") from None


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option(
    "--same-as",
    "other_id",
    type=int,
    required=True,
    metavar="OTHER",
    help="The claim ID repeats (its original check).",
)
@retry_conflicts
def link(claim_id: int, other_id: int) -> None:
    """Record that claim ID is another appearance of claim OTHER (the same claim).

    Appearances keep their own source, speaker and date; the group's original is OTHER's
    original, and claims already linked to ID move with it.

    \b
    Example:
      claimcheck link 15 --same-as 12
    """
    from claimcheck.services.matching import links

    app = get_app()
    with app.session() as session:
        original = links.link(session, claim_id, other_id, app.actor(session))
        original_id, verdict = original.id, original.verdict
    success(
        f"Claim #{claim_id} is now an appearance of #{original_id}"
        + (f" ({verdict})." if verdict else ".")
    )


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@retry_conflicts
def unlink(claim_id: int) -> None:
    """Take claim ID out of its group of appearances.

    Unlinking an original hands the group on to its oldest appearance.

    \b
    Example:
      claimcheck unlink 15
    """
    from claimcheck.services.matching import links

    app = get_app()
    with app.session() as session:
        changed = links.unlink(session, claim_id, app.actor(session))
    success(f"Unlinked: {', '.join(f'#{i}' for i in changed)}.")


@click.command()
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=None,
    help="Pair score to join a cluster (default: the 'same claim' threshold).",
)
@click.option("--include-linked", is_flag=True, help="Also report pairs that are already linked.")
@click.option("--limit", type=click.IntRange(0), default=0, help="At most N clusters (0: all).")
@format_option()
def dupes(min_score: float | None, include_linked: bool, limit: int, fmt: str) -> None:
    """Clusters of likely duplicate claims across the whole database.

    Candidates come from shared rare words (never every pair), and each candidate pair is scored
    like `claimcheck similar`. Link what you confirm with `claimcheck link`.

    \b
    Examples:
      claimcheck dupes
      claimcheck dupes --min-score 0.7 -f json
    """
    from claimcheck.core.matching import HIGH
    from claimcheck.services.matching.similar import dupes as find_dupes

    app = get_app()
    with app.session(write=False) as session:
        clusters = find_dupes(
            session,
            min_score=HIGH if min_score is None else min_score,
            include_linked=include_linked,
            limit=limit or None,
        )
        data = [c.model_dump(mode="json") for c in clusters]
    if fmt in ("json", "jsonl"):
        emit_rows(data, fmt, [])
        return
    rows = [
        {
            "cluster": c["cluster"],
            "size": c["size"],
            "score": f"{c['min_score']:.2f}-{c['max_score']:.2f}",
            "id": m["id"],
            "verdict": m["verdict"],
            "claimant": m["claimant"],
            "text": m["text"],
        }
        for c in data
        for m in c["claims"]
    ]
    emit_rows(
        rows,
        fmt,
        ["cluster", "size", "score", "id", "verdict", "claimant", "text"],
        empty="no likely duplicates",
    )
    if data and fmt == "table":
        info(
            f"{len(data)} cluster(s); link confirmed ones with `claimcheck link ID --same-as OTHER`"
        )


@click.command()
@click.option(
    "--by",
    type=click.Choice(["claim", "claimant"], case_sensitive=False),
    default="claim",
    show_default=True,
    help="Count per claim (its appearances) or per claimant.",
)
@click.option(
    "--min",
    "minimum",
    type=click.IntRange(2),
    default=2,
    show_default=True,
    help="Only claims with at least N appearances.",
)
@format_option()
def repeats(by: str, minimum: int, fmt: str) -> None:
    """Repeated claims: appearances per claim, or per claimant, from confirmed links.

    \b
    Examples:
      claimcheck repeats
      claimcheck repeats --by claimant -f json
    """
    from claimcheck.services.matching.links import repeat_counts

    app = get_app()
    with app.session(write=False) as session:
        counts = repeat_counts(session, min_appearances=minimum)
    if by == "claim":
        rows = [r.model_dump(mode="json") for r in counts.claims]
        columns = ["id", "appearances", "claimants", "verdict", "first_said", "last_said", "text"]
    else:
        rows = [r.model_dump(mode="json") for r in counts.claimants]
        columns = ["claimant", "appearances", "claims", "by_verdict"]
    emit_rows(rows, fmt, columns, empty="no repeated claims linked yet")
