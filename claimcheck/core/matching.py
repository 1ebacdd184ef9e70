"""Claim matching: how likely two claim texts are the same claim, and why.

Pure (no SQLAlchemy, no click): :func:`features` turns a claim text (and its stored quantities,
when known) into :class:`Features`; :func:`score` compares two of them and returns a
:class:`MatchScore` with a 0–1 score, a label and the reasons. The database side (finding the
candidates to score, linking, counting repeats) is :mod:`claimcheck.services.matching`.

Design
------
* **Attribution is not the claim**: "According to X, ...", "..., X said" and "X said (that) ..."
  are stripped before comparing (the speaker of each appearance is stored apart), so a repeat by
  another speaker is the same claim.
* **Text similarity** is rapidfuzz over a normalised form: NFKC, case-folded, quotes and
  ``%``/``per cent`` unified, possessives and punctuation dropped, stop words and reporting verbs
  ("said", "according") removed, a light suffix stemmer (``occupies``/``occupied`` → ``occupi``).
  The similarity is the mean of ``token_set_ratio`` (one text contains the other: "X, the union
  said") and ``token_sort_ratio`` (same words in another order: passive/active, a fronted "Since
  January, ..."), both over the content words, so a reordering or a dropped clause costs little
  but a changed word costs its share.
* **Numbers must agree.** Quantities (from the extraction parser, or the claim's stored ones) are
  turned into the intervals :mod:`claimcheck.core.quantities.rules` allows (``about 20 percent`` → 18–22,
  ``20 percent`` → 19.5–20.5, ``less than two hours`` → below 2 h) after unit conversion; two
  claims whose commensurable quantities do not overlap say different things ("273 drones" is not
  "237 drones"). Years (``since 2014``) are compared as a set, since the quantity parser masks
  dates. A number conflict caps the score below ``LOW`` and forbids ``same``; numbers that
  measure different things ("273 drones" / "27 percent") cost 20 %, a number on one side only 8 %.
* **Actors must agree.** Named entities are the capitalised words and acronyms (not sentence-initial
  stop words, titles, months or weekdays), matched by a shared stem of at least four letters
  (``Russia``/``Russian``, ``Ukraine``/``Ukrainian``). If each side names an entity the other does
  not ("Poland has taken in ..." vs "Germany has taken in ..."), or the same two entities appear in
  swapped order ("Russia launched ... at Ukraine" vs "Ukraine launched ... at Russia"), the score
  drops and ``same`` is forbidden.
* **Polarity must agree**: a negation (``not``, ``never``, ``no longer``) on one side only, or an
  opposite direction word (rose/fell, doubled/halved, vetoed/signed), forbids ``same``.
* **Thresholds.** ``score >= HIGH`` with nothing forbidding it is ``same`` ("already checked");
  ``score >= LOW`` is a ``suggestion``; below is ``none``. Texts of fewer than
  ``MIN_CONTENT_WORDS`` content words are at most a suggestion: there is too little to be sure.

The weights and thresholds were chosen on ``fixtures/claim_pairs.jsonl`` and are measured by
``benchmarks/eval_matching.py`` (see ``docs/matching.md``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz

from claimcheck.core.quantities.model import Quantity
from claimcheck.core.quantities.rules import convert_figure, stated_precision

Label = Literal["same", "suggestion", "none"]

HIGH = 0.85
LOW = 0.6
MIN_CONTENT_WORDS = 4
NUMBER_CONFLICT_FACTOR = 0.7
ONE_SIDED_NUMBER_FACTOR = 0.92
UNRELATED_NUMBER_FACTOR = 0.8
ENTITY_CONFLICT_FACTOR = 0.8
ENTITY_SWAP_FACTOR = 0.85
POLARITY_FACTOR = 0.85
BLOCKED_CAP = LOW - 0.05
AGREE_BOOST = 0.1
APPROX_SLACK = 0.05
SWAP_GAIN = 8.0
SWAP_MIN = 90.0
ONE_SIDED_ENTITY_FACTOR = 0.9


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS = _wordset(
    """a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my
    no nor of off on once only or other our ours out over own same she should so some such than
    that the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    said says say saying told tells according stated states claimed claims added adds
    still just already now has have had been being per cent percent"""
)
# Words that are capitalised for reasons other than naming an actor or place.
_NOT_ENTITIES = _wordset(
    """the a an this that these those it its he she they we i our their his her in on at by for
    of and but or if when while after before since as to from with without said says according
    president minister prime secretary general chancellor spokesman spokeswoman spokesperson
    foreign defence defense interior finance deputy vice former mr mrs ms dr sir only just more
    most over under about around roughly nearly almost some less fewer at least up no not never
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday overnight last next each every both
    half all one two three four five six seven eight nine ten there here what who why how
    within during until between among against across"""
)
_NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "none", "nobody", "nothing", "neither"}
    # the same in the languages of imported fact-checks (none of them is an English word)
    | {"pas", "jamais", "non", "nicht", "kein", "keine", "keinen", "keinem", "keiner", "niemals"}
    | {"nunca", "jamás", "não", "nao", "niet", "geen", "nooit"}
)
_NEGATION_PHRASES = ("no longer", "n't", "did not", "has not", "have not")
# Pairs of words that flip a claim's direction; stems on both sides of the pair.
_OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (
        frozenset({"rose", "rise", "risen", "increas", "grew", "grow", "climb", "jump", "up"}),
        frozenset({"fell", "fall", "fallen", "decreas", "drop", "declin", "shrank", "down"}),
    ),
    (frozenset({"doubl", "tripl"}), frozenset({"halv"})),
    (frozenset({"highest", "largest", "biggest", "most"}), frozenset({"lowest", "smallest"})),
    (frozenset({"faster", "more", "higher"}), frozenset({"slower", "less", "lower", "fewer"})),
    (frozenset({"veto"}), frozenset({"sign"})),
    (frozenset({"broken", "broke", "collaps"}), frozenset({"held", "hold"})),
)

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_WORD = re.compile(r"[^\W_]+(?:[.'-][^\W_]+)*", re.UNICODE)
_RAW_TOKEN = re.compile(r"[^\W_][\w.'’-]*", re.UNICODE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[.!?]\s+")


_REPORTING = r"(?:said|says|say|told reporters|told [A-Z][\w'-]*|stated|states|claimed|claims|added|noted|wrote|announced)"
_LEAD_ACCORDING = re.compile(
    r"^\s*(?:according to|según|selon|segundo|laut) [^,]{1,80},\s*", re.IGNORECASE
)
_TAIL_ATTRIBUTION = re.compile(
    r",\s*(?:according to [^,]{1,80}|[^,]{1,80}?\s" + _REPORTING + r"(?: on \w+)?)\s*[.!]?\s*$"
)
_LEAD_ATTRIBUTION = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]*)(?:\s+[\w'’.-]+){0,5}?\s"
    + _REPORTING
    + r"(?:\s+that)?\s+(?!to\b)(?=\S)"
)
# After "X said", a pronoun refers back to X: the speaker is then part of the claim.
_PRONOUN_START = re.compile(r"^(?:it|its|they|their|he|his|she|her|we|our|i)\b", re.IGNORECASE)


def strip_attribution(text: str) -> str:
    """The claim without who said it: "According to X, ...", "..., X said", "X said (that) ...".

    Appearances of one claim differ in their speaker, which is stored apart; the words around
    the attribution are what is compared. Nothing is stripped if too little would remain.
    """
    core = _LEAD_ACCORDING.sub("", text)
    core = _TAIL_ATTRIBUTION.sub("", core)
    lead = _LEAD_ATTRIBUTION.sub("", core)
    if not _PRONOUN_START.match(lead):
        core = lead
    if len(core.split()) < 3:
        return text
    return core[:1].upper() + core[1:] if core[:1].islower() else core


def normalize(text: str) -> str:
    """The comparison form: NFKC, case-folded, unified quotes and percent signs, no punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = text.replace("%", " percent ").replace("per cent", "percent")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000
    text = re.sub(r"'s\b", "", text)
    return " ".join(_WORD.findall(text))


def stem(word: str) -> str:
    """A deliberately light English suffix stripper (enough to join inflections)."""
    if len(word) <= 3 or word.isdigit() or word.endswith("ss"):  # less, loss, across
        return word
    for suffix, repl in (
        ("ies", "i"),
        ("ied", "i"),
        ("ing", ""),
        ("ed", ""),
        ("es", "e"),
        ("ly", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + repl
            break
    return word.rstrip("e") if len(word) > 4 else word


def content_words(text_norm: str) -> list[str]:
    return [stem(w) for w in text_norm.split() if w not in STOP_WORDS]


def entities(text: str) -> tuple[str, ...]:
    """Capitalised words and acronyms, in order, as lower-case keys (possessives dropped).

    A sentence-initial word counts too ("Germany will spend ..."), unless it is a stop word: a
    capitalised common noun ("Inflation in ...") does no harm, because an entity only matters when
    the other claim does not mention it in any case.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    out: list[str] = []
    starts = {0} | {m.end() for m in _SENTENCE_END.finditer(text)}
    for m in _RAW_TOKEN.finditer(text):
        token = m.group().rstrip(".'-’")
        token = re.sub(r"'s$", "", token)
        if not token or not token[0].isupper():
            continue
        key = token.casefold()
        if key in _NOT_ENTITIES or (m.start() in starts and key in STOP_WORDS):
            continue
        for part in key.split("-"):
            if part and part not in _NOT_ENTITIES and not part.isdigit():
                out.append(part)
    return tuple(dict.fromkeys(out))


def _same_entity(a: str, b: str) -> bool:
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 2


def _polarity(text_norm: str) -> bool:
    words = set(text_norm.split())
    return bool(words & _NEGATIONS) or any(p in text_norm for p in _NEGATION_PHRASES)


def _negations(text_norm: str) -> int:
    """How many negations: "did not resign after a vote of no confidence" has two, so it is not
    "resigned after a vote of no confidence" (one), though both are negated."""
    return sum(w in _NEGATIONS for w in text_norm.split()) + text_norm.count("n't")


@dataclass(frozen=True)
class Stated:
    """A number as a claim states it: kind (point, lower or upper bound, range), value(s), slack."""

    unit: str | None
    kind: Literal["point", "lower", "upper", "range"]
    low: float
    high: float
    slack: float
    sign: str = ""


def _stated(q: Quantity) -> Stated:
    if isinstance(q.value, list):
        return Stated(q.unit, "range", q.value[0], q.value[1], 0.0, "range")
    v = q.value
    slack = stated_precision(q)
    if q.comparator == "~":
        slack = max(slack, APPROX_SLACK * abs(v))
    kind: Literal["point", "lower", "upper"] = (
        "lower"
        if q.comparator in (">", ">=")
        else "upper"
        if q.comparator in ("<", "<=")
        else "point"
    )
    return Stated(q.unit, kind, v, v, slack, "" if q.comparator == "=" else q.comparator)


@dataclass(frozen=True)
class Features:
    """What the scorer needs from one claim text (computed once, reused for every comparison)."""

    text: str
    norm: str
    content: tuple[str, ...]
    content_text: str
    entities: tuple[str, ...]
    numbers: tuple[Stated, ...]
    loose: frozenset[float]
    values: frozenset[float]
    years: frozenset[str]
    negated: bool
    negations: int = 0
    stems: frozenset[str] = field(default_factory=frozenset)
    markers: frozenset[tuple[int, int, str]] = field(default_factory=frozenset)
    words: frozenset[str] = field(default_factory=frozenset)
    by_prefix: dict[str, tuple[str, ...]] = field(default_factory=dict)
    initials: str = ""


def _digits(text: str) -> list[float]:
    out = []
    for token in _DIGITS.findall(text):
        token = token.replace(",", "")
        if _YEAR.fullmatch(token):
            continue
        try:
            out.append(float(token))
        except ValueError:
            continue
    return out


def _numbers(text: str, qs: Sequence[Quantity]) -> tuple[frozenset[float], frozenset[float]]:
    """Loose numbers (digits outside every parsed quantity) and every number value in the text."""
    rest = text
    values: set[float] = set()
    for q in qs:
        if q.surface and q.surface in rest:
            values.update(_digits(q.surface))
            rest = rest.replace(q.surface, " ", 1)
        values.update(q.value if isinstance(q.value, list) else [q.value])
    loose = set(_digits(rest))
    return frozenset(loose), frozenset(values | loose)


def features(text: str, quantities: Sequence[Quantity | dict[str, Any]] | None = None) -> Features:
    """Features of a claim text; ``quantities`` (stored or parsed) saves re-parsing the text."""
    if quantities is None:
        from claimcheck.core.quantities.scanner import parse_quantities

        qs = parse_quantities(text)
    else:
        qs = [q if isinstance(q, Quantity) else Quantity.model_validate(q) for q in quantities]
    core = strip_attribution(text)
    norm = normalize(core)
    content = content_words(norm)
    loose, values = _numbers(text, qs)
    words = norm.split()
    stems = frozenset(stem(w) for w in words)
    return Features(
        text=text,
        norm=norm,
        content=tuple(content),
        content_text=" ".join(content),
        entities=entities(core),
        numbers=tuple(_stated(q) for q in qs),
        loose=loose,
        values=values,
        years=frozenset(_YEAR.findall(text)),
        negated=_polarity(norm),
        negations=_negations(norm),
        stems=stems,
        markers=_markers(stems),
        words=frozenset(words),
        by_prefix=_by_prefix(words),
        initials="".join(w[0] for w in words),
    )


@dataclass(frozen=True)
class MatchScore:
    score: float
    label: Label
    text_similarity: float
    reasons: tuple[str, ...]
    blocked: bool


@functools.lru_cache(maxsize=4096)
def _factor(unit: str | None, to: str | None) -> float | None:
    """How many ``to`` one ``unit`` is (None when incommensurable); units here are linear."""
    return convert_figure(1.0, unit, to)[0]


def _to_unit(x: Stated, unit: str | None) -> Stated | None:
    if x.unit == unit:
        return x
    factor = _factor(x.unit, unit)
    if factor is None:
        return None
    return Stated(unit, x.kind, x.low * factor, x.high * factor, x.slack * factor, x.sign)


def _agree(x: Stated, y: Stated) -> bool:
    """Whether two stated numbers (same unit) say the same thing."""
    if {x.kind, y.kind} == {"lower", "upper"}:
        return False
    slack = max(x.slack, y.slack) + 1e-9 * max(1.0, abs(x.low), abs(y.low))
    if x.kind == "range" and y.kind == "range":
        return abs(x.low - y.low) <= slack and abs(x.high - y.high) <= slack
    if x.kind == "range" or y.kind == "range":
        r, p = (x, y) if x.kind == "range" else (y, x)
        return r.low - slack <= p.low <= r.high + slack
    return abs(x.low - y.low) <= slack


def _same_value(a: float, values: frozenset[float]) -> bool:
    return any(abs(a - v) <= 1e-9 * max(1.0, abs(a)) for v in values)


def compare_numbers(a: Features, b: Features) -> tuple[str, str]:
    """``agree`` / ``conflict`` / ``one-sided`` / ``none`` / ``unrelated``, with a reason.

    Parsed quantities are compared as stated (a lower bound is not an upper bound; "more than 50"
    is not "more than 150"); when no quantity of the other claim is commensurable, an equal value
    still counts as agreement (the parser may read a unit on one side only). Digits the parser did
    not read as a quantity must be found among the other claim's numbers.
    """
    if a.years and b.years and not (a.years & b.years):
        return (
            "conflict",
            f"years differ ({', '.join(sorted(a.years))} vs {', '.join(sorted(b.years))})",
        )
    has_a, has_b = bool(a.values), bool(b.values)
    if not has_a and not has_b:
        return "none", ""
    if not has_a or not has_b:
        return "one-sided", "only one of the claims has a number"
    agree = False
    for x, y in ((a, b), (b, a)):
        for q in x.numbers:
            partners = [c for c in (_to_unit(o, q.unit) for o in y.numbers) if c is not None]
            if partners:
                if not any(_agree(q, c) for c in partners):
                    return "conflict", f"numbers differ ({_nums(a)} vs {_nums(b)})"
                agree = True
            elif _same_value(q.low, y.values) or _same_value(q.high, y.values):
                agree = True
        if x.loose:
            if not any(_same_value(v, y.values) for v in x.loose):
                return "conflict", f"numbers differ ({_nums(a)} vs {_nums(b)})"
            agree = True
    if agree:
        return "agree", ""
    return "unrelated", "the numbers measure different things"


def _nums(f: Features) -> str:
    from claimcheck.core.quantities.format import format_amount, format_number

    parts = []
    for x in f.numbers:
        if x.kind == "range":
            parts.append(f"{format_number(x.low)}–{format_amount(x.high, x.unit)}")
        else:
            parts.append(x.sign + format_amount(x.low, x.unit))
    parts.extend(format_number(v) for v in sorted(f.loose))
    return ", ".join(parts) or "none"


def _by_prefix(words: Sequence[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in dict.fromkeys(words):
        if len(w) >= 4:
            out.setdefault(w[:4], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _mentions(entity: str, other: Features) -> bool:
    """Whether ``other`` mentions ``entity``: the word, a word sharing its stem, or its acronym."""
    if entity in other.words:
        return True
    if any(_same_entity(entity, w) for w in other.by_prefix.get(entity[:4], ())):
        return True
    # An acronym is mentioned by the words it abbreviates ("EU" / "European Union").
    return 2 <= len(entity) <= 5 and entity.isalpha() and entity in other.initials


def _swapped(words: list[str], e1: str, e2: str) -> list[str]:
    out = []
    for w in words:
        if _same_entity(e1, w):
            out.append(e2)
        elif _same_entity(e2, w):
            out.append(e1)
        else:
            out.append(w)
    return out


def compare_entities(a: Features, b: Features) -> tuple[str, str]:
    """``conflict`` (each side names someone the other never mentions), ``swap`` (the same names
    in exchanged roles), ``partial`` or ``agree``; ``none`` when a side names nobody.

    An entity counts as mentioned by the other claim when any of its words (capitalised or not)
    shares the entity's stem, so a sentence-initial common word ("Inflation in ...") is harmless.
    """
    if not a.entities or not b.entities:
        return "none", ""
    only_a = [e for e in a.entities if not _mentions(e, b)]
    only_b = [e for e in b.entities if not _mentions(e, a)]
    if only_a and only_b:
        return "conflict", f"different names ({', '.join(only_a)} vs {', '.join(only_b)})"
    shared = [e for e in a.entities if e not in only_a]
    if len(shared) < 2:
        return ("partial", "") if only_a or only_b else ("agree", "")
    words_a = a.norm.split()
    base = fuzz.ratio(a.norm, b.norm)
    for i, e1 in enumerate(shared):
        for e2 in shared[i + 1 :]:
            if _same_entity(e1, e2):
                continue
            swapped = fuzz.ratio(" ".join(_swapped(words_a, e1, e2)), b.norm)
            if swapped >= base + SWAP_GAIN and swapped >= SWAP_MIN:
                return "swap", f"the same names in exchanged roles ({e1} ↔ {e2})"
    if only_a or only_b:
        return "partial", ""
    return "agree", ""


# Per (pair, side): the short stems that must match exactly and the prefixes of the longer ones.
_MARKER_TESTS = tuple(
    (g, side, frozenset(x for x in stems if len(x) < 4), tuple(x for x in stems if len(x) >= 4))
    for g, pair in enumerate(_OPPOSITES)
    for side, stems in enumerate(pair)
)


def _markers(words: frozenset[str]) -> frozenset[tuple[int, int, str]]:
    """(pair, side, word) for each word of the text that is one side of an opposite pair."""
    return frozenset(
        (g, side, w)
        for w in words
        for g, side, exact, prefixes in _MARKER_TESTS
        if w in exact or w.startswith(prefixes)
    )


def compare_polarity(a: Features, b: Features) -> str:
    if a.negated != b.negated:
        return "one claim is negated"
    if a.negations != b.negations:
        return "one claim has another negation"
    only_a = [(g, side, w) for g, side, w in a.markers if w not in b.stems]
    if not only_a:
        return ""
    only_b = [(g, side, w) for g, side, w in b.markers if w not in a.stems]
    for g, side, w in sorted(only_a):
        for g2, side2, w2 in sorted(only_b):
            if g == g2 and side != side2:
                return f"opposite directions ({w} vs {w2})"
    return ""


def text_similarity(a: Features, b: Features) -> float:
    if not a.content_text or not b.content_text:
        return fuzz.ratio(a.norm, b.norm) / 100.0
    x, y = a.content_text, b.content_text
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 200.0


def score(a: Features, b: Features, *, high: float = HIGH, low: float = LOW) -> MatchScore:
    """How likely ``a`` and ``b`` are the same claim (see the module docstring for the rules)."""
    sim = text_similarity(a, b)
    value = sim
    reasons: list[str] = []
    blocked = False
    numbers, why = compare_numbers(a, b)
    if numbers == "conflict":
        value *= NUMBER_CONFLICT_FACTOR
        blocked = True
    elif numbers == "one-sided":
        value *= ONE_SIDED_NUMBER_FACTOR
    elif numbers == "unrelated":
        value *= UNRELATED_NUMBER_FACTOR
    elif numbers == "agree":
        value += (1 - value) * AGREE_BOOST
    if why:
        reasons.append(why)
    ents, why = compare_entities(a, b)
    if ents == "conflict":
        value *= ENTITY_CONFLICT_FACTOR
        blocked = True
    elif ents == "swap":
        value *= ENTITY_SWAP_FACTOR
        blocked = True
    elif ents == "partial":
        value *= ONE_SIDED_ENTITY_FACTOR
    if why:
        reasons.append(why)
    polarity = compare_polarity(a, b)
    if polarity:
        value *= POLARITY_FACTOR
        blocked = True
        reasons.append(polarity)
    if blocked:
        value = min(value, BLOCKED_CAP)
    short = min(len(a.content), len(b.content)) < MIN_CONTENT_WORDS
    if short:
        reasons.append("too short to be sure")
    value = round(max(0.0, min(1.0, value)), 4)
    label: Label
    if value >= high and not blocked and not short:
        label = "same"
    elif value >= low:
        label = "suggestion"
    else:
        label = "none"
    return MatchScore(
        score=value,
        label=label,
        text_similarity=round(sim, 4),
        reasons=tuple(reasons),
        blocked=blocked,
    )


def comparison_text(text: str) -> str:
    """The content words :func:`text_similarity` compares, without building full features."""
    return " ".join(content_words(normalize(strip_attribution(text))))


def min_text_similarity(target: float) -> float:
    """The text similarity below which no pair can reach ``target`` (numbers agreeing at best)."""
    return (target - AGREE_BOOST) / (1 - AGREE_BOOST)


def match_texts(a: str, b: str) -> MatchScore:
    """Convenience: score two raw texts (quantities parsed from the texts)."""
    return score(features(a), features(b))


__all__ = [
    "HIGH",
    "LOW",
    "Features",
    "MatchScore",
    "comparison_text",
    "content_words",
    "entities",
    "features",
    "match_texts",
    "min_text_similarity",
    "normalize",
    "score",
    "stem",
    "strip_attribution",
    "text_similarity",
]
