"""Property tests: arbitrary text and option values never produce a traceback."""

from __future__ import annotations

import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.queries import fts_query
from claimcheck.urls import normalize_url
from tests.conftest import CLI

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
anything = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


@given(anything)
def test_normalize_url_raises_only_value_error(raw: str) -> None:
    try:
        out = normalize_url(raw)
    except ValueError:
        return
    assert out.startswith(("http://", "https://"))
    assert normalize_url(out) == out  # idempotent


@given(anything)
def test_fts_query_is_quoted_words_only(raw: str) -> None:
    try:
        q = fts_query(raw)
    except Exception as exc:
        assert type(exc).__name__ == "InputError"
        return
    # Quoted words and phrases (a prefix star after the quote), joined only by our own AND / OR
    # and parentheses: nothing the user typed is FTS5 syntax.
    rest = re.sub(r'"[^\W_]+(?: [^\W_]+)*"\*?', "T", q)
    assert re.fullmatch(r"[()T]+(?: (?:AND|OR) [()T]+)*", rest), (raw, q)


@FAST
@given(text=anything, speaker=st.one_of(st.none(), anything), tag=st.one_of(st.none(), anything))
def test_add_never_tracebacks(cli: CLI, text: str, speaker: str | None, tag: str | None) -> None:
    args = ["add"]
    if speaker is not None:
        args += ["--speaker", speaker]
    if tag is not None:
        args += ["--tag", tag]
    args += ["--", text]  # a text like "-0" is the claim, not an option
    result = cli.run(*args)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


option_value = st.one_of(
    anything, st.text(alphabet=string.printable, max_size=40), st.integers().map(str)
)


@FAST
@given(
    option=st.sampled_from(
        ["--since", "--until", "--speaker", "--source", "--tag", "--verdict", "--limit"]
    ),
    value=option_value,
    query=anything,
)
def test_list_and_search_never_traceback(cli: CLI, option: str, value: str, query: str) -> None:
    for args in (["list", option, value, "-f", "json"], ["search", query or "x", "-f", "json"]):
        result = cli.run(*args)
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
