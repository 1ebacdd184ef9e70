"""Check-worthiness scoring with the small model shipped in ``claimcheck/extract/data/``.

Design
------
The model is a logistic regression (``score = sigmoid(bias + Σ weight[f])`` over the binary
features of :func:`claimcheck.extract.features.featurize`), trained by
``scripts/train_checkworthiness.py`` on the ClaimBuster debate sentences distributed as the
CLEF CheckThat! 2024 task 1 English training set (Arslan, Hassan, Li and Tremayne, "A Benchmark
Dataset of Check-worthy Factual Claims", ICWSM 2020). Credit for the labels belongs to them.
It is one linear model made of two: 0.6 of a model over all features and 0.4 of a model over the
named hand features alone, which carry over to news copy better than words do (measured on
hand-labelled PolNeAR news sentences; docs/extraction.md). A sentence read inside an article
(``score(..., article=True)``) also gets the file's optional *article model*: a weight per hand
feature and one for the lede, learnt from the debates and hand-labelled news sentences together,
because the debates teach some of them the opposite of what holds in news (in a debate "the
president said …" introduces a claim; in news a reported view is rarely one).

It is stored as gzipped JSON (about 150 KiB) and read with the standard library, once per
process (:func:`load_model` is cached): loading takes a few tens of milliseconds and scoring needs
no numpy or scikit-learn. The bias is shifted at training time so that 0.5 is the tuned decision
threshold (the CLI default ``--min-score 0.5``).

Scores are 0–1, higher = more check-worthy, in the spirit of ClaimBuster (non-factual and
unimportant factual sentences low, check-worthy factual claims high). Boilerplate (bylines,
contact lines, copyright) is capped at 0.02 whatever the model says, because the debates the
model learnt from contain none.

:meth:`Model.explain` lists the reasons that moved a score the most, for the table output's
``--explain`` and the ``explain`` field of ``extract -f json``: every feature's contribution is
summed into one of a few reasons a fact-checker reads (:data:`REASONS`: "contains a figure",
"names a person or organisation", "states a past event or action", "says when it happened",
"opinion, belief or hope", …); word n-grams go to the reason of the word they come from.
"""

from __future__ import annotations

import functools
import gzip
import heapq
import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from claimcheck.core.quantities.scanner import QuantitySpan
from claimcheck.extract.features import HAND_FEATURE_LABELS, featurize_parts

__all__ = ["BOILERPLATE_CAP", "DEFAULT_THRESHOLD", "REASONS", "Model", "Scored", "load_model"]

DEFAULT_THRESHOLD = 0.5
BOILERPLATE_CAP = 0.02
_MODEL_FILE = "checkworthiness.json.gz"


@dataclass(frozen=True)
class Scored:
    """A score with the hand features that fired and the top contributions."""

    score: float
    features: list[str]
    contributions: list[tuple[str, float]]


class Model:
    """A loaded linear check-worthiness model."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != "claimcheck-checkworthiness/2":
            raise ValueError("not a claimcheck check-worthiness model")
        self.bias: float = float(payload["bias"])
        self.weights: dict[str, float] = {k: float(v) for k, v in payload["weights"].items()}
        self.meta: dict[str, Any] = dict(payload.get("meta", {}))
        article = payload.get("article") or {}
        #: the article model: added to the logit of a sentence read inside an article
        #: (its hand features and whether it is the lede), learnt from labelled news sentences
        self.article_bias: float = float(article.get("bias", 0.0))
        self.article_weights: dict[str, float] = {
            k: float(v) for k, v in article.get("weights", {}).items()
        }

    @classmethod
    def from_path(cls, path: Path) -> Model:
        """Load a model written by ``scripts/train_checkworthiness.py``."""
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls(json.load(f))

    def logit(self, feats: dict[str, float]) -> float:
        """The raw linear score of a feature dict."""
        weights = self.weights
        return self.bias + sum(weights.get(k, 0.0) * v for k, v in feats.items())

    def score(
        self,
        sentence: str,
        spans: list[QuantitySpan] | None = None,
        *,
        article: bool = False,
        lede: bool = False,
    ) -> Scored:
        """Score one sentence (0–1) and say why. ``article``: the sentence was read inside an
        article (not a list of sentences), so the article model is added; ``lede``: it is the
        article's lede."""
        feats, origin, hand = featurize_parts(sentence, spans)
        get = self.weights.get
        z = self.bias
        contributions: list[tuple[str, float]] = []
        add = contributions.append
        for name, value in feats.items():
            weight = get(name)
            if weight is not None:
                contribution = weight * value
                z += contribution
                add((name, contribution))
        if article and self.article_weights:
            extra = self.article_weights
            z += self.article_bias
            # the hand features are the "h:" entries of ``feats``, in the same order
            for name, value in hand.items():
                weight = extra.get(name)
                if weight is not None:
                    contribution = weight * value
                    z += contribution
                    add((name, contribution))
            if lede and "n:lede" in extra:
                z += extra["n:lede"]
                add(("n:lede", extra["n:lede"]))
        score = _sigmoid(z)
        if "h:boilerplate" in feats:
            score = min(score, BOILERPLATE_CAP)
        fired = [HAND_FEATURE_LABELS[k] for k in hand if k in HAND_FEATURE_LABELS]
        grouped = _group_by_reason(contributions, origin, sentence)
        top = heapq.nlargest(8, grouped.items(), key=lambda kv: abs(kv[1]))
        return Scored(round(score, 4), fired, top)

    def score_many(self, sentences: list[str]) -> list[float]:
        """Scores only, for benchmarks and bulk ranking."""
        return [self.score(s).score for s in sentences]

    @staticmethod
    def explain(scored: Scored, limit: int = 5) -> list[str]:
        """The strongest reasons as short phrases: ``"+0.91 contains a figure"``."""
        out = []
        for name, weight in scored.contributions[:limit]:
            out.append(f"{weight:+.2f} {name}")
        return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


#: the reason, in a fact-checker's words, that each named feature gives
_HAND_REASONS: dict[str, str] = {
    **dict.fromkeys(
        (
            "h:quantity",
            "h:quantity_2plus",
            "h:percent",
            "h:currency",
            "h:count_people",
            "h:count",
            "h:measure",
            "h:bare_number",
            "h:comparator",
            "h:range",
            "h:digits",
        ),
        "contains a figure",
    ),
    "h:year": "says when it happened",
    "h:time_anchor": "says when it happened",
    "h:timed_event": "says how long something lasted",
    "h:superlative": "claims a record, a first or a superlative",
    "h:comparative": "compares or states a change",
    "h:attribution": "attributed to a source",
    "h:quote": "quotes someone",
    "h:quoted_sentence": "quotes someone",
    "h:entities_1": "names a person or organisation",
    "h:entities_3": "names a person or organisation",
    "h:person": "names a person or organisation",
    "h:organisation": "names a person or organisation",
    "h:past_event": "states a past event or action",
    "h:event_verb": "states a past event or action",
    "h:hedge": "opinion, belief or hope",
    "h:opinion": "opinion, belief or hope",
    "h:stance_verb": "opinion, belief or hope",
    "h:prediction": "prediction, promise or hypothetical",
    "h:modal": "prediction, promise or hypothetical",
    "h:conditional": "prediction, promise or hypothetical",
    "h:question": "asks a question",
    "h:first_person": "speaks as I, we or you",
    "h:second_person": "speaks as I, we or you",
    "h:short": "very short",
    "h:long": "long, detailed sentence",
    "h:boilerplate": "boilerplate (byline, contact or copyright line)",
    "h:feeling": "opinion, belief or hope",
    "h:evaluative": "opinion, belief or hope",
    "h:reported_view": "reports someone's view, with no figure",
    "h:concrete_event": "states what someone did, when or how much",
    "h:future": "prediction, promise or hypothetical",
    "n:lede": "opens the article (the lede)",
}
_WORD_REASONS = (
    "contains a figure",
    "says when it happened",
    "names a person or organisation",
    "speaks as I, we or you",
    "opinion, belief or hope",
    "asks a question",
    "states a past event or action",
    "wording typical of checkable claims",
    "wording typical of talk",
)
#: every reason ``--explain`` can give (after its signed weight, e.g. ``+0.91 contains a figure``)
REASONS: frozenset[str] = frozenset(_HAND_REASONS.values()) | frozenset(_WORD_REASONS)
_FIGURE_SHAPES = frozenset({"<num>", "<pct>"})
_PERSON_WORDS = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "i'd",
        "me",
        "my",
        "we",
        "we're",
        "we've",
        "our",
        "us",
        "you",
        "your",
        "you're",
    ]
)
_OPINION_WORDS = re.compile(
    r"^(?:think|believe|feel|hope|guess|maybe|perhaps|probably|should|must|ought|need|want|"
    r"would|could|might|may|will|can|going|great|terrible|good|bad|better|best|wrong|"
    r"wonderful|disaster|important|let's|sure|really|very)$"
)


def _reason_of_word(word: str, capitalised: set[str]) -> str | None:
    """The reason a word of the sentence stands for, or ``None`` for plain wording."""
    if word in capitalised:
        return "names a person or organisation"
    return _reason_of_lower_word(word)


@functools.lru_cache(maxsize=8192)
def _reason_of_lower_word(word: str) -> str | None:
    if word in _FIGURE_SHAPES:
        return "contains a figure"
    if word == "<year>":
        return "says when it happened"
    if word in _PERSON_WORDS:
        return "speaks as I, we or you"
    if _OPINION_WORDS.match(word):
        return "opinion, belief or hope"
    if word == "?":
        return "asks a question"
    if len(word) > 4 and word.endswith("ed"):
        return "states a past event or action"
    return None


def _group_by_reason(
    contributions: list[tuple[str, float]], origin: dict[str, tuple[str, ...]], sentence: str
) -> dict[str, float]:
    """Contributions summed into reasons a fact-checker reads: every named feature belongs to
    one reason (:data:`_HAND_REASONS`), and the statistical ones (words, word pairs, word
    endings) go to the reason of the word they come from — a figure, a name (a word the sentence
    capitalises), a past-tense verb, an opinion word — or, for any other word, to "wording
    typical of checkable claims" or "wording typical of talk" by the sign of what they add.
    ``--explain`` then never shows raw n-grams such as ``spelling 'orte'``."""
    capitalised = {
        m.group(0).lower() for m in _CAPITALISED_WORD_RE.finditer(sentence) if m.start() > 0
    }
    out: dict[str, float] = {}
    per_word: dict[str, float] = {}
    for name, weight in contributions:
        if name.startswith(("h:", "n:")):
            hand_reason = _HAND_REASONS.get(name, "wording typical of checkable claims")
            out[hand_reason] = out.get(hand_reason, 0.0) + weight
            continue
        words = origin.get(name, ())
        share = weight / len(words) if words else 0.0
        for word in words:
            per_word[word] = per_word.get(word, 0.0) + share
    plain = 0.0
    for word, weight in per_word.items():
        reason = _reason_of_word(word, capitalised)
        if reason is None:
            plain += weight
        else:
            out[reason] = out.get(reason, 0.0) + weight
    if plain:
        key = "wording typical of checkable claims" if plain > 0 else "wording typical of talk"
        out[key] = out.get(key, 0.0) + plain
    return out


_CAPITALISED_WORD_RE = re.compile(r"\b[A-Z][A-Za-z]+(?:'[a-z]+)?")


@functools.lru_cache(maxsize=1)
def load_model(path: str | None = None) -> Model:
    """The shipped model (cached per process), or the model at ``path``."""
    if path is not None:
        return Model.from_path(Path(path))
    ref = resources.files("claimcheck.extract").joinpath("data", _MODEL_FILE)
    with resources.as_file(ref) as file:
        return Model.from_path(file)
