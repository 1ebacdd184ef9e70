"""Check-worthiness scoring with the small model shipped in ``claimcheck/extract/data/``.

Design
------
The model is a logistic regression (``score = sigmoid(bias + Σ weight[f])`` over the binary
features of :func:`claimcheck.extract.features.featurize`), trained by
``scripts/train_checkworthiness.py`` on the ClaimBuster debate sentences distributed as the
CLEF CheckThat! 2024 task 1 English training set (Arslan, Hassan, Li and Tremayne, "A Benchmark
Dataset of Check-worthy Factual Claims", ICWSM 2020). Credit for the labels belongs to them.

It is stored as gzipped JSON (about 150 KiB) and read with the standard library, once per
process (:func:`load_model` is cached): loading takes a few tens of milliseconds and scoring needs
no numpy or scikit-learn. The bias is shifted at training time so that 0.5 is the tuned decision
threshold (the CLI default ``--min-score 0.5``).

Scores are 0–1, higher = more check-worthy, in the spirit of ClaimBuster (non-factual and
unimportant factual sentences low, check-worthy factual claims high). Boilerplate (bylines,
contact lines, copyright) is capped at 0.02 whatever the model says, because the debates the
model learnt from contain none.

:meth:`Model.explain` lists the contributions that moved a score the most, in words, for the
table output's ``--explain``.
"""

from __future__ import annotations

import functools
import gzip
import heapq
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from claimcheck.core.quantities.scanner import QuantitySpan
from claimcheck.extract.features import HAND_FEATURE_LABELS, featurize, tokens

__all__ = ["BOILERPLATE_CAP", "DEFAULT_THRESHOLD", "Model", "Scored", "load_model"]

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
        if payload.get("format") != "claimcheck-checkworthiness/1":
            raise ValueError("not a claimcheck check-worthiness model")
        self.bias: float = float(payload["bias"])
        self.weights: dict[str, float] = {k: float(v) for k, v in payload["weights"].items()}
        self.meta: dict[str, Any] = dict(payload.get("meta", {}))

    @classmethod
    def from_path(cls, path: Path) -> Model:
        """Load a model written by ``scripts/train_checkworthiness.py``."""
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls(json.load(f))

    def logit(self, feats: dict[str, float]) -> float:
        """The raw linear score of a feature dict."""
        weights = self.weights
        return self.bias + sum(weights.get(k, 0.0) * v for k, v in feats.items())

    def score(self, sentence: str, spans: list[QuantitySpan] | None = None) -> Scored:
        """Score one sentence (0–1) and say why."""
        feats = featurize(sentence, spans)
        weights = self.weights
        z = self.bias
        contributions: list[tuple[str, float]] = []
        for name, value in feats.items():
            weight = weights.get(name)
            if weight is not None:
                z += weight * value
                contributions.append((name, weight * value))
        score = _sigmoid(z)
        if "h:boilerplate" in feats:
            score = min(score, BOILERPLATE_CAP)
        fired = [HAND_FEATURE_LABELS[k] for k in feats if k in HAND_FEATURE_LABELS]
        grouped = _group_by_word(contributions, sentence)
        top = heapq.nlargest(8, grouped.items(), key=lambda kv: abs(kv[1]))
        return Scored(round(score, 4), fired, top)

    def score_many(self, sentences: list[str]) -> list[float]:
        """Scores only, for benchmarks and bulk ranking."""
        return [self.score(s).score for s in sentences]

    @staticmethod
    def explain(scored: Scored, limit: int = 5) -> list[str]:
        """The strongest contributions as short phrases: ``"+0.91 percentage"``."""
        out = []
        for name, weight in scored.contributions[:limit]:
            out.append(f"{weight:+.2f} {_describe(name)}")
        return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


_SHAPES = {"<num>": "a number", "<pct>": "a percentage", "<year>": "a year", "<s>": ""}


def _group_by_word(contributions: list[tuple[str, float]], sentence: str) -> dict[str, float]:
    """Contributions in a fact-checker's terms: the named features as they are, and the
    statistical ones (words, word pairs, word endings) summed per word of the sentence, so that
    ``--explain`` says ``the word 'killed'`` rather than ``spelling 'ille'``."""
    grams: dict[str, str] = {}
    for word in tokens(sentence):
        if word.isalpha() and len(word) >= 5:
            padded = "_" + word + "_"
            for i in range(len(padded) - 3):
                grams.setdefault(padded[i : i + 4], word)
    out: dict[str, float] = {}
    for name, weight in contributions:
        kind, _, value = name.partition(":")
        if name in HAND_FEATURE_LABELS:
            key = name
        elif kind == "w":
            key = "w:" + value
        elif kind == "c" and value in grams:
            key = "w:" + grams[value]
        elif kind == "b":
            left, _, right = value.partition("_")
            key = "w:" + (right if left == "<s>" else f"{left} {right}")
        else:
            key = "other"
        out[key] = out.get(key, 0.0) + weight
    return out


def _describe(feature: str) -> str:
    if feature in HAND_FEATURE_LABELS:
        return HAND_FEATURE_LABELS[feature]
    kind, _, value = feature.partition(":")
    if kind == "w":
        shown = " ".join(_SHAPES.get(part, part) for part in value.split())
        return f"the wording '{shown}'"
    return "other wording"


@functools.lru_cache(maxsize=1)
def load_model(path: str | None = None) -> Model:
    """The shipped model (cached per process), or the model at ``path``."""
    if path is not None:
        return Model.from_path(Path(path))
    ref = resources.files("claimcheck.extract").joinpath("data", _MODEL_FILE)
    with resources.as_file(ref) as file:
        return Model.from_path(file)
