"""The demo: the sample articles in ``fixtures/`` taken through claimcheck, step by step.

``fixtures/demo.json`` lists the sources (with the article files to archive) and their claims.
Each step is one unit of work, run through the same service functions as the CLI commands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from claimcheck.errors import InputError
from claimcheck.schemas import ClaimIn, SourceIn, error_line
from claimcheck.services import claims, sources

EDITOR = "maria"
REVIEWER = "tomas"


@dataclass
class DemoData:
    root: Path
    sources: list[dict[str, Any]]
    claims: list[dict[str, Any]]


def load_demo_file(fixtures: Path) -> DemoData:
    path = fixtures / "demo.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"--fixtures: {path} not found (run the demo from the repository root)"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    return DemoData(fixtures, list(data.get("sources", [])), list(data.get("claims", [])))


def add_sources(session: Session, demo: DemoData, actor: str) -> list[str]:
    from pydantic import ValidationError

    urls = []
    for number, raw in enumerate(demo.sources, start=1):
        fields = {k: v for k, v in raw.items() if k not in ("file", "published")}
        fields["published_on"] = raw.get("published")
        if raw.get("file"):
            fields["archived_text"] = (demo.root / raw["file"]).read_text(encoding="utf-8")
        try:
            payload = SourceIn.model_validate(fields)
        except ValidationError as exc:
            raise InputError(f"demo.json sources[{number}]: {error_line(exc)}") from None
        urls.append(sources.add_source(session, payload, actor).url)
    return urls


def add_claims(session: Session, demo: DemoData, urls: list[str], actor: str) -> list[int]:
    from pydantic import ValidationError

    ids = []
    for number, raw in enumerate(demo.claims, start=1):
        fields = dict(raw)
        fields["source"] = urls[int(raw["source"])]
        try:
            payload = ClaimIn.model_validate(fields)
        except ValidationError as exc:
            raise InputError(f"demo.json claims[{number}]: {error_line(exc)}") from None
        claim, _ = claims.add_claim(session, payload, actor)
        ids.append(claim.id)
    return ids
