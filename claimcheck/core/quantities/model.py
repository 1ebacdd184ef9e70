"""The structured quantity of a numeric claim or an evidence figure.

Shared by extraction (which parses quantities out of sentences), the claim store (which keeps them
as JSON on a claim) and the numeric check (which compares them with evidence figures). It imports
pydantic only, so the pure layers (``extract``, ``export``) can use it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from claimcheck.core.quantities.tolerance import DEFAULT_TOLERANCE as DEFAULT_TOLERANCE

Comparator = Literal["=", "~", "<", "<=", ">", ">=", "range"]
COMPARATORS: tuple[str, ...] = ("=", "~", "<", "<=", ">", ">=", "range")


class Quantity(BaseModel):
    """One quantity: ``about 20 percent`` is ``Quantity(value=20, unit="percent", comparator="~")``.

    ``value`` is a number, or a two-item ``[low, high]`` list when ``comparator`` is ``range``.
    ``unit`` is a normalised unit name (``percent``, ``hour``, ``USD``, ``km``, ``people`` ...) or
    None for a bare count. ``surface`` is the text the quantity was read from, exactly as written.
    ``tolerance`` optionally overrides the organisation's relative tolerance for ``~`` (0.1 = ±10 %).
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    value: float | list[float]
    unit: str | None = None
    comparator: Comparator = "="
    surface: str = ""
    tolerance: float | None = Field(default=None, ge=0, le=10)

    @model_validator(mode="after")
    def _check_range(self) -> Quantity:
        if self.comparator == "range":
            if not isinstance(self.value, list) or len(self.value) != 2:
                raise ValueError("a range needs a two-item [low, high] value")
            if self.value[0] > self.value[1]:
                raise ValueError("a range's low end must not exceed its high end")
        elif isinstance(self.value, list):
            raise ValueError("a list value needs the 'range' comparator")
        return self
