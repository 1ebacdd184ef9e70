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
    :mod:`claimcheck.export.site.parallel`), each storing its pages with ``store``."""

    language: str = "en"
    methodology: str | None = None
    draft: bool = False
    tolerance: float = 0.1
    workers: int = 1
    # Called with each claim page's listing and the ClaimReview it publishes, where the page
    # is rendered (a worker process, when there are several): the lint. What it returns must
    # pickle; it comes back with the page.
    check_review: Callable[[Listing, dict[str, Any]], list[Any]] | None = None
    # Called in this process, in claim order, with each page's listing, its ClaimReview and
    # what check_review found (the failures, progress).
    observe_review: Callable[[Listing, dict[str, Any], list[Any]], None] | None = None
    # Where a worker process puts each claim page it rendered (SiteFolder.store): it sends back
    # what the manifest needs instead of the page's bytes. None: the pages come back whole.
    store: Callable[[str, bytes], Any] | None = None


__all__ = ["SiteOptions"]
