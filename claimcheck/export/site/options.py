"""The choices of one publish (standard library only, so the up-to-date check imports little)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimcheck.export.site.pages import Listing


@dataclass(frozen=True)
class SiteOptions:
    """``language``: the site's own language; ``methodology``: the methodology page's text
    (None: ours); ``draft``: pages say so and ask search engines not to index them;
    ``workers``: processes that render the claim pages (1: this one only; see
    :mod:`claimcheck.export.site.parallel`)."""

    language: str = "en"
    methodology: str | None = None
    draft: bool = False
    tolerance: float = 0.1
    workers: int = 1
    # Called with each claim page's listing and the ClaimReview it publishes (the lint,
    # progress), in claim order, in this process.
    observe_review: Callable[[Listing, dict[str, Any]], None] | None = None


__all__ = ["SiteOptions"]
