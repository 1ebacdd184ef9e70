"""From text to ranked candidate claims: the one function the CLI calls.

Design
------
:func:`extract_claims` runs the pure steps in order — segmentation (or one sentence per line),
speaker attribution over the whole document, then per sentence: quantities, dates, score and
kind — and returns one :class:`Candidate` per sentence, in document order, with its score. The
caller decides what to keep with :func:`select` (``--min-score``, ``--top``); nothing is
filtered inside, so ``--min-score 0`` can show every sentence.

:class:`Candidate` is the JSON contract of ``claimcheck extract -f json``: ``model_dump(mode=
"json")`` gives ``text, start, end, score, quantities, speaker, kind, existing_claim_id`` plus
``features`` (the named features that fired), ``explain`` (the strongest contributions to the
score), ``dates`` and ``resolved_date``. ``existing_claim_id`` is left ``None`` here; the CLI
fills it from the claim store. Invariant: ``text == source[start:end]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.core.quantities.model import Quantity
from claimcheck.core.quantities.scanner import QuantitySpan, find_quantities
from claimcheck.extract.dates import DateMention, find_dates
from claimcheck.extract.features import lede_index
from claimcheck.extract.scoring import DEFAULT_THRESHOLD, Model, load_model
from claimcheck.extract.segment import segment, segment_lines
from claimcheck.extract.speakers import BASIS_LABELS, attribute_details

__all__ = ["Candidate", "ClaimKind", "ProgressCallback", "extract_claims", "select"]

ClaimKind = Literal[
    "quantity",
    "comparison",
    "event",
    "attributed statement",
    "statement",
    "question",
    "opinion",
    "boilerplate",
]
ProgressCallback = Callable[[int, int], None]

_COMPARISON_RE = re.compile(
    r"\b(?:largest|biggest|highest|lowest|smallest|worst|deadliest|longest|shortest|greatest|"
    r"most|least|first|record|more\s+than|less\s+than|fewer\s+than|compared\s+with|than|"
    r"[a-z]{3,}est|[a-z]{3,}iest)\b",
    re.I,
)
_EVENT_RE = re.compile(
    r"\b(?:met|meet|signed|agreed|attacked|launched|killed|wounded|struck|held|voted|elected|"
    r"invaded|annexed|announced|rejected|approved|spoke|visited|took\s+place|began|ended|"
    r"collapsed|produced|travelled|traveled|arrived|fell|rose|jumped|rallied|declined)\b",
    re.I,
)
_OPINION_RE = re.compile(
    r"\b(?:should|must|ought|deserve|hope|i\s+think|we\s+think|"
    r"anyone[’']s\s+guess|hard\s+to|remains\s+to\s+be\s+seen)\b",
    re.I,
)
_SUPERLATIVE_WORDS = frozenset(
    {
        "est",
        "interest",
        "west",
        "rest",
        "best",
        "test",
        "request",
        "suggest",
        "protest",
        "honest",
        "latest",
        "contest",
        "invest",
    }
)


class Candidate(BaseModel):
    """One sentence of the input as a candidate claim (the ``extract`` JSON contract)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the sentence exactly as in the extracted text")
    start: int = Field(ge=0, description="offset of the first character in the extracted text")
    end: int = Field(ge=0, description="offset after the last character")
    score: float = Field(ge=0, le=1, description="check-worthiness, higher = more check-worthy")
    quantities: list[Quantity] = Field(default_factory=list)
    speaker: str | None = None
    speaker_basis: str | None = Field(
        default=None,
        description=(
            "how the speaker was found: named, group, pronoun, descriptor, quotation, continued"
        ),
    )
    speaker_confidence: float | None = Field(
        default=None, ge=0, le=1, description="the attribution model's probability"
    )
    kind: ClaimKind = "statement"
    existing_claim_id: int | str | None = None
    features: list[str] = Field(default_factory=list, description="named features that fired")
    explain: list[str] = Field(default_factory=list, description="top score contributions")
    dates: list[DateMention] = Field(default_factory=list)
    resolved_date: dt.date | None = None


def _kind(
    sentence: str, quantities: list[QuantitySpan], speaker: str | None, features: list[str]
) -> ClaimKind:
    if "boilerplate" in features:
        return "boilerplate"
    if sentence.rstrip("”\"' )").endswith("?"):
        return "question"
    if quantities:
        return "quantity"
    comparison = [
        w for w in _COMPARISON_RE.findall(sentence) if w.lower() not in _SUPERLATIVE_WORDS
    ]
    if comparison:
        return "comparison"
    if speaker is not None:
        return "attributed statement"
    if _OPINION_RE.search(sentence):
        return "opinion"
    if _EVENT_RE.search(sentence):
        return "event"
    return "statement"


def extract_claims(
    text: str,
    *,
    one_per_line: bool = False,
    published: dt.date | None = None,
    progress: ProgressCallback | None = None,
    model: Model | None = None,
) -> list[Candidate]:
    """Every sentence of ``text`` as a scored :class:`Candidate`, in document order.

    ``one_per_line`` treats each non-blank line as one sentence (for scoring sentence lists).
    ``published`` resolves relative dates (``on Monday``). ``progress(done, total)`` is called
    every 256 sentences and at the end, for a progress bar. Never raises on any text.
    """
    spans = segment_lines(text) if one_per_line else segment(text)
    scorer = model or load_model()
    lede = None if one_per_line else lede_index(text, spans)
    attributions = attribute_details(text, spans)
    total = len(spans)
    out: list[Candidate] = []
    for index, ((start, end), attribution) in enumerate(zip(spans, attributions, strict=True)):
        speaker = attribution.speaker
        sentence = text[start:end]
        q_spans = find_quantities(sentence)
        scored = scorer.score(sentence, q_spans, article=not one_per_line, lede=index == lede)
        dates = find_dates(sentence, published)
        resolved = next((d.resolved for d in dates if d.resolved is not None), None)
        features = list(scored.features)
        if speaker is not None and "attributed (said/according to)" not in features:
            features.append("attributed (said/according to)")
        if "boilerplate" in features:
            speaker = None
        explain = Model.explain(scored)
        if speaker is not None and attribution.basis is not None:
            explain.append(f"speaker: {BASIS_LABELS[attribution.basis]}")
        out.append(
            Candidate(
                text=sentence,
                start=start,
                end=end,
                score=scored.score,
                quantities=[s.quantity for s in q_spans],
                speaker=speaker,
                speaker_basis=attribution.basis if speaker else None,
                speaker_confidence=attribution.probability if speaker else None,
                kind=_kind(sentence, q_spans, speaker, features),
                features=features,
                explain=explain,
                dates=dates,
                resolved_date=resolved,
            )
        )
        if progress is not None and ((index + 1) % 256 == 0 or index + 1 == total):
            progress(index + 1, total)
    if progress is not None and total == 0:
        progress(0, 0)
    return out


def select(
    candidates: list[Candidate], *, min_score: float = DEFAULT_THRESHOLD, top: int | None = None
) -> list[Candidate]:
    """Keep candidates scoring at least ``min_score``; with ``top``, the best N by score.

    Without ``top`` the document order is kept; with it, the result is ranked by score
    (ties in document order).
    """
    kept = [c for c in candidates if c.score >= min_score]
    if top is not None:
        kept = sorted(kept, key=lambda c: (-c.score, c.start))[: max(top, 0)]
    return kept
