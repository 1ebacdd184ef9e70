"""Rating scales: the verdicts a claim can get, with their labels, meanings and numbers.

A verdict is the key of a rating on the organisation's *active* scale (config ``rating_scale``).
``value`` is the ClaimReview ``ratingValue`` (``worst`` … ``best``); ratings outside the numeric
axis (misleading, unsupported) carry ``None`` and are published with ``alternateName`` only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rating:
    key: str
    label: str
    meaning: str
    value: int | None
    colour: str
    # Labels in other languages (BCP 47 tag, label), from a scale defined in the config.
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RatingScale:
    name: str
    title: str
    worst: int
    best: int
    ratings: tuple[Rating, ...]

    def get(self, key: str) -> Rating | None:
        for rating in self.ratings:
            if rating.key == key:
                return rating
        return None

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.ratings]


DEFAULT = RatingScale(
    name="default",
    title="claimcheck default",
    worst=1,
    best=5,
    ratings=(
        Rating(
            "true",
            "True",
            "The claim is accurate and nothing significant is missing.",
            5,
            "#1a7f37",
        ),
        Rating(
            "mostly-true",
            "Mostly true",
            "Accurate but needs clarification or added detail.",
            4,
            "#4d9a2a",
        ),
        Rating(
            "half-true",
            "Half true",
            "Partly accurate; leaves out important details or context.",
            3,
            "#b08800",
        ),
        Rating(
            "mostly-false",
            "Mostly false",
            "Contains an element of truth but ignores critical facts.",
            2,
            "#d1581a",
        ),
        Rating("false", "False", "The claim is not accurate.", 1, "#cf222e"),
        Rating(
            "misleading",
            "Misleading",
            "Accurate figures used to give a false impression.",
            None,
            "#8250df",
        ),
        Rating(
            "unsupported",
            "Unsupported",
            "The available evidence is insufficient to rate the claim.",
            None,
            "#57606a",
        ),
    ),
)

POLITIFACT = RatingScale(
    name="politifact",
    title="Truth-O-Meter style, six levels",
    worst=1,
    best=6,
    ratings=(
        Rating(
            "true",
            "True",
            "The statement is accurate and nothing significant is missing.",
            6,
            "#1a7f37",
        ),
        Rating(
            "mostly-true",
            "Mostly true",
            "Accurate but needs clarification or additional information.",
            5,
            "#4d9a2a",
        ),
        Rating(
            "half-true",
            "Half true",
            "Partially accurate but leaves out important details.",
            4,
            "#b08800",
        ),
        Rating(
            "mostly-false",
            "Mostly false",
            "Has an element of truth but ignores critical facts.",
            3,
            "#d1581a",
        ),
        Rating("false", "False", "The statement is not accurate.", 2, "#cf222e"),
        Rating(
            "pants-on-fire",
            "Pants on fire",
            "Not accurate and makes a ridiculous claim.",
            1,
            "#82071e",
        ),
    ),
)

GOOGLE = RatingScale(
    name="google",
    title="Five-point scale (1 = false … 5 = true)",
    worst=1,
    best=5,
    ratings=(
        Rating("true", "True", "Rated 5 of 5: the claim holds.", 5, "#1a7f37"),
        Rating(
            "mostly-true", "Mostly true", "Rated 4 of 5: holds with minor caveats.", 4, "#4d9a2a"
        ),
        Rating("mixture", "Mixture", "Rated 3 of 5: part true, part false.", 3, "#b08800"),
        Rating("mostly-false", "Mostly false", "Rated 2 of 5: largely wrong.", 2, "#d1581a"),
        Rating("false", "False", "Rated 1 of 5: the claim is wrong.", 1, "#cf222e"),
    ),
)

SCALES: dict[str, RatingScale] = {s.name: s for s in (DEFAULT, POLITIFACT, GOOGLE)}


def get_scale(name: str) -> RatingScale:
    try:
        return SCALES[name]
    except KeyError:
        from claimcheck.errors import ConfigError

        raise ConfigError(
            f"rating_scale: unknown scale {name!r} (choose from {', '.join(SCALES)})"
        ) from None
