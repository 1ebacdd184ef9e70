"""PolNeAR's articles for the benchmarks: reading a split, and the fixed tenths of ``train.jsonl``
(``crc32(id) % 10``) that the evaluations hold out and the samplers draw from."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "attribution"


def load(path: Path) -> list[dict[str, Any]]:
    """The articles of one JSONL split file."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def bucket(article: dict[str, Any]) -> int:
    """The article's tenth of the corpus: ``crc32(id) % 10``."""
    return zlib.crc32(article["id"].encode()) % 10


def train_bucket(number: int, data: Path = DATA) -> list[dict[str, Any]]:
    """The train articles of one tenth, sorted by id (a sampler's pool is then reproducible)."""
    return sorted(
        (a for a in load(data / "train.jsonl") if bucket(a) == number), key=lambda a: a["id"]
    )
