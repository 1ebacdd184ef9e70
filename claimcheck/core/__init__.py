"""The rules of claimcheck, pure: each rule lives here once and everything else asks it.

``core`` imports the standard library and pydantic (plus pure computation libraries a rule needs:
rapidfuzz for matching scores, pint — lazily, on the first unit conversion — for quantities); never
SQLAlchemy, click or :mod:`claimcheck.services`. Services, the CLI (its option choices too), the
review desk, the queue, the statistics, the reports, the extractor and the database's own
constraints call into it; it calls none of them, so every rule here can be tested without a
database.

* :mod:`claimcheck.core.workflow` — the statuses, the roles and their order, the move table with
  its guards (least role, the two-person rule, what may happen to a verified claim) and ``may()``;
* :mod:`claimcheck.core.text` — a claim's normalised text and dedupe key, a name's alias key,
  title stripping, a tag's spelling, a claim's offsets in its source's text;
* :mod:`claimcheck.core.quantities` — the quantity model, the scanner that reads quantities in
  running text, the ``--quantity`` compact spec, units and the comparator rules;
* :mod:`claimcheck.core.numeric` — the numeric check (a claim's quantities against its evidence
  figures), the figure builder, the source-label rule and the default tolerance;
* :mod:`claimcheck.core.matching` — how likely two claim texts are the same claim;
* :mod:`claimcheck.core.ratings` — the rating scales;
* :mod:`claimcheck.core.suggest` — "did you mean": the known values closest to a mistyped one;
* :mod:`claimcheck.core.events` — the audit events' payloads (one builder per action) and the
  replay that folds a claim's events into its state.
"""
