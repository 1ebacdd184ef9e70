"""The import readers and the row model on their own (pure: no database).

The CLI tests in test_importer.py run whole imports on both databases; these pin what each reader
yields — lines, mapped column names, problems — so the readers can change without a database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimcheck.errors import UsageError
from claimcheck.services.importing import readers
from claimcheck.services.importing.readers import FileProblem, count_lines, detect_format, read_rows
from claimcheck.services.importing.rows import Checked, Defaults, RawRow, validate_row


def _rows(tmp_path: Path, name: str, content: str | bytes, fmt: str) -> list[RawRow]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return list(read_rows(path, fmt))


def _problem(tmp_path: Path, name: str, content: str, fmt: str) -> str:
    with pytest.raises(FileProblem) as info:
        _rows(tmp_path, name, content, fmt)
    return str(info.value)


def test_csv_rows_carry_their_first_line_and_mapped_names(tmp_path: Path) -> None:
    content = (
        "Text,Source,claimant,tags\n"
        '"A claim that spans\ntwo lines",https://ex.org/a,Ana Silva,x;y\n'
        "\n"
        "Second claim,,,\n"
    )
    rows = _rows(tmp_path, "a.csv", content, "csv")
    assert [(r.line, r.data) for r in rows] == [
        (
            2,
            {
                "text": "A claim that spans\ntwo lines",
                "source_url": "https://ex.org/a",
                "speaker": "Ana Silva",
                "tags": "x;y",
            },
        ),
        (5, {"text": "Second claim"}),  # empty cells are left out, blank lines skipped
    ]


def test_tsv_is_recognised_and_formula_guards_are_undone(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "a.tsv", "text\tspeaker\n'=1+1 is two\tBob\n", "csv")
    assert rows[0].data == {"text": "=1+1 is two", "speaker": "Bob"}


def test_csv_ignored_columns_are_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "listed.csv"
    path.write_text("id,text,version\n1,A claim,3\n", encoding="utf-8")
    ignored: list[list[str]] = []
    rows = list(read_rows(path, "csv", ignored.append))
    assert ignored == [["id", "version"]]
    assert rows[0].data == {"text": "A claim"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file: the file is empty (a CSV import needs a header)"),
        ("speaker\nBob\n", "line 1: the header has no 'text' column"),
        (
            "text,Speaker,speaker\n",
            "line 1, column speaker: this column appears twice in the header",
        ),
        ("text,colour\n", "line 1: unknown column 'colour'"),
        (
            'text\n"never closed\n',
            "line 2: unexpected end of data (the rest of the file was not read)",
        ),
    ],
)
def test_csv_file_problems(tmp_path: Path, content: str, message: str) -> None:
    assert _problem(tmp_path, "p.csv", content, "csv").startswith(message)


def test_csv_row_with_the_wrong_number_of_cells(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "c.csv", "text,speaker\na,b,c\n", "csv")
    assert rows[0].problem is not None and rows[0].problem.startswith(
        "has 3 cells, the header has 2"
    )


def test_csv_bytes_that_are_not_utf8_are_found_by_line(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "b.csv", b"text\nfine\nbad \xff byte\n", "csv")
    results = [validate_row(r, Defaults(parse_quantities=False)) for r in rows]
    assert isinstance(results[0], Checked)
    assert [str(p) for p in results[1]] == [  # type: ignore[union-attr]
        "line 3, column text: not valid UTF-8 text (or a lone surrogate escape)"
    ]


def test_jsonl_rows_and_problems(tmp_path: Path) -> None:
    content = '{"Text": "a", "claimant": "Ana", "id": 4}\n\n[1]\n{bad\n{"text": ""}\n'
    rows = _rows(tmp_path, "a.jsonl", content, "jsonl")
    assert [(r.line, r.data, r.problem) for r in rows] == [
        (1, {"text": "a", "speaker": "Ana"}, None),
        (3, {}, "expected a JSON object, found a list"),
        (4, {}, "not valid JSON: Expecting property name enclosed in double quotes at column 2"),
        (5, {}, None),  # an empty value is left out (and then the text is missing)
    ]


def test_jsonl_an_over_long_line_is_refused_without_being_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_LINE_CHARS", 50)
    content = '{"text": "' + "x" * 500 + '"}\n{"text": "short"}\n'
    rows = _rows(tmp_path, "l.jsonl", content, "jsonl")
    assert [(r.line, r.problem) for r in rows] == [
        (1, "longer than 50 characters"),
        (2, None),
    ]
    assert rows[1].data == {"text": "short"}


def test_json_array_elements_carry_their_first_line(tmp_path: Path) -> None:
    big = "y" * 200_000  # larger than the reader's 64 KiB chunk: the buffer grows
    content = '\ufeff[\n  {"text": "a"},\n\n  {"text":\n "b"}, {"text": "' + big + '"}\n]\n'
    rows = _rows(tmp_path, "a.json", content, "json")
    assert [r.line for r in rows] == [2, 4, 5]
    assert [r.data["text"][:1] for r in rows] == ["a", "b", "y"]
    assert len(rows[2].data["text"]) == len(big)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"claims": []}', "line 1: this is a JSON object, not an array of claims"),
        ('"text"', "line 1: a JSON import file must be an array of objects"),
        ('[{"text": "a"},\n {"text": "b"}', "line 2: the JSON array is not closed with ']'"),
        ('[{"text": "a"}\n {"text": "b"}]', "line 2: expected ',' or ']' between elements"),
        ('[{"text": "a"}]\n[]', "line 2: text after the end of the JSON array"),
        ('[{"text": "a"},\n {"text": "b"', "line 2: not valid JSON"),
    ],
)
def test_json_array_file_problems(tmp_path: Path, content: str, message: str) -> None:
    assert _problem(tmp_path, "p.json", content, "json").startswith(message)


def test_json_array_non_objects_are_row_problems(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "n.json", '[{"text": "a"}, 3, "s"]', "json")
    assert [r.problem for r in rows] == [
        None,
        "expected a JSON object, found a int",
        "expected a JSON object, found a string",
    ]


@pytest.mark.parametrize(
    ("name", "given", "fmt"),
    [
        ("a.csv", None, "csv"),
        ("a.TSV", None, "csv"),
        ("a.ndjson", None, "jsonl"),
        ("a.jsonl", None, "jsonl"),
        ("a.json", None, "json"),
        ("a.txt", "jsonl", "jsonl"),
    ],
)
def test_detect_format(name: str, given: str | None, fmt: str) -> None:
    assert detect_format(name, given) == fmt


@pytest.mark.parametrize(("name", "given"), [("a.txt", None), ("a.csv", "xml")])
def test_detect_format_refuses(name: str, given: str | None) -> None:
    with pytest.raises(UsageError):
        detect_format(name, given)


def test_count_lines(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_bytes(b"")
    assert count_lines(path) == 1
    path.write_bytes(b"a\n" * 3 + b"tail")
    assert count_lines(path) == 3


def test_validated_rows_take_the_defaults(tmp_path: Path) -> None:
    raw = RawRow(2, {"text": " Rents rose 9 percent ", "tags": "Housing;rents"})
    defaults = Defaults(source_url="https://EX.org/a", tags=("extra",))
    row = validate_row(raw, defaults)
    assert isinstance(row, Checked)
    expected: dict[str, Any] = {
        "text": "Rents rose 9 percent",
        "source_url": "https://ex.org/a",
        "tags": ("housing", "rents", "extra"),
        "quantities_parsed": True,
    }
    assert {k: getattr(row, k) for k in expected} == expected
    assert row.quantities and row.quantities[0]["value"] == 9


def test_json_array_lines_stay_right_across_many_chunks(tmp_path: Path) -> None:
    """Lines are counted incrementally as the buffer refills; they must match the file."""
    elements = [f'{{"text": "claim {i} {"z" * (i % 300)}"}}' for i in range(3000)]
    content = "[\n" + ",\n".join(elements) + "\n]\n"  # about 0.5 MB: several 64 KiB chunks
    rows = _rows(tmp_path, "many.json", content, "json")
    assert [r.line for r in rows] == list(range(2, 3002))
    broken = content.replace('{"text": "claim 2999', '{"text" "claim 2999')
    assert _problem(tmp_path, "broken.json", broken, "json").startswith("line 3001: not valid JSON")
