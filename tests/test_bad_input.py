"""Bad input, tried systematically: every parser and every CLI entry point, on both databases.

The promise under test: whatever a user types or feeds in a file, claimcheck answers with a correct
result or one clean ``Error:`` line (exit 1, or 2 for misuse of options) — never a traceback, never
an internal error, and a command that fails writes nothing (every table's row count is unchanged).

- :func:`test_every_command_survives_hostile_input` walks the whole click command tree and calls
  random commands with random options whose values come from a hostile mix: SQL and FTS injection
  strings, arbitrary Unicode (NUL, RTL, emoji, lone surrogates), near-dates and near-numbers, huge
  values, bad URLs, files of random bytes, invalid UTF-8 and oversized files.
- :func:`test_injection_in_every_filter_and_search_is_inert`: the classic injection strings in
  every filter and in search change nothing and match only what they literally say.
- pure parsers (dates, tags, URLs, quantity specs, quantity cells, import rows, import files)
  either return a valid value or raise their one documented error;
- spreadsheet formula injection: a listing exported as CSV never hands a spreadsheet a formula,
  and importing it back gives the exact text.

``BAD_INPUTS`` counts every hostile value tried (printed with ``pytest -s``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claimcheck.cli.main import cli as root
from tests.conftest import CLI, db_fingerprint
from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk

BAD_INPUTS = {"count": 0}

INJECTION = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE claims; --",
    '"; DROP TABLE events; --',
    "1; DELETE FROM events",
    "1) OR (1=1",
    "' UNION SELECT name, role FROM users --",
    "%",
    "%%",
    "_",
    "___",
    "\\",
    "\\'",
    "'",
    '"',
    '"unbalanced',
    "*",
    "a*",
    "NEAR(a b)",
    "a OR b",
    "NOT a",
    "text:secret",
    "^start",
    "{text statement}: x",
    "claims_fts MATCH '*'",
    "$$ SELECT 1 $$",
    "E'\\\\x00'",
    "/* comment */ x",
    "x' AND sleep(5) --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example")',
    "@SUM(1+1)",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "😀" * 3,
]
ODD = [
    "",
    " ",
    "-",
    "--",
    "-f",
    "0",
    "-1",
    "9" * 40,
    "1e309",
    "nan",
    "inf",
    "-0",
    "2025-02-30",
    "2025-13-01",
    "0000-00-00",
    "9999-12-31",
    "2025-05-16T10:00:00",
    "16/05/2025",
    "http://",
    "https://",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "https://exa mple.org/x",
    "https://user:pw@example.org/x",
    "https://example.org/" + "a" * 3000,
    "https://例え.テスト/パス",
    "~20 percent",
    "10-20 km",
    "<2 hours",
    "$1.5bn",
    "20 zorkmids",
    # bytes that were not UTF-8, as Python hands them over (surrogateescape), and lone surrogates
    "caf\udce9",
    "\udcff",
    "M\udcc3\udcbcller",
    "\ud800",
    "a\udfffb",
]
hostile_text = st.one_of(
    st.sampled_from(INJECTION),
    st.sampled_from(ODD),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.text(  # text with lone surrogates mixed in
        alphabet=st.one_of(
            st.characters(codec="utf-8"), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
        ),
        min_size=1,
        max_size=30,
    ).filter(lambda t: any("\ud800" <= c <= "\udfff" for c in t)),
    st.text(alphabet="0123456789-/.:T +~<>=%$", max_size=20),
    st.builds(
        lambda n, c: c * n, st.integers(5_001, 250_000), st.sampled_from(["x", "é", "😀", " "])
    ),
)
hostile_int = st.one_of(
    st.integers(-(2**70), 2**70).map(str), st.sampled_from(["1", "2", "3", "abc", "", "1.5"])
)

# Commands left out of the random walk, and why (each is covered by its own tests).
EXCLUDED = {
    ("demo",): "writes a whole demo folder; tests/test_workflow_demo.py",
    ("db", "downgrade"): "destroys the schema on purpose (with --yes); tests/test_migrations.py",
    ("db", "copy"): "writes a database wherever --to points; tests/test_dbcopy.py",
}
FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def commands() -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    ctx = click.Context(root)

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None
            path = (*prefix, name)
            if isinstance(cmd, click.Group):
                walk(cmd, path)
            elif path not in EXCLUDED:
                found.append((path, cmd))

    walk(root, ())
    return found


COMMANDS = commands()


@pytest.fixture
def hostile_files(tmp_path: Path) -> list[str]:
    """Files a user might pass by mistake, or on purpose."""
    out = tmp_path / "inputs"
    out.mkdir()
    files = {
        "empty.txt": b"",
        "latin1.txt": "Café à Paris, 20 % des électeurs".encode("latin-1"),
        "invalid-utf8.csv": b"text\n\xff\xfe bad \xc3\x28\n",
        "nul.txt": b"Russia controls \x00 20 percent of Ukraine.",
        "bom.csv": "\ufefftext,said_on\nA claim,2025-05-01\n".encode(),
        "random.bin": bytes(range(256)) * 40,
        "huge-line.jsonl": b'{"text": "' + b"x" * 300_000 + b'"}\n',
        "deep.json": b"[" * 5000 + b"]" * 5000,
        "not-json.json": b"{'text': 'single quotes'}",
        "page.html": b"<html><body><script>alert(1)</script><p>Inflation fell to "
        b"2.3 percent.</p></body></html>",
        "formula.csv": b"text\n=cmd|' /C calc'!A0\n",
    }
    for name, content in files.items():
        (out / name).write_bytes(content)
    return [str(out / n) for n in files] + [str(out / "missing.txt"), str(out)]


def value_for(param: click.Parameter, draw: Any, files: list[str], ids: list[int]) -> list[str]:
    kind = param.type
    if isinstance(param, click.Option) and param.is_flag:
        return [param.opts[0]] if draw(st.booleans()) else []
    if isinstance(kind, click.Choice):
        value = draw(st.one_of(st.sampled_from(list(kind.choices)), hostile_text))
    elif isinstance(kind, click.Path | click.File):
        value = draw(st.one_of(st.sampled_from(files), hostile_text))
    elif isinstance(kind, click.types.IntParamType | click.types.IntRange):
        value = draw(st.one_of(st.sampled_from([str(i) for i in ids]), hostile_int))
    elif isinstance(kind, click.types.FloatParamType | click.types.FloatRange):
        value = draw(st.one_of(st.floats(allow_nan=True).map(str), hostile_text))
    else:
        value = draw(hostile_text)
    BAD_INPUTS["count"] += 1
    if isinstance(param, click.Option):
        return [param.opts[0], value]
    return [value]


@st.composite
def invocations(draw: Any, files: list[str], ids: list[int]) -> list[str]:
    path, cmd = draw(st.sampled_from(COMMANDS))
    args: list[str] = list(path)
    options = [p for p in cmd.params if isinstance(p, click.Option) and p.name != "help"]
    chosen = (
        draw(st.lists(st.sampled_from(options), max_size=4, unique_by=lambda p: p.name))
        if options
        else []
    )
    for param in chosen:
        args += value_for(param, draw, files, ids)
    positional = [p for p in cmd.params if isinstance(p, click.Argument)]
    if positional:
        args.append("--")  # values that start with '-' are values, not options
    for param in positional:
        for _ in range(draw(st.integers(1, 2)) if param.nargs != 1 else 1):
            args += value_for(param, draw, files, ids)
    return args


@pytest.fixture
def desk(cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CLI, list[int]]:
    """A desk with claims in several states, so that ids and workflow moves have targets.

    The commands run in a scratch folder: a random ``--out`` value must not land in the repo.
    """
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    register_desk(cli)
    first = add_claim(cli)
    evidence = add_evidence(cli, first)
    propose(cli, first, evidence["id"])
    second = add_claim(cli, "The talks lasted less than two hours")
    return cli, [first, second, evidence["id"]]


def assert_clean(
    result: Any, before: dict[str, int], after: dict[str, int], argv: list[str]
) -> None:
    output = result.output
    assert result.exit_code in (0, 1, 2, 3), (argv, output)  # 3: a lint failed (lint, --check)
    assert "Traceback" not in output, (argv, output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, output)
    if result.exit_code in (1, 3):
        last = result.stderr.strip().split("\n")[-1] if result.stderr.strip() else ""
        assert last.startswith("Error: ") or last == "Aborted!", (argv, result.stderr)
        assert "internal error" not in result.stderr, (argv, result.stderr)
    if result.exit_code != 0:
        assert after == before, (argv, "a failed command wrote something", before, after)


def _stop_watching_at_the_first_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """``queue --watch`` with a valid interval runs until Ctrl-C: the walk presses it at the
    watch's first wait (the watch itself has tests/test_notify.py), any other sleep is real."""
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        if sys._getframe(1).f_code.co_name == "_watch":
            raise KeyboardInterrupt
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)


def test_the_walk_ends_a_watch_it_starts(
    desk: tuple[CLI, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk can draw ``queue --watch`` with a valid interval, which would wait forever."""
    cli, _ids = desk
    _stop_watching_at_the_first_wait(monkeypatch)
    result = cli.ok("queue", "--watch")  # the default interval, as the walk may draw it
    assert "Stopped watching." in result.stderr


@FAST
@given(data=st.data())
def test_every_command_survives_hostile_input(
    desk: tuple[CLI, list[int]],
    hostile_files: list[str],
    data: st.DataObject,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli, ids = desk
    _stop_watching_at_the_first_wait(monkeypatch)
    argv = data.draw(invocations(hostile_files, ids))
    before = db_fingerprint(cli.db.admin_url)
    result = cli.run(*argv, input="q\n", env={"EDITOR": "true", "VISUAL": "true"})
    assert_clean(result, before, db_fingerprint(cli.db.admin_url), argv)
    options = argv[: argv.index("--")] if "--" in argv else argv
    pairs = list(itertools.pairwise(options))
    interactive = argv[0] == "review"  # the desk without a decision talks to the terminal
    if result.exit_code == 0 and ("-f", "json") in pairs and not interactive and result.stdout:
        json.loads(result.stdout)  # data on stdout, messages on stderr


FILTERS = [
    ("list", "--speaker"),
    ("list", "--source"),
    ("list", "--tag"),
    ("list", "--verdict"),
    ("list", "--assignee"),
    ("list", "--since"),
    ("search", "--speaker"),
    ("search", "--source"),
    ("search", "--verdict"),
    ("queue", "--assignee"),
    ("stats", "--since"),
]


def test_injection_in_every_filter_and_search_is_inert(desk: tuple[CLI, list[int]]) -> None:
    cli, _ids = desk
    before = db_fingerprint(cli.db.admin_url)
    claims = {c["id"]: c for c in cli.json("list", "--limit", "0")}
    for value in INJECTION:
        for command, option in FILTERS:
            BAD_INPUTS["count"] += 1
            argv = [command] + (["x"] if command == "search" else []) + [option, value]
            result = cli.run(*argv, "-f", "json")
            assert result.exit_code in (0, 1, 2), (argv, result.output)  # 2: no such value
            assert "internal error" not in result.output, (argv, result.output)
            assert "Traceback" not in result.output, (argv, result.output)
            if result.exit_code == 0 and command in ("list", "search"):
                # a literal value matched literally: nothing in the desk is called that
                assert json.loads(result.stdout) == [], (argv, result.stdout)
        BAD_INPUTS["count"] += 1
        result = cli.run("search", "-f", "json", "--", value)
        assert result.exit_code in (0, 1), (value, result.output)
        assert "internal error" not in result.output and "Traceback" not in result.output
        if result.exit_code == 0:
            words = [w.lower() for w in re.findall(r"\w+", value)]
            for hit in json.loads(result.stdout):
                hay = " ".join(
                    str(claims[hit["id"]].get(k) or "")
                    for k in ("text", "statement", "source_title")
                ).lower()
                assert any(w[:4] in hay for w in words), (value, hit)
        for command in (["show", "--", value], ["source", "show", "--", value], ["history", value]):
            BAD_INPUTS["count"] += 1
            result = cli.run(*command)
            assert result.exit_code in (1, 2) and "internal error" not in result.output
    assert db_fingerprint(cli.db.admin_url) == before
    assert cli.run("audit", "verify").exit_code == 0


# ---------------------------------------------------------------------------------------------
# Pure parsers

anything = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(anything, st.text(alphabet="0123456789-T:. ", max_size=30)))
def test_dates_are_read_exactly_or_refused(raw: str) -> None:
    from pydantic import ValidationError

    from claimcheck.schemas import ClaimIn

    BAD_INPUTS["count"] += 1
    try:
        claim = ClaimIn(text="x", said_on=raw)  # type: ignore[arg-type]
    except ValidationError:
        return
    # accepted only when it is an ISO 8601 calendar or week date, read as such
    text = raw.strip()
    assert re.fullmatch(r"\d{4}-?\d{2}-?\d{2}|\d{4}-?W\d{2}-?\d", text), raw
    assert claim.said_on == dt.date.fromisoformat(text)


@settings(max_examples=300, deadline=None)
@given(anything)
def test_tags_are_normalised_or_refused(raw: str) -> None:
    from claimcheck.core.text import normalize_tag as _tag

    BAD_INPUTS["count"] += 1
    try:
        tag = _tag(raw)
    except ValueError:
        return
    assert re.fullmatch(r"[\w][\w.:/-]*", tag) and len(tag) <= 64 and _tag(tag) == tag


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        anything,
        st.sampled_from(ODD),
        st.text(alphabet="0123456789.,-~<>=$€ kmbn%", max_size=25).map(lambda s: s + " percent"),
    )
)
def test_quantity_specs_parse_or_refuse(raw: str) -> None:
    from claimcheck.core.quantities.model import Quantity
    from claimcheck.core.quantities.spec import QuantitySyntaxError, parse_quantity_spec

    BAD_INPUTS["count"] += 1
    try:
        quantity = parse_quantity_spec(raw)
    except QuantitySyntaxError:
        return
    assert isinstance(quantity, Quantity)
    assert Quantity.model_validate(quantity.model_dump()) == quantity


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.one_of(
            st.sampled_from(
                [
                    "text",
                    "said_on",
                    "tags",
                    "quantities",
                    "speaker",
                    "source_url",
                    "checkworthiness",
                    "start",
                    "status",
                    "verdict",
                    "id",
                ]
            ),
            st.text(max_size=10),
        ),
        json_values,
        max_size=6,
    )
)
def test_import_rows_validate_or_report(data: dict[str, Any]) -> None:
    from claimcheck.services.importing.readers import _KeyMapper
    from claimcheck.services.importing.rows import Checked, Defaults, Problem, RawRow, validate_row

    BAD_INPUTS["count"] += 1
    raw = _KeyMapper(lambda _ignored: None).row(7, data)
    result = validate_row(raw, Defaults())
    if isinstance(result, list):
        assert result and all(isinstance(p, Problem) and p.line == 7 for p in result)
        assert all(str(p).startswith("line 7") for p in result)
    else:
        assert isinstance(result, Checked) and result.text.strip() == result.text and result.text
    assert isinstance(raw, RawRow)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=400), fmt=st.sampled_from(["csv", "jsonl", "json"]))
def test_import_files_of_random_bytes(tmp_path: Path, content: bytes, fmt: str) -> None:
    from claimcheck.errors import InputError
    from claimcheck.services.importing import check_file

    BAD_INPUTS["count"] += 1
    path = tmp_path / f"random.{fmt}"
    path.write_bytes(content)
    try:
        report = check_file(path, fmt)
    except InputError:
        return
    for problem in report.problems:
        assert str(problem).startswith(("line ", "file")), problem


@settings(max_examples=300, deadline=None)
@given(st.one_of(anything, st.sampled_from(["[", "{", "[{}", '{"value": 1};', ";;;", "[1, [2]]"])))
def test_quantity_cells_parse_or_refuse(raw: str) -> None:
    from claimcheck.services.importing.rows import _quantities

    BAD_INPUTS["count"] += 1
    try:
        items = _quantities(raw)
    except ValueError as exc:
        assert str(exc).startswith("not valid JSON")
        return
    assert isinstance(items, list)


# ---------------------------------------------------------------------------------------------
# Spreadsheet formula injection


formula_text = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["=", "+", "-", "@", "=cmd|' /C calc'!", "+1+", "-2-", "@SUM(", "'=", "''+"]),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=30
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(formula_text, min_size=1, max_size=4, unique_by=lambda t: t.strip().lower()))
def test_exported_csv_carries_no_formula_and_round_trips(
    cli: CLI, tmp_path: Path, texts: list[str]
) -> None:
    added = {}
    for text in texts:
        BAD_INPUTS["count"] += 1
        text = f"{text} #{BAD_INPUTS['count']}"  # the database outlives one example
        result = cli.run("add", "--speaker", text, "--", text)
        if result.exit_code == 0:
            added[int(result.stdout.strip())] = text.strip()
    assume(added)
    # stdout_bytes: CliRunner's .stdout turns "\r\n" into "\n", which the CSV itself keeps
    exported = cli.ok("list", "--limit", "0", "-f", "csv").stdout_bytes.decode("utf-8")
    for row in csv.reader(io.StringIO(exported)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only plain numbers may start so
    by_id = {c["id"]: c for c in cli.json("list", "--limit", "0")}
    source = tmp_path / "listed.csv"
    source.write_text(exported, encoding="utf-8")
    from claimcheck.services.importing import Defaults, check_file, read_rows, validate_row

    assert check_file(source, "csv").ok
    rows = [validate_row(r, Defaults()) for r in read_rows(source, "csv")]
    texts_back = {r.text for r in rows if not isinstance(r, list)}
    assert {by_id[i]["text"] for i in added} <= texts_back
    assert {by_id[i]["claimant"] for i in added if by_id[i]["claimant"]} <= {
        r.speaker for r in rows if not isinstance(r, list)
    }


@pytest.fixture(scope="module", autouse=True)
def report_count() -> Iterator[None]:
    yield
    print(f"\n[bad input] {BAD_INPUTS['count']} hostile values tried in tests/test_bad_input.py")
