"""Speaker attribution: who made each claim, or ``None`` when the text does not say.

Design
------
Attribution works over a whole document, because news copy spreads it out: a quotation may span
several sentences with ``he said`` only in the last one, and ``he`` means the last person named
as a speaker. :func:`attribute` takes the text and the sentence spans and returns one speaker
(or ``None``) per sentence, in three passes:

1. **Per sentence**, read explicit attribution with a few patterns:
   ``X said/told/added/stated/claimed/wrote ...`` (subject first, appositives such as
   ``X, who was in Istanbul,`` skipped), ``..., X said.`` (at the end), ``said X`` (inverted),
   ``according to X``, ``X figures/data show`` and ``a survey by X``.
2. **Names**: the noun phrase found is reduced to a name. Titles are stripped
   (``U.S. President Donald Trump`` → ``Donald Trump``, ``Gen. Keith Kellogg`` → ``Keith
   Kellogg``), organisations are kept whole (``Turkish Foreign Ministry``), a bare surname is
   expanded to the full name used earlier in the document (``Fidan`` → ``Hakan Fidan``), and a
   pronoun (``he said``) becomes the last named speaker. Anonymous sources (``a U.S. official``,
   ``analysts``, ``regional officials``) give ``None``: no guessing.
3. **Quotations**: every sentence inside a quotation gets the speaker attributed to that
   quotation; a quotation without attribution in a paragraph where another quotation is
   attributed inherits that speaker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

__all__ = ["attribute", "clean_name", "speaker_of"]

_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|claimed|announced|"
    r"announces|wrote|writes|warned|warns|noted|insisted|insists|argued|argues|"
    r"estimated|reported|declared|declares|explained|explains|"
    r"described|describes|called|denied|denies|confirmed|confirms|acknowledged|"
    r"acknowledges|asserted|asserts|tweeted|posted|predicted|predicts|conceded|concedes|"
    r"recalled|recalls|replied|replies|responded|responds|countered|"
    r"welcomed|welcomes|maintained|maintains"
)
_ADVERB = (
    r"(?:(?:has|had|have|also|later|then|again|previously|repeatedly|earlier|once|"
    r"recently|publicly|privately|first|separately|further|[a-z]+ly)\s+){0,3}"
)
_SUBJECT_VERB_RE = re.compile(rf"^(?P<subj>.+?)\s+{_ADVERB}(?P<verb>{_VERBS})\b")
_POSTPOSED_RE = re.compile(
    rf",\s+(?P<subj>[^,“”\"]{{2,90}}?)\s+{_ADVERB}(?P<verb>{_VERBS})\b(?P<tail>[^“”\"]*)$"
)
_INVERTED_RE = re.compile(
    r"(?:[,!?]\s*[”\"]|[”\"]\s*,?)\s*(?:said|says|added|adds|wrote|writes|told\s+reporters|asked|"
    r"noted)\s+(?P<subj>[^,.;“”\"]{2,90}?)\s*(?:,|\.|;|$)"
)
_INVERTED_PLAIN_RE = re.compile(
    r",\s+(?:said|says|added|adds)\s+(?P<subj>(?:[A-ZÀ-ÖØ-Þ][\w.’'-]*)"
    r"(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w.’'-]*|of|for|and|the)){0,6})\s*(?:,|\.?$)"
)
_ACCORDING_RE = re.compile(r"\b[Aa]ccording\s+to\s+(?P<subj>[^,.;:“”\"]{2,90})")
_SHOW_RE = re.compile(
    r"(?P<subj>(?:the\s+)?(?:[A-Z][\w.&’'-]*\s+)+)(?:figures|data|statistics|estimates|"
    r"numbers|records|polls?|surveys?)\s+(?:show|showed|shows|suggest|suggested|indicate|"
    r"indicated)\b"
)
_SURVEY_BY_RE = re.compile(
    r"\b(?:survey|poll|study|report|analysis|tally|count)\s+(?:by|from)\s+(?P<subj>(?:the\s+)?"
    r"[A-Z][^,.;:“”\"]{2,80}?)\s+(?:showed|shows|found|finds|suggested|said|estimated)\b"
)

_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
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
        "sen.",
        "sen",
        "rep.",
        "rep",
        "representative",
        "gen.",
        "gen",
        "general",
        "lt.",
        "lt",
        "col.",
        "col",
        "colonel",
        "adm.",
        "admiral",
        "maj.",
        "major",
        "capt.",
        "captain",
        "sgt.",
        "sergeant",
        "mr.",
        "mr",
        "mrs.",
        "mrs",
        "ms.",
        "ms",
        "dr.",
        "dr",
        "prof.",
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
        "minister-president",
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
        "st.",
        "st",
        "economist",
        "analyst",
        "diplomat",
    ]
)
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
    ]
)
_DOC_NOUNS = frozenset(
    [
        "release",
        "report",
        "data",
        "figures",
        "estimates",
        "estimate",
        "statement",
        "survey",
        "poll",
        "study",
        "records",
        "tally",
        "statistics",
        "numbers",
        "analysis",
        "document",
        "memo",
        "briefing",
        "readout",
        "website",
        "account",
    ]
)
_INDEFINITE = frozenset(
    {
        "a",
        "an",
        "one",
        "some",
        "several",
        "two",
        "three",
        "many",
        "few",
        "other",
        "others",
        "another",
        "analysts",
        "officials",
        "experts",
        "both",
        "all",
        "each",
        "most",
    }
)
_APPOSITIVE_START_RE = re.compile(r"^\s*(?:\d|who|which|whose|where|a|an|the|[a-z]|\S+[’']s\b)")
_NAME_TOKEN_RE = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w.’'-]*|of|de|da|van|von|bin|al-[A-Z]\w*|la|le)$")
_QUOTE_PAIRS = {"“": "”", '"': '"'}
# small words inside names: "Office for National Statistics", "Centre for Economics and ..."
_CONNECTORS = frozenset(
    {"of", "for", "and", "on", "&", "de", "da", "van", "von", "bin", "la", "le", "the"}
)
_HONORIFIC_RE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Prof|Sir|Dame)\.?\s")
_SUBJECT_NAME_RE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Prof|Sir|Dame)\.?\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w’'-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'-]+)*"
)


def _tokens(phrase: str) -> list[str]:
    return phrase.replace("\u00a0", " ").split()


def clean_name(phrase: str) -> str | None:
    """Reduce a noun phrase to a speaker name; ``None`` if it names nobody in particular.

    >>> clean_name("U.S. President Donald Trump")
    'Donald Trump'
    >>> clean_name("the Turkish Foreign Ministry")
    'Turkish Foreign Ministry'
    >>> clean_name("a U.S. official") is None
    True
    """
    words = _tokens(phrase.strip(" ,.;:—–-"))
    if not words:
        return None
    first = words[0].lower()
    if (
        first in ("a", "an")
        and words[-1].lower() in _DOC_NOUNS
        and any(w[:1].isupper() for w in words[1:])
    ):
        words = words[1:]  # "a separate Labor Department release"
        first = words[0].lower()
    if first in _INDEFINITE:
        return None
    if len(words) == 2 and words[0].endswith(("’s", "'s")) and words[1].lower() in _ORG_HEADS:
        return " ".join(words)  # "Ukraine's army"
    if len(words) == 1 and definite_head(words[0]):
        return None
    definite = first == "the"
    if definite:
        words = words[1:]
        if not words:
            return None
    # drop a trailing document noun: "Labor Department release" -> "Labor Department"
    dropped = False
    while len(words) > 1 and words[-1] in _DOC_NOUNS:
        words = words[:-1]
        dropped = True
    if dropped and len(words) == 1 and re.search(r"(?:ern|an|ian|ese|ish|al)$", words[0]):
        return None  # "Western estimates"
    # the trailing run of name tokens
    run: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        connector = word in _CONNECTORS and run and index > 0 and words[index - 1][:1].isupper()
        if _NAME_TOKEN_RE.match(word) or connector:
            run.insert(0, word)
        else:
            break
    while run and run[0] in _CONNECTORS:
        run = run[1:]
    if not run:
        if definite and any(w[:1].isupper() for w in words) and len(words) <= 5:
            return " ".join(words)  # "the Ukrainian air force"
        return None
    if run[-1].lower().strip(".") in _ORG_HEADS:
        if definite and len(run) < len(words) and any(w[:1].isupper() for w in words):
            return " ".join(words)
        name = " ".join(w for w in run if not w.endswith(("’s", "'s")))
        return name or None
    last_title = -1
    for i, word in enumerate(run):
        low = word.lower()
        if low in _TITLES or word.endswith(("’s", "'s")):
            last_title = i
    name_tokens = run[last_title + 1 :]
    if not name_tokens:
        return None
    if len(name_tokens) == 1 and name_tokens[0].lower() in _ORG_HEADS | _TITLES:
        return None
    return " ".join(name_tokens).strip(" ,.")


def definite_head(word: str) -> bool:
    """A lone lower-case organisation noun (``department``) that names nobody by itself."""
    return word.islower() and word in _ORG_HEADS


def _subject_chunk(pre: str) -> str:
    """The subject before a speech verb, skipping appositives and relative clauses."""
    chunks = [c for c in re.split(r",\s*", pre) if c.strip()]
    if not chunks:
        return ""
    idx = len(chunks) - 1
    while idx > 0 and _APPOSITIVE_START_RE.match(chunks[idx]) and _looks_named(chunks[idx - 1]):
        idx -= 1
    return chunks[idx]


def _looks_named(chunk: str) -> bool:
    words = _tokens(chunk)
    return bool(words) and bool(_NAME_TOKEN_RE.match(words[-1].rstrip(",")))


def speaker_of(sentence: str) -> tuple[str | None, bool]:
    """The speaker phrase a sentence attributes itself to, and whether it found attribution.

    Returns ``(name, True)`` for a named speaker, ``("he", True)`` for a pronoun still to be
    resolved, ``(None, True)`` for an anonymous source and ``(None, False)`` for no attribution.
    """
    text = sentence.strip()
    candidates: list[str] = []
    # text outside quotations only: a quoted "he said" is not attribution
    outside = _blank_quotes(text)
    m = _POSTPOSED_RE.search(outside)
    if m and not re.search(r"\b(?:that|whether|if)\b", m.group("subj")):
        candidates.append(m.group("subj"))
    m2 = _INVERTED_RE.search(text) or _INVERTED_PLAIN_RE.search(text)
    if (
        m2
        and len(_tokens(m2.group("subj"))) <= 8
        and re.match(r"(?:[A-ZÀ-ÖØ-Þ]|(?:the|a|an|one|some|two|three)\s)", m2.group("subj"))
    ):
        candidates.append(m2.group("subj"))
    if not candidates:
        m3 = _SUBJECT_VERB_RE.match(outside)
        if m3:
            subj = _subject_chunk(m3.group("subj"))
            if len(_tokens(subj)) <= 9 and not re.match(
                r"\s*(?:according|as|if|when)\b", subj, re.I
            ):
                candidates.append(subj)
    for pattern in (_ACCORDING_RE, _SHOW_RE, _SURVEY_BY_RE):
        m4 = pattern.search(outside)
        if m4:
            candidates.append(m4.group("subj"))
    if not candidates:
        return None, False
    for cand in candidates:
        words = _tokens(cand)
        if len(words) == 1 and words[0].lower() in _PRONOUNS:
            return words[0].lower(), True
        name = clean_name(cand)
        if name:
            return name, True
        if len(words) == 2 and words[0].lower() == "the" and definite_head(words[1].lower()):
            return words[1].lower(), True  # resolved against the document's names later
    return None, True


def _blank_quotes(text: str) -> str:
    """Replace quoted material by spaces (keeping the marks), so patterns see the frame."""
    out = list(text)
    opener: str | None = None
    for i, ch in enumerate(text):
        if opener is None and ch in _QUOTE_PAIRS:
            opener = ch
            out[i] = " "
        elif opener is not None and ch == _QUOTE_PAIRS[opener]:
            opener = None
            out[i] = " "
        elif opener is None and ch in "”":
            # a closing mark without an opener: everything before it was quoted
            out[: i + 1] = [c if c in ",." else " " for c in out[: i + 1]]
        elif opener is not None:
            out[i] = " " if ch not in ",." else ch
    # keep the punctuation right before a closing quote, for ', he said'
    return "".join(out)


_QUOTE_OPEN_RE = re.compile(r"[“\"]")


def _quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Spans of curly- and straight-quoted material, and whether each was left open.

    An unclosed quotation ends at its paragraph; by wire convention it continues in the next
    paragraph, which opens with a new quotation mark.
    """
    spans: list[tuple[int, int, bool]] = []
    n = len(text)
    pos = 0
    while True:
        m = _QUOTE_OPEN_RE.search(text, pos)
        if m is None:
            return spans
        i = m.start()
        close = _QUOTE_PAIRS[m.group(0)]
        para_end = text.find("\n\n", i)
        para_end = n if para_end == -1 else para_end
        j = text.find(close, i + 1, para_end)
        end = para_end if j == -1 else j + 1
        spans.append((i, end, j == -1))
        pos = max(end, i + 1)


class _Registry:
    """Multi-word names in order of appearance, indexed by last word, to expand surnames."""

    def __init__(self, text: str) -> None:
        self.by_last: dict[str, list[tuple[int, str]]] = {}
        token = r"(?:[A-ZÀ-ÖØ-Þ][\w’'-]+|(?:[A-Z]\.){2,}|(?:Gen|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Lt|Col)\.)"
        pattern = rf"(?:{token}[ \t]+(?:(?:of|for)[ \t]+)?){{1,5}}[A-ZÀ-ÖØ-Þ][\w’'-]+"
        for m in re.finditer(pattern, text):
            name = clean_name(m.group(0))
            if name and " " in name and " and " not in name:
                key = name.split()[-1].lower()
                self.by_last.setdefault(key, []).append((m.start(), name))

    def expand(self, name: str, position: int) -> str:
        """The full name a bare surname refers to: the latest before ``position``, else the
        first after it; the name itself when the document names nobody fuller."""
        if " " in name:
            return name
        entries = [e for e in self.by_last.get(name.lower(), []) if e[1] != name]
        if not entries:
            return name
        index = bisect.bisect_right([pos for pos, _ in entries], position)
        return entries[index - 1][1] if index > 0 else entries[0][1]


def _is_person(name: str) -> bool:
    words = name.split()
    if words[-1].lower().strip(".") in _ORG_HEADS or name.isupper():
        return False
    return not any(
        w.lower() in _CONNECTORS - {"de", "da", "van", "von", "bin", "la", "le"} for w in words
    )


def _person_subject(sentence: str, position: int, registry: _Registry) -> str | None:
    """A person named at the start of a sentence (``Mr. Smith, 54, has worked ...``)."""
    m = _SUBJECT_NAME_RE.match(sentence)
    if m is None:
        return None
    phrase = m.group(0)
    name = clean_name(phrase)
    if name is None:
        return None
    expanded = registry.expand(name, position)
    multiword = " " in expanded
    if not (_HONORIFIC_RE.match(phrase) or multiword):
        return None
    return expanded if _is_person(expanded) else None


def attribute(text: str, spans: Sequence[tuple[int, int]]) -> list[str | None]:
    """One speaker (or ``None``) per sentence span of ``text``. Never raises."""
    registry = _Registry(text)
    explicit: list[tuple[str | None, bool]] = []
    for s, e in spans:
        try:
            explicit.append(speaker_of(text[s:e]))
        except (re.error, RecursionError):  # pragma: no cover - guard
            explicit.append((None, False))
    speakers: list[str | None] = []
    last_named: str | None = None  # any named speaker (for "they", "we")
    last_person: str | None = None  # a person, speaker or sentence subject (for "he", "she")
    for (s, e), (name, found) in zip(spans, explicit, strict=True):
        resolved: str | None = None
        if found and name in _PRONOUNS:
            resolved = last_person if name in ("he", "she", "i") else last_named
        elif found and name:
            resolved = registry.expand(name, s)
            if resolved.islower():
                resolved = None  # "the department" with no department named before
            else:
                last_named = resolved
                if _is_person(resolved):
                    last_person = resolved
        if not found or name in _PRONOUNS:
            subject = _person_subject(text[s:e], s, registry)
            if subject is not None and not (found and name in _PRONOUNS):
                last_person = subject
        speakers.append(resolved)

    # quotations: share the attribution across the sentences they cover
    quoted = _quote_spans(text)
    quotes = [(qs, qe) for qs, qe, _ in quoted]
    span_ends = [e for _, e in spans]
    quote_speaker: list[str | None] = []
    for _qs, qe in quotes:
        k = bisect.bisect_left(span_ends, qe)
        who: str | None = None
        if k < len(spans) and spans[k][0] < qe and explicit[k][1]:
            who = speakers[k]
        quote_speaker.append(who)
    # unattributed quotations inherit from the first attributed one in the same paragraph,
    # or from an open quotation that the paragraph continues
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    paragraph_of = [bisect.bisect_right(breaks, qs) for qs, _ in quotes]
    first_in_paragraph: dict[int, str] = {}
    for para, who in zip(paragraph_of, quote_speaker, strict=True):
        if who is not None and para not in first_in_paragraph:
            first_in_paragraph[para] = who
    carried: str | None = None
    carried_para = -2
    for qi, para in enumerate(paragraph_of):
        if quote_speaker[qi] is None:
            inherited = first_in_paragraph.get(para)
            if inherited is None and carried is not None and carried_para == para - 1:
                paragraph_start = breaks[para - 1] + 2 if para > 0 else 0
                if not text[paragraph_start : quotes[qi][0]].strip():
                    inherited = carried
                    first_in_paragraph[para] = carried
            quote_speaker[qi] = inherited
        if quoted[qi][2] and quote_speaker[qi] is not None:
            carried, carried_para = quote_speaker[qi], para
    quote_starts = [qs for qs, _ in quotes]
    for k, (s, e) in enumerate(spans):
        if speakers[k] is not None or explicit[k][1]:
            continue
        qi = bisect.bisect_right(quote_starts, s) - 1
        if qi < 0:
            continue
        qs, qe = quotes[qi]
        who = quote_speaker[qi]
        if who and qs <= s and e <= qe + 2 and (qe - qs) > 0.5 * (e - s):
            speakers[k] = who
    return speakers
