"""Tokens, quotation spans, the mentions of a sentence and the ranker's features for each."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from claimcheck.extract.speakers.heads import (
    _ANON_HEADS,
    _ANON_ONLY,
    _COMMON_OPENERS,
    _CONNECTORS,
    _DETERMINERS,
    _DOC_NOUNS,
    _GROUP_HEADS,
    _ORG_HEADS,
    _PERSON_HEADS,
    _PLACE_PREPOSITIONS,
    _SKIP_BEFORE_VERB,
)
from claimcheck.extract.speakers.lexicon import (
    _ABBREVIATIONS,
    _DATE_WORDS,
    _FUNCTION_CAPS,
    _POSSESSIVE_RE,
    _PRONOUNS,
    _TITLES,
)
from claimcheck.extract.speakers.names import clean_name, is_name

_QUOTE_CHARS = '“”"„«»'
_OPEN_QUOTES = "“„«"
_CLOSE_QUOTES = "”»"

_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w’'&-]*\w)?\.?|\d[\d,.]*\d|\d|''|``|--|[—–]|\S"
)


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
        elif mark == '"' and j == -1:
            j = text.find("”", i + 1, para_end)  # mixed marks: "…”
            close = "”"
        end = para_end if j == -1 else j + len(close)
        spans.append((i, end, j == -1))
        pos = max(end, i + 1)


# ---------------------------------------------------------------------------------------------
# mentions


def _namey_token(tok: _Tok) -> bool:
    """A capitalised word that can be part of a name."""
    if not tok.cap or tok.quoted:
        return False
    low = _POSSESSIVE_RE.sub("", tok.low).rstrip(".")
    return low not in _FUNCTION_CAPS and low not in _DATE_WORDS


def title_case(toks: Sequence[_Tok], lower_words: Container[str]) -> bool:
    """Whether a sentence is a title-case headline: nearly every word of four letters or more
    outside quotations is capitalised, two of them words the article also writes in lower case
    (``Mayor Vows To Fight Cuts``; a run of names alone is not a headline)."""
    words = [t for t in toks if not t.quoted and t.low.isalpha() and len(t.low) >= 4]
    if len(words) < 4:
        return False
    if any(not t.cap and t.low in _PROSE_CUES for t in words):
        return False  # "…," said Ann Lee, the director of the Oslo Climate Institute: prose
    caps = [t for t in words if t.cap]
    if len(caps) < 0.8 * len(words):
        return False
    return sum(1 for t in caps[1:] if t.low in lower_words) >= 2


# a speech verb in lower case outside quotations: a sentence of prose, not a headline
_PROSE_CUES = frozenset(["said", "says", "told", "tells", "added", "adds", "according"])


# a capitalised word of a title-case headline is read as its verb when its stem is at least
# this strong a learnt cue (or a listed cue) and it has the headline verb's -s
HEADLINE_CUE = 0.1


def headline_verbs(
    toks: Sequence[_Tok], cues: Container[str], strength: Mapping[str, float]
) -> frozenset[int]:
    """In a title-case headline, the capitalised words after a name that are its cue verb
    (``Ann Lee Calls Plan A Mistake``, ``Poll Shows Lead``): they end the name before them."""
    out = set()
    for k in range(1, len(toks)):
        t = toks[k]
        if not t.cap or t.quoted or not toks[k - 1].cap or not t.text.isalpha():
            continue
        low = t.low
        if len(low) < 4 or not low.endswith("s") or low.endswith("ss"):
            continue
        word = stem(low)
        if word in cues or strength.get(word, 0.0) >= HEADLINE_CUE:
            out.add(k)
    return frozenset(out)


def headline_split(
    toks: Sequence[_Tok],
    lower_words: Container[str],
    cues: Container[str],
    strength: Mapping[str, float] | None,
) -> frozenset[int]:
    """:func:`headline_verbs` of a title-case headline, nothing for other sentences."""
    if not title_case(toks, lower_words):
        return frozenset()
    return headline_verbs(toks, cues, strength or {})


def sentence_mentions(toks: Sequence[_Tok], verbs: Container[int] = ()) -> list[Mention]:
    """The possible sources of a sentence, left to right (see the module docstring); the
    token indices in ``verbs`` (:func:`headline_verbs`) are never part of a name."""
    out: list[Mention] = []
    n = len(toks)
    i = 0

    def _namey(k: int) -> bool:
        return k not in verbs and _namey_token(toks[k])

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
        if _namey(i) or (low in _TITLES and i + 1 < n and _namey(i + 1)):
            j = i
            while j < n:
                t = toks[j]
                if t.quoted:
                    break
                tl = _POSSESSIVE_RE.sub("", t.low)
                if _namey(j) or t.text in ("Jr.", "Sr."):
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
                    and (_namey(j + 1) or toks[j + 1].low in _TITLES)
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


def _nameable(m: Mention, lower_words: frozenset[str], possessive: bool = False) -> bool:
    """Whether a name mention can be a speaker: it reduces to a name, it does not join two
    names with "and" (``Trump and Putin``), and a lone sentence-initial word is not a common
    word the article also writes in lower case (``Real``, ``Markets``)."""
    name = clean_name(m.text)
    if name is None and possessive:
        name = clean_name(m.text[:-2])
    if not is_name(name):
        return False
    words = m.text.split()
    if " and " in m.text and not any(
        w.lower().rstrip(".") in _ORG_HEADS or w.lower() in ("of", "for") for w in words
    ):
        # "Mr. Grassley and Mr. Leahy said": two people speaking together, each a name
        parts = [clean_name(part) for part in m.text.split(" and ")]
        return len(parts) == 2 and all(is_name(part) for part in parts)
    single = [w for w in words if w.lower() != "the"]
    if len(single) == 1 and len(words) == 2 and single[0].lower() in _ORG_HEADS:
        return True  # "The Times wrote": a definite organisation, not a common word
    return not (m.i <= 1 and len(single) == 1 and single[0].lower() in lower_words)


# people a possessive name stands for ("Tom Hale's lawyer has said …")
_POSSESSED_PEOPLE = frozenset(
    ["family", "lawyer", "lawyers", "attorney", "attorneys", "executive", "commissioner"]
)
# a noun after a possessive name at least this strong a learnt cue makes the name the source of
# what it introduces ("Ann Lee's claim that …", "Hale's warning")
POSSESSIVE_CUE = 0.1


def possessed_people(toks: Sequence[_Tok], k: int) -> int:
    """How many words from ``k`` name the person or people a possessive before them stands for
    (``lawyer``, ``tax commissioner``, ``chief executive``, ``senior aides``): up to two
    lower-case words and a person's head; 0 if they do not."""
    for n in range(3):
        if k + n >= len(toks):
            return 0
        t = toks[k + n]
        if t.quoted or not t.text.isalpha() or not t.text.islower():
            return 0
        if t.low in _POSSESSED_PEOPLE or t.low in _PERSON_HEADS or t.low in _GROUP_HEADS:
            return n + 1
    return 0


def possessive_source(
    toks: Sequence[_Tok], m: Mention, strength: Mapping[str, float]
) -> str | None:
    """Whether a name mention that is only a possessive (``Ann Lee's``) is a source: ``group``
    before a person it stands for (``Ann Lee's lawyer``), ``statement`` before a noun that is a
    strong learnt cue (``Ann Lee's claim``, ``Lee's repeated warning``), else None."""
    if not m.text.endswith(("’s", "'s")) or m.j >= len(toks):
        return None
    nxt = toks[m.j]
    if nxt.quoted or not nxt.text.isalpha() or not nxt.text.islower():
        return None
    if possessed_people(toks, m.j):
        return "group"
    if nxt.low == "own" and m.j + 1 < len(toks) and not toks[m.j + 1].quoted:
        nxt = toks[m.j + 1]  # "by Ann Lee's own admission"
    if strength.get(stem(nxt.low), 0.0) >= POSSESSIVE_CUE:
        return "statement"
    return None


# prepositions a title-case headline capitalises after an opening participle
_HEADLINE_PREPOSITIONS = frozenset(
    ["against", "on", "about", "for", "to", "with", "at", "in", "over", "after", "from", "into"]
)


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
        nxt = toks[m.j] if m.j < len(toks) else None
        if (
            len(low) >= 6
            and re.search(r"(?:ing|ed)$", low)
            and nxt is not None
            and (nxt.text[:1].islower() or nxt.low in _HEADLINE_PREPOSITIONS)
        ):
            return True  # "Based on …", "Railing Against …": a participle, not a name
    before_colon = m.j < len(toks) and toks[m.j].text == ":"
    if m.i <= 1 and before_colon and all(w.isupper() and len(w) > 2 for w in words):
        return True  # a label in capitals ("UPDATE:", "KOVAC:"); transcripts are read apart
    return m.i <= 1 and len(words) >= 3 and before_colon


# words that open an appositive or a relative clause after a comma
_APPOSITIVE_OPENERS = frozenset(
    [
        "a",
        "an",
        "the",
        "who",
        "whom",
        "whose",
        "which",
        "where",
        "once",
        "now",
        "himself",
        "herself",
    ]
)


def _skip_parenthesis(toks: Sequence[_Tok], k: int) -> int:
    """After a short parenthesis at ``k`` (``Sen. Ann Moll (D-Ore.) said``), else ``k``."""
    n = len(toks)
    if k < n and toks[k].text == "(":
        close = next((m for m in range(k + 1, min(n, k + 8)) if toks[m].text == ")"), None)
        if close is not None:
            return close + 1
    return k


def _appositive_end(toks: Sequence[_Tok], k: int) -> int | None:
    """The comma closing a comma-bounded stretch opening at ``k`` (at most 25 tokens, no
    quotation or other clause mark inside), or None."""
    n = len(toks)
    if k >= n or toks[k].text != ",":
        return None
    m = k + 1
    while m < n and m - k < 25 and toks[m].text not in (",", ".", ";", ":") and not toks[m].quoted:
        m += 1
    if m < n and toks[m].text == "," and m > k + 1:
        return m
    return None


def _is_inside_commas(toks: Sequence[_Tok], j: int) -> bool:
    """Whether the mention ending before token ``j`` follows a comma a few words back (it is
    itself an appositive: ``one of her lawyers, Tom Hale,``)."""
    for k in range(j - 1, max(-1, j - 7), -1):
        if toks[k].text == ",":
            return k < j - 1
        if not (toks[k].cap or toks[k].low in _CONNECTORS or toks[k].low in _TITLES):
            return False
    return False


def _verb_index(toks: Sequence[_Tok], j: int) -> tuple[int, bool, bool]:
    """Where the verb of a mention ending at token ``j`` should be: after adverbs and
    auxiliaries, and, when the mention is followed by a comma, after an appositive up to the
    next comma (``X, chairman of Y, once suggested``) and a short parenthesis; ``(index,
    appositive, passive auxiliary seen)``."""
    n = len(toks)
    appositive = False
    k = _skip_parenthesis(toks, j)
    for _ in range(4):
        # "X, chairman of Y, once suggested", "X, 54, said", "X, who ran in 2012, said" and
        # chained ones ("X, 54, a lawyer from Oslo, said"): skip to the comma closing each
        close = _appositive_end(toks, k)
        if close is None:
            break
        k = close + 1
        appositive = True
        if k >= n or not (
            toks[k].low in _APPOSITIVE_OPENERS or toks[k].text[:1].isdigit() or toks[k].cap
        ):
            break
        k = close  # another appositive follows: skip it from the comma that opens it
    if k < n and toks[k].text == "," and appositive:
        k += 1  # the last stretch did not close with a comma: read on from here
    if (
        not appositive
        and k < n
        and toks[k].text == ","
        and j > 0
        and j < len(toks)
        and k + 1 < n
        and toks[k + 1].text[:1].islower()
        and _is_inside_commas(toks, j)
    ):
        k += 1  # "One of her lawyers, Tom Hale, said": the mention is itself the appositive
    k = _skip_parenthesis(toks, k)
    passive = False
    while k < n and (toks[k].low in _SKIP_BEFORE_VERB or toks[k].low.endswith("ly")):
        passive = passive or toks[k].low in ("is", "was", "were", "are", "been")
        k += 1
    return k, appositive, passive


def _next_word(toks: Sequence[_Tok], j: int) -> tuple[str, str, bool]:
    """The first word after a mention, skipping adverbs and auxiliaries (and, when the mention
    is followed by a comma, an appositive up to the next comma): ``(word, word2, appositive)``."""
    n = len(toks)
    k, appositive, passive = _verb_index(toks, j)
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


_CAP_WORD_RE = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*")


def document_counts(text: str) -> Counter[str]:
    """How often each capitalised word occurs in the document (lower case, no possessive): the
    people and organisations an article is about are named again and again."""
    counts: Counter[str] = Counter()
    for word in _CAP_WORD_RE.findall(text):
        low = _POSSESSIVE_RE.sub("", word.lower())
        if (
            low != "the"
            and low not in _FUNCTION_CAPS
            and low not in _DATE_WORDS
            and low not in _TITLES
        ):
            counts[low] += 1
    return counts


_SPEECH = r"(?:said|says|told|added|wrote|argued|asked|explained|noted|insisted|tweeted|according)"
_SAID_AFTER_RE = re.compile(
    r"([A-Z][\w’'-]*[a-z])(?:’s|'s)?(?:,[^,.;\"“”]{1,80},)?[ \t]+(?:\w+ly[ \t]+)?" + _SPEECH + r"\b"
)
_SAID_BEFORE_RE = re.compile(
    r"\b(?:said|says|told|[Aa]ccording to)[ \t]+(?:[A-Z][\w.’'-]*[ \t]+){0,4}?([A-Z][\w’'-]*[a-z])\b"
    r"(?=[,.])"
)


def document_speakers(text: str) -> Counter[str]:
    """How often each capitalised word stands next to a speech verb in the document
    (``Berg said``, ``said Anna Berg.``, ``according to Berg,``): the article's known sources."""
    counts: Counter[str] = Counter()
    for regex in (_SAID_AFTER_RE, _SAID_BEFORE_RE):
        for m in regex.finditer(text):
            low = _POSSESSIVE_RE.sub("", m.group(1).lower())
            if low not in _FUNCTION_CAPS and low not in _TITLES:
                counts[low] += 1
    return counts


def _frequency_band(count: int) -> str:
    for limit, band in ((1, "1"), (3, "2-3"), (7, "4-7"), (15, "8-15")):
        if count <= limit:
            return band
    return "16+"


def _document_features(
    m: Mention,
    counts: Mapping[str, int],
    leaders: frozenset[str],
    speakers: Mapping[str, int] | None = None,
) -> list[str]:
    """How prominent the mention's last name word is in the whole article."""
    words = [
        _POSSESSIVE_RE.sub("", w.lower()).rstrip(".")
        for w in m.text.split()
        if w[:1].isupper() and w.lower() != "the"
    ]
    words = [w for w in words if w not in _TITLES and w not in _FUNCTION_CAPS]
    if not words:
        return [f"docfreq|{m.kind}=none"]
    key = words[-1]
    feats = [f"docfreq|{m.kind}={_frequency_band(counts.get(key, 0))}"]
    if key in leaders:
        feats.append(f"doc_leader|{m.kind}")
    if speakers is not None:
        said = speakers.get(key, 0)
        feats.append(f"docsaid|{m.kind}={min(said, 4) if said < 4 else '4+'}")
    return feats


def document_leaders(counts: Mapping[str, int], top: int = 3) -> frozenset[str]:
    """The ``top`` capitalised words an article repeats most (seen at least four times)."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return frozenset(w for w, c in ranked[:top] if c >= 4)


# a learnt cue at least this strong is a "strong" cue for the contrast features
_STRONG_CUE = 0.3


def _strength_band(value: float) -> str:
    for limit, band in ((0.03, "0"), (0.1, "1"), (0.2, "2"), (0.4, "3"), (0.6, "4")):
        if value < limit:
            return band
    return "5"


def _lexicon_features(
    toks: Sequence[_Tok],
    mentions: Sequence[Mention],
    index: int,
    verb_at: int,
    strength: Mapping[str, float],
    first_actor: bool,
) -> list[str]:
    """Features from the cue lexicon learnt from PolNeAR's annotated cue spans (a stem's
    strength: how often annotators marked it as part of a cue, per occurrence): the strongest
    learnt cue a few words after and before the mention, the strength of the verb reached after
    it, and whether the mention is the subject nearest the first strong cue after it or another
    mention stands in between (``Berg said Holm wants``: ``wants`` is Holm's)."""
    m = mentions[index]
    n = len(toks)
    kind = m.kind
    feats: list[str] = []
    after = 0.0
    first_strong: int | None = None
    for k in range(verb_at, min(n, verb_at + 6)):
        t = toks[k]
        if t.quoted or not t.low.isalpha():
            continue
        value = strength.get(stem(t.low), 0.0)
        after = max(after, value)
        if first_strong is None and value >= _STRONG_CUE:
            first_strong = k
    feats.append(f"lex_after|{kind}={_strength_band(after)}")
    if verb_at < n and toks[verb_at].low.isalpha():
        band = _strength_band(strength.get(stem(toks[verb_at].low), 0.0))
        feats.append(f"lex_nv={band}")
    before = max(
        (
            strength.get(stem(t.low), 0.0)
            for t in toks[max(0, m.i - 4) : m.i]
            if not t.quoted and t.low.isalpha()
        ),
        default=0.0,
    )
    feats.append(f"lex_before={_strength_band(before)}")
    if first_strong is not None:
        between = any(
            o.i >= verb_at and o.j <= first_strong and o.kind != "appositive"
            for o in mentions[index + 1 :]
        )
        feats.append(f"lex_other_nearer|{kind}" if between else f"lex_nearest|{kind}")
    elif any(not t.quoted and strength.get(stem(t.low), 0.0) >= _STRONG_CUE for t in toks[m.j :]):
        feats.append(f"lex_strong_later|{kind}")
    return feats


def mention_features(
    toks: Sequence[_Tok],
    mentions: Sequence[Mention],
    index: int,
    cues: frozenset[str],
    counts: Mapping[str, int] | None = None,
    leaders: frozenset[str] = frozenset(),
    speakers: Mapping[str, int] | None = None,
    strength: Mapping[str, float] | None = None,
) -> list[str]:
    """The named binary features of one mention, shared by training and runtime; ``counts``,
    ``leaders`` and ``speakers`` (:func:`document_counts`, :func:`document_leaders`,
    :func:`document_speakers`) add the article's view: how often the mention's name recurs,
    and how often next to a speech verb; ``strength`` (the model's learnt cue lexicon, stem →
    strength) adds :func:`_lexicon_features`."""
    m = mentions[index]
    n = len(toks)
    feats = [f"kind={m.kind}", "bias"]
    if counts is not None and m.kind in ("name", "descriptor", "appositive"):
        feats += _document_features(m, counts, leaders, speakers)
    w1, w2, appositive = _next_word(toks, m.j)
    first_actor = index == 0 or all(
        o.kind not in ("name", "descriptor", "pronoun") for o in mentions[:index]
    )
    if strength:
        verb_at = _verb_index(toks, m.j)[0]
        feats += _lexicon_features(toks, mentions, index, verb_at, strength, first_actor)
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
    # a cue verb a little further on ("X, who chairs the panel, later told ..."), or just before
    window = [t for t in toks[m.j : m.j + 10] if not t.quoted]
    if any(stem(t.low) in cues for t in window):
        feats.append(f"cue_near_after|{m.kind}")
    if any(stem(t.low) in cues for t in toks[max(0, m.i - 4) : m.i] if not t.quoted):
        feats.append(f"cue_near_before|{m.kind}")
    # the words a little after the mention, as a bag: the broad cues of news ("X plans",
    # "X is bearish on", "X has a new ad") are learnt from the training data, not listed
    for t in sorted({stem(t.low) for t in window[:6] if t.low.isalpha()}):
        feats.append(f"win={t}")
    if w2 == "that" or (m.j < n and toks[m.j].low == "that"):
        feats.append("verb_that")
    others = sum(1 for o in mentions if o.kind == "name")
    feats.append(f"names={min(others, 4)}|{m.kind}")
    if first_actor:
        feats.append(f"first_actor|{m.kind}")
        feats.append(f"first_nv={stem(w1)}")
        if counts is not None and m.kind == "name":
            feats += [f"first_{f}" for f in _document_features(m, counts, leaders, speakers)]
    return feats
