"""The CSV export: one row per claim, UTF-8 with a header, formula injection neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.export.cells import FORMULA_TRIGGERS, guard_formula, guard_row, is_number
from claimcheck.export.render_csv import COLUMNS
from tests.conftest import CLI
from tests.reportdata import FORMULA, export, populate


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2 percent", "'-2 percent"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+3.25", "+3.25"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_guard_formula(raw: str, safe: str) -> None:
    assert guard_formula(raw) == safe


def test_is_number() -> None:
    assert is_number("-1.5") and is_number("2e3") and not is_number("1,5")


@pytest.fixture
def csv_bytes(cli: CLI) -> bytes:
    populate(cli.db.url)
    return bytes(export(cli, "-f", "csv").stdout_bytes)


def test_csv_has_a_header_and_one_row_per_claim(csv_bytes: bytes) -> None:
    text = csv_bytes.decode("utf-8")
    assert text.endswith("\r\n") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "10", "11", "12"]
    first = rows[0]
    assert first["verdict_label"] == "True" and first["rating_value"] == "5"
    assert first["tags"] == "prisoners; war"
    assert first["claimant_same_as"] == "https://www.wikidata.example.org/wiki/Q100001"
    assert rows[2]["corrections"] == "2025-05-22: Mostly false -> False"
    assert rows[-1]["text"] == "Росія контролює близько 20 відсотків території України 🇺🇦"


def test_no_cell_can_start_a_formula(csv_bytes: bytes) -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS) or is_number(cell), cell
    by_id = {r[0]: r for r in rows[1:]}
    formula = dict(zip(rows[0], by_id["11"], strict=True))
    assert formula["text"].startswith("'" + FORMULA)
    assert formula["claim_reviewed"] == "'@SUM(1+1) | tops the table"
    assert formula["rationale"] == "'+1 for trying; -1 for the formula."


def test_list_csv_output_uses_the_same_guard(cli: CLI) -> None:
    cli.ok("add", "=cmd|' /C calc'!A0", "--source", "https://example.org/x")
    out = cli.ok("list", "-f", "csv").stdout
    assert "'=cmd|' /C calc'!A0" in out


# Cells built from the characters that matter (triggers, quotes, digits, NUL) and plain text.
_CELL = st.text(
    alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "\x00", "1", ".", "a", " "]),
    max_size=6,
) | st.text(max_size=8)


@given(st.lists(_CELL, max_size=8))
def test_guard_row_is_guard_formula_of_each_cell(cells: list[str]) -> None:
    assert list(guard_row(cells)) == [guard_formula(cell) for cell in cells]


def test_guard_row_checks_every_cell_start() -> None:
    assert guard_row(("plain", "text")) == ("plain", "text")
    assert guard_row(("plain", "=SUM(A1)", "-5", "x\x00=y")) == [
        "plain",
        "'=SUM(A1)",
        "-5",
        "x\x00=y",
    ]
    assert guard_row(("", "'@x")) == ["", "''@x"]
