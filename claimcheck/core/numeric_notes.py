"""The numeric check's words for a claim it cannot compare, without pydantic.

:func:`claimcheck.core.numeric.check_claim` writes these notes; :func:`empty_check` is its
result, in JSON form, when no figure meets a quantity (the claim has no quantities, or no
evidence with a figure), which is most claims. ``claimcheck show`` reads it that way so it need
not import the numeric check (pydantic, the quantity rules, unit conversion) to say there is
nothing to compare; ``tests/test_show_core.py`` checks it equals :func:`check_claim`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

NO_QUANTITIES = "the claim has no quantities (add one with `claimcheck edit ID --quantity`)"
NO_FIGURES = "no evidence with a figure yet"
NO_COMPARABLE = "no evidence figure is comparable with the claim's quantities"


def empty_check(
    claim_id: int | None,
    said_on: dt.date | None,
    tolerance: float,
    quantities: list[dict[str, Any]],
) -> dict[str, Any]:
    """``check_claim(quantities, [], ...).model_dump(mode="json")`` (no figures to compare);
    ``quantities`` in their JSON form, ``tolerance`` the claim's, else the organisation's."""
    return {
        "claim_id": claim_id,
        "said_on": said_on.isoformat() if said_on is not None else None,
        "tolerance": float(tolerance),
        "quantities": quantities,
        "checks": [],
        "suggestion": {
            "direction": "none",
            "score": None,
            "consistent_weight": 0.0,
            "inconsistent_weight": 0.0,
            "message": NO_COMPARABLE,
        },
        "notes": [NO_FIGURES if quantities else NO_QUANTITIES],
    }
