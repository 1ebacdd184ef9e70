"""A small, fixed dataset for the export and restore tests, written straight through the ORM.

Every time is fixed and every id is known, so golden files are exact on SQLite and PostgreSQL.
The data covers what a report shows: verified claims with each kind of verdict (numeric and not),
evidence with figures, citations, an internal note, a completed and a pending correction, a claim
linked to another as the same claim said elsewhere, claims in every other status, and an audit
trail. With ``hostile=True`` it adds untrusted input a report must keep inert: script tags and
attribute breakouts in claims, a ``javascript:`` source URL (stored via the ORM because the CLI
refuses it), ``</script>`` in a rationale, Markdown table/emphasis/link syntax and spreadsheet
formulas in claim text, and non-Latin text.

The workflow fields (status, verdict, proposer, approver, corrections) are set directly: these
tests are about export, and must not depend on how the review workflow writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from claimcheck.core.text import alias_key, dedupe_key, normalize_text
from claimcheck.models import (
    Citation,
    Claim,
    Claimant,
    ClaimantAlias,
    Correction,
    Evidence,
    Note,
    Source,
    Tag,
)
from claimcheck.services import audit

GENERATED_AT = dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC)
GENERATED_AT_ISO = "2025-06-01T08:30:00Z"

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_END_SCRIPT = "</script><script>alert('rationale')</script>"
HOSTILE_URL = "javascript:alert(1)"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour, minute, tzinfo=dt.UTC)


ARTICLE = (
    "ISTANBUL (Claimcheck Wire) — Russian and Ukrainian officials met face to face in Istanbul on "
    "Friday. The two delegations agreed to exchange 1,000 prisoners of war each, Ukraine’s Defence "
    "Minister Rustem Umerov told reporters after the meeting.\n"
)


@dataclass
class Dataset:
    sources: dict[str, int] = field(default_factory=dict)
    claimants: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    verified: list[int] = field(default_factory=list)


class _Writer:
    def __init__(self, session: Session, data: Dataset) -> None:
        self.s = session
        self.data = data
        self.tags: dict[str, Tag] = {}

    def source(self, key: str, url: str, day: int, **fields: Any) -> Source:
        text = fields.pop("archived_text", None)
        src = Source(
            url=url,
            created_at=at(day, 8),
            created_by="ed",
            archived_text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest() if text else None,
            retrieved_at=at(day, 8) if text else None,
            **fields,
        )
        self.s.add(src)
        self.s.flush()
        self.data.sources[key] = src.id
        audit.record(
            self.s,
            actor="ed",
            action="source.add",
            entity="source",
            entity_id=src.id,
            after={
                "url": url,
                "title": src.title,
                "publisher": src.publisher,
                "author": src.author,
                "published_on": src.published_on,
                "kind": src.kind or "article",
                "language": src.language,
                "text_sha256": src.text_sha256,
            },
            at=at(day, 8),
        )
        return src

    def claimant(self, key: str, name: str, kind: str = "person", **fields: Any) -> Claimant:
        aliases = [name, *fields.pop("aliases", [])]
        person = Claimant(name=name, kind=kind, created_at=at(10, 7), **fields)
        person.aliases = [ClaimantAlias(alias=a, alias_key=alias_key(a)) for a in aliases]
        self.s.add(person)
        self.s.flush()
        self.data.claimants[key] = person.id
        if person.same_as:
            audit.record(
                self.s,
                actor="alice",
                action="claimant.edit",
                entity="claimant",
                entity_id=person.id,
                before={"same_as": None},
                after={"same_as": person.same_as, "kind": kind},
                at=at(10, 7, 30),
            )
        return person

    def tag(self, name: str) -> Tag:
        if name not in self.tags:
            tag = Tag(name=name)
            self.s.add(tag)
            self.tags[name] = tag
        return self.tags[name]

    def claim(
        self,
        key: str,
        text: str,
        *,
        source: str | None,
        claimant: str | None,
        day: int,
        tags: tuple[str, ...] = (),
        **fields: Any,
    ) -> Claim:
        source_id = self.data.sources[source] if source else None
        norm = normalize_text(text)
        claim = Claim(
            text=text,
            text_norm=norm,
            dedupe_key=dedupe_key(norm, source_id),
            claimant_id=self.data.claimants[claimant] if claimant else None,
            source_id=source_id,
            said_on=fields.pop("said_on", dt.date(2025, 5, day)),
            status="new",
            created_at=at(day, 10),
            created_by="carol",
            updated_at=at(day, 10),
            updated_by="carol",
            statement=fields.pop("statement", None),
            context=fields.pop("context", None),
            quantities=fields.pop("quantities", None),
            checkworthiness=fields.pop("checkworthiness", None),
            start=fields.pop("start", None),
            end=fields.pop("end", None),
        )
        claim.tags = sorted((self.tag(t) for t in tags), key=lambda t: t.name)
        self.s.add(claim)
        self.s.flush()
        self.data.claims[key] = claim.id
        audit.record(
            self.s,
            actor="carol",
            action="create",
            claim_id=claim.id,
            after={"text": text, "tags": sorted(tags), "status": "new"},
            at=at(day, 10),
        )
        return claim

    def evidence(
        self, claim: Claim, source: str, excerpt: str, stance: str, *, cite: bool = True, **kw: Any
    ) -> Evidence:
        ev = Evidence(
            claim_id=claim.id,
            source_id=self.data.sources[source],
            excerpt=excerpt,
            stance=stance,
            created_at=kw.pop("created_at", claim.created_at + dt.timedelta(hours=2)),
            created_by=kw.pop("created_by", "alice"),
            **kw,
        )
        self.s.add(ev)
        self.s.flush()
        if cite:
            self.s.add(Citation(claim_id=claim.id, evidence_id=ev.id))
        audit.record(
            self.s,
            actor=ev.created_by,
            action="evidence.add",
            claim_id=claim.id,
            entity="evidence",
            entity_id=ev.id,
            after={
                "source": self.s.get(Source, ev.source_id).url,  # type: ignore[union-attr]
                "excerpt": excerpt,
                "stance": stance,
                "figure": ev.figure,
                "unit": ev.unit,
                "as_of": ev.as_of,
                "note": ev.note,
            },
            at=ev.created_at,
        )
        return ev

    def decide(
        self,
        claim: Claim,
        verdict: str | None,
        status: str,
        *,
        rationale: str | None = None,
        proposed: tuple[str, dt.datetime] | None = None,
        approved: tuple[str, dt.datetime] | None = None,
    ) -> None:
        before = {"status": claim.status, "verdict": claim.verdict}
        claim.status = status
        claim.verdict = verdict
        claim.rationale = rationale
        if proposed:
            claim.proposed_by, claim.proposed_at = proposed
        if approved:
            claim.approved_by, claim.approved_at = approved
        last = approved or proposed or ("carol", claim.created_at + dt.timedelta(hours=1))
        claim.updated_by, claim.updated_at = last
        self.s.flush()  # bumps the claim's version
        audit.record(
            self.s,
            actor=last[0],
            action="transition",
            claim_id=claim.id,
            before=before,
            after={"status": status, "verdict": verdict},
            comment=rationale,
            at=last[1],
        )


def build_dataset(session: Session, *, hostile: bool = True) -> Dataset:
    """Insert the dataset (flushes; the caller commits)."""
    from sqlalchemy import update

    from claimcheck.models import User

    # The template's editor was registered when the test session began; a backup lists the
    # desk with its dates and every event, so fix them (and re-chain the trail from there).
    session.execute(update(User).values(created_at=at(1, 8)))
    _fix_times_of_the_template_events(session)
    data = Dataset()
    w = _Writer(session, data)
    w.source(
        "talks",
        "https://wire.claimcheck.example/2025/05/16/istanbul-talks",
        16,
        title="Russia and Ukraine hold first direct talks in three years",
        publisher="Claimcheck Wire",
        author="Elena Marsh",
        published_on=dt.date(2025, 5, 16),
        kind="article",
        language="en",
        archived_text=ARTICLE,
    )
    w.source(
        "inflation",
        "https://wire.claimcheck.example/2025/05/13/us-inflation-april",
        13,
        title="U.S. inflation slows to lowest rate in four years",
        publisher="Claimcheck Wire",
        published_on=dt.date(2025, 5, 13),
        kind="article",
    )
    w.source(
        "cpi",
        "https://stats.example.gov/cpi/2025-04",
        14,
        title="Consumer Price Index, April 2025",
        publisher="Bureau of Labor Statistics",
        published_on=dt.date(2025, 5, 13),
        kind="dataset",
    )
    w.source(
        "unhcr",
        "https://data.unhcr.example.org/ukraine-situation",
        14,
        title="Ukraine refugee situation",
        publisher="UNHCR",
        published_on=dt.date(2025, 4, 30),
        kind="dataset",
    )
    w.source(
        "interview",
        "https://radio.example.net/2025/05/20/umerov-interview",
        20,
        title="Umerov: swap will start within days",
        publisher="Example Radio",
        published_on=dt.date(2025, 5, 20),
        kind="transcript",
    )
    w.claimant(
        "umerov",
        "Rustem Umerov",
        same_as="https://www.wikidata.example.org/wiki/Q100001",
        aliases=["Ukraine’s Defence Minister Rustem Umerov"],
    )
    w.claimant("un", "United Nations", "organization")
    w.claimant("trump", "Donald Trump", aliases=["Trump", "U.S. President Donald Trump"])
    w.claimant("officials", "Western officials", "organization")
    w.claimant("kremlin", "Kremlin", "organization")

    swap = w.claim(
        "swap",
        "The two delegations agreed to exchange 1,000 prisoners of war each, Ukraine’s Defence "
        "Minister Rustem Umerov told reporters after the meeting.",
        source="talks",
        claimant="umerov",
        day=16,
        tags=("prisoners", "war"),
        statement="Russia and Ukraine agreed to swap 1,000 prisoners each",
        start=ARTICLE.index("The two"),
        end=ARTICLE.index("The two")
        + len(
            "The two delegations agreed to exchange 1,000 prisoners of war each, Ukraine’s "
            "Defence Minister Rustem Umerov told reporters after the meeting."
        ),
        quantities=[{"value": 1000.0, "unit": "people", "comparator": "="}],
        checkworthiness=0.92,
    )
    w.evidence(
        swap,
        "talks",
        "Both sides confirmed the exchange of 1,000 prisoners each in statements after the talks.",
        "supports",
    )
    w.evidence(
        swap,
        "interview",
        "Umerov said the swap would start within days.",
        "context",
        cite=False,
        created_by="bob",
    )
    session.add(
        Note(
            claim_id=swap.id,
            body="Called the ministry press office to confirm the figure.",
            created_at=at(16, 13),
            created_by="alice",
        )
    )
    w.decide(
        swap,
        "true",
        "verified",
        rationale="Both delegations confirmed the figure of 1,000 prisoners each.",
        proposed=("alice", at(17, 11)),
        approved=("ed", at(18, 9, 15)),
    )

    refugees = w.claim(
        "refugees",
        "The fighting has also driven some 6.9 million Ukrainians to seek refuge abroad, United "
        "Nations figures show.",
        source="talks",
        claimant="un",
        day=16,
        tags=("refugees", "war"),
        statement="6.9 million Ukrainians have sought refuge abroad",
        quantities=[{"value": 6.9, "unit": "million people", "comparator": "~"}],
    )
    w.evidence(
        refugees,
        "unhcr",
        "Refugees from Ukraine recorded globally: 6,868,000.",
        "supports",
        figure=6.868,
        unit="million people",
        as_of=dt.date(2025, 4, 30),
    )
    w.decide(
        refugees,
        "mostly-true",
        "verified",
        rationale="UNHCR counted 6.87 million refugees at the end of April; the rounded figure "
        "holds, though it counts people recorded, not people who stayed abroad.",
        proposed=("bob", at(17, 15)),
        approved=("ed", at(18, 10)),
    )

    inflation = w.claim(
        "inflation",
        "Annual inflation fell to 1.9 percent in April, the lowest rate since 2021.",
        source="inflation",
        claimant="trump",
        day=13,
        tags=("economy",),
        statement="U.S. inflation fell to 1.9% in April 2025",
        quantities=[{"value": 1.9, "unit": "percent", "comparator": "="}],
    )
    w.evidence(
        inflation,
        "cpi",
        "The all items index rose 2.3 percent for the 12 months ending April.",
        "refutes",
        figure=2.3,
        unit="percent",
        as_of=dt.date(2025, 4, 30),
        created_by="bob",
    )
    w.decide(
        inflation,
        "mostly-false",
        "verified",
        rationale="Inflation did slow, but to 2.3 percent, not 1.9 percent.",
        proposed=("bob", at(14, 12)),
        approved=("ed", at(15, 9)),
    )
    session.add(
        Correction(
            claim_id=inflation.id,
            reopened_at=at(21, 16),
            reopened_by="ed",
            reason="A reader pointed out the rate was rounded wrongly in our rationale.",
            old_verdict="mostly-false",
            new_verdict="false",
            note="We first rated this claim Mostly false. The figure is off by 0.4 points and the "
            "claim’s point depends on it, so the rating is now False.",
            completed_at=at(22, 10),
        )
    )
    w.decide(
        inflation,
        "false",
        "verified",
        rationale="Annual inflation was 2.3 percent in April, not 1.9 percent; the claim’s "
        "point (the lowest since 2021) rests on the wrong figure.",
        proposed=("alice", at(22, 9)),
        approved=("ed", at(22, 10)),
    )

    casualties = w.claim(
        "casualties",
        "More than 1.5 million people have been killed or wounded on both sides since the "
        "invasion began, according to Western estimates.",
        source="talks",
        claimant="officials",
        day=16,
        tags=("casualties", "war"),
        statement="1.5 million killed or wounded in Ukraine war",
    )
    w.evidence(
        casualties,
        "talks",
        "Estimates of casualties vary widely and neither side publishes full figures.",
        "context",
    )
    w.decide(
        casualties,
        "unsupported",
        "verified",
        rationale="No independent count exists; published estimates range too widely to rate.",
        proposed=("alice", at(19, 10)),
        approved=("ed", at(19, 16)),
    )

    call = w.claim(
        "call",
        "Their first call, on Feb. 12, lasted about 90 minutes, according to the Kremlin.",
        source="talks",
        claimant="kremlin",
        day=19,
        tags=("diplomacy",),
    )
    call.assignee = "bob"
    session.flush()
    pending = w.claim(
        "pending",
        "Trade between the two countries fell by more than 90 percent after the invasion.",
        source="inflation",
        claimant="trump",
        day=19,
        tags=("economy", "trade"),
        statement="US-Russia trade fell by over 90% after the invasion",
    )
    w.evidence(
        pending,
        "cpi",
        "Imports from Russia fell from $29.7 billion to $3.0 billion.",
        "supports",
        figure=90.0,
        unit="percent",
    )
    w.decide(
        pending,
        "true",
        "awaiting_approval",
        rationale="Imports fell by about 90 percent between 2021 and 2024.",
        proposed=("bob", at(20, 11)),
    )
    dismissed = w.claim(
        "dismissed",
        "On Friday he joined more than 40 European leaders at a summit in Tirana.",
        source="talks",
        claimant=None,
        day=16,
        tags=("diplomacy",),
    )
    w.decide(dismissed, None, "dismissed", rationale="Not a checkable claim of public interest.")
    reopened = w.claim(
        "reopened",
        "Russia controls roughly 20 percent of Ukraine’s territory.",
        source="talks",
        claimant=None,
        day=16,
        tags=("war",),
        statement="Russia controls about 20% of Ukraine",
    )
    w.evidence(reopened, "talks", "Russia holds about a fifth of Ukraine.", "supports")
    w.decide(
        reopened,
        "true",
        "verified",
        rationale="Estimates put it at 19 percent.",
        proposed=("alice", at(17, 9)),
        approved=("ed", at(17, 12)),
    )
    session.add(
        Correction(
            claim_id=reopened.id,
            reopened_at=at(25, 9),
            reopened_by="ed",
            reason="New territorial estimates published.",
            old_verdict="true",
            new_verdict=None,
            note=None,
            completed_at=None,
        )
    )
    w.decide(
        reopened, "true", "reopened", proposed=("alice", at(17, 9)), approved=("ed", at(25, 9))
    )
    again = w.claim(
        "again",
        "Kyiv and Moscow will each release 1,000 prisoners, Umerov said.",
        source="interview",
        claimant="umerov",
        day=20,
        tags=("prisoners",),
    )
    again.same_as_id = swap.id
    w.decide(again, None, "dismissed", rationale=f"Same claim as #{swap.id}.")
    data.verified = [swap.id, refugees.id, inflation.id, casualties.id]

    if hostile:
        w.source(
            "evil",
            HOSTILE_URL,
            20,
            title=HOSTILE_IMG,
            publisher="Evil | Corp *bold* _it_ [x](javascript:alert(5))",
            kind="other",
        )
        w.claimant(
            "evil",
            '<b onmouseover="alert(2)">Mallory</b>',
            same_as="javascript:alert(2)",
        )
        script = w.claim(
            "script",
            f"{HOSTILE_SCRIPT} said the minister, {HOSTILE_IMG} and </script> too",
            source="evil",
            claimant="evil",
            day=21,
            tags=("hostile",),
            statement=HOSTILE_IMG,
        )
        w.evidence(
            script,
            "evil",
            '<iframe src="javascript:alert(3)"></iframe> | *bold* _under_ [link](javascript:alert(4))',
            "refutes",
        )
        w.decide(
            script,
            "false",
            "verified",
            rationale=HOSTILE_END_SCRIPT,
            proposed=("alice", at(21, 12)),
            approved=("ed", at(21, 13)),
        )
        formula = w.claim(
            "formula",
            f"{FORMULA} | *not bold* _not italic_ <b>not html</b> [not a link](http://evil.example) "
            "# not a heading & &amp; ~~not struck~~ `not code`",
            source="inflation",
            claimant="trump",
            day=21,
            tags=("hostile",),
            statement="@SUM(1+1) | tops the table",
        )
        w.evidence(formula, "cpi", "-2 percent +3 =4 @home", "context")
        w.decide(
            formula,
            "half-true",
            "verified",
            rationale="+1 for trying; -1 for the formula.",
            proposed=("bob", at(21, 14)),
            approved=("ed", at(21, 15)),
        )
        unicode_claim = w.claim(
            "unicode",
            "Росія контролює близько 20 відсотків території України 🇺🇦",
            source="talks",
            claimant="umerov",
            day=21,
            tags=("war",),
        )
        w.evidence(unicode_claim, "talks", "«Близько п’ятої частини» — مصدر", "supports")
        w.decide(
            unicode_claim,
            "mostly-true",
            "verified",
            rationale="Близько 19 відсотків.",
            proposed=("alice", at(21, 16)),
            approved=("ed", at(21, 17)),
        )
        data.verified += [script.id, formula.id, unicode_claim.id]
    session.flush()
    _account_for_everything(session)
    return data


def _fix_times_of_the_template_events(session: Session) -> None:
    """Date the template's own events (the editor's registration) like the dataset, re-chained."""
    from sqlalchemy import select

    from claimcheck.models import AuditHead, Event

    prev = audit.GENESIS
    events = session.execute(select(Event).order_by(Event.id)).scalars().all()
    for ev in events:
        ev.at = at(1, 8)
        ev.prev_hash = prev
        ev.hash = prev = audit.event_hash(
            prev_hash=prev,
            claim_id=ev.claim_id,
            entity=ev.entity,
            entity_id=ev.entity_id,
            actor=ev.actor,
            at=ev.at,
            action=ev.action,
            before=ev.before,
            after=ev.after,
            comment=ev.comment,
        )
    head = session.get(AuditHead, 1)
    if head is not None and events:
        head.last_hash = prev
    session.flush()


def _account_for_everything(session: Session) -> None:
    """Append the events that make the trail account for every stored value.

    The writer above sets workflow fields directly and records short events; a trail that does
    not replay to the rows is what ``audit verify`` (and restore) report as tampering. So each
    note gets its ``note`` event, each correction its ``reopen`` (and, when completed, its
    ``correction``) event, and each claim whose row says more than its events an ``edit`` event
    with the rest, by the claim's last editor at its last change.
    """
    from sqlalchemy import select

    from claimcheck.core.replay import EventView, replay
    from claimcheck.models import Event
    from claimcheck.services.integrity import stored_claims

    notes = session.execute(select(Note).order_by(Note.id)).scalars().all()
    for note in notes:
        audit.record(
            session,
            actor=note.created_by,
            action="note",
            claim_id=note.claim_id,
            entity="note",
            entity_id=note.id,
            after={"body": note.body},
            at=note.created_at,
        )
    for corr in session.execute(select(Correction).order_by(Correction.id)).scalars():
        audit.record(
            session,
            actor=corr.reopened_by,
            action="reopen",
            claim_id=corr.claim_id,
            comment=corr.reason,
            at=corr.reopened_at,
        )
        if corr.completed_at is not None:
            audit.record(
                session,
                actor=corr.reopened_by,
                action="correction",
                claim_id=corr.claim_id,
                entity="correction",
                entity_id=corr.id,
                before={"verdict": corr.old_verdict},
                after={"verdict": corr.new_verdict, "note": corr.note},
                at=corr.completed_at,
            )
    events = session.execute(select(Event).order_by(Event.id)).scalars().all()
    replayed = replay(
        EventView(e.id, e.claim_id, e.entity, e.entity_id, e.actor, e.action, e.after, e.before)
        for e in events
    )
    for cid, stored in stored_claims(session).items():
        state = replayed.states["claim"].get(cid, {})
        changed = {k: v for k, v in stored.items() if k != "created_by" and state.get(k) != v}
        if "citations" in changed and changed["citations"] == [] and "citations" not in state:
            del changed["citations"]
        if changed:
            claim = session.get(Claim, cid)
            assert claim is not None
            audit.record(
                session,
                actor=claim.updated_by,
                action="edit",
                claim_id=cid,
                before={k: state.get(k) for k in changed},
                after=changed,
                at=claim.updated_at,
            )


@contextmanager
def session_for(url: str) -> Iterator[Session]:
    """A unit of work on the test database (committed at the end)."""
    from claimcheck.db import Database, resolve_url

    database = Database(resolve_url(url))
    try:
        with database.session() as session:
            yield session
    finally:
        database.dispose()


def populate(url: str, *, hostile: bool = True) -> Dataset:
    """The dataset, written with its fixed actors and times: on PostgreSQL by the database's owner,
    the only one who may give them (a desk member's writes are stamped by the database)."""
    from claimcheck.db import resolve_url
    from tests.conftest import PG_ADMIN_URL

    parsed = resolve_url(url)
    if parsed.get_backend_name() == "postgresql":
        owner = resolve_url(PG_ADMIN_URL).username or "postgres"
        url = parsed.set(username=owner).render_as_string(hide_password=False)
    with session_for(url) as session:
        return build_dataset(session, hostile=hostile)


HEAD_MASK = b"HASH-OF-THE-LAST-AUDIT-EVENT"
EVENT_MASK = b"HASH-OF-AN-AUDIT-EVENT"


def mask_head(url: str, data: bytes, count: bool = False) -> bytes:
    """``data`` with this database's audit head hash replaced by a fixed mark.

    Every export carries the head of the audit trail it was made from. Its event count is fixed
    by the dataset, but its hash also covers the test template's first event (the editor ``ed``
    registered at the current time), so golden files hold the mark instead (and a complete
    backup, which lists every event's hash, a mark for each).
    """
    from sqlalchemy import create_engine, text

    from claimcheck.db import resolve_url

    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            digest = conn.execute(text("SELECT last_hash FROM audit_head")).scalar_one()
    finally:
        engine.dispose()
    masked = data.replace(str(digest).encode(), HEAD_MASK)
    # A complete backup lists every event with its hash: chained from the same first event.
    masked = re.sub(rb'"hash": "[0-9a-f]{64}"', b'"hash": "' + EVENT_MASK + b'"', masked)
    if count:  # comparing two databases: their trails differ in length too
        masked = re.sub(rb"[0-9]+:" + HEAD_MASK, b"N:" + HEAD_MASK, masked)
        masked = re.sub(
            rb'"events": [0-9]+,(\s+"hash": "' + HEAD_MASK + b'")', rb'"events": N,\1', masked
        )
    return masked


def export(cli: Any, *args: Any, code: int = 0) -> Any:
    """Run ``claimcheck export`` with the fixed generation time; assert the exit code."""
    result = cli.run("export", "--generated-at", GENERATED_AT_ISO, *args)
    assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output
    return result
