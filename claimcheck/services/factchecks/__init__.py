"""External fact-checks: ClaimReview read from pages and files, stored, searched and matched.

* :mod:`~claimcheck.services.factchecks.reading` — files, folders, HTML ld+json blocks, JSON,
  JSONL, standard input → records (no SQLAlchemy); the pure reading rules are
  :mod:`claimcheck.core.factchecks`;
* :mod:`~claimcheck.services.factchecks.store` — the ``factchecks`` table: import (insert or
  update by review URL), list, search, labels;
* :mod:`~claimcheck.services.factchecks.matching` — "checked before?": the fact-checks that
  match a claim, scored by claim matching (:mod:`claimcheck.core.matching`), and citing one as
  evidence.
"""
