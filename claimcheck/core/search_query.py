"""What a user types to ``claimcheck search``, parsed once and written for each search engine.

The syntax is the one web search taught everyone: words must all match; ``OR`` (capitals)
between two words or phrases accepts either; ``"two words"`` is a phrase, its words next to each
other in that order; a word ending in ``*`` matches as a prefix. Everything else (other
punctuation, quotes left open, operators of the engines themselves) is ignored, so no input can
reach FTS5 or PostgreSQL as syntax: the engines get only the words, quoted or joined by us.

A query is a list of *clauses*, all required; a clause is a list of *terms*, any one of which
satisfies it (``a b OR c`` is ``a AND (b OR c)``, as in PostgreSQL's ``websearch_to_tsquery``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimcheck.errors import InputError

MAX_TERMS = 32
_PIECE = re.compile(r'"([^"]*)"?|(\bOR\b|\|)|([^\W_]+)(\*?)')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of several; ``prefix``: the last word matches as a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Query:
    clauses: tuple[tuple[Term, ...], ...]

    @property
    def terms(self) -> list[Term]:
        return [t for clause in self.clauses for t in clause]


def parse(text: str) -> Query:
    """The clauses of ``text``; an InputError naming QUERY when it holds no word at all."""
    clauses: list[list[Term]] = []
    joining = False  # the previous piece was OR: the next term joins the last clause
    count = 0
    for m in _PIECE.finditer(text):
        phrase, operator, word, star = m.groups()
        if operator:
            joining = bool(clauses)
            continue
        if phrase is not None:
            words = tuple(_WORD.findall(phrase))
            term = Term(words, prefix=False) if words else None
        else:
            term = Term((word,), prefix=bool(star))
        if term is None or count >= MAX_TERMS:
            continue
        count += 1
        if joining and clauses:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joining = False
    if not clauses:
        raise InputError("QUERY: give at least one word to search for")
    return Query(tuple(tuple(dict.fromkeys(c)) for c in clauses))


def fts5(query: Query, columns: tuple[str, ...] | None = None) -> str:
    """The query as FTS5 syntax: every word double-quoted, so nothing in it is an operator.

    ``columns``: match only in these columns of the table (FTS5's ``{a b} : (...)`` filter).
    """

    def term(t: Term) -> str:
        return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")

    def clause(terms: tuple[Term, ...]) -> str:
        inner = " OR ".join(term(t) for t in terms)
        return f"({inner})" if len(terms) > 1 else inner

    body = " AND ".join(clause(c) for c in query.clauses)
    if columns:
        return "{" + " ".join(columns) + "} : (" + body + ")"
    return body


def tsquery(query: Query) -> str:
    """The query as ``to_tsquery`` text: words (letters and digits only) joined by operators."""

    def term(t: Term) -> str:
        words = [
            w + (":*" if t.prefix and i == len(t.words) - 1 else "") for i, w in enumerate(t.words)
        ]
        return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"

    def clause(terms: tuple[Term, ...]) -> str:
        inner = " | ".join(term(t) for t in terms)
        return f"({inner})" if len(terms) > 1 else inner

    return " & ".join(clause(c) for c in query.clauses)
