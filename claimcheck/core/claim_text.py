"""Claim text for matching: attribution stripped, normalised, stemmed; entities and negations.

Pure (stdlib only). :func:`strip_attribution` drops "According to X, ...", "..., X said" and
"X said (that) ..."; :func:`normalize` gives the comparison form (NFKC, case-folded, quotes and
``%``/``per cent`` unified, possessives and punctuation dropped); :func:`content_words` drops stop
words and reporting verbs; :func:`stem` is the light suffix stemmer; :func:`entities` the
capitalised words and acronyms naming actors and places. :mod:`claimcheck.core.matching` builds
its features and scores from these.
"""

from __future__ import annotations

import re
import unicodedata


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
OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
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
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
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


def same_entity(a: str, b: str) -> bool:
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 2


def is_negated(text_norm: str) -> bool:
    words = set(text_norm.split())
    return bool(words & _NEGATIONS) or any(p in text_norm for p in _NEGATION_PHRASES)


def negation_count(text_norm: str) -> int:
    """How many negations: "did not resign after a vote of no confidence" has two, so it is not
    "resigned after a vote of no confidence" (one), though both are negated."""
    return sum(w in _NEGATIONS for w in text_norm.split()) + text_norm.count("n't")


__all__ = [
    "DIGITS",
    "OPPOSITES",
    "STOP_WORDS",
    "YEAR",
    "content_words",
    "entities",
    "is_negated",
    "negation_count",
    "normalize",
    "same_entity",
    "stem",
    "strip_attribution",
]
