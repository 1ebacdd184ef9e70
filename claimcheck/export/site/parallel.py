"""Claim pages rendered on several cores: worker processes render, this process reads and writes.

Rendering a claim page is pure (:meth:`SiteRenderer.claim_file`) and most of a publish's work,
so with ``SiteOptions.workers`` above 1 and enough claims the pages are rendered by a pool of
forked worker processes:

- this process reads the claims from the database once, in batches of plain data
  (:meth:`Report.iter_claim_rows`: cheap to send; the workers validate them into entries);
- each worker renders a batch with its copy of the renderer (inherited at the fork: the report's
  header, the templates, the caches) and stores each page itself (``SiteOptions.store``: the
  site folder's atomic write of a changed file), so neither the pages' bytes (10 KB each) nor
  their system calls pass through this process; it sends back the pages' summaries and what
  the manifest records of each file;
- the results come back in claim order, a few batches ahead at most (memory stays bounded), and
  this process records them and writes the rest of the site: the files and their bytes are those
  of a one-process publish (where no ``store`` is given, the pages come back whole and this
  process writes them).

Where ``fork`` is unavailable, for small sites (the pool would cost more than it saves), or for a
report without a plain-data stream, the pages are rendered here, one by one.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any

from claimcheck.export.model import Report, claims_from_rows

if TYPE_CHECKING:
    from claimcheck.export.site.render import ClaimFile, SiteRenderer

# Below this many claims the pages are rendered in this process.
PARALLEL_MIN_CLAIMS = 1000
# Batches handed out ahead of the one being written, per worker.
AHEAD = 2

_renderer: SiteRenderer | None = None  # the worker's copy, inherited at the fork


def available_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _worker_start() -> None:
    # The publishing process handles interruption and stops the pool; a worker just ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _render_rows(rows: list[dict[str, Any]]) -> list[ClaimFile]:
    assert _renderer is not None, "a worker renders with the renderer it was forked with"
    files = [_renderer.claim_file(claim) for claim in claims_from_rows(rows)]
    store = _renderer.options.store
    if store is None:
        return files
    stored = []
    for done in files:
        assert isinstance(done.data, bytes), "claim_file renders bytes"
        stored.append(dataclasses.replace(done, data=store(done.path, done.data)))
    return stored


def claim_files(renderer: SiteRenderer, report: Report, workers: int) -> Iterator[ClaimFile]:
    """Every claim page of ``report``, in claim order."""
    batches = report.iter_claim_rows() if workers > 1 else None
    if (
        batches is None
        or report.header.summary.total < PARALLEL_MIN_CLAIMS
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for claim in report.iter_claims():
            yield renderer.claim_file(claim)
        return
    global _renderer
    renderer.prepare()
    _renderer = renderer
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_worker_start) as pool:
            pending: deque[AsyncResult[list[ClaimFile]]] = deque()
            for rows in batches:
                pending.append(pool.apply_async(_render_rows, (rows,)))
                while len(pending) > AHEAD * workers:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        _renderer = None


__all__ = ["PARALLEL_MIN_CLAIMS", "available_workers", "claim_files"]
