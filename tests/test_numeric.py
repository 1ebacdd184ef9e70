"""The numeric check's rules: every comparator and unit family, boundaries, precision, time flags,
the suggested direction; plus hypothesis properties of the rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.core.numeric import (
    Figure,
    check_claim,
    check_figure,
    effective_tolerance,
    evidence_figure,
    source_label,
    time_flags,
)
from claimcheck.core.quantities.model import DEFAULT_TOLERANCE, Quantity
from claimcheck.core.quantities.rules import stated_precision
from claimcheck.core.quantities.spec import QuantitySyntaxError, parse_quantity_spec


def result(spec: str, value: float, unit: str | None = None, tolerance: float = 0.1) -> str:
    return check_figure(
        parse_quantity_spec(spec), Figure(value=value, unit=unit), tolerance=tolerance
    ).result


# (claim spec, figure, figure unit, expected)
CASES = [
    # ~ : ±10 % relative, both ends included
    ("about 20", 22.0, None, "consistent"),
    ("about 20", 22.1, None, "inconsistent"),
    ("about 20", 18.0, None, "consistent"),
    ("about 20", 17.9, None, "inconsistent"),
    ("~20 percent", 19.3, "percent", "consistent"),
    ("~20 percent", 19.3, "%", "consistent"),
    ("~20 percent", 23, "percent", "inconsistent"),
    # = : the claim's stated precision
    ("20 percent", 20.4, "percent", "consistent"),
    ("20 percent", 20.5, "percent", "consistent"),
    ("20 percent", 20.6, "percent", "inconsistent"),
    ("19.3 percent", 19.34, "percent", "consistent"),
    ("19.3 percent", 19.36, "percent", "inconsistent"),
    ("20,000 people", 20_450, "people", "consistent"),
    ("20,000 people", 20_550, "people", "inconsistent"),
    ("1.5 million people", 1.46, "million people", "consistent"),
    ("1.5 million people", 1.56, "million people", "inconsistent"),
    ("12,345 people", 12_345.4, "people", "consistent"),
    ("12,345 people", 12_346, "people", "inconsistent"),
    # < and <= : strict and non-strict upper bounds
    ("<2 hour", 1.99, "hour", "consistent"),
    ("<2 hour", 2.0, "hour", "inconsistent"),
    ("<=2 hour", 2.0, "hour", "consistent"),
    ("<=2 hour", 2.01, "hour", "inconsistent"),
    # > and >= : strict and non-strict lower bounds
    (">4 year", 4.01, "year", "consistent"),
    (">4 year", 4.0, "year", "inconsistent"),
    (">=4 year", 4.0, "year", "consistent"),
    (">=4 year", 3.99, "year", "inconsistent"),
    # range: inclusive at both ends
    ("10-20 km", 10, "km", "consistent"),
    ("10-20 km", 20, "km", "consistent"),
    ("10-20 km", 20.01, "km", "inconsistent"),
    ("10-20 km", 9.99, "km", "inconsistent"),
    # time: minutes <-> hours, days <-> weeks, months <-> years
    ("<2 hour", 105, "minutes", "consistent"),
    ("<2 hour", 120, "minutes", "inconsistent"),
    ("<=2 hour", 120, "minutes", "consistent"),
    ("~3 week", 20, "days", "consistent"),
    (">4 year", 48, "months", "inconsistent"),
    (">=4 year", 48, "months", "consistent"),
    ("45 minute", 0.75, "hour", "consistent"),
    # distance and area: km <-> miles <-> metres, km2 <-> hectares
    ("~100 km", 62, "miles", "consistent"),
    ("~100 km", 70, "miles", "inconsistent"),
    ("10-20 km", 12, "miles", "consistent"),
    ("<1 km", 999, "m", "consistent"),
    ("about 4,000 square kilometres", 400_000, "hectares", "consistent"),
    ("about 4,000 square kilometres", 4_100, "km2", "consistent"),
    # mass
    ("~5 tonne", 5_100, "kg", "consistent"),
    # money: scale words, same currency only
    ("$3bn", 3.4, "bn USD", "consistent"),
    ("$3bn", 3_600, "million USD", "inconsistent"),
    ("~50 billion EUR", 48_000, "million EUR", "consistent"),
    # scale words before or after the unit, currency signs, multipliers
    ("$3bn", 3.2, "USD bn", "consistent"),
    ("$3bn", 3.2, "$bn", "consistent"),
    ("~50 billion EUR", 49_000, "EUR m", "consistent"),
    ("1.5 million people", 1.5, "m people", "consistent"),
    ("1.5 million people", 1_500, "1000 people", "consistent"),
    ("<1 km", 300, "m", "consistent"),  # a lone "m" is metres, never million
    # counts: a count compares with a bare number, and thousand <-> million scale
    ("1.5 million people", 1_480, "thousand", "consistent"),
    (">3,000 tank", 3_100, None, "consistent"),
    ("~273 drone", 273, "drones", "consistent"),
    # not comparable: incommensurable units are said so, never guessed
    ("20 percent", 1, "percentage point", "not comparable"),
    ("$3bn", 3, "bn EUR", "not comparable"),
    ("~20 percent", 20, "hours", "not comparable"),
    ("~273 drone", 273, "missiles", "not comparable"),
    ("<2 hour", 5, "km", "not comparable"),
    ("~20 percent", 20, None, "not comparable"),
]


@pytest.mark.parametrize(("spec", "value", "unit", "expected"), CASES)
def test_rules_table(spec: str, value: float, unit: str | None, expected: str) -> None:
    assert result(spec, value, unit) == expected


def test_explanation_reads_like_the_issue_asks() -> None:
    check = check_figure(
        parse_quantity_spec("~20 percent"),
        Figure(value=19.3, unit="percent", as_of=dt.date(2025, 5, 1), label="ISW"),
    )
    assert check.explanation == (
        "claimed ~20 % (±2); evidence 19.3 % as of 2025-05-01 (ISW) → consistent"
    )


def test_explanations_show_conversion_and_refusal() -> None:
    converted = check_figure(parse_quantity_spec("<2 hour"), Figure(value=105, unit="minutes"))
    assert "105 minutes = 1.75 hours" in converted.explanation
    assert converted.converted == pytest.approx(1.75)
    refused = check_figure(parse_quantity_spec("20 percent"), Figure(value=1, unit="pp"))
    assert "not comparable" in refused.explanation
    assert "percentage-point" in refused.explanation
    assert refused.converted is None


@pytest.mark.parametrize(
    ("spec", "half"),
    [
        ("20 percent", 0.5),
        ("19.3 percent", 0.05),
        ("20.0 percent", 0.05),
        ("20,000 people", 500),
        ("12,345 people", 0.5),
        ("12,300 people", 50),
        ("1.5 million people", 50_000),
        ("$3bn", 0.5e9),
        ("7 day", 0.5),
        ("two hour", 0.5),
    ],
)
def test_stated_precision(spec: str, half: float) -> None:
    assert stated_precision(parse_quantity_spec(spec)) == pytest.approx(half)


def test_precision_without_surface_comes_from_the_value() -> None:
    assert stated_precision(Quantity(value=19.3)) == pytest.approx(0.05)
    assert stated_precision(Quantity(value=1_500_000)) == pytest.approx(50_000)


def test_tolerance_precedence() -> None:
    own = Quantity(value=20, comparator="~", tolerance=0.02)
    plain = Quantity(value=20, comparator="~")
    assert effective_tolerance(own, 0.05, 0.1) == 0.02
    assert effective_tolerance(plain, 0.05, 0.1) == 0.05
    assert effective_tolerance(plain, None, 0.2) == 0.2
    # the organisation's 5 % makes 21.5 inconsistent; the default 10 % accepts it
    assert result("about 20", 21.5, tolerance=0.05) == "inconsistent"
    assert result("about 20", 21.5) == "consistent"


def test_time_flags() -> None:
    said = dt.date(2025, 5, 19)
    assert [f.code for f in time_flags(said, dt.date(2025, 5, 1))] == ["predates-claim"]
    assert time_flags(said, said) == []
    assert [f.code for f in time_flags(said, dt.date(2023, 1, 1))] == [
        "predates-claim",
        "far-from-claim",
    ]
    assert [f.code for f in time_flags(said, dt.date(2025, 12, 1))] == ["far-from-claim"]
    assert [f.code for f in time_flags(said, None)] == ["undated"]
    assert time_flags(None, dt.date(2020, 1, 1)) == []
    assert "2025-05-19" in time_flags(said, dt.date(2025, 5, 1))[0].message


def _fig(value: float, stance: str, as_of: dt.date | None = None, eid: int = 1) -> Figure:
    return Figure(value=value, unit="percent", stance=stance, as_of=as_of, evidence_id=eid)


def test_suggestion_weighs_stance_and_age() -> None:
    q = [parse_quantity_spec("~20 percent")]
    said = dt.date(2025, 5, 19)
    recent = dt.date(2025, 5, 1)
    supports = check_claim(q, [_fig(19.3, "supports", recent)], said_on=said)
    assert supports.suggestion.direction == "supports"
    assert supports.suggestion.score == 1
    contradicts = check_claim(q, [_fig(27, "refutes", recent)], said_on=said)
    assert contradicts.suggestion.direction == "contradicts"
    # one consistent figure from context (0.5) against one inconsistent refuting figure (1)
    mixed = check_claim(
        q, [_fig(19.3, "context", recent, 1), _fig(27, "refutes", recent, 2)], said_on=said
    )
    assert mixed.suggestion.direction == "mixed"
    assert mixed.suggestion.score == pytest.approx(-1 / 3, abs=1e-3)
    # a stale figure counts half: 1 (recent, consistent) vs 0.5 (stale, inconsistent)
    aged = check_claim(
        q,
        [_fig(19.3, "supports", recent, 1), _fig(27, "supports", dt.date(2022, 1, 1), 2)],
        said_on=said,
    )
    assert aged.suggestion.consistent_weight == 1
    assert aged.suggestion.inconsistent_weight == 0.5
    assert any("marked 'supports' but its figure is inconsistent" in n for n in aged.notes)
    assert "not a verdict" in aged.suggestion.message


def test_figure_is_matched_with_the_commensurable_quantity_only() -> None:
    qs = [parse_quantity_spec("~20 percent"), parse_quantity_spec(">4 year")]
    out = check_claim(qs, [Figure(value=50, unit="months", evidence_id=3)])
    assert [c.result for c in out.checks] == ["consistent"]
    assert out.checks[0].quantity.unit == "year"
    lost = check_claim(qs, [Figure(value=3, unit="USD", evidence_id=4)])
    assert [c.result for c in lost.checks] == ["not comparable"]
    assert lost.suggestion.direction == "none"


def test_no_quantities_or_no_figures_say_so() -> None:
    assert "no quantities" in check_claim([], [Figure(value=1)]).notes[0]
    assert "no evidence with a figure" in check_claim([Quantity(value=1)], []).notes[0]


# ---------------------------------------------------------------------------------------------
# Properties

values = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
units = st.sampled_from([None, "percent", "hour", "km", "people", "USD", "tonne"])


@given(values, units, st.sampled_from(["=", "~", "<=", ">="]))
def test_equal_figure_is_consistent_for_inclusive_comparators(
    value: float, unit: str | None, comparator: str
) -> None:
    q = Quantity(value=value, unit=unit, comparator=comparator)  # type: ignore[arg-type]
    assert check_figure(q, Figure(value=value, unit=unit)).result == "consistent"


@given(values, units, st.sampled_from(["<", ">"]))
def test_equal_figure_is_never_consistent_for_strict_comparators(
    value: float, unit: str | None, comparator: str
) -> None:
    q = Quantity(value=value, unit=unit, comparator=comparator)  # type: ignore[arg-type]
    assert check_figure(q, Figure(value=value, unit=unit)).result == "inconsistent"


@given(st.floats(min_value=1e-3, max_value=1e6), st.sampled_from(["=", "~", "<=", ">="]))
def test_equal_figure_in_another_unit_is_consistent(value: float, comparator: str) -> None:
    q = Quantity(value=value, unit="hour", comparator=comparator)  # type: ignore[arg-type]
    assert check_figure(q, Figure(value=value * 60, unit="minute")).result == "consistent"


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.floats(min_value=0, max_value=1e6),
    values,
)
def test_range_is_inclusive_and_nothing_outside(low: float, width: float, x: float) -> None:
    q = Quantity(value=[low, low + width], comparator="range")
    assert check_figure(q, Figure(value=low)).result == "consistent"
    assert check_figure(q, Figure(value=low + width)).result == "consistent"
    margin = 1e-6 * max(1.0, abs(low), abs(low + width))
    got = check_figure(q, Figure(value=x)).result
    if low <= x <= low + width:
        assert got == "consistent"
    elif x < low - margin or x > low + width + margin:
        assert got == "inconsistent"


@given(
    st.one_of(st.floats(min_value=1e-6, max_value=1e6), st.floats(min_value=-1e6, max_value=-1e-6)),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
)
def test_about_accepts_exactly_the_tolerance_band(value: float, tol: float, frac: float) -> None:
    q = Quantity(value=value, comparator="~")
    inside = value + frac * tol * abs(value)
    assert check_figure(q, Figure(value=inside), tolerance=tol).result == "consistent"
    if tol < 1:
        outside = value + (tol * 1.01 + 1e-6) * abs(value)
        assert check_figure(q, Figure(value=outside), tolerance=tol).result == "inconsistent"


@given(st.text(max_size=30), st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_any_unit_text_never_raises(unit: str, value: float) -> None:
    check = check_figure(parse_quantity_spec("~20 percent"), Figure(value=value, unit=unit))
    assert check.result in ("consistent", "inconsistent", "not comparable")


def test_a_fall_in_words_compares_with_a_negative_figure_by_size() -> None:
    q = [parse_quantity_spec("12.7 percent")]
    fig = [Figure(value=-12.7, unit="percent")]
    fell = check_claim(q, fig, claim_text="Egg prices fell 12.7 percent in April")
    assert fell.checks[0].result == "consistent"
    assert "(a fall of 12.7 %)" in fell.checks[0].explanation
    rose = check_claim(q, fig, claim_text="Egg prices rose 12.7 percent in April")
    assert rose.checks[0].result == "inconsistent"
    unsaid = check_claim(q, fig)
    assert unsaid.checks[0].result == "inconsistent"
    more = check_claim(
        [parse_quantity_spec(">90 percent")],
        [Figure(value=-89.9, unit="percent")],
        claim_text="Trade fell by more than 90 percent",
    )
    assert more.checks[0].result == "inconsistent"


def test_unit_remarks_are_kept_out_of_the_unit() -> None:
    check = check_figure(
        parse_quantity_spec("4.25-4.5 percent"), Figure(value=4.5, unit="percent (upper bound)")
    )
    assert check.result == "consistent"
    assert "evidence 4.5 % (upper bound)" in check.explanation


def test_one_source_label_rule() -> None:
    url = "https://stats.example.gov/cpi/2025-04"
    assert source_label("Bureau of Labor Statistics", "CPI, April", url) == (
        "Bureau of Labor Statistics"
    )
    assert source_label(None, "CPI, April 2025", url) == "CPI, April 2025"
    long_title = "Consumer Price Index for All Urban Consumers, April 2025 release"
    cut = source_label("", long_title, url)
    assert cut == long_title[:39] + "…" and cut is not None and len(cut) == 40
    assert source_label(None, "x" * 40, url) == "x" * 40  # exactly 40: kept whole
    assert source_label(None, None, url) == "stats.example.gov"
    assert source_label(None, None, "not a url") == "not a url"
    assert source_label(None, None, None) is None


def test_the_figure_builder_labels_and_the_explanation_names_the_source() -> None:
    fig = evidence_figure(
        19,
        "percent",
        as_of=dt.date(2025, 5, 1),
        stance="supports",
        evidence_id=7,
        title="Ukraine control map",
        url="https://understandingwar.example.org/map",
    )
    assert fig == Figure(
        value=19.0,
        unit="percent",
        as_of=dt.date(2025, 5, 1),
        stance="supports",
        label="Ukraine control map",
        evidence_id=7,
    )
    check = check_claim([parse_quantity_spec("~20 percent")], [fig])
    assert "as of 2025-05-01 (Ukraine control map)" in check.checks[0].explanation


def test_an_unset_organisation_tolerance_is_the_core_default() -> None:
    q = [parse_quantity_spec("~20 percent")]
    fig = [Figure(value=21.9, unit="percent")]
    unset = check_claim(q, fig)
    assert unset.tolerance == DEFAULT_TOLERANCE
    assert unset.checks[0].result == "consistent"  # within ±10 %
    tight = check_claim(q, fig, default_tolerance=0.05)
    assert tight.tolerance == 0.05 and tight.checks[0].result == "inconsistent"


def test_temperatures_and_codes_are_checked_in_the_claims_unit() -> None:
    """Round nine's units: a Fahrenheit figure against a Celsius claim is converted; degrees with
    no scale are not; a code before or after a figure names its currency."""
    from claimcheck.core.quantities.scanner import parse_quantities

    (hot,) = parse_quantities("the city hit 40°C on Tuesday")
    assert check_figure(hot, Figure(value=104, unit="°F")).result == "consistent"
    assert check_figure(hot, Figure(value=95, unit="degrees Fahrenheit")).result == "inconsistent"
    (vague,) = parse_quantities("it was 40 degrees in the square")
    assert check_figure(vague, Figure(value=104, unit="°F")).converted is None
    (cost,) = parse_quantities("the deal is worth USD 5 million")
    assert check_figure(cost, Figure(value=5, unit="million USD")).result == "consistent"


@pytest.mark.parametrize("spec", ["5 USD/", "5 /hour", "5 percent / ", "3 km/ "])
def test_a_rate_missing_one_side_is_refused(spec: str) -> None:
    # "USD/" or "/hour" names no rate: the compact form refuses it instead of storing the unit.
    with pytest.raises(QuantitySyntaxError, match="cannot read the rate"):
        parse_quantity_spec(spec)
    assert parse_quantity_spec("15 USD/hour").unit == "USD/hour"
