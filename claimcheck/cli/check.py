"""``claimcheck check ID``, and the numeric-check and appearances panels of the desk and ``show``.

Thin: the service (:mod:`claimcheck.services.checks`) builds the DTO; this module only renders it.
The two panels are in the list of :mod:`claimcheck.cli.panels`. Every card (the desk's and
``show``'s) carries the check under ``numeric_check``: the desk's built by
:func:`claimcheck.cli.panels.build_card` through the same service as ``claimcheck check``,
``show``'s read on a Core connection by :func:`claimcheck.cli.panels.show_card` (the same core
check, and ``appearances`` too), so the three show one result with one source label.
"""

from __future__ import annotations

from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.card import Card, Panel
from claimcheck.cli.output import dumps, format_option, style

_MARKS = {"consistent": "✓", "inconsistent": "✗", "not comparable": "?"}
_COLOURS = {"consistent": "green", "inconsistent": "red", "not comparable": "yellow"}


def quantity_options(specs: tuple[str, ...], clear: bool) -> list[dict[str, Any]]:
    """``--quantity`` specs (or ``--clear-quantities``) → the quantities list of a ClaimEdit."""
    from claimcheck.core.quantities.spec import QuantitySyntaxError, parse_quantity_spec
    from claimcheck.errors import InputError, UsageError

    if clear and specs:
        raise UsageError("--clear-quantities and --quantity exclude each other")
    out: list[dict[str, Any]] = []
    for spec in specs:
        try:
            q = parse_quantity_spec(spec)
        except (QuantitySyntaxError, ValueError) as exc:
            raise InputError(f"--quantity: {exc}") from None
        out.append(q.model_dump(mode="json", exclude_none=True))
    return out


def numeric_lines(check: dict[str, Any], *, indent: str = "") -> list[str]:
    """The numeric check (its JSON form) as text lines for a terminal."""
    lines: list[str] = []
    for row in check["checks"]:
        result = row["result"]
        mark = style(f"{_MARKS[result]} {result:<14}", None, fg=_COLOURS[result])
        ref = f"#{row['evidence_id']}" if row["evidence_id"] is not None else "-"
        lines.append(f"{indent}{mark} {ref:<5} {row['explanation']}")
        for flag in row["flags"]:
            lines.append(f"{indent}{'':<22}! {flag['message']}")
    suggestion = check["suggestion"]
    lines.append(f"{indent}suggested direction: {suggestion['message']}")
    for note in check["notes"]:
        lines.append(f"{indent}note: {note}")
    return lines


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@format_option(("table", "json"))
def check(claim_id: int, fmt: str) -> None:
    """Compare a claim's quantities with the figures on its evidence.

    Units are converted where they are commensurable (minutes/hours, km/miles, thousand/million);
    each comparator has its rule: = within the claim's stated precision, ~ within the tolerance
    (the claim's, else the organisation's `tolerance` setting), < <= > >= bounds, ranges
    inclusive. The suggested direction weighs each figure by its evidence's stance; it never sets
    a verdict. Figures dated before the claim, or far from its date, are flagged.

    \b
    Examples:
      claimcheck check 3
      claimcheck check 3 -f json | jq .suggestion.direction
    """
    from claimcheck.services.checks import numeric_check
    from claimcheck.services.claims import get_claim

    app = get_app()
    tolerance = app.settings.tolerance
    with app.session(write=False) as session:
        claim = get_claim(session, claim_id)
        text = claim.text
        result = numeric_check(session, claim_id, default_tolerance=tolerance).model_dump(
            mode="json"
        )
    if fmt == "json":
        click.echo(dumps(result))
        return
    from claimcheck.core.quantities.format import describe_quantity
    from claimcheck.core.quantities.model import Quantity

    click.echo(f"claim #{claim_id}: {text}")
    quantities = [describe_quantity(Quantity.model_validate(q)) for q in result["quantities"]]
    click.echo(f"quantities: {', '.join(quantities) or '(none)'}")
    for line in numeric_lines(result):
        click.echo(line)


def numeric_panel(card: Card) -> Panel | None:
    """Whether the evidence figures agree with the claim's quantities (desk and show)."""
    check = card.detail.get("numeric_check")
    if not check or not check["quantities"] or not check["checks"]:
        return None
    return Panel("Numeric check", numeric_lines(check))


def appearances_panel(card: Card) -> Panel | None:
    """The claim's linked appearances (show; the card must carry them)."""
    group = card.detail.get("appearances") or []
    if len(group) < 2:
        return None
    lines = []
    for a in group:
        marker = "*" if a["id"] == card.claim_id else " "
        role = "original" if a["original"] else "repeat"
        who = a["claimant"] or "unknown speaker"
        when = a["said_on"] or "undated"
        lines.append(
            f"{marker}#{a['id']:<5} {role:<8} {when}  {who}  <{a['source'] or 'no source'}>"
        )
    return Panel(f"Appearances ({len(group)})", lines)
