"""The demo: the sample articles in ``fixtures/`` taken through claimcheck, step by step.

The installed package carries them as ``claimcheck/demo_fixtures`` (:func:`demo_fixtures`).

``fixtures/demo.json`` lists the sources (with the article files to archive) and their claims,
then the desk's work: ``evidence`` records for some claims (by claim index) and ``reviews`` — the
verdict and rationale the reviewer proposes, and for one claim the reason the editor sends it back.
Each step is one unit of work, run through the same service functions as the CLI commands; the
review steps go through the interactive desk itself, with scripted decisions
(:mod:`claimcheck.cli.demo`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from claimcheck.errors import InputError
from claimcheck.schemas import ClaimIn, EvidenceIn, SourceIn, error_line
from claimcheck.services import claims, sources

EDITOR = "maria"
REVIEWER = "tomas"

# The demo's output folder: what it writes there, and the marker that says it made the folder.
DEMO_MARKER = ".claimcheck-demo"
DEMO_DATABASE = "claimcheck.db"
DEMO_REPORTS = ("report.html", "report.md", "report.json", "report.csv", "claimreview.json")
DEMO_FILES = frozenset(
    (
        DEMO_MARKER,
        *DEMO_REPORTS,
        *(DEMO_DATABASE + suffix for suffix in ("", "-wal", "-shm", "-journal")),
    )
)
_MARKER_TEXT = (
    "This folder was made by `claimcheck demo`. The next `claimcheck demo --out` here replaces\n"
    "the files the demo writes (the database and the reports) and refuses to run if the folder\n"
    "holds anything else.\n"
)


def prepare_output_folder(out: Path, *, with_database: bool) -> None:
    """Make ``out`` ready for the demo, deleting nothing but the demo's own files.

    A missing or empty folder is created and marked. In a folder holding the marker and nothing
    but files the demo writes, the old database is removed ``with_database`` (with ``--db`` the
    demo writes only its reports) and the reports are replaced atomically as they are written
    (keeping their mode). Anything else is refused with one line and
    nothing is touched: a folder the demo did not make, a file or folder in it the demo did not
    write, a folder or a symbolic link (which could lead outside) where a demo file should be.
    """
    from claimcheck.files import remove_stale_temps, write_atomic

    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} is not a folder")
    if out.is_dir():
        remove_stale_temps(out, recursive=False)
        entries = sorted(out.iterdir(), key=lambda p: p.name)
        if entries:
            names = {p.name for p in entries}
            marker = out / DEMO_MARKER
            if DEMO_MARKER not in names or marker.is_symlink() or not marker.is_file():
                raise InputError(
                    f"--out: {out} is not empty and was not made by claimcheck demo; "
                    "give a new or empty folder (nothing was changed)"
                )
            foreign = [
                p.name
                for p in entries
                if p.name not in DEMO_FILES or p.is_symlink() or not p.is_file()
            ]
            if foreign:
                listed = ", ".join(foreign[:3]) + (" ..." if len(foreign) > 3 else "")
                raise InputError(
                    f"--out: {out} holds files the demo did not write ({listed}); move them or "
                    "give another folder (nothing was changed)"
                )
            if with_database:  # a fresh desk; the reports are replaced as they are written
                database = {DEMO_DATABASE + s for s in ("", "-wal", "-shm", "-journal")}
                for entry in entries:
                    if entry.name in database:
                        entry.unlink()
    else:
        try:
            out.mkdir(parents=True)
        except OSError as exc:
            raise InputError(f"--out: cannot create {out}: {exc.strerror}") from None
    write_atomic(out / DEMO_MARKER, _MARKER_TEXT.encode("utf-8"))


@dataclass
class DemoData:
    root: Path
    sources: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewPlan:
    """What the demo desk does with one claim: evidence to add, the verdict to propose, and
    (when set) the reason the editor sends the proposal back instead of approving it."""

    claim_index: int
    evidence: list[EvidenceIn]
    verdict: str
    rationale: str
    send_back: str | None


def demo_fixtures() -> Path:
    """The demo's data: ``claimcheck/demo_fixtures`` in an installed wheel (``fixtures/`` of the
    repository ships there, see ``pyproject.toml``), else ``fixtures/`` of the checkout — so
    ``claimcheck demo`` runs from any folder."""
    import claimcheck

    package_dir = Path(claimcheck.__file__).resolve().parent
    for candidate in (package_dir / "demo_fixtures", package_dir.parent / "fixtures"):
        if (candidate / "demo.json").is_file():
            return candidate
    raise InputError(f"the demo's data is missing from this installation (looked in {package_dir})")


def load_demo_file(fixtures: Path | None = None) -> DemoData:
    fixtures = fixtures or demo_fixtures()
    path = fixtures / "demo.json"
    from claimcheck.core.limits import TooDeep, loads

    try:
        data = loads(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"--fixtures: {path} not found") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except TooDeep as exc:
        raise InputError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a demo file (a JSON object with sources and claims)")
    return DemoData(
        fixtures,
        list(data.get("sources", [])),
        list(data.get("claims", [])),
        list(data.get("evidence", [])),
        list(data.get("reviews", [])),
    )


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


@dataclass
class Extraction:
    """What claim extraction found in the sample articles, keyed by sentence text."""

    sentences: int
    check_worthy: int
    candidates: dict[str, Any]


def extract_articles(demo: DemoData) -> Extraction:
    """Run claim extraction over each sample article's archived text."""
    import datetime as dt

    from claimcheck.extract import DEFAULT_THRESHOLD, extract_claims

    sentences = 0
    found: dict[str, Any] = {}
    for raw in demo.sources:
        if not raw.get("file"):
            continue
        text = (demo.root / raw["file"]).read_text(encoding="utf-8")
        published = dt.date.fromisoformat(raw["published"]) if raw.get("published") else None
        cands = extract_claims(text, published=published)
        sentences += len(cands)
        found.update({c.text: c for c in cands if c.score >= DEFAULT_THRESHOLD})
    return Extraction(sentences, len(found), found)


def add_claims(
    session: Session,
    demo: DemoData,
    urls: list[str],
    actor: str,
    extraction: Extraction | None = None,
) -> list[int]:
    """Store the curated claims of demo.json; where extraction found the sentence, its
    check-worthiness score (and speaker, when demo.json names none) come along."""
    from pydantic import ValidationError

    ids = []
    for number, raw in enumerate(demo.claims, start=1):
        fields = dict(raw)
        fields["source"] = urls[int(raw["source"])]
        cand = extraction.candidates.get(raw["text"]) if extraction else None
        if cand is not None:
            fields["checkworthiness"] = round(float(cand.score), 4)
            if not fields.get("speaker") and cand.speaker:
                fields["speaker"] = cand.speaker
        try:
            payload = ClaimIn.model_validate(fields)
        except ValidationError as exc:
            raise InputError(f"demo.json claims[{number}]: {error_line(exc)}") from None
        claim, _ = claims.add_claim(session, payload, actor)
        ids.append(claim.id)
    return ids


def review_plans(demo: DemoData) -> list[ReviewPlan]:
    """The reviews of demo.json with their evidence, validated, in file order."""
    from pydantic import ValidationError

    by_claim: dict[int, list[EvidenceIn]] = {}
    for number, raw in enumerate(demo.evidence, start=1):
        fields = {k: v for k, v in raw.items() if k != "claim"}
        try:
            by_claim.setdefault(int(raw["claim"]), []).append(EvidenceIn.model_validate(fields))
        except (KeyError, ValueError, TypeError) as exc:
            detail = error_line(exc) if isinstance(exc, ValidationError) else f"claim: {exc}"
            raise InputError(f"demo.json evidence[{number}]: {detail}") from None
    plans = []
    for number, raw in enumerate(demo.reviews, start=1):
        try:
            index = int(raw["claim"])
            plans.append(
                ReviewPlan(
                    index,
                    by_claim.get(index, []),
                    str(raw["verdict"]),
                    str(raw["rationale"]),
                    raw.get("send_back"),
                )
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(f"demo.json reviews[{number}]: missing or bad {exc}") from None
    return plans
