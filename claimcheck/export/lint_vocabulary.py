"""The ClaimReview lint's schema.org vocabulary check, and the value helpers the rules share.

:func:`vocabulary` is the shipped subset of schema.org (``data/schemaorg-claimreview.json``:
the types, data types and properties ClaimReview markup uses, with their domains and ranges).
:class:`VocabularyCheck` walks a review against it — every property on a type it belongs to
[vocabulary], every value of a type its range allows [type], every date readable and ISO 8601
[date, date-format] — for the rules in :mod:`claimcheck.export.lint`, which subclass it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import SplitResult, urlsplit

from claimcheck.export.jsonld import types_of

# ---------------------------------------------------------------------------------------------
# The vocabulary


@dataclass(frozen=True)
class Property:
    """A schema.org property as the lint uses it, precomputed from the vocabulary."""

    domain: frozenset[str]
    ranges: str  # "Text or URL", for messages
    literal: frozenset[str]  # the data types among its ranges
    things: frozenset[str]  # the types among its ranges


@dataclass(frozen=True, eq=False)
class Vocabulary:
    types: dict[str, list[str]]
    data_types: dict[str, list[str]]
    properties: dict[str, Property]

    @classmethod
    def build(cls, raw: Mapping[str, Any]) -> Vocabulary:
        data_types = raw["dataTypes"]
        properties = {
            name: Property(
                frozenset(spec["domainIncludes"]),
                " or ".join(spec["rangeIncludes"]),
                frozenset(r for r in spec["rangeIncludes"] if r in data_types),
                frozenset(r for r in spec["rangeIncludes"] if r not in data_types),
            )
            for name, spec in raw["properties"].items()
        }
        return cls(raw["types"], data_types, properties)

    @functools.cache  # noqa: B019 - one shipped vocabulary, loaded once
    def ancestors(self, kinds: tuple[str, ...]) -> frozenset[str]:
        """Every supertype of ``kinds`` (themselves included); unknown names add nothing."""
        table = {**self.types, **self.data_types}
        found: set[str] = set()
        todo = list(kinds)
        while todo:
            current = todo.pop()
            if current in found or current not in table:
                continue
            found.add(current)
            todo.extend(table[current])
        return frozenset(found)

    def known(self, name: str) -> bool:
        return name in self.types


@functools.cache
def vocabulary() -> Vocabulary:
    """The shipped schema.org subset (claimcheck/export/data/schemaorg-claimreview.json)."""
    text = (
        resources.files("claimcheck.export")
        .joinpath("data/schemaorg-claimreview.json")
        .read_text(encoding="utf-8")
    )
    return Vocabulary.build(json.loads(text))


# ---------------------------------------------------------------------------------------------
# Values


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _literal(value: Any) -> Any:
    """A JSON-LD value object ``{"@value": x}`` as ``x``; anything else unchanged."""
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    return value


def _values(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [_literal(v) for v in value if v is not None]
    return [] if value is None else [_literal(value)]


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):  # the common case, first
        text = value.strip()
        return [text] if text else []
    return [v.strip() for v in _values(value) if isinstance(v, str) and v.strip()]


@functools.lru_cache(maxsize=1024)
def _split(url: str) -> SplitResult:
    return urlsplit(url)


@functools.lru_cache(maxsize=1024)
def _host(url: str) -> str | None:
    return _split(url).hostname


@functools.lru_cache(maxsize=1024)
def _absolute(url: str) -> bool:
    parts = _split(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2})?$")  # a year, or a year and month: ISO 8601 too


@functools.lru_cache(maxsize=1024)
def _date_problem(value: str) -> tuple[str, str] | None:
    """(rule, message) when ``value`` is not an ISO 8601 date or date-time; None when it is."""
    text = value.strip()
    if _ISO_PARTIAL.match(text):
        return None
    try:
        if _ISO_DATE.match(text):
            dt.date.fromisoformat(text)
        else:
            dt.datetime.fromisoformat(text.replace("z", "Z"))
        return None
    except ValueError:
        pass
    from dateutil import parser as dateparser  # type: ignore[import-untyped]

    try:
        dateparser.parse(text)
    except (ValueError, OverflowError):
        return "date", f"{text!r} is not a date"
    return "date-format", f"{text!r} is a date but not ISO 8601 (write YYYY-MM-DD)"


def _schema_context(context: Any) -> bool:
    """Whether a JSON-LD ``@context`` is schema.org's (a string, a list or a ``@vocab`` map)."""
    if isinstance(context, str):
        return _schema_iri(context)
    items = context if isinstance(context, list) else [context]
    for item in items:
        if isinstance(item, str) and _schema_iri(item):
            return True
        if isinstance(item, dict) and _schema_context(item.get("@vocab")):
            return True
    return False


@functools.lru_cache(maxsize=64)
def _schema_iri(text: str) -> bool:
    return re.match(r"^https?://schema\.org/?$", text.strip()) is not None


# ---------------------------------------------------------------------------------------------
# The walk


class VocabularyCheck:
    """The type walk of one review; the subclass records failures (:meth:`fail`) and resolves
    ``@id`` references (:meth:`node`)."""

    def fail(self, rule: str, message: str) -> None:
        raise NotImplementedError

    def node(self, value: Any) -> dict[str, Any] | None:
        raise NotImplementedError

    def typed(self, node: Mapping[str, Any], path: str, depth: int = 0) -> None:
        """Every property of ``node`` against schema.org's domains and ranges, recursively."""
        if depth > 8:
            return
        vocab = vocabulary()
        kinds = types_of(node)
        known = tuple(k for k in kinds if vocab.known(k))
        if len(known) != len(kinds):
            for kind in kinds:
                if not vocab.known(kind):
                    self.fail(
                        "vocabulary",
                        f"{path}: type {kind!r} is outside the schema.org subset checked",
                    )
        ancestry = vocab.ancestors(known)
        properties = vocab.properties
        for key, value in node.items():
            spec = properties.get(key)
            if spec is None or (depth == 0 and key == "url"):
                continue  # not in the subset: not judged; the review's own url: see _url
            if known and ancestry.isdisjoint(spec.domain):
                self.fail(
                    "vocabulary", f"{path}.{key}: not a schema.org property of {'/'.join(known)}"
                )
            if isinstance(value, list):
                for item in value:
                    self.ranged(item, spec, path, key, depth)
            else:
                self.ranged(value, spec, path, key, depth)

    def ranged(self, value: Any, spec: Property, path: str, key: str, depth: int) -> None:
        if isinstance(value, dict) and "@value" in value:
            value = value["@value"]
        if value is None:
            return
        literal = spec.literal
        if isinstance(value, str):
            if "Text" in literal:
                return
            if "URL" in literal and _absolute(value):
                return
            if "Date" in literal or "DateTime" in literal:
                problem = _date_problem(value)
                if problem is not None:
                    self.fail(problem[0], f"{path}.{key}: {problem[1]}")
                return
            if "URL" in literal and not spec.things:
                self.fail("type", f"{path}.{key}: {value!r} is not an absolute URL")
            return  # schema.org accepts text (a name, an id) in place of a thing
        if isinstance(value, dict):
            self._thing(value, spec, f"{path}.{key}", depth)
            return
        if isinstance(value, list):
            for item in value:
                self.ranged(item, spec, path, key, depth)
            return
        if isinstance(value, bool):
            ok = "Boolean" in literal
        else:
            ok = isinstance(value, int | float) and not literal.isdisjoint(("Number", "Text"))
        if not ok:
            self.fail("type", f"{path}.{key}: expected {spec.ranges}, found {value!r}")

    def _thing(self, value: dict[str, Any], spec: Property, where: str, depth: int) -> None:
        vocab = vocabulary()
        node = self.node(value) or value
        if len(node) == 1 and "@id" in node:
            return  # a reference to something outside the document
        if not spec.things:
            self.fail("type", f"{where}: expected {spec.ranges}, found an object")
            return
        kinds = tuple(k for k in types_of(node) if vocab.known(k))
        if kinds and vocab.ancestors(kinds).isdisjoint(spec.things):
            self.fail(
                "type", f"{where}: a {'/'.join(kinds)} where schema.org expects {spec.ranges}"
            )
            return
        self.typed(node, where, depth + 1)


__all__ = ["Property", "Vocabulary", "VocabularyCheck", "vocabulary"]
