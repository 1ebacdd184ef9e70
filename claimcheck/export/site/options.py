"""The choices of one publish (standard library only, so the up-to-date check imports little)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimcheck.export.model import ClaimEntry


@dataclass(frozen=True)
class SiteOptions:
    """``language``: the site's own language; ``methodology``: the methodology page's text
    (None: ours); ``draft``: pages say so and ask search engines not to index them."""

    language: str = "en"
    methodology: str | None = None
    draft: bool = False
    tolerance: float = 0.1
    # Called with each claim and the ClaimReview its page publishes (the lint, progress).
    observe_review: Callable[[ClaimEntry, dict[str, Any]], None] | None = None


__all__ = ["SiteOptions"]
