"""The trained mention ranker and the loading of its shipped weights
(``claimcheck/extract/data/speakers.json.gz``)."""

from __future__ import annotations

import functools
import gzip
import json
import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

_MODEL_FILE = "speakers.json.gz"
_MODEL_FORMAT = "claimcheck-speakers/1"


# ---------------------------------------------------------------------------------------------
# the model


class SpeakerModel:
    """A loaded mention ranker: ``p = sigmoid(bias + Σ weight[f])`` per mention."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != _MODEL_FORMAT:
            raise ValueError("not a claimcheck speaker model")
        self.bias = float(payload["bias"])
        self.weights: dict[str, float] = {k: float(v) for k, v in payload["weights"].items()}
        self.threshold = float(payload["threshold"])
        self.cues: frozenset[str] = frozenset(payload["cues"])
        # the cue lexicon learnt from PolNeAR's cue spans: stem -> strength (the share of the
        # stem's occurrences outside quotations that annotators marked as part of a cue)
        self.cue_strength: dict[str, float] = {
            k: float(v) for k, v in payload.get("cue_strength", {}).items()
        }
        store = payload.get("store_threshold")
        self.store_threshold: float | None = None if store is None else float(store)
        self.meta: dict[str, Any] = dict(payload.get("meta", {}))

    @classmethod
    def from_path(cls, path: Path) -> SpeakerModel:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls(json.load(f))

    def probability(self, feats: Sequence[str]) -> float:
        w = self.weights
        z = self.bias + sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.cache
def load_speaker_model() -> SpeakerModel:
    """The shipped mention ranker, read once per process."""
    ref = resources.files("claimcheck.extract").joinpath("data", _MODEL_FILE)
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return SpeakerModel(json.load(f))
