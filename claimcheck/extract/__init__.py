"""Claim extraction: pure text → candidate claims (segmentation, scoring, quantities, speakers).

The public API, all pure functions over pydantic models (no click, no SQLAlchemy; heavy
libraries — trafilatura, pint — are imported only when used):

* :func:`read_input` — a file or stdin content (text, Markdown, HTML) → :class:`ExtractedText`;
* :func:`extract_claims` — text → one scored :class:`Candidate` per sentence;
* :func:`select` — apply ``--min-score`` / ``--top``.

Quantities (the scanner, the ``--quantity`` spec, units) are rules of their own in
:mod:`claimcheck.core.quantities`; extraction uses them like everyone else does.

The check-worthiness model shipped in ``data/`` was trained on the ClaimBuster sentences
(Arslan, Hassan, Li and Tremayne, ICWSM 2020) as released for CLEF CheckThat! 2024 task 1.
See ``docs/extraction.md``.
"""

from claimcheck.extract.dates import DateMention
from claimcheck.extract.pipeline import Candidate, extract_claims, select
from claimcheck.extract.scoring import DEFAULT_THRESHOLD, load_model
from claimcheck.extract.text import ExtractedText, read_input

__all__ = [
    "DEFAULT_THRESHOLD",
    "Candidate",
    "DateMention",
    "ExtractedText",
    "extract_claims",
    "load_model",
    "read_input",
    "select",
]
