"""UTCDateTime's SQLite reader: its fast path gives what SQLAlchemy's own parser gives, always."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from claimcheck.tables import UTCDateTime


def _usual(value: Any) -> Any:
    """SQLAlchemy's SQLite DATETIME parser followed by process_result_value: the slow path."""
    dialect = sqlite.dialect()
    parsed = sqlite.DATETIME().result_processor(dialect, None)(value)  # type: ignore[misc]
    return UTCDateTime().process_result_value(parsed, dialect)


def _outcome(read: Callable[[Any], Any], value: Any) -> tuple[str, Any]:
    try:
        result = read(value)
    except (ValueError, TypeError) as exc:
        return ("error", type(exc))
    return ("value", (result, None if result is None else result.tzinfo))


FAST = UTCDateTime()._cached_result_processor(sqlite.dialect(), None)

# Characters of the stored form and ones that might fool a parser: other digits, separators.
_CHARS = st.sampled_from([*"0123456789-: .T,+Z", "٣", "２", "W", "\u00a0"])
_CANONICAL = st.builds(
    lambda d, us: f"{d.year:04d}-{d:%m-%d %H:%M:%S}.{us:06d}",
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.integers(0, 999_999),
)


def _mutated(draw: Any) -> str:
    base = list(draw(_CANONICAL))
    for _ in range(draw(st.integers(1, 3))):
        base[draw(st.integers(0, 25))] = draw(_CHARS)
    return "".join(base)


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        _CANONICAL,
        st.composite(_mutated)(),
        st.text(_CHARS, min_size=19, max_size=32),
        st.text(_CHARS, min_size=26, max_size=26),
    )
)
def test_fast_path_reads_as_sqlalchemy_does(value: str) -> None:
    assert _outcome(FAST, value) == _outcome(_usual, value)


@pytest.mark.parametrize(
    "value",
    [
        "2025-01-06 05:05:05.000005",
        "2025-01-06 05:05:05",  # no fraction: the usual way
        "2025-01-06T05:05:05.000005",  # a T: the usual way (SQLAlchemy reads midnight)
        "2025-W01-1 05:05:05.000005",  # an ISO week date fromisoformat would take
        "2025-01-06 05:05:05,000005",  # a decimal comma fromisoformat would take
        "２025-01-06 05:05:05.000005",  # a non-ASCII digit
        "2025-02-30 05:05:05.000005",  # no such day: both refuse
        None,
    ],
)
def test_edge_cases_read_as_sqlalchemy_does(value: str | None) -> None:
    assert _outcome(FAST, value) == _outcome(_usual, value)


def test_values_are_aware_utc_and_other_backends_keep_sqlalchemys_reader() -> None:
    got = FAST("2025-01-06 05:05:05.000005")
    assert got == dt.datetime(2025, 1, 6, 5, 5, 5, 5, tzinfo=dt.UTC) and got.tzinfo is dt.UTC
    pg = UTCDateTime()._cached_result_processor(postgresql.dialect(), None)
    assert pg is None or pg.__qualname__ != FAST.__qualname__
    aware = dt.datetime(2025, 1, 6, 7, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert UTCDateTime().process_result_value(aware, postgresql.dialect()) == aware


def test_round_trip_through_sqlite() -> None:
    engine = create_engine("sqlite://")
    table = Table(
        "t", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    table.create(engine)
    when = [
        dt.datetime(2025, 1, 6, 5, 5, 5, 5, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 6, 5, 5, 5, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
    ]
    with engine.begin() as conn:
        conn.execute(
            insert(table),
            [{"id": i, "at": w} for i, w in enumerate(when)] + [{"id": 9, "at": None}],
        )
        conn.execute(text("INSERT INTO t (id, at) VALUES (10, '2025-01-06 05:05')"))  # hand-made
        got = [row.at for row in conn.execute(select(table).order_by(table.c.id))]
    assert got[:3] == when and all(g.tzinfo is dt.UTC for g in got[:3])
    assert got[3] is None
    assert got[4] == _usual("2025-01-06 05:05")
