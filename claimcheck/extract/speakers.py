"""Speaker attribution: who made each claim, or ``None`` when the text does not say.

Design
------
Attribution works over a whole document, because news copy spreads it out: a quotation may span
several sentences with ``he said`` only in one of them, ``he`` means a person named earlier, and
``the Russian leader`` means the Vladimir Putin of the second paragraph. :func:`attribute` takes
the text and the sentence spans and returns one speaker (or ``None``) per sentence:

1. **Mentions.** Each sentence is tokenised and, outside quotation marks, its *mentions* are
   collected: runs of capitalised words with the titles and connectors inside them (``Trump
   campaign spokesman Jason Miller``, ``the Office for National Statistics``), descriptors (``the
   president``, ``the Russian leader``), pronouns (``he``, ``she``) and anonymous sources (``a
   source``, ``officials``, ``the campaign's aides``). Sentence-initial function words, dates and
   places introduced by a preposition are not mentions (``However``, ``Wednesday``, ``In Texas``).
2. **Which mention is the source.** A small logistic-regression ranker scores every mention with
   features of its context: the word that follows it (skipping adverbs, auxiliaries and an
   appositive: ``X, chairman of Y, once suggested``), the words before it (``said X``, ``according
   to X``, ``As X states:``), its position, its shape and the quotation marks around it. It was
   trained on the PolNeAR attribution corpus (Newell, Margolin and Ruths, LREC 2018; see
   ``scripts/train_speakers.py``) and ships as ``data/speakers.json.gz`` (a few KiB of weights,
   read with the standard library). The best mention wins when its probability reaches the
   shipped threshold; otherwise the sentence has no attribution of its own.
3. **Names.** The winning mention is reduced to a name: titles stripped (``U.S. President Donald
   Trump`` → ``Donald Trump``), organisations kept whole (``Turkish Foreign Ministry``), a bare
   surname expanded to the full name used in the document (``Fidan`` → ``Hakan Fidan``). A pronoun
   becomes the last person named; a descriptor the one person the document gave that title
   (``Russian President Vladimir Putin`` → ``the Russian leader``), and nobody when two people
   fit. Anonymous sources give ``None``: no guessing. Whatever is returned is a name: it has a
   capitalised word that is not a function word, a date or a title.
4. **Quotations.** A quotation takes the speaker of the attribution next to it — in the sentence
   where it ends (``"…," said X``), in the clause right after it (``"…?" X told reporters on
   Monday. "…"``) or in the sentence that opens it (``X said: "…``) — and every sentence inside it
   gets that speaker. Later quotations of the same paragraph without an attribution of their own
   continue that speaker, and so does a paragraph that is only a quotation, after a paragraph
   whose quotation was attributed.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "BASIS_LABELS",
    "STORE_PRECISION",
    "Attribution",
    "Mention",
    "SpeakerModel",
    "attribute",
    "attribute_details",
    "clean_name",
    "is_name",
    "load_speaker_model",
    "mention_features",
    "sentence_mentions",
    "storable_speaker",
]

_MODEL_FILE = "speakers.json.gz"
_MODEL_FORMAT = "claimcheck-speakers/1"

# ---------------------------------------------------------------------------------------------
# word lists

_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "prof",
        "rev",
        "st",
        "jr",
        "sr",
        "messrs",
        "cmdr",
        "supt",
        "insp",
        "det",
        "amb",
        "hon",
        "pres",
        "ft",
        "mt",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "vs",
    ]
)
# capitalised words that are never (the start of) a name
_FUNCTION_CAPS = frozenset(
    [
        "a",
        "an",
        "and",
        "but",
        "or",
        "nor",
        "so",
        "yet",
        "for",
        "if",
        "when",
        "while",
        "whereas",
        "although",
        "though",
        "because",
        "since",
        "as",
        "after",
        "before",
        "until",
        "unless",
        "once",
        "then",
        "than",
        "now",
        "still",
        "also",
        "however",
        "meanwhile",
        "moreover",
        "furthermore",
        "nevertheless",
        "nonetheless",
        "instead",
        "indeed",
        "thus",
        "hence",
        "therefore",
        "otherwise",
        "besides",
        "in",
        "on",
        "at",
        "by",
        "of",
        "to",
        "from",
        "with",
        "without",
        "within",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "above",
        "below",
        "across",
        "through",
        "during",
        "between",
        "among",
        "against",
        "toward",
        "towards",
        "upon",
        "per",
        "via",
        "like",
        "unlike",
        "despite",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "we",
        "they",
        "he",
        "she",
        "i",
        "you",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "why",
        "how",
        "whether",
        "not",
        "no",
        "yes",
        "all",
        "any",
        "both",
        "each",
        "every",
        "some",
        "many",
        "most",
        "much",
        "more",
        "few",
        "several",
        "other",
        "others",
        "such",
        "another",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "third",
        "last",
        "next",
        "earlier",
        "later",
        "early",
        "late",
        "today",
        "tonight",
        "yesterday",
        "tomorrow",
        "recently",
        "previously",
        "currently",
        "ago",
        "even",
        "just",
        "only",
        "already",
        "asked",
        "said",
        "says",
        "according",
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "let",
        "please",
        "thanks",
        "thank",
        "well",
        "oh",
        "mostly",
        "almost",
        "perhaps",
        "maybe",
        "sure",
        "clearly",
        "overall",
        "together",
        "again",
        "ever",
        "never",
        "always",
        "often",
        "sometimes",
        "soon",
    ]
)
_DATE_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "week",
        "month",
        "year",
        "day",
    ]
)
_TITLES = frozenset(
    [
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "chancellor",
        "chair",
        "chairman",
        "chairwoman",
        "chairperson",
        "governor",
        "senator",
        "sen",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "gen",
        "general",
        "lt",
        "col",
        "colonel",
        "adm",
        "admiral",
        "maj",
        "major",
        "capt",
        "captain",
        "sgt",
        "sergeant",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "pope",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "emir",
        "judge",
        "justice",
        "ambassador",
        "envoy",
        "commissioner",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "director",
        "chief",
        "ceo",
        "commander",
        "mayor",
        "deputy",
        "acting",
        "speaker",
        "leader",
        "foreign",
        "defence",
        "defense",
        "treasury",
        "finance",
        "interior",
        "economy",
        "health",
        "state",
        "attorney",
        "press",
        "aide",
        "adviser",
        "advisor",
        "premier",
        "crown",
        "official",
        "officer",
        "lieutenant",
        "sir",
        "lord",
        "lady",
        "dame",
        "saint",
        "st",
        "economist",
        "analyst",
        "diplomat",
        "candidate",
        "nominee",
        "presidential",
        "former",
        "sheriff",
        "rev",
        "reverend",
        "pastor",
        "host",
        "anchor",
        "founder",
        "executive",
        "manager",
        "strategist",
        "pollster",
        "lawyer",
        "founder",
        "co-founder",
        "gov",
        "majority",
        "minority",
        "whip",
        "assistant",
        "senior",
        "campaign",
        "chairs",
        "head",
        "heads",
        "owner",
    ]
)
# descriptor heads that stand for a person (``the president``, ``the Russian leader``)
_PERSON_HEADS = frozenset(
    [
        "president",
        "leader",
        "minister",
        "premier",
        "chancellor",
        "senator",
        "governor",
        "mayor",
        "nominee",
        "candidate",
        "secretary",
        "chairman",
        "chairwoman",
        "congressman",
        "congresswoman",
        "speaker",
        "judge",
        "businessman",
        "billionaire",
        "mogul",
        "ambassador",
        "envoy",
        "king",
        "queen",
        "general",
        "director",
        "commissioner",
        "attorney",
    ]
)
_HEAD_SYNONYMS: dict[str, frozenset[str]] = {
    "leader": frozenset({"president", "prime", "premier", "chancellor", "leader", "king"}),
    "premier": frozenset({"premier", "prime"}),
    "minister": frozenset({"minister"}),
    "nominee": frozenset({"nominee", "candidate"}),
    "candidate": frozenset({"candidate", "nominee"}),
    "businessman": frozenset({"businessman", "billionaire", "mogul"}),
    "billionaire": frozenset({"businessman", "billionaire", "mogul"}),
    "mogul": frozenset({"businessman", "billionaire", "mogul"}),
    "senator": frozenset({"senator", "sen"}),
    "congressman": frozenset({"congressman", "rep", "representative"}),
    "congresswoman": frozenset({"congresswoman", "rep", "representative"}),
    "governor": frozenset({"governor", "gov"}),
    "general": frozenset({"general", "gen"}),
}
_ORG_HEADS = frozenset(
    [
        "ministry",
        "department",
        "commission",
        "office",
        "council",
        "house",
        "kremlin",
        "bank",
        "force",
        "forces",
        "army",
        "navy",
        "agency",
        "service",
        "union",
        "nations",
        "fund",
        "organization",
        "organisation",
        "committee",
        "court",
        "parliament",
        "government",
        "administration",
        "bureau",
        "institute",
        "company",
        "group",
        "party",
        "federation",
        "association",
        "reserve",
        "wire",
        "board",
        "authority",
        "authorities",
        "police",
        "cabinet",
        "senate",
        "congress",
        "assembly",
        "secretariat",
        "embassy",
        "command",
        "staff",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "university",
        "foundation",
        "alliance",
        "nato",
        "eu",
        "un",
        "imf",
        "opec",
        "who",
        "center",
        "centre",
        "times",
        "post",
        "journal",
        "news",
        "press",
        "network",
        "magazine",
        "tribune",
        "herald",
        "review",
        "campaign",
        "caucus",
        "coalition",
        "project",
        "league",
        "society",
        "lab",
        "laboratory",
        "club",
    ]
)
# lower-case nouns that head an anonymous source: "a source", "officials", "the campaign's aides"
_ANON_HEADS = frozenset(
    [
        "source",
        "sources",
        "official",
        "officials",
        "aide",
        "aides",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "analyst",
        "analysts",
        "expert",
        "experts",
        "economist",
        "economists",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "people",
        "person",
        "voters",
        "voter",
        "critics",
        "critic",
        "observers",
        "researchers",
        "researcher",
        "report",
        "reports",
        "study",
        "studies",
        "poll",
        "polls",
        "survey",
        "surveys",
        "statement",
        "data",
        "records",
        "record",
        "campaign",
        "candidate",
        "candidates",
        "company",
        "group",
        "party",
        "supporters",
        "report",
        "members",
        "leaders",
        "lawmakers",
        "crowd",
        "agency",
        "administration",
        "office",
        "lawsuit",
        "reporter",
        "reporters",
        "groups",
        "public",
        "board",
        "team",
        "allies",
        "ad",
        "ads",
        "friends",
        "friend",
        "government",
        "organization",
        "website",
        "email",
        "emails",
        "rivals",
        "woman",
        "man",
        "analysis",
        "conservatives",
        "liberals",
        "progressives",
        "residents",
        "delegates",
        "authorities",
        "department",
        "video",
        "prosecutors",
        "investigators",
        "newspaper",
        "police",
        "protesters",
        "opponents",
        "letter",
        "activists",
        "organizers",
        "advocates",
        "employees",
        "tweet",
        "politicians",
        "strategists",
        "observers",
        "commentators",
        "findings",
        "diplomats",
        "diplomat",
        "insiders",
        "sources",
        "officers",
        "officer",
        "doctors",
        "doctor",
        "scientists",
        "estimates",
        "documents",
        "document",
        "memo",
        "filing",
        "court",
        "panel",
        "committee",
    ]
)
_DOC_NOUNS = frozenset(
    [
        "report",
        "reports",
        "data",
        "figures",
        "figure",
        "poll",
        "polls",
        "survey",
        "study",
        "statement",
        "analysis",
        "estimates",
        "estimate",
        "records",
        "release",
        "memo",
        "website",
        "findings",
        "numbers",
        "statistics",
    ]
)
_COMMON_OPENERS = frozenset(
    [
        "following",
        "including",
        "speaking",
        "asked",
        "given",
        "reading",
        "writing",
        "regarding",
        "contrary",
        "considering",
        "looking",
        "turning",
        "asked",
        "added",
        "told",
        "noting",
        "pointing",
    ]
)
_PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "from",
        "on",
        "near",
        "across",
        "into",
        "outside",
        "inside",
        "throughout",
        "with",
        "against",
        "over",
        "under",
    ]
)
# organisation heads that, after a name, still make an anonymous source ("Clinton aides")
_ANON_ONLY = frozenset(["staff", "group", "office"])
_DOC_VERBS = frozenset(
    [
        "show",
        "showed",
        "suggest",
        "indicat",
        "found",
        "find",
        "conclud",
        "stat",
        "estimat",
        "say",
        "said",
        "report",
    ]
)
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "some",
        "many",
        "several",
        "two",
        "three",
        "few",
        "other",
        "another",
        "most",
        "both",
        "all",
        "his",
        "her",
        "their",
        "its",
        "our",
        "one",
    ]
)
_CONNECTORS = frozenset({"of", "for", "and", "&", "de", "da", "van", "von", "bin", "la", "le"})
_SKIP_BEFORE_VERB = frozenset(
    [
        "has",
        "had",
        "have",
        "also",
        "later",
        "then",
        "again",
        "previously",
        "repeatedly",
        "earlier",
        "once",
        "recently",
        "publicly",
        "privately",
        "first",
        "separately",
        "further",
        "is",
        "was",
        "were",
        "are",
        "will",
        "would",
        "could",
        "may",
        "might",
        "can",
        "should",
        "did",
        "does",
        "do",
        "not",
        "never",
        "often",
        "still",
        "had",
        "already",
        "just",
        "even",
        "finally",
        "quickly",
        "has",
        "been",
        "flatly",
        "simply",
        "openly",
        "initially",
        "reportedly",
        "long",
    ]
)

_QUOTE_CHARS = '“”"„«»'
_OPEN_QUOTES = "“„«"
_CLOSE_QUOTES = "”»"

_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w’'&-]*\w)?\.?|\d[\d,.]*\d|\d|''|``|--|[—–]|\S"
)
_POSSESSIVE_RE = re.compile(r"[’']s?$")


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    low: str
    cap: bool
    quoted: bool


@dataclass(frozen=True)
class Mention:
    """A possible source in a sentence: tokens ``[i, j)`` of the sentence's token list."""

    i: int
    j: int
    kind: str  # name | descriptor | pronoun | anon | appositive (of the name before it)
    text: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# tokens and quotations


def _tokens(text: str, start: int, end: int, quoted: Sequence[tuple[int, int]]) -> list[_Tok]:
    out: list[_Tok] = []
    qstarts = [q[0] for q in quoted]
    for m in _TOKEN_RE.finditer(text, start, end):
        word = m.group(0)
        s, e = m.start(), m.end()
        parts = [(word, s, e)]
        if word.endswith(".") and len(word) > 2 and "." not in word[:-1]:
            base = word[:-1].lower()
            if base not in _ABBREVIATIONS:
                parts = [(word[:-1], s, e - 1), (".", e - 1, e)]
        for w, ws, we in parts:
            k = bisect.bisect_right(qstarts, ws) - 1
            inside = k >= 0 and quoted[k][0] < ws < quoted[k][1] - 1
            if w[:1] in _QUOTE_CHARS:
                inside = False
            out.append(_Tok(w, ws, we, w.lower(), w[:1].isupper(), inside))
    return out


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Spans of quoted material (curly, straight and doubled ``''`` marks), and whether each was
    left open at the end of its paragraph.

    An unclosed quotation ends at its paragraph; by wire convention it continues in the next
    paragraph, which opens with a new quotation mark.
    """
    spans: list[tuple[int, int, bool]] = []
    n = len(text)
    pos = 0
    opener = re.compile(r"[“„«\"]|''|``")
    while True:
        m = opener.search(text, pos)
        if m is None:
            return spans
        i = m.start()
        mark = m.group(0)
        close = {"“": "”", "„": "“", "«": "»", '"': '"', "''": "''", "``": "''"}[mark]
        para_end = text.find("\n\n", i)
        para_end = n if para_end == -1 else para_end
        j = text.find(close, i + len(mark), para_end)
        if mark == "“" and j == -1:
            j2 = text.find('"', i + 1, para_end)  # mixed marks: “…"
            j = j2
            close = '"'
        end = para_end if j == -1 else j + len(close)
        spans.append((i, end, j == -1))
        pos = max(end, i + 1)


# ---------------------------------------------------------------------------------------------
# mentions


def _namey(tok: _Tok) -> bool:
    """A capitalised word that can be part of a name."""
    if not tok.cap or tok.quoted:
        return False
    low = _POSSESSIVE_RE.sub("", tok.low).rstrip(".")
    return low not in _FUNCTION_CAPS and low not in _DATE_WORDS


def sentence_mentions(toks: Sequence[_Tok]) -> list[Mention]:
    """The possible sources of a sentence, left to right (see the module docstring)."""
    out: list[Mention] = []
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        if tok.quoted:
            i += 1
            continue
        low = tok.low
        if low in _PRONOUNS and (low != "i" or tok.text == "I"):
            out.append(Mention(i, i + 1, "pronoun", tok.text, tok.start, tok.end))
            i += 1
            continue
        if _namey(tok) or (low in _TITLES and i + 1 < n and _namey(toks[i + 1])):
            j = i
            while j < n:
                t = toks[j]
                if t.quoted:
                    break
                tl = _POSSESSIVE_RE.sub("", t.low)
                if _namey(t) or t.text in ("Jr.", "Sr."):
                    j += 1
                    if t.text.endswith(("’s", "'s")):
                        # "Ukraine's army", "Clinton's campaign": possessive ends a name unless
                        # an organisation head follows
                        if j < n and toks[j].low in _ORG_HEADS and not toks[j].cap:
                            j += 1
                        break
                    continue
                if (
                    (tl in _CONNECTORS or tl in _TITLES or t.text == "-")
                    and j + 1 < n
                    and (_namey(toks[j + 1]) or toks[j + 1].low in _TITLES)
                ):
                    j += 1
                    continue
                break
            if j < n and not toks[j].cap and not toks[j].quoted:
                if toks[j].low in _ORG_HEADS and toks[j].low not in _ANON_ONLY:
                    j += 1  # "the Trump campaign", "Ukraine's army"
                elif (
                    j + 1 < n
                    and toks[j].low.isalpha()
                    and toks[j + 1].low in _ORG_HEADS
                    and not toks[j + 1].cap
                    and toks[j].low not in _FUNCTION_CAPS
                ):
                    j += 2  # "the Ukrainian air force", "the Turkish foreign ministry"
            # a trailing title word without a name after it belongs to a descriptor, not a name
            start_i = i
            if start_i > 0 and toks[start_i - 1].low == "the" and not toks[start_i - 1].quoted:
                start_i -= 1
            words = [t.text for t in toks[start_i:j]]
            kind = "name"
            if words and j < n and toks[j].low in _PERSON_HEADS and not toks[j].cap:
                # "the Russian leader", "the Vermont senator"
                j += 1
                words.append(toks[j - 1].text)
                kind = "descriptor"
            elif (
                words
                and j < n
                and not toks[j].cap
                and toks[j].low in _ANON_HEADS
                and toks[j].low not in _ORG_HEADS
                and toks[j].low not in _DOC_NOUNS
            ):
                # "Russian and Ukrainian officials", "Clinton's aides", "State Department official"
                j += 1
                words.append(toks[j - 1].text)
                kind = "anon"
            out.append(
                Mention(start_i, j, kind, " ".join(words), toks[start_i].start, toks[j - 1].end)
            )
            i = j
            continue
        if low in _DETERMINERS and not tok.quoted:
            # "the president", "a source", "the campaign's senior aides", "officials"
            j = i + 1
            while j < n and j - i <= 4 and not toks[j].quoted and not toks[j].cap:
                if toks[j].low in _ANON_HEADS or toks[j].low in _PERSON_HEADS:
                    break
                if not re.match(r"^[a-z][a-z’'-]*$", toks[j].text):
                    j = n
                    break
                j += 1
            if (
                j < n
                and not toks[j].cap
                and (toks[j].low in _ANON_HEADS or toks[j].low in _PERSON_HEADS)
            ):
                kind = "descriptor" if low == "the" and toks[j].low in _PERSON_HEADS else "anon"
                words = [t.text for t in toks[i : j + 1]]
                out.append(Mention(i, j + 1, kind, " ".join(words), tok.start, toks[j].end))
                i = j + 1
                continue
        if low in _ANON_HEADS and not tok.cap and low.endswith("s"):
            out.append(Mention(i, i + 1, "anon", tok.text, tok.start, tok.end))
        i += 1
    # "Anna Berg, an economist at Nordbank": the description is an appositive of the name
    for k in range(1, len(out)):
        m, p = out[k], out[k - 1]
        if (
            m.kind in ("anon", "descriptor")
            and p.kind == "name"
            and p.j < n
            and toks[p.j].text == ","
            and m.i == p.j + 1
            and not (p.i > 0 and toks[p.i - 1].low in _PLACE_PREPOSITIONS)
        ):
            out[k] = Mention(m.i, m.j, "appositive", m.text, m.start, m.end)
    return out


def _nameable(m: Mention, lower_words: frozenset[str]) -> bool:
    """Whether a name mention can be a speaker: it reduces to a name, it does not join two
    names with "and" (``Trump and Putin``), and a lone sentence-initial word is not a common
    word the article also writes in lower case (``Real``, ``Markets``)."""
    name = clean_name(m.text)
    if not is_name(name):
        return False
    words = m.text.split()
    if " and " in m.text and not any(
        w.lower().rstrip(".") in _ORG_HEADS or w.lower() in ("of", "for") for w in words
    ):
        return False
    single = [w for w in words if w.lower() != "the"]
    return not (m.i <= 1 and len(single) == 1 and single[0].lower() in lower_words)


def _heading_or_common(toks: Sequence[_Tok], m: Mention) -> bool:
    """A sentence-initial capitalised word that is a common word (``Fortunately``,
    ``Following``, ``Latest``), or a title-case heading before a colon (``Veto Power Impedes
    Peace Efforts:``): not a speaker."""
    if m.kind != "name":
        return False
    words = m.text.split()
    first = words[0].lower()
    if first == "the":
        words = words[1:]
    if m.i <= 1 and len(words) == 1:
        low = words[0].lower()
        if re.search(r"(?:ly|est)$", low) or low in _COMMON_OPENERS:
            return True
    return m.i <= 1 and len(words) >= 3 and m.j < len(toks) and toks[m.j].text == ":"


def _next_word(toks: Sequence[_Tok], j: int) -> tuple[str, str, bool]:
    """The first word after a mention, skipping adverbs and auxiliaries (and, when the mention
    is followed by a comma, an appositive up to the next comma): ``(word, word2, appositive)``."""
    n = len(toks)
    appositive = False
    k = j
    if k < n and toks[k].text == ",":
        # "X, chairman of Y, once suggested": skip to the comma closing the appositive
        m = k + 1
        while (
            m < n
            and m - k < 25
            and toks[m].text not in (",", ".", ";", ":")
            and not (toks[m].quoted)
        ):
            m += 1
        if m < n and toks[m].text == "," and m > k + 1:
            k = m + 1
            appositive = True
    passive = False
    while k < n and (toks[k].low in _SKIP_BEFORE_VERB or toks[k].low.endswith("ly")):
        passive = passive or toks[k].low in ("is", "was", "were", "are", "been")
        k += 1
    w1 = toks[k].low if k < n else "</s>"
    w2 = toks[k + 1].low if k + 1 < n else "</s>"
    if passive and w1.endswith("ed") and any(t.low == "by" for t in toks[k + 1 : k + 6]):
        w1 = "<passive>"  # "X has been called a charlatan by Y": Y speaks, not X
    return w1, w2, appositive


def stem(word: str) -> str:
    """A crude stem for verbs, so rare forms share weights: ``demanding`` → ``demand``."""
    for suffix, keep in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def mention_features(
    toks: Sequence[_Tok], mentions: Sequence[Mention], index: int, cues: frozenset[str]
) -> list[str]:
    """The named binary features of one mention, shared by training and runtime."""
    m = mentions[index]
    n = len(toks)
    feats = [f"kind={m.kind}", "bias"]
    w1, w2, appositive = _next_word(toks, m.j)
    after = toks[m.j].low if m.j < n else "</s>"
    feats.append(f"after={after}")
    feats.append(f"nv={w1}")
    feats.append(f"nv2={w1}_{w2}")
    if appositive:
        feats.append("appositive")
        feats.append(f"apnv={w1}")
    feats.append(f"nvstem={stem(w1)}")
    if w1 in _DOC_NOUNS:  # "Statistics Norway figures show", "the Harwell report concluded"
        feats.append("nv_doc")
        feats.append(f"docnv={stem(w2)}")
    if stem(w1) in cues:
        feats.append("nv_is_cue")
        feats.append(f"nv_is_cue|{m.kind}")
    p1 = toks[m.i - 1].low if m.i > 0 else "<s>"
    p2 = toks[m.i - 2].low if m.i > 1 else "<s>"
    if p1 == "," and m.i > 1:
        p1b = toks[m.i - 2].low
        feats.append(f"comma_prev={p1b}")
    feats.append(f"prev={p1}")
    feats.append(f"prev2={p2}_{p1}")
    feats.append(f"prev|{m.kind}={p1}")
    feats.append(f"nv|{m.kind}={stem(w1)}")
    if p1 in ("said", "says", "added", "told", "wrote", "asked"):
        feats.append(f"after_said|{m.kind}|{after}")
    if stem(p1) in cues:
        feats.append("prev_is_cue")
    if m.i > 0 and toks[m.i - 1].quoted is False and toks[m.i - 1].text in _QUOTE_CHARS:
        feats.append("after_quote_mark")
    # position among the tokens outside quotations
    first_outside = next(
        (
            k
            for k, t in enumerate(toks)
            if not t.quoted and t.text not in _QUOTE_CHARS and t.text not in ("'", "``", "''")
        ),
        0,
    )
    if m.i <= first_outside + 1:
        feats.append("sentence_start")
    feats.append(f"rank={min(index, 3)}")
    feats.append(f"rrank={min(len(mentions) - 1 - index, 3)}")
    words = m.text.split()
    feats.append(f"len={min(len(words), 4)}")
    last = _POSSESSIVE_RE.sub("", words[-1].lower()).rstrip(".")
    if m.text.endswith(("’s", "'s")):
        feats.append("possessive")
    if last in _ORG_HEADS:
        feats.append("org_head")
    if any(w.lower().rstrip(".") in _TITLES for w in words):
        feats.append("has_title")
    if m.kind in ("anon", "descriptor"):
        feats.append(f"head={last}")
    quoted_before = any(t.quoted for t in toks[: m.i])
    quoted_after = any(t.quoted for t in toks[m.j :])
    if quoted_before:
        feats.append("quote_before")
    if quoted_after:
        feats.append("quote_after")
    if m.j < n and toks[m.j].text == ":":
        feats.append("colon_after")
    if any(t.low in ("said", "says", "told") for t in toks if not t.quoted):
        feats.append("sentence_has_said")
    return feats


# ---------------------------------------------------------------------------------------------
# the model


class SpeakerModel:
    """A loaded mention ranker: ``p = sigmoid(bias + Σ weight[f])`` per mention."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != _MODEL_FORMAT:
            raise ValueError("not a claimcheck speaker model")
        self.bias = float(payload["bias"])
        self.weights: dict[str, float] = {k: float(v) for k, v in payload["weights"].items()}
        self.threshold = float(payload["threshold"])
        self.cues: frozenset[str] = frozenset(payload["cues"])
        store = payload.get("store_threshold")
        self.store_threshold: float | None = None if store is None else float(store)
        self.meta: dict[str, Any] = dict(payload.get("meta", {}))

    @classmethod
    def from_path(cls, path: Path) -> SpeakerModel:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls(json.load(f))

    def probability(self, feats: Sequence[str]) -> float:
        w = self.weights
        z = self.bias + sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.cache
def load_speaker_model() -> SpeakerModel:
    """The shipped mention ranker, read once per process."""
    ref = resources.files("claimcheck.extract").joinpath("data", _MODEL_FILE)
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return SpeakerModel(json.load(f))


# ---------------------------------------------------------------------------------------------
# names


_PARTY_STATE_RE = re.compile(r"^[RDI]-[A-Z]")
# one-word "names" that are adjectives or nationalities, never a speaker on their own
_NOT_NAMES = frozenset(
    [
        "american",
        "americans",
        "russian",
        "russians",
        "ukrainian",
        "ukrainians",
        "european",
        "europeans",
        "chinese",
        "british",
        "french",
        "german",
        "germans",
        "iranian",
        "iranians",
        "israeli",
        "israelis",
        "palestinian",
        "palestinians",
        "mexican",
        "mexicans",
        "african-american",
        "african-americans",
        "muslim",
        "muslims",
        "christian",
        "christians",
        "syrian",
        "syrians",
        "korean",
        "koreans",
        "japanese",
        "turkish",
        "indian",
        "indians",
        "canadian",
        "canadians",
        "western",
        "eastern",
        "northern",
        "southern",
        "federal",
        "national",
        "democratic",
        "republican",
        "liberal",
        "conservative",
        "progressive",
        "latino",
        "latinos",
        "hispanic",
        "hispanics",
        "black",
        "white",
        "asian",
        "arab",
        "arabs",
        "jewish",
        "catholic",
        "evangelical",
        "evangelicals",
        "international",
        "global",
        "internet",
        "video",
        "online",
    ]
)


def is_name(name: str | None) -> bool:
    """A returned speaker is a name: a capitalised word that is no function word, date or title."""
    if not name:
        return False
    words = name.split()
    if len(words) == 1:
        word = words[0]
        if len(word.strip(".")) < 2 or _PARTY_STATE_RE.match(word):
            return False
        if word.lower() in _NOT_NAMES:
            return False  # "Democratic", "Russian", "Americans"
    for word in name.split():
        low = _POSSESSIVE_RE.sub("", word.lower()).rstrip(".,")
        if (
            word[:1].isupper()
            and low not in _FUNCTION_CAPS
            and low not in _DATE_WORDS
            and low not in _TITLES
            and low not in _CONNECTORS
        ):
            return True
    return False


def clean_name(phrase: str) -> str | None:
    """Reduce a noun phrase to a speaker name; ``None`` if it names nobody in particular.

    >>> clean_name("U.S. President Donald Trump")
    'Donald Trump'
    >>> clean_name("the Turkish Foreign Ministry")
    'Turkish Foreign Ministry'
    >>> clean_name("a U.S. official") is None
    True
    """
    words = phrase.replace("\u00a0", " ").strip(" ,.;:—–-").split()
    if not words:
        return None
    first = words[0].lower()
    if first in _DETERMINERS - {"the", "his", "her", "their", "its", "our"}:
        return None
    if first in ("his", "her", "their", "its", "our"):
        return None
    # leading function words and dates: "However", "While Clinton", "Earlier Saturday"
    while words and (
        _POSSESSIVE_RE.sub("", words[0].lower()).rstrip(".") in _FUNCTION_CAPS - {"the"}
        or words[0].lower().rstrip(".") in _DATE_WORDS
    ):
        words = words[1:]
    definite = bool(words) and words[0].lower() == "the"
    if definite:
        words = words[1:]
    if not words:
        return None
    last = words[-1].lower().rstrip(".")
    if len(words) == 1 and last in _ANON_HEADS:
        return None  # "Officials said" at the start of a sentence
    if (
        last in _ANON_HEADS
        and words[-1].islower()
        and not (last in _ORG_HEADS and definite)
        and not (len(words) == 2 and words[0].endswith(("’s", "'s")))
    ):
        return None
    if len(words) == 2 and words[0].endswith(("’s", "'s")) and last in _ORG_HEADS:
        return " ".join(words) if words[1].islower() else words[1]
    if last in _ORG_HEADS or (definite and any(w[:1].isupper() for w in words)):
        # organisations are kept whole, without a leading title such as "Foreign"
        name = " ".join(w for w in words if w)
        if not any(w[:1].isupper() and w.lower() not in _TITLES for w in words):
            return None
        return name.strip(" ,.")
    # persons: drop everything up to the last title or possessive
    cut = -1
    for k, word in enumerate(words):
        low = word.lower().rstrip(".")
        if (
            low in _TITLES
            or low in ("u.s", "us")
            or word.endswith(("’s", "'s"))
            or (word.islower() and low not in _CONNECTORS)
        ):
            cut = k
    tokens = words[cut + 1 :]
    while tokens and tokens[0].lower() in _CONNECTORS:
        tokens = tokens[1:]
    if cut >= 0 and "of" in [w.lower() for w in words[: cut + 2]] and len(tokens) > 2:
        # "Secretary of Homeland Security Jeh Johnson": the office, then the person
        keep = 3 if re.fullmatch(r"[A-Z]\.", tokens[-2]) else 2
        tokens = tokens[-keep:]
    name = " ".join(tokens).strip(" ,.")
    if not is_name(name):
        return None
    return name


def _person(name: str) -> bool:
    words = name.split()
    if words[-1].lower().strip(".") in _ORG_HEADS or (name.isupper() and len(name) <= 5):
        return False
    return not any(w.lower() in {"of", "for", "and", "&", "the"} for w in words)


class _Registry:
    """Names in order of appearance: full names by surname, and the titles each person bore."""

    _NAME_RE = re.compile(
        r"(?:(?:[A-ZÀ-ÖØ-Þ][\w’'-]+|(?:[A-Z]\.){1,3}|(?:Gen|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Lt|Col)\.)"
        r"[ \t]+(?:(?:de|da|van|von|bin|al|la|le|del|du)[ \t]+)?){1,5}[A-ZÀ-ÖØ-Þ][\w’'-]+"
    )
    _TITLED_RE = re.compile(
        r"((?:[A-Z][\w.’'-]*[ \t]+|(?:[a-z]+-)?[a-z]+[ \t]+){0,4}?"
        r"(?:[Pp]resident|[Ll]eader|[Mm]inister|[Pp]remier|[Cc]hancellor|[Ss]en\.|[Ss]enator|"
        r"[Gg]overnor|[Gg]ov\.|[Mm]ayor|[Nn]ominee|[Cc]andidate|[Ss]ecretary|[Cc]hairman|"
        r"[Cc]hairwoman|[Ss]peaker|[Jj]udge|[Rr]ep\.|[Cc]ongressman|[Cc]ongresswoman|"
        r"[Bb]usinessman|[Bb]illionaire|[Mm]ogul|[Gg]eneral|[Gg]en\.|[Aa]mbassador|[Ee]nvoy|"
        r"[Kk]ing|[Qq]ueen|[Dd]irector|[Cc]ommissioner|[Aa]ttorney [Gg]eneral)"
        r")[ \t]+((?:[A-Z][\w’'-]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][\w’'-]+|[A-Z]\.|(?:de|da|van|von|bin|al|"
        r"la|le|del|du)(?=[ \t]+[A-Z]))){0,3})"
    )

    def __init__(self, text: str) -> None:
        self.by_last: dict[str, list[tuple[int, str]]] = {}
        self.titled: list[tuple[int, frozenset[str], str]] = []
        self.orgs: dict[str, list[tuple[int, str]]] = {}
        for m in self._NAME_RE.finditer(text):
            name = clean_name(m.group(0))
            if name and " " in name and " and " not in name:
                key = name.split()[-1].lower()
                if _person(name):
                    self.by_last.setdefault(key, []).append((m.start(), name))
                elif key in _ORG_HEADS:
                    self.orgs.setdefault(key, []).append((m.start(), name))
        for m in self._TITLED_RE.finditer(text):
            name = clean_name(m.group(2))
            if not name or not _person(name):
                continue
            words = frozenset(
                w.lower().rstrip(".") for w in m.group(1).split() if w.lower() not in ("the", "a")
            )
            full = self.expand(name, m.start(2))
            self.titled.append((m.start(), words, full))

    def organisation(self, head: str, position: int) -> str | None:
        """The organisation ``the department``/``the Commission`` refers to: the latest one
        with that head named before ``position``, when the article named only one."""
        entries = [e for e in self.orgs.get(head.lower(), []) if e[0] < position]
        if not entries or len({n for _p, n in entries}) > 1:
            return None
        return entries[-1][1]

    def expand(self, name: str, position: int) -> str:
        """The full name a bare surname refers to: the latest before ``position``, else the
        first after it; the name itself when the document names nobody fuller."""
        if " " in name:
            return name
        if name.lower() in _ORG_HEADS and name.lower() not in self.by_last:
            return self.organisation(name, position) or name
        entries = [e for e in self.by_last.get(name.lower(), []) if e[1] != name]
        if not entries:
            return name
        index = bisect.bisect_right([pos for pos, _ in entries], position)
        return entries[index - 1][1] if index > 0 else entries[0][1]

    def descriptor(self, phrase: str, position: int) -> str | None:
        """The one person the document gave this description, before ``position``."""
        words = [w.lower().rstrip(".") for w in phrase.split() if w.lower() not in ("the",)]
        if not words:
            return None
        head = words[-1]
        mods = [w for w in words[:-1] if w not in ("former", "new")]
        heads = _HEAD_SYNONYMS.get(head, frozenset({head}))
        found: set[str] = set()
        for pos, titles, name in self.titled:
            if pos >= position:
                break
            if titles & heads and all(mod in titles or mod in name.lower() for mod in mods):
                found.add(name)
        # a surname registered twice (Donald Trump, Trump) is one person
        people = {n for n in found if not any(n != o and o.endswith(" " + n) for o in found)}
        return next(iter(people)) if len(people) == 1 else None


# ---------------------------------------------------------------------------------------------
# attribution


@dataclass
class _Sentence:
    toks: list[_Tok]
    mentions: list[Mention]
    best: int | None  # index into mentions
    probability: float
    speaker: str | None
    explicit: bool  # has an attribution of its own (named, pronoun or anonymous)


def _analyse(
    text: str,
    spans: Sequence[tuple[int, int]],
    quoted: Sequence[tuple[int, int]],
    model: SpeakerModel,
) -> list[_Sentence]:
    out: list[_Sentence] = []
    lower_words = frozenset(re.findall(r"\b[a-z]{3,}\b", text))
    for s, e in spans:
        toks = _tokens(text, s, e, quoted)
        mentions = sentence_mentions(toks)
        best, best_p = None, 0.0
        for k in range(len(mentions)):
            m = mentions[k]
            if m.i > 0 and toks[m.i - 1].low in _PLACE_PREPOSITIONS:
                continue  # "In Texas, officials said": the object of a preposition
            if _heading_or_common(toks, m):
                continue
            if m.kind == "name" and not _nameable(m, lower_words):
                continue
            p = model.probability(mention_features(toks, mentions, k, model.cues))
            if p > best_p:
                best, best_p = k, p
        explicit = best is not None and best_p >= model.threshold
        if not explicit:
            # "Statistics Norway figures show", "the Harwell report concluded": a named
            # document speaks for its author whatever the ranker says
            for k, m in enumerate(mentions):
                w1, w2, _ = _next_word(toks, m.j)
                by_document = (
                    m.i >= 2
                    and toks[m.i - 1].low in ("by", "from", "the")
                    and any(t.low in _DOC_NOUNS for t in toks[max(0, m.i - 3) : m.i])
                    and any(stem(t.low) in _DOC_VERBS for t in toks[m.j : m.j + 8])
                )  # "A survey by the National Federation of ... showed"
                if m.kind == "name" and (
                    (w1 in _DOC_NOUNS and stem(w2) in _DOC_VERBS) or by_document
                ):
                    best, best_p, explicit = k, max(best_p, model.threshold), True
                    break
        out.append(_Sentence(toks, mentions, best if explicit else None, best_p, None, explicit))
    return out


BASIS_LABELS = {
    "named": "named in this sentence",
    "pronoun": "'he'/'she' refers to the one person named just before",
    "descriptor": "the description refers to the one person the article gave that title",
    "quotation": "inside a quotation attributed next to it",
    "continued": "a quotation continuing the previous speaker's",
}
# ``extract --add`` stores a speaker only when the attribution that found it is at least this
# precise on PolNeAR (name precision, benchmarks/eval_attribution.py)
STORE_PRECISION = 0.98


def storable_speaker(
    speaker: str | None,
    basis: str | None,
    confidence: float | None,
    model: SpeakerModel | None = None,
) -> tuple[str | None, str | None]:
    """The speaker ``extract --add`` may store without a person confirming it, and otherwise
    ``(None, note)`` saying why it was left out."""
    if speaker is None:
        return None, None
    model = model or load_speaker_model()
    threshold = model.store_threshold
    if threshold is not None and basis == "named" and (confidence or 0.0) >= threshold:
        return speaker, None
    measured = model.meta.get("name_precision")
    measured_text = f"{measured:.2f}" if isinstance(measured, float) else "unmeasured"
    how = BASIS_LABELS.get(basis or "", "found automatically")
    return None, (
        f"Extraction suggested the speaker {speaker!r} ({how}; model confidence "
        f"{confidence or 0.0:.2f}) but did not store it: automatic attribution has a name "
        f"precision of {measured_text} on human-annotated news (PolNeAR), below the "
        f"{STORE_PRECISION:.2f} required to store a speaker unconfirmed. Confirm it with "
        "`claimcheck extract --pick` or set it with `claimcheck edit`."
    )


@dataclass(frozen=True)
class Attribution:
    """The speaker of one sentence, how it was found, and the ranker's probability.

    ``basis`` is ``named`` (the sentence names its source), ``pronoun`` (``he said``: the last
    person named), ``descriptor`` (``the Russian leader``: the one person given that title),
    ``quotation`` (inside a quotation attributed next to it), ``continued`` (a quotation that
    continues an earlier attributed one) or ``None`` (no speaker).
    """

    speaker: str | None
    basis: str | None
    probability: float


def attribute(
    text: str, spans: Sequence[tuple[int, int]], model: SpeakerModel | None = None
) -> list[str | None]:
    """One speaker (or ``None``) per sentence span of ``text``. Never raises."""
    return [a.speaker for a in attribute_details(text, spans, model)]


def attribute_details(
    text: str, spans: Sequence[tuple[int, int]], model: SpeakerModel | None = None
) -> list[Attribution]:
    """One :class:`Attribution` per sentence span of ``text``. Never raises."""
    try:
        return _attribute(text, spans, model or load_speaker_model())
    except (re.error, RecursionError, IndexError, ValueError):  # pragma: no cover - guard
        return [Attribution(None, None, 0.0)] * len(spans)


def _attribute(
    text: str, spans: Sequence[tuple[int, int]], model: SpeakerModel
) -> list[Attribution]:
    quotes_full = quote_spans(text)
    quotes = [(qs, qe) for qs, qe, _ in quotes_full]
    registry = _Registry(text)
    sentences = _analyse(text, spans, quotes, model)
    basis: list[str | None] = []
    # people named in each sentence (outside quotations), for "he"/"she"
    people: list[list[tuple[int, str]]] = []
    for sent in sentences:
        found: list[tuple[int, str]] = []
        for m in sent.mentions:
            if m.kind != "name":
                continue
            name = clean_name(m.text)
            if name and _person(name) and is_name(name):
                full = registry.expand(name, m.start)
                if " " in full:  # a lone capitalised word may be a place
                    found.append((m.start, full))
        people.append(found)
    for k, sent in enumerate(sentences):
        how: str | None = None
        if sent.best is not None:
            m = sent.mentions[sent.best]
            who: str | None = None
            if m.kind == "name":
                name = clean_name(m.text)
                if name:
                    who, how = registry.expand(name, m.start), "named"
            elif (
                m.kind == "anon"
                and m.text.split()[-1].lower() in _DOC_NOUNS
                and sent.best + 1 < len(sent.mentions)
                and sent.mentions[sent.best + 1].kind == "name"
                and sent.mentions[sent.best + 1].i == m.j + 1
                and sent.toks[m.j].low in ("by", "from", "of")
            ):
                # "a survey by the National Federation of Independent Business showed"
                name = clean_name(sent.mentions[sent.best + 1].text)
                if name:
                    who, how = registry.expand(name, m.start), "named"
            elif (
                m.kind == "anon" and m.text.lower().split()[0] == "the" and len(m.text.split()) == 2
            ):
                head = m.text.split()[1].lower()
                if head in _ORG_HEADS:  # "according to the department": the one named before
                    found_org = registry.organisation(head, m.start)
                    if found_org:
                        who, how = found_org, "named"
            elif m.kind == "appositive":
                name = clean_name(sent.mentions[sent.best - 1].text)
                if name:
                    who, how = registry.expand(name, m.start), "named"
            elif m.kind == "pronoun":
                if m.text.lower() in ("he", "she"):
                    who, how = (
                        _antecedent(people, _recent_speakers(sentences, k), k, m.start),
                        "pronoun",
                    )
            elif m.kind == "descriptor":
                name = clean_name(m.text)
                if name is None or m.text.split()[-1].islower():
                    who, how = registry.descriptor(m.text, m.start), "descriptor"
                else:
                    who, how = registry.expand(name, m.start), "named"
            sent.speaker = who if is_name(who) else None
            if sent.speaker and _person(sent.speaker):
                people[k].append((sent.mentions[sent.best].start, sent.speaker))
        basis.append(how if sent.speaker else None)
    speakers = [sent.speaker for sent in sentences]
    probability = [sent.probability if sent.speaker else 0.0 for sent in sentences]
    _share_quotations(text, spans, sentences, speakers, basis, probability, quotes_full)
    return [
        Attribution(who, how if who else None, round(p, 3) if who else 0.0)
        for who, how, p in zip(speakers, basis, probability, strict=True)
    ]


def _recent_speakers(sentences: Sequence[_Sentence], k: int) -> list[str | None]:
    """The speakers of the (up to) three sentences before sentence ``k``."""
    return [sentences[i].speaker for i in range(max(0, k - 3), k)]


def _antecedent(
    people: Sequence[Sequence[tuple[int, str]]],
    recent_speakers: Sequence[str | None],
    k: int,
    position: int,
) -> str | None:
    """The person ``he``/``she`` in sentence ``k`` refers to, when only one person fits.

    The candidates are the people named in this sentence before the pronoun and in the two
    sentences before it; with none, the speaker of the last three sentences. Two different
    people make it ambiguous: ``None``.
    """
    names = [n for pos, n in people[k] if pos < position]
    for i in (k - 1, k - 2):
        if i >= 0:
            names += [n for _pos, n in people[i]]
    distinct = {n for n in names if not any(o != n and o.endswith(" " + n) for o in names)}
    if len(distinct) == 1:
        return next(iter(distinct))
    if not distinct:
        speakers = {s for s in recent_speakers if s and _person(s)}
        if len(speakers) == 1:
            return next(iter(speakers))
    return None


def _share_quotations(
    text: str,
    spans: Sequence[tuple[int, int]],
    sentences: Sequence[_Sentence],
    speakers: list[str | None],
    basis: list[str | None],
    probability: list[float],
    quoted: Sequence[tuple[int, int, bool]],
) -> None:
    """Give every sentence inside a quotation the speaker of that quotation (in place)."""
    if not quoted or not spans:
        return
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]

    def para(pos: int) -> int:
        return bisect.bisect_right(breaks, pos)

    quote_speaker: list[str | None] = []
    quote_basis: list[str] = []
    quote_p: list[float] = []
    attributed: list[bool] = []
    for qs, qe, _open in quoted:
        who: str | None = None
        found = False
        p_who = 0.0
        k_end = bisect.bisect_left(ends, qe)  # the sentence in which the quotation ends
        k_start = bisect.bisect_right(starts, qs) - 1
        for k in (k_end, k_end + 1, k_start):
            if not 0 <= k < len(spans):
                continue
            if k == k_end + 1:
                # the clause right after the quotation: "…?" X told reporters on Monday.
                gap = text[qe : spans[k][0]]
                if gap.strip() or para(spans[k][0]) != para(qs):
                    continue
            if sentences[k].explicit:
                who, found, p_who = speakers[k], True, probability[k]
                break
        quote_speaker.append(who)
        quote_p.append(p_who)
        quote_basis.append("quotation")
        attributed.append(found)
    # unattributed quotations continue the speaker of the paragraph's attributed quotation,
    # or that of the previous paragraph when this paragraph is a quotation only
    last_para, last_who, last_p = -5, None, 0.0
    for qi, (qs, qe, _open) in enumerate(quoted):
        p = para(qs)
        if attributed[qi]:
            last_para, last_who, last_p = p, quote_speaker[qi], quote_p[qi]
            continue
        if last_who is not None and p == last_para:
            quote_speaker[qi], quote_p[qi] = last_who, last_p
            quote_basis[qi] = "continued"
        elif last_who is not None and p == last_para + 1:
            paragraph_start = breaks[p - 1] if p > 0 else 0
            paragraph_end = breaks[p] if p < len(breaks) else len(text)
            before = text[paragraph_start:qs].strip()
            after = text[qe:paragraph_end].strip()
            if (not before and not after) or (not before and _open):
                quote_speaker[qi], quote_p[qi] = last_who, last_p
                quote_basis[qi] = "continued"
                last_para = p
    quote_starts = [qs for qs, _, _ in quoted]
    for k, (s, e) in enumerate(spans):
        if sentences[k].explicit:
            continue
        qi = bisect.bisect_right(quote_starts, s + 1) - 1
        if qi < 0:
            continue
        qs, qe, _ = quoted[qi]
        who = quote_speaker[qi]
        inside = qs <= s + 1 and e <= qe + 2 and (qe - qs) > 0.5 * (e - s)
        mostly = s <= qs and e <= qe + 2 and (min(e, qe) - qs) > 0.6 * (e - s)
        if who and (inside or mostly):
            speakers[k] = who
            basis[k] = quote_basis[qi]
            probability[k] = quote_p[qi]
