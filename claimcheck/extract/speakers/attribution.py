"""Attribution over a document: the best mention per sentence, pronouns and descriptors resolved,
quotations sharing their speaker; the public :func:`attribute` API."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from claimcheck.extract.speakers.heads import (
    _DOC_NOUNS,
    _DOC_VERBS,
    _GROUP_HEADS,
    _ORG_HEADS,
    _PERSON_HEADS,
    _PLACE_PREPOSITIONS,
    _TIME_PREPOSITIONS,
)
from claimcheck.extract.speakers.lexicon import _POSSESSIVE_RE, _TITLES
from claimcheck.extract.speakers.mentions import (
    HEADLINE_CUE,
    Mention,
    _heading_or_common,
    _nameable,
    _next_word,
    _Tok,
    _tokens,
    document_counts,
    document_leaders,
    document_speakers,
    headline_verbs,
    mention_features,
    possessed_people,
    possessive_source,
    quote_spans,
    sentence_mentions,
    stem,
    title_case,
)
from claimcheck.extract.speakers.model import SpeakerModel, load_speaker_model
from claimcheck.extract.speakers.names import _person, _Registry, clean_name, is_name

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
    # the other mentions at or above the threshold, best first: (index, probability)
    runners_up: list[tuple[int, float]]


def _analyse(
    text: str,
    spans: Sequence[tuple[int, int]],
    quoted: Sequence[tuple[int, int]],
    model: SpeakerModel,
) -> list[_Sentence]:
    out: list[_Sentence] = []
    lower_words = frozenset(re.findall(r"\b[a-z]{3,}\b", text))
    counts = document_counts(text)
    leaders = document_leaders(counts)
    said = document_speakers(text)
    for s, e in spans:
        toks = _tokens(text, s, e, quoted)
        headline = title_case(toks, lower_words)
        verbs = headline_verbs(toks, model.cues, model.cue_strength) if headline else ()
        mentions = sentence_mentions(toks, verbs)
        scored: list[tuple[float, int]] = []
        for k in range(len(mentions)):
            m = mentions[k]
            if (
                m.i > 0
                and toks[m.i - 1].low in _PLACE_PREPOSITIONS
                and not (m.kind == "name" and possessive_source(toks, m, model.cue_strength))
            ):
                continue  # "In Texas, officials said": the object of a preposition
            if (
                m.kind == "name"
                and m.text.split()[0].lower() == "the"
                and m.i > 0
                and toks[m.i - 1].low in _TIME_PREPOSITIONS
            ):
                continue  # "After the Cold War, …": a period, not a speaker
            if (
                _heading_or_common(toks, m)
                or _dateline(toks, m)
                or _content_of_cue(toks, mentions, k)
            ):
                continue
            if headline and m.kind == "name" and not _headline_speaker(toks, m, model):
                continue
            possessive = m.kind == "name" and possessive_source(toks, m, model.cue_strength)
            if m.kind == "name" and not _nameable(m, lower_words, bool(possessive)):
                continue
            if " and " in m.text and stem(_next_word(toks, m.j)[0]) not in model.cues:
                continue  # two people are a source only as the subject of a cue verb
            feats = mention_features(
                toks, mentions, k, model.cues, counts, leaders, said, model.cue_strength
            )
            scored.append((model.probability(feats), k))
        scored = [
            (
                max(p, model.threshold)
                if _sure_source(toks, mentions[k], headline, verbs)
                or _possessive_opener(toks, mentions, k, model.cue_strength)
                else p,
                k,
            )
            for p, k in scored
        ]
        scored.sort(key=lambda pk: (-pk[0], pk[1]))
        claim = next(
            (pk for pk in scored if _possessive_claim(toks, mentions[pk[1]], model.cue_strength)),
            None,
        )
        if claim is not None and claim != scored[0]:
            # "A paper seized on Tom Hale's claim that …": the clause is Tom Hale's
            scored.remove(claim)
            scored.insert(0, claim)
        trailing = _trailing_source(toks, mentions)
        if trailing is not None and scored[0][1] != trailing:
            # "…, the source added.", "…, according to the Tax Foundation.": the attribution
            # closing the sentence is the source of all of it, the nested one's too
            found = next((pk for pk in scored if pk[1] == trailing), None)
            if found is not None:
                scored.remove(found)
                scored.insert(0, (max(found[0], model.threshold), trailing))
        best, best_p = (scored[0][1], scored[0][0]) if scored else (None, 0.0)
        runners_up = [(k, p) for p, k in scored[1:] if p >= model.threshold]
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
        out.append(
            _Sentence(
                toks, mentions, best if explicit else None, best_p, None, explicit, runners_up
            )
        )
    return out


def _sure_source(toks: Sequence[_Tok], m: Mention, headline: bool, verbs: Container[int]) -> bool:
    """A mention trusted whatever the ranker says: the name ``according to`` governs
    (:func:`_according_to`) and the name opening a title-case headline right before its cue
    verb or a colon (``Ann Lee Slams …``, ``Ann Lee: …``; ``verbs``: :func:`headline_verbs`)."""
    if _according_to(toks, m) or _said_after_quotation(toks, m):
        return True
    if not headline or m.kind != "name" or m.i != 0:
        return False
    if m.j < len(toks) and toks[m.j].low == "on" and any(t.text == ":" for t in toks[m.j :]):
        return True  # "Ann Lee on the Budget: …"
    return m.j in verbs or (m.j < len(toks) and toks[m.j].text == ":")


def _possessive_claim(toks: Sequence[_Tok], m: Mention, strength: Mapping[str, float]) -> bool:
    """A possessive name before a learnt cue noun and ``that``: ``Tom Hale's claim that …``
    (the clause is his, whoever reports it)."""
    return (
        m.kind == "name"
        and m.j + 1 < len(toks)
        and toks[m.j + 1].low == "that"
        and possessive_source(toks, m, strength) == "statement"
    )


def _possessive_opener(
    toks: Sequence[_Tok], mentions: Sequence[Mention], k: int, strength: Mapping[str, float]
) -> bool:
    """A possessive name is trusted before a noun that is a learnt cue when it opens the
    sentence (``Ann Lee's proposal would cap …``, ``Under Ann Lee's plan, …``) or the noun
    introduces a clause (:func:`_possessive_claim`)."""
    m = mentions[k]
    if _possessive_claim(toks, m, strength):
        return True
    if m.kind != "name" or any(o.kind in ("name", "descriptor", "pronoun") for o in mentions[:k]):
        return False
    start = next((i for i, t in enumerate(toks) if not t.quoted and t.text.isalnum()), 0)
    return m.i <= start + 1 and possessive_source(toks, m, strength) == "statement"


def _said_after_quotation(toks: Sequence[_Tok], m: Mention) -> bool:
    """A name after a speech verb that follows a closing quotation mark, past up to four
    lower-case words or numbers: ``"…," said retired nurse Ann Lee.``, ``"…," reported
    Reuters.`` (the name ends the sentence or opens an appositive)."""
    if m.kind != "name" or (m.j < len(toks) and toks[m.j].text not in _END_TOKENS | {","}):
        return False
    k = m.i - 1
    while k >= 0 and m.i - k <= 4 and not toks[k].quoted and not toks[k].cap:
        if toks[k].low in _TRAILING_CUES:
            break
        if not (toks[k].low.isalnum() or toks[k].text in ("/", "-")):
            return False
        k -= 1
    if k < 1 or toks[k].low not in _TRAILING_CUES or toks[k].low == "told":
        return False
    before = toks[k - 1]
    if before.text == "," and k >= 2:
        before = toks[k - 2]
    return before.text in _CLOSE_QUOTE_TOKENS or (before.quoted and before.text == ",")


_CLOSE_QUOTE_TOKENS = frozenset(["”", '"', "''", "’", "'"])


def _according_to(toks: Sequence[_Tok], m: Mention) -> bool:
    """``according to`` governs the name, past a determiner and up to three lower-case
    modifiers: ``according to the nonpartisan Tax Foundation``, ``according to a new Ledger
    poll``, ``according to conservative radio host Ann Lee``."""
    if m.kind != "name":
        return False
    k = m.i - 1
    while k >= 0 and m.i - k <= 4 and not toks[k].quoted and not toks[k].cap:
        if toks[k].low == "to":
            break
        if not (toks[k].low.replace("-", "").isalpha()):
            return False
        k -= 1
    return k >= 1 and toks[k].low == "to" and toks[k - 1].low == "according"


# closing quotation marks and end punctuation after a trailing attribution
_END_TOKENS = frozenset([".", "!", "?", "”", '"', "’", "'", "''"])


def _trailing_source(toks: Sequence[_Tok], mentions: Sequence[Mention]) -> int | None:
    """The mention of an attribution that closes the sentence after a comma, when another
    mention outside quotations comes before it: ``…, the source added.``, ``…, according to
    the nonpartisan Tax Foundation.``, ``…, said one aide in the room.``; else None."""
    end = len(toks)
    while end > 0 and toks[end - 1].text in _END_TOKENS:
        end -= 1
    if end < 4 or any(t.quoted for t in toks[max(0, end - 2) : end]):
        return None
    for k in range(len(mentions) - 1, 0, -1):
        m = mentions[k]
        if m.kind not in ("name", "anon", "descriptor") or m.j > end or end - m.j > 4:
            continue
        if not any(o.kind in ("name", "anon", "descriptor", "pronoun") for o in mentions[:k]):
            return None
        if any(t.text in (",", ";", ":") or t.quoted for t in toks[m.j : end]):
            return None
        # what stands between the last comma before the mention and the mention
        c = m.i - 1
        while c >= 0 and toks[c].text != "," and m.i - c <= 6:
            c -= 1
        if c < 1 or toks[c].text != "," or toks[c - 1].quoted:
            return None
        lead = [t.low for t in toks[c + 1 : m.i]]
        after = [t.low for t in toks[m.j : end]]
        if len(lead) >= 2 and lead[:2] == ["according", "to"]:
            if all(w.isalpha() or "-" in w for w in lead[2:]) and m.j == end:
                return k
            return None
        cue_after = bool(after) and after[0] in _TRAILING_CUES
        # "…, told the Post." names whom it was said to
        cue_before = bool(lead) and lead[0] in _TRAILING_CUES and lead[0] != "told"
        if cue_after and len(lead) <= 1 and len(after) <= 4:
            return k
        if (
            cue_before
            and len(lead) <= 3
            and (not after or after[0] in _LEAD_PREPOSITIONS)
            and len(after) <= 4
            and not any(w in _LEAD_PREPOSITIONS for w in lead[1:])
        ):
            return k
        return None
    return None


# prepositions that make a name after a closing cue its object ("…, said of the Post")
_LEAD_PREPOSITIONS = frozenset(
    ["of", "at", "in", "on", "to", "by", "for", "with", "from", "about", "after", "before"]
)
# speech verbs of a closing attribution ("…, the aide added.", "…, noted X.")
# fmt: off
_TRAILING_CUES = frozenset([
    "said", "says", "added", "adds", "noted", "notes", "wrote", "writes", "explained", "argued",
    "told", "reported", "reports", "stated", "insisted", "tweeted", "warned", "acknowledged",
    "contended", "claimed", "observed",
])
# fmt: on


_SPEECH_VERBS = frozenset(
    ["said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "noted", "argued",
     "claimed", "claims", "insisted", "warned", "believes", "believed", "thinks", "thought"]
)  # fmt: skip


def _content_of_cue(toks: Sequence[_Tok], mentions: Sequence[Mention], k: int) -> bool:
    """A name right after a speech verb that has its own subject is in what was said, or the
    one told: ``the statement it said Ann Lee would have``, ``Tom Hale told Ann Lee …``."""
    m = mentions[k]
    if m.kind == "appositive" and k > 0:
        return _content_of_cue(toks, mentions, k - 1)
    if m.i < 2 or toks[m.i - 1].quoted or toks[m.i - 1].low not in _SPEECH_VERBS:
        return False
    if toks[m.i - 2].low in ("it", "he", "she", "they", "we", "i", "who", "which"):
        return True
    return any(
        o.j == m.i - 1 and o.kind in ("name", "pronoun", "anon", "descriptor") for o in mentions[:k]
    )


def _dateline(toks: Sequence[_Tok], m: Mention) -> bool:
    """A wire dateline opening the sentence (``OSLO - The mayor said …``) is no speaker."""
    return (
        m.kind == "name"
        and m.i == 0
        and len(toks) > 2
        and toks[0].text.isupper()
        and len(toks[0].text) > 2
        and toks[1].text in ("-", "—", "–")
    )


def _headline_speaker(toks: Sequence[_Tok], m: Mention, model: SpeakerModel) -> bool:
    """In a title-case headline a name is a speaker only before a cue (``Ann Lee Says …``,
    ``Poll Shows …``) or a colon (``Ann Lee: …``): ``Storm Leaves City Dark`` names no source."""
    if m.j < len(toks) and toks[m.j].text == ":":
        return True
    word = stem(_next_word(toks, m.j)[0])
    return word in model.cues or model.cue_strength.get(word, 0.0) >= HEADLINE_CUE


BASIS_LABELS = {
    "named": "named in this sentence",
    "pronoun": "'he'/'she' refers to the one person named just before",
    "descriptor": "the description refers to the one person the article gave that title",
    "quotation": "inside a quotation attributed next to it",
    "continued": "a quotation continuing the previous speaker's",
    "group": "a group, or one of its members, that a name in this sentence identifies",
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
    how = BASIS_LABELS.get(basis or "", "found automatically")
    suggested = (
        f"Extraction suggested the speaker {speaker!r} ({how}; model confidence "
        f"{confidence or 0.0:.2f}) but did not store it: "
    )
    confirm = "Confirm it with `claimcheck extract --pick` or set it with `claimcheck edit`."
    if threshold is None:
        measured = model.meta.get("name_precision")
        measured_text = f"{measured:.2f}" if isinstance(measured, float) else "unmeasured"
        return None, (
            f"{suggested}automatic attribution has a name precision of {measured_text} on "
            f"human-annotated news (PolNeAR), below the {STORE_PRECISION:.2f} required to store "
            f"a speaker unconfirmed. {confirm}"
        )
    if basis != "named":
        return None, (
            f"{suggested}only a speaker named in the statement's own sentence is stored "
            f"unconfirmed; pronouns, descriptors and quotations are less than "
            f"{STORE_PRECISION:.2f} precise on human-annotated news (PolNeAR). {confirm}"
        )
    return None, (
        f"{suggested}speakers are stored unconfirmed from a confidence of {threshold:.2f}, "
        f"where they were at least {STORE_PRECISION:.2f} precise on human-annotated news "
        f"(PolNeAR). {confirm}"
    )


@dataclass(frozen=True)
class Attribution:
    """The speaker of one sentence, how it was found, and the ranker's probability.

    ``basis`` is ``named`` (the sentence names its source), ``group`` (a group or one of its
    members that a name identifies: ``Clinton aides``), ``pronoun`` (``he said``: the last
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
    strength = model.cue_strength
    basis: list[str | None] = []
    # people named in each sentence (outside quotations), for "he"/"she"
    people: list[list[tuple[int, str]]] = []
    for sent in sentences:
        found: list[tuple[int, str]] = []
        for m in sent.mentions:
            if m.kind != "name":
                continue
            # "Mayor Ann Lee and Governor Tom Hale": two people, both in view of a later "he"
            for part in re.split(r"\s+(?:and|&)\s+", m.text):
                name = clean_name(part)
                if name is None and part.endswith(("’s", "'s")):
                    name = clean_name(part[:-2])  # "Ann Lee's office said she …"
                if name and _person(name) and is_name(name):
                    full = registry.expand(name, m.start)
                    if " " in full:  # a lone capitalised word may be a place
                        found.append((m.start, full))
        people.append(found)
    for k, sent in enumerate(sentences):
        how: str | None = None
        if sent.best is not None:
            who, how = _resolve(sent, sent.best, k, sentences, people, registry, strength)
            if who is None and sent.mentions[sent.best].kind in ("name", "pronoun", "descriptor"):
                # the best mention names nobody we can tell ("he" with two people in view):
                # the next mention the ranker also trusts may ("X, a lawyer, said he …")
                for index, p in sent.runners_up:
                    if sent.mentions[index].kind == "anon":
                        break
                    who, how = _resolve(sent, index, k, sentences, people, registry, strength)
                    if who is not None:
                        sent.best, sent.probability = index, p
                        break
            sent.speaker = who
            if who is not None:
                # another source the ranker also trusts makes this one less certain: "When A
                # noted that …, B boasted" is about two speakers
                rival = 0.0
                for index, p in sent.runners_up:
                    if index == sent.best or p <= rival:
                        continue
                    other = _resolve(sent, index, k, sentences, people, registry, strength)[0]
                    if other is None or not _same_person(other, who):
                        rival = p
                sent.probability *= 1.0 - rival
            if sent.speaker and how != "group" and _person(sent.speaker):
                people[k].append((sent.mentions[sent.best].start, sent.speaker))
        basis.append(how if sent.speaker else None)
    speakers = [sent.speaker for sent in sentences]
    probability = [sent.probability if sent.speaker else 0.0 for sent in sentences]
    _share_quotations(text, spans, sentences, speakers, basis, probability, quotes_full, registry)
    _transcript_labels(text, spans, registry, speakers, basis, probability)
    return [
        Attribution(who, how if who else None, round(p, 3) if who else 0.0)
        for who, how, p in zip(speakers, basis, probability, strict=True)
    ]


def _resolve(
    sent: _Sentence,
    index: int,
    k: int,
    sentences: Sequence[_Sentence],
    people: Sequence[list[tuple[int, str]]],
    registry: _Registry,
    cue_strength: Mapping[str, float],
) -> tuple[str | None, str | None]:
    """The name mention ``index`` of sentence ``k`` stands for, and how it was found."""
    m = sent.mentions[index]
    who: str | None = None
    how: str | None = None
    if _role_before_name(sent, index):
        # "NBC moderator Ann Lee asked": the person, not the employer before the role
        return _resolve(sent, index + 1, k, sentences, people, registry, cue_strength)
    if m.kind == "name":
        parts = m.text.split(" and ")
        if len(parts) == 2 and not any(w.lower() in _ORG_HEADS for w in m.text.split()):
            # two people speaking together: both named
            pair = [clean_name(part) for part in parts]
            if pair[0] and pair[1]:
                who = " and ".join(registry.expand(n, m.start) for n in pair if n)
                how = "named"
        else:
            name = clean_name(m.text)
            possessive = possessive_source(sent.toks, m, cue_strength) if name is None else None
            if possessive is not None:
                # "Ann Lee's claim that …": Ann Lee; "Ann Lee's lawyer said": a group
                name = clean_name(m.text[:-2])
            if name and possessive == "group":
                owner = registry.expand(name, m.start)
                n = possessed_people(sent.toks, m.j)
                people_words = " ".join(t.text for t in sent.toks[m.j : m.j + n])
                who, how = f"{owner}’s {people_words}", "group"
            elif name:
                who, how = registry.expand(name, m.start), "named"
    elif (
        m.kind == "anon"
        and m.text.split()[-1].lower() in _DOC_NOUNS
        and index + 1 < len(sent.mentions)
        and sent.mentions[index + 1].kind == "name"
        and sent.mentions[index + 1].i == m.j + 1
        and sent.toks[m.j].low in ("by", "from", "of")
    ):
        # "a survey by the National Federation of Independent Business showed"
        name = clean_name(sent.mentions[index + 1].text)
        if name:
            who, how = registry.expand(name, m.start), "named"
    elif m.kind == "anon" and m.text.lower().split()[0] == "the" and len(m.text.split()) == 2:
        head = m.text.split()[1].lower()
        if head in _ORG_HEADS:  # "according to the department": the one named before
            found_org = registry.organisation(head, m.start)
            if found_org:
                who, how = found_org, "named"
    elif m.kind == "appositive":
        name = clean_name(sent.mentions[index - 1].text)
        if name:
            who, how = registry.expand(name, m.start), "named"
    elif m.kind == "pronoun":
        if m.text.lower() in ("he", "she"):
            who = _antecedent(people, _recent_speakers(sentences, k), k, m.start)
            how = "pronoun"
    elif m.kind == "descriptor":
        name = clean_name(m.text)
        if name is None or m.text.split()[-1].islower():
            who, how = registry.descriptor(m.text, m.start), "descriptor"
        else:
            who, how = registry.expand(name, m.start), "named"
    if who is None and m.kind == "anon" and _named_appositive(sent, index):
        # "Another critic, Ann Lee, said": the description is the name after it
        return _resolve(sent, index + 1, k, sentences, people, registry, cue_strength)
    if who is None and m.kind == "anon":
        who = _group_name(sent.toks, m, registry.lower_words)
        if who is None:
            who = _group_of(sent, index)
        how = "group"
    if not is_name(who):
        return None, None
    return who, how


# roles between an employer and a person's name ("NBC moderator Ann Lee")
_ROLES = _TITLES | frozenset(
    ["moderator", "journalist", "reporter", "correspondent", "columnist", "editor", "activist"]
)


def _role_before_name(sent: _Sentence, index: int) -> bool:
    """A name followed by one or two lower-case words ending in a role and then another
    name: ``Fox News host Ann Lee``, ``the Latvian journalist Ann Lee``."""
    if index + 1 >= len(sent.mentions):
        return False
    m, n = sent.mentions[index], sent.mentions[index + 1]
    between = sent.toks[m.j : n.i]
    return (
        m.kind == "name"
        and n.kind == "name"
        and not m.text.endswith(("’s", "'s"))
        and 1 <= len(between) <= 2
        and all(t.text.isalpha() and t.text.islower() and not t.quoted for t in between)
        and between[-1].low in _ROLES
        and " and " not in n.text
    )


def _named_appositive(sent: _Sentence, index: int) -> bool:
    """An anonymous description whose appositive, between commas, is a name: ``Another
    critic, Ann Lee, said`` (not ``a critic, Ann Lee said``)."""
    if index + 1 >= len(sent.mentions):
        return False
    m, n = sent.mentions[index], sent.mentions[index + 1]
    toks = sent.toks
    head = m.text.split()[-1].lower()
    if n.kind == "name" and n.i == m.j and head.rstrip("s") in _PERSON_HEADS:
        return True  # "Presidential candidates Ann Lee and Tom Hale cited …"
    return (
        n.kind == "name"
        and " and " not in n.text
        and n.i == m.j + 1
        and toks[m.j].text == ","
        and n.j < len(toks)
        and toks[n.j].text == ","
    )


_GROUP_OPENERS = frozenset(
    ["a", "an", "the", "one", "some", "several", "many", "two", "three", "few", "other", "another"]
)


# officials and sources are anonymous even when their employer is named ("a Harbour Authority
# official", "Pentagon sources"): the claim has no speaker, as the contract of ``speaker`` says
_ANONYMOUS_HEADS = frozenset(["official", "officials", "source", "sources"])
_GROUP_PREPOSITIONS = frozenset(["for", "to", "of", "at"])
_GROUP_OF_HEADS = _GROUP_HEADS | frozenset(["reporter", "attorney", "lawyer", "member"])


def _group_of(sent: _Sentence, index: int) -> str | None:
    """An anonymous source followed by the name it works for: ``a spokeswoman for Ann Lee``,
    ``advisers to Mr. Hale``, ``a reporter for the Daily Ledger``: the head, the preposition and
    the name (``spokeswoman for Ann Lee``); else None."""
    m = sent.mentions[index]
    toks = sent.toks
    head = m.text.split()[-1]
    if head.lower() not in _GROUP_OF_HEADS or head.lower() in _ANONYMOUS_HEADS:
        return None
    if m.j + 1 >= len(toks):
        return None
    if toks[m.j].low not in _GROUP_PREPOSITIONS or index + 1 >= len(sent.mentions):
        return None
    nxt = sent.mentions[index + 1]
    if nxt.kind != "name" or nxt.i != m.j + 1:
        return None
    name = clean_name(nxt.text)
    if not is_name(name):
        return None
    return f"{head.lower()} {toks[m.j].low} {name}"


def _group_name(toks: Sequence[_Tok], m: Mention, lower_words: frozenset[str]) -> str | None:
    """An anonymous source that a name identifies: a group of people or one of them whose
    description names a person or an organisation (``Clinton aides``, ``Obama's advisers``,
    ``a Homeland Security Department official``): the description without its determiner.
    ``Police officials`` opening a sentence, ``Democratic leaders`` or ``one source`` name no
    one: None."""
    words = m.text.split()
    first = 0
    while first < len(words) and words[first].lower() in _GROUP_OPENERS:
        first += 1
    words = words[first:]
    if len(words) < 2 or words[-1].lower() not in _GROUP_HEADS:
        return None
    if words[-1].lower() in _ANONYMOUS_HEADS:
        return None
    modifier = words[:-1]
    if not all(w[:1].isupper() for w in modifier) or not is_name(" ".join(modifier)):
        return None
    # a capitalised word that opens the sentence may be a common word ("Police", "World")
    at_start = all(t.low in _GROUP_OPENERS or not t.low.isalpha() for t in toks[: m.i + first])
    if at_start and _POSSESSIVE_RE.sub("", modifier[0].lower()) in lower_words:
        return None
    return " ".join(words)


# labels in capitals before a colon that introduce no speaker
_NOT_SPEAKER_LABELS = frozenset(
    {
        "update",
        "updated",
        "correction",
        "note",
        "editor's note",
        "editor’s note",
        "watch",
        "read",
        "related",
        "video",
        "photos",
        "breaking",
        "advertisement",
        "source",
        "sources",
        "disclosure",
        "warning",
        "question",
        "answer",
    }
)
_LABEL_RE = re.compile(r"(?m)^[ \t]*[\"“]?((?:[A-Z][A-Z'’.-]+[ \t]){0,2}[A-Z][A-Z'’-]+):[ \t]")


def _transcript_labels(
    text: str,
    spans: Sequence[tuple[int, int]],
    registry: _Registry,
    speakers: list[str | None],
    basis: list[str | None],
    probability: list[float],
) -> None:
    """A transcript paragraph opens with its speaker's name in capitals (``KOVAC: We …``):
    every sentence of that paragraph is that person's, when the article names them otherwise
    too (so ``UPDATE:`` or ``CORRECTION:`` is no speaker). In place."""
    labels = [(m.start(), m.group(1)) for m in _LABEL_RE.finditer(text)]
    if not labels:
        return
    # a transcript gives each speaker's label again and again: a label that opens two
    # paragraphs or more is a speaker even when the article names them no other way
    repeated = {label for label, n in Counter(lb for _s, lb in labels).items() if n >= 2}
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)] + [len(text)]
    for start, label in labels:
        name = " ".join(w.capitalize() for w in label.split())
        last = name.split()[-1].lower()
        full = registry.expand(name, start)
        if label.lower() in _NOT_SPEAKER_LABELS:
            continue
        if label not in repeated:
            if " " not in full and not re.search(rf"\b{re.escape(name)}\b", text):
                continue  # not a name the article uses
            if last not in registry.by_last and " " not in name:
                continue
        if not is_name(full) or not _person(full):
            continue
        end = breaks[bisect.bisect_right(breaks, start)] if start < breaks[-1] else len(text)
        for k, (s, e) in enumerate(spans):
            if s >= start and e <= end + 1:
                speakers[k], basis[k], probability[k] = full, "named", 1.0


def _same_person(a: str | None, b: str) -> bool:
    """``Obama`` and ``Barack Obama`` are one speaker."""
    return a is not None and (a == b or a.endswith(" " + b) or b.endswith(" " + a))


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
    own = {n for n in names if not any(o != n and o.endswith(" " + n) for o in names)}
    if len(own) == 1:
        # "Ann Lee has been frank that she needs …": the one person named before the pronoun
        # in its own sentence, whoever the sentences before named
        return next(iter(own))
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


_SIGNATURE_RE = re.compile(
    r"[ \t\u00a0]*[―—][ \t\u00a0]*((?:[A-Z][\w.’'-]*[ \t\u00a0]?){1,4}?)[ \t\u00a0]*(?=$|\n|[“\"])"
)


def _signature(text: str, end: int, registry: _Registry) -> tuple[str, int] | None:
    """The name signing the quotation that closes at ``end`` (``"…” ― Ana Ruiz``), if any: a
    dash, then a name alone before a line break or the next quotation; with the position
    where the signature ends."""
    m = _SIGNATURE_RE.match(text, end)
    if m is None:
        return None
    name = clean_name(m.group(1).replace("\u00a0", " "))
    if not is_name(name) or name is None:
        return None
    return registry.expand(name, m.start(1)), m.end()


def _share_quotations(
    text: str,
    spans: Sequence[tuple[int, int]],
    sentences: Sequence[_Sentence],
    speakers: list[str | None],
    basis: list[str | None],
    probability: list[float],
    quoted: Sequence[tuple[int, int, bool]],
    registry: _Registry,
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
    # each sentence's overlap with every signed quotation: (characters, signer, signature span)
    signed_overlap: dict[int, list[tuple[int, str, int, int]]] = {}
    for qs, qe, _open in quoted:
        who: str | None = None
        found = False
        p_who = 0.0
        signed = _signature(text, qe, registry)
        if signed is not None:
            # a vox-pop list: "…” ― Name “…”: the name after the dash signs the quotation
            quote_speaker.append(signed[0])
            quote_p.append(1.0)
            quote_basis.append("named")
            attributed.append(True)
            first = max(0, bisect.bisect_right(starts, qs) - 1)
            for k in range(first, min(len(spans), bisect.bisect_left(ends, qe) + 1)):
                s, e = spans[k]
                chars = max(0, min(e, qe) - max(s, qs))
                if chars:
                    signed_overlap.setdefault(k, []).append((chars, signed[0], qe, signed[1]))
            continue
        k_end = bisect.bisect_left(ends, qe)  # the sentence in which the quotation ends
        k_start = bisect.bisect_right(starts, qs) - 1
        for k in (k_end, k_end + 1, k_start):
            if not 0 <= k < len(spans):
                continue
            if k == k_end + 1:
                # the clause right after the quotation: "…?" X told reporters on Monday.
                gap = text[qe : spans[k][0]]
                if gap.strip() or "\n" in gap or para(spans[k][0]) != para(qs):
                    continue
            if sentences[k].explicit:
                who, found, p_who = speakers[k], True, probability[k]
                break
        quote_speaker.append(who)
        quote_p.append(p_who)
        quote_basis.append("quotation")
        attributed.append(found)
    for k, overlaps in signed_overlap.items():
        # a sentence the segmenter runs across several signed quotations is the signer's whose
        # quotation covers most of it; the names in the signatures are no attribution of its own
        s, e = spans[k]
        chars, signer, _qe, _end = max(overlaps, key=lambda o: o[0])
        sent = sentences[k]
        own = sent.explicit and not (
            sent.best is not None
            and any(qe <= sent.mentions[sent.best].start < end for _c, _w, qe, end in overlaps)
        )
        if not own and chars >= 0.3 * (e - s):
            # with several signers in one sentence, the share of the signed text is the certainty
            share = chars / sum(o[0] for o in overlaps)
            speakers[k], basis[k], probability[k] = signer, "named", share
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
        else:
            paragraph_start = breaks[p - 1] if p > 0 else 0
            paragraph_end = breaks[p] if p < len(breaks) else len(text)
            before = text[paragraph_start:qs].strip()
            after = text[qe:paragraph_end].strip()
            if last_who is not None and p == last_para + 1:
                if (not before and not after) or (not before and _open):
                    quote_speaker[qi], quote_p[qi] = last_who, last_p
                    quote_basis[qi] = "continued"
                    last_para = p
            elif not before and not after and p > 0:
                # a paragraph that is only a quotation, after a paragraph whose last sentence
                # names its source: "Ann Lee called him a master of deals.\n\n"He was.""
                k = bisect.bisect_right(starts, paragraph_start) - 1
                who = speakers[k] if 0 <= k < len(spans) and basis[k] == "named" else None
                if who and " " in who and _person(who) and para(spans[k][0]) == p - 1:
                    quote_speaker[qi], quote_p[qi] = who, probability[k]
                    quote_basis[qi] = "continued"
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
