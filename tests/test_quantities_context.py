"""Quantities whose unit the surrounding words give (issue 13, round three): counted nouns
behind lower-case modifiers or further away, shares written as ``N out of M``, poll points,
ages, rates as adverbs, and numbers that are addresses or list ranks. Sentences written for
this test."""

from __future__ import annotations

import pytest

from claimcheck.core.quantities.scanner import find_quantities, parse_quantities


def _read(text: str) -> list[tuple[object, str | None, str]]:
    out: list[tuple[object, str | None, str]] = []
    for q in parse_quantities(text):
        value = tuple(q.value) if isinstance(q.value, list) else q.value
        out.append((value, q.unit, q.comparator))
    return out


def _approx(expected: list[tuple[object, str | None, str]]) -> list[tuple[object, str | None, str]]:
    return [
        (
            tuple(float(v) for v in value) if isinstance(value, tuple) else pytest.approx(value),
            unit,
            comparator,
        )
        for value, unit, comparator in expected
    ]


CASES = [
    # a noun after lower-case modifiers (adjectives, noun modifiers) is counted
    ("the airline cut four regional routes", [(4, "route", "=")]),
    ("the city opened nine new public libraries", [(9, "library", "=")]),
    ("the mayor named three deputy commissioners", [(3, "people", "=")]),
    ("the agency closed five major Pacific ports", [(5, "port", "=")]),
    ("two earlier surveys had found the same", [(2, "survey", "=")]),
    # ... unless the word after the number starts a clause
    # (not "taxes": "61 say" counts the people who say it, an act only people do: round seven)
    ("of those asked, 61 say taxes are too high", [(61, "people", "=")]),
    ("only 14 were schools", [(14, None, "=")]),
    ("the bill passed 60 along strict party lines", [(60, None, "=")]),
    ("another 3 million more households", [(3e6, "people", "=")]),
    # a year before a modifier or a lower-case noun is the year
    ("In 2019 new tariffs took effect", []),
    ("after 2012 voters turned away from the party", []),
    ("more than 2000 new homes were built", [(2000, "home", ">")]),
    # the noun of the whole a number is part of
    # ("its last twelve" counts matches: after "last", "past", "first" a number word counts)
    ("the club won eleven of its last twelve matches", [(11, "match", "="), (12, "match", "=")]),
    ("43 of the 50 governors signed the letter", [(43, "people", "="), (50, "people", "=")]),
    ("Three of the council's 15 districts voted no", [(3, "district", "="), (15, "district", "=")]),
    ("Four of the Republicans on the panel objected", [(4, "people", "=")]),
    ("one of the 20 members left", [(20, "people", "=")]),
    # a bare number counts what the count before it in the sentence counts
    (
        "they have 210 pledged delegates and 30 party officials, a total of 240",
        [(210, "people", "="), (30, "people", "="), (240, "people", "=")],
    ),
    ("the board seated 7 trustees rather than 9", [(7, "people", "="), (9, "people", "=")]),
    ("the plant has 40 turbines; 12 of them are idle", [(40, "turbine", "="), (12, None, "=")]),
    ("the firm owns 40 trucks and 12 of them are idle", [(40, "truck", "="), (12, "truck", "=")]),
    ("Of the 30 schools inspected, eight were closed", [(30, "school", "="), (8, "school", "=")]),
    ("the carrier flew 90 jets. 12 were grounded", [(90, "jet", "="), (12, None, "=")]),
    # people implied by the whole
    ("she is a mother of four", [(4, "people", "=")]),
    ("a village of about 600 in the hills", [(600, "people", "~")]),
    ("a county with a population of 2.1 million", [(2.1e6, "people", "=")]),
    # ages after a human noun and under/over
    ("drivers over 70 must renew every year", [(70, "year", ">")]),
    ("children under 5 travel free", [(5, "year", "<")]),
    ("prices under 30 dollars", [(30, "USD", "<")]),
    # poll points are percentage points; index points are not
    ("the governor leads her rival by seven points", [(7, "percentage point", "=")]),
    ("a 12-point lead in the poll", [(12, "percentage point", "=")]),
    ("the Nasdaq lost 150 points on Monday", [(150, "point", "=")]),
    # shares written as N out of M, N of every M, N in M
    ("eight out of 10 dentists agree", [(80, "percent", "=")]),
    ("nearly three out of four renters", [(75, "percent", "~")]),
    ("roughly $3 of every $4 raised", [(75, "percent", "~")]),
    ("two in five workers", [(40, "percent", "=")]),
    ("almost nine of 10 parents agree", [(90, "percent", "~")]),
    ("the firm won 61 of 140 tenders", [(61, "tender", "="), (140, "tender", "=")]),
    ("he scored 5 in 10 minutes", [(5, None, "="), (10, "minute", "=")]),
    # rates written as an adverb
    ("wages rose 2.5 percent annually", [(2.5, "percent/year", "=")]),
    ("the subscription is $12 monthly", [(12, "USD/month", "=")]),
    ("the ferry runs 6 times daily", [(6, "time/day", "=")]),
    # fractions and durations the brief lists, which the earlier rules already read
    ("the hearing lasted about an hour", [(1, "hour", "~")]),
    ("half the nurses quit", [(50, "percent", "=")]),
    ("two-thirds of the 100 senators", [(200 / 3, "percent", "="), (100, "people", "=")]),
    # fractions written as one word with their number or unit
    ("a half-dozen mayors endorsed him", [(6, "people", "=")]),
    ("the vote closed less than a half-hour later", [(0.5, "hour", "<")]),
    ("one-third of the budget", [(33.3333, "percent", "=")]),
    ("give one-half the proceeds to charity", [(50, "percent", "=")]),
    ("the Democratic half of the committee", []),  # a part, not a share
    # addresses, bracketed list ranks, years with an apostrophe, style sheets, "number two"
    ("the ’20 election and the class of '89", []),
    ("''30 percent,'' she said", [(30, "percent", "=")]),
    ("font-size:12px; width:50%;", []),
    ("Number three, we cut the waste", []),
    ("the number one problem", []),
    ("the office at 221 East 42nd Street", []),
    ("a rally near 10 Downing Street", []),
    ("the ranking puts Jane Roe (3.) ahead", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_context_gives_the_unit(text: str, expected: list[tuple[object, str | None, str]]) -> None:
    assert _read(text) == _approx(expected)


def test_a_share_runs_to_its_whole() -> None:
    (span,) = find_quantities("Nine out of 10 pharmacists said so")
    assert span.quantity.surface == "Nine out of 10 pharmacists"


def test_a_rate_adverb_is_part_of_the_surface() -> None:
    (span,) = find_quantities("costs grew 4 percent yearly since then")
    assert span.quantity.surface == "4 percent yearly"


def test_a_carried_count_stops_at_the_sentence() -> None:
    # the delegates belong to the first sentence: the second sentence's total stays bare
    got = _read("He has 300 delegates. The total of 500 was reached in May")
    assert got == _approx([(300, "people", "="), (500, None, "=")])
