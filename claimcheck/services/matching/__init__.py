"""Claim matching against the database: similar claims, duplicates, links and repeat counts.

The scoring is pure (:mod:`claimcheck.core.matching`); this package finds what to score without
ever comparing every pair in Python. Three modules, imported by what they do:

* :mod:`~claimcheck.services.matching.candidates` — candidate retrieval: the full-text pre-filter
  for one text, and the blocking keys and candidate pairs for ``dupes``;
* :mod:`~claimcheck.services.matching.similar` — scoring what the candidates retrieve:
  :func:`~claimcheck.services.matching.similar.find_similar`, the ``add`` hint and ``dupes``;
* :mod:`~claimcheck.services.matching.links` — groups of appearances: ``link`` / ``unlink`` (the
  only writes), the appearances of a claim and the repeat counts.

How:

* **similar** (one text against the store): a full-text pre-filter. The query text's content words
  are ranked by how many claims contain them (a capped count per word on the full-text index), the
  rarest few are ORed into one query (FTS5 ``MATCH`` with bm25 on SQLite, ``to_tsquery`` with
  ``ts_rank`` over the GIN index on PostgreSQL), and only the best ``CANDIDATES`` rows are scored.
  Common words are left out of the OR because a word in half the claims would make the index
  return half the table.
* **dupes** (every claim against every other): blocking on rare words in one streaming pass. Each
  claim is keyed by its few rarest content words (document frequency ≥ 2 and at most
  ``MAX_POSTING``); claims sharing a key are candidate pairs; rapidfuzz's text similarity (computed
  in C, an upper bound of the score) drops the pairs that cannot reach the bar; the rest are
  scored and pairs at or above the threshold are joined into clusters (union-find). Work grows with the sizes of the rare
  words' posting lists, not with the square of the number of claims.
* **link / unlink** keep each group of appearances flat: the original claim has no ``same_as_id``
  and every appearance points at it, so a group is one indexed lookup. Each change is an audit
  event (``link`` / ``unlink``) with the before and after ``same_as_id``.
* **repeat counts** are one GROUP BY over ``coalesce(same_as_id, id)``.
"""
