"""The import's fast row check agrees with the pydantic row model on every row it accepts.

``validate_row`` first tries a hand-written check of the plainly valid rows and leaves the rest to
``ImportRow``; these tests feed both paths the same rows (ordinary, unusual and bad spellings of
every column) and require the same validated row, or the same problems.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.services.importing.rows import Defaults, RawRow, _fast, validate_row

NUMBERS = ["0", "1", "0.5", "0.789", "1.0", " 1", "1 ", "1_000", "+1", "-0", "00.5", ".5", "1."]
NUMBERS += ["5e-1", "nan", "inf", "2", "12", "0012", "-1", "1.5", "１", "0x1", "", " "]
TEXTS = ["Inflation fell to 2 percent", "  padded  ", "", "   ", "a\x00b", "x" * 5001, "é ok"]
CELLS: dict[str, list[Any]] = {
    "text": [*TEXTS, 5],
    "speaker": ["Jerome Powell", " Senator Ana Silva ", "", " ", "x" * 201, 3],
    "speaker_kind": ["person", "organization", "Person", "robot"],
    "source_url": [
        "https://ex.org/a?utm_source=x",
        "http://EX.org/b#frag",
        "ftp://ex.org/c",
        "not a url",
        "https://localhost/x",
    ],
    "source_title": ["A story", "  ", "t" * 501, "a\x00"],
    "publisher": ["Daily Ledger", ""],
    "published_on": ["2025-05-13", " 2025-05-13 ", "20250513", "2025-13-01", "May 5", 7],
    "source_kind": ["article", "report", "blog"],
    "said_on": ["2024-02-29", "2023-02-29", ""],
    "tags": [
        "economy;inflation",
        "a, b ,c",
        "Economy Growth;economy-growth",
        ";;",
        "bad tag!",
        ["x", "y"],
        ["x", 3],
        ";".join(f"t{i}" for i in range(51)),
    ],
    "statement": ["Short", " ", "s" * 301],
    "context": ["Around it", "c" * 20_001],
    "start": [*NUMBERS, 0, 3, -1, True, 1.0, 10**16],
    "end": [*NUMBERS, 7],
    "checkworthiness": [*NUMBERS, 0, 1, 0.25, 2, True, float("nan")],
    "tolerance": [*NUMBERS, 0.1],
    "quantities": [
        '[{"value": 2.3, "unit": "percent", "comparator": "="}]',
        '{"value": 2}; {"value": 3, "unit": null}',
        '[{"value": [1, 2], "comparator": "range", "tolerance": 1}]',
        '[{"value": [2, 1], "comparator": "range"}]',
        '[{"value": [1, 2]}]',
        '[{"value": 1, "comparator": "range"}]',
        '[{"value": "2"}]',
        '[{"value": true}]',
        '[{"value": 1, "tolerance": 11}]',
        '[{"value": 1, "extra": 1}]',
        '[{"value": 1, "surface": 5}]',
        '[{"unit": "km"}]',
        "[1, 2]",
        "[]",
        "not json",
        "[" * 40 + "]" * 40,
        [{"value": 4, "unit": "km", "surface": "4 km"}],
        {"value": 1},
    ],
    "status": ["new", " new ", "verified"],
    "verdict": ["false"],
    "rationale": ["because"],
    "colour": ["blue"],
}
# (No None: the readers leave empty cells and JSON nulls out of a row.)
OPTIONAL = [k for k in CELLS if k != "text"]


def both(data: dict[str, Any], defaults: Defaults | None = None) -> tuple[Any, Any]:
    raw = RawRow(7, data)
    defaults = defaults or Defaults(parse_quantities=False)
    return validate_row(raw, defaults), validate_row(raw, defaults, fast=False)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if draw(st.booleans()) or draw(st.booleans()):
        data["text"] = draw(st.sampled_from(CELLS["text"]))
    for name in draw(st.lists(st.sampled_from(OPTIONAL), max_size=6, unique=True)):
        data[name] = draw(st.sampled_from(CELLS[name]))
    return data


@settings(max_examples=600, deadline=None)
@given(rows())
def test_fast_check_agrees_with_the_model(data: dict[str, Any]) -> None:
    fast, model = both(data)
    assert fast == model


def test_every_cell_alone_agrees_with_the_model() -> None:
    """Each listed spelling of each column, beside a good text: same result both ways."""
    accepted = 0
    for name, values in CELLS.items():
        for value in values:
            data = {"text": "Rents rose by 3 percent"} if name != "text" else {}
            data[name] = value
            fast, model = both(data)
            assert fast == model, (name, value)
            accepted += _fast(dict(data)) is not None
    assert accepted > 60  # the fast path takes the ordinary spellings, not only the model


def test_plain_rows_take_the_fast_path_with_the_models_values() -> None:
    data = {
        "text": " Unemployment is at 4.2 percent ",
        "speaker": "Senator Ana Silva",
        "source_url": "https://ex.org/a?utm_source=x",
        "said_on": "2025-05-13",
        "tags": "Economy;jobs;economy",
        "checkworthiness": "0.8",
        "start": "0",
        "quantities": json.dumps([{"value": 4.2, "unit": "percent"}]),
    }
    assert _fast(dict(data)) is not None
    fast, model = both(data)
    assert fast == model
    assert fast.text == "Unemployment is at 4.2 percent"
    assert fast.tags == ("economy", "jobs")
    assert fast.quantities == [{"value": 4.2, "unit": "percent", "comparator": "=", "surface": ""}]


def test_bad_rows_are_worded_by_the_model() -> None:
    fast, model = both({"text": "x", "checkworthiness": "2", "verdict": "false"})
    assert fast == model
    assert [str(p) for p in fast] == [
        "line 7, column checkworthiness: '2' is out of range: it must be at most 1",
        "line 7, column verdict: verdicts are not imported: a verdict needs evidence and a "
        "second person's approval (leave the column empty and review the claims after the "
        "import)",
    ]


def test_defaults_and_parsed_quantities_agree() -> None:
    defaults = Defaults(source_url="https://ex.org/d", tags=("desk",), parse_quantities=True)
    fast, model = both({"text": "Exports fell by 12 percent", "tags": "trade"}, defaults)
    assert fast == model
    assert fast.source_url == "https://ex.org/d"
    assert fast.tags == ("trade", "desk")
    assert fast.quantities_parsed and fast.quantities


@settings(max_examples=300, deadline=None)
@given(
    rows(),
    st.sampled_from([None, "Ana Silva", 'Dr. "Q" Ö']),
    st.sampled_from([None, "https://ex.org/a"]),
    st.sampled_from([None, (0, 5), (3, 40)]),
    st.dates(),
)
def test_created_json_is_the_canonical_claim_state(
    data: dict[str, Any], claimant: str | None, source: str | None, span: Any, said_on: Any
) -> None:
    """The import's assembled ``create`` state is exactly canonical(claim_state(...))."""
    from claimcheck.core import events
    from claimcheck.services.audit import canonical
    from claimcheck.services.importing.writer import CREATED_KEYS, created_json, encode_parts

    row = validate_row(RawRow(3, data), Defaults(parse_quantities=True))
    if isinstance(row, list):
        return
    start, end = span or (None, None)
    state = events.claim_state(
        text=row.text,
        statement=row.statement,
        context=row.context,
        said_on=said_on,
        claimant=claimant,
        source=source,
        start=start,
        end=end,
        quantities=row.quantities,
        tolerance=row.tolerance,
        checkworthiness=row.checkworthiness,
        tags=sorted(row.tags),
    )
    assert tuple(sorted(state)) == CREATED_KEYS
    assert row.encoded == encode_parts(row)
    kw = {"said_on": said_on, "claimant": claimant, "source": source, "start": start, "end": end}
    assert created_json(row.encoded, **kw) == canonical(state)
