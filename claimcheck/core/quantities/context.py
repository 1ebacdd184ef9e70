"""What the words around a finished quantity add: the counted noun a bare number shares with
its neighbours, shares written as ``N out of M``, poll points, ages, and rates written as
adverbs.

Stage 6 of :mod:`~claimcheck.core.quantities.scanner`, run on the quantities of one text after
they are merged, in text order. Each rule reads only a few words next to a quantity and changes
only a quantity the earlier stages left bare (no unit) or gave a unit that the context makes more
precise:

* **a shared noun**: ``seven of the past eight contests`` and ``Two of the Republicans`` count
  contests and people (the noun of the whole they are part of); a bare number after ``a total
  of``, ``rather than``, ``compared with``, ``up from`` ..., before ``of them``, or after
  ``Of the 10 judges ...,`` counts what the nearest count before it in the same sentence counts
  (``... 469 super delegates for a total of 1,749`` → people; ``1,163 delegates to Sanders' 844``);
* **gapped figures and changes**: a bare number after a name ending a clause (``Moll won 31
  delegates and Berg 24``) counts what the figure before it counts, and is dropped as a label
  when there is none (``a Boeing 747``); the bare end of ``to 12 jets from 19`` / ``from 9
  points to 3`` takes the other end's unit; what ``the number of deaths`` came to counts deaths;
* **people implied**: after a verb of harm (``killed 130 in the city``), ``a father of seven``, ``a family of five``, ``a town of less than 1,000``,
  ``a population of 8 million``;
* **ages**: a bare number after a human noun and ``under``/``over`` (``voters under 30``) is
  years;
* **poll points**: ``points`` in a sentence about a lead, a margin or a poll is percentage
  points (``leads by nine points``), not on a stock index (``the Dow fell 300 points``); so is
  a singular ``point`` before ``lead``, ``margin``, ``gap`` ... (``a +12 point lead``) and
  ``points higher than in 2004`` (not of test scores);
* **ages**: ``at 15 the youngest ever``, ``at 15, she was the youngest`` are years;
* **shares**: ``nine out of 10 doctors``, ``About $4 of every $5``, ``three in four voters``,
  ``eight of 10 voters`` are percent (90, ~80, 75, 80), their surface running to the whole (a
  plain ``of`` only before 10 or 100: ``85 of 154 meetings`` is a count);
* **rates as adverbs**: ``3 percent annually``, ``$200 monthly`` → ``percent/year``,
  ``USD/month``; and as adjectives after money: ``a $500 annual credit`` → ``USD/year``;
* **people addressed**: ``tells 3,000 in the arena``, ``drew 20,000 at the fair``;
* **cents of a dollar**: ``40 cents of every dollar`` is 40 percent; other cents are dollars
  (``35 cents`` is 0.35 USD);
* **labels**: a bare number after ``number`` (``Number two, ...``, ``the number one issue``) is
  none.

The rules are tried only where a cheap test on the text allows them (a bare quantity, the
word ``point``, ``out of`` ...), so text without such a quantity costs one pass over the list.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from claimcheck.core.quantities.lexicon import HUMAN_NOUNS, SMALL, TENS
from claimcheck.core.quantities.units import CURRENCIES
from claimcheck.core.quantities.words import count_noun_after, last_word, looks_like_headline

if TYPE_CHECKING:
    from claimcheck.core.quantities.scanner import _Raw

__all__ = ["read_context"]

_DETERMINERS = r"the|its|their|his|her|our|these|those|all|whose"
# "seven of the past eight contests", "52 of the 100 seats", "Two of the Republicans"
_OF_WHOLE_RE = re.compile(
    rf"\s+of\s+(?:(?:{_DETERMINERS})\s+)?(?:[A-Za-z.]+['’]s\s+)?(?:[a-z]+\s+)?$", re.I
)
_OF_WHOLE_START_RE = re.compile(rf"\s+of\s+(?:{_DETERMINERS})(?=\s)", re.I)
_OF_WHOLE_SKIP_RE = re.compile(
    rf"(?:\s+[a-z]+)?\s+(?:\d[\d,.]*|(?:{'|'.join([*SMALL, *TENS])})(?:-[a-z]+)?)(?=\s)"
    r"|\s+[A-Za-z.-]+(?:['’]s|s['’])(?=\s)",  # "of the group's researchers"
    re.I,
)
# a bare number that counts what a count before it counts
_CARRY_LEFT_RE = re.compile(
    r"\b(?:(?:a\s+|the\s+)?total\s+of|totaling|totalling|rather\s+than|instead\s+of|"
    r"compared\s+(?:with|to)|versus|vs\.?|up\s+from|down\s+from|against)\s+$",
    re.I,
)
# "1,163 delegates to Sanders' 844": the rival's figure counts the same thing
_CARRY_TO_RIVAL_RE = re.compile(r"\bto\s+(?:[A-Z][\w.-]*\s+)?[A-Z][\w.-]*(?:['’]s|s['’])\s+$")
# "killed 130 in Paris", "kills at least 80": a bare number after a verb of harm counts people
_HARM_VERBS = frozenset(
    {
        *("killed", "kills", "killing", "kill", "wounded", "wounds", "wounding", "injured"),
        *("injures", "injuring", "slaughtered", "massacred", "murdered", "executed", "evacuated"),
        *("rescued", "arrested", "detained", "abducted", "kidnapped", "displaced", "infected"),
    }
)
# "tells 3,000 in the arena", "drew 20,000 at the fairground": the people addressed or drawn
_ADDRESS_VERBS = frozenset(
    {
        *("tells", "told", "telling", "addresses", "addressed", "addressing", "greets"),
        *("greeted", "drew", "draws", "drawing", "rallies", "rallied", "attracted", "attracts"),
    }
)
_ADDRESSED_END_RE = re.compile(r"\s*(?:$|[,.;:!?]|\s+(?:in|at|on|during|inside|outside)\b)")
_SHARE_AHEAD_RE = re.compile(r"\s+(?:in|out\s+of)\s+(?:\d|ten\b|five\b|four\b|three\b)", re.I)
_PREPOSITION_AFTER_RE = re.compile(r"\s+(for|in|at|from|against|to|on|with)\b", re.I)
_PARALLEL_VERBS = frozenset(
    {"has", "have", "had", "won", "wins", "got", "gets", "gained", "took", "takes", "received"}
)
_SUBJECT_JOIN_RE = re.compile(r"^\s*(?:,|and\b|while\b)|,\s+(?:and\s+|while\s+)?[\w\s’'.-]*$")
_PARALLEL_JOIN_RE = re.compile(r"(?:,|\band|\bwhile|\bversus|\bvs\.?)\s+$")
_DEATH_TOLL_RE = re.compile(
    r"\b(?:death|casualty)\s+tolls?\b[^.;:!?]{0,40}\b(?:to|at|of|is|was|reached|hit|stood\s+at)\s+$",
    re.I,
)
_TOLL_LAST_WORDS = frozenset({"to", "at", "of", "is", "was", "reached", "hit"})
_NUMBER_OF_RE = re.compile(
    r"\bthe\s+(?:total\s+|overall\s+)?(?:number|tally|count)\s+of\s+(?:the\s+)?(?=\S)", re.I
)
_FROM_TO_GAP_RE = re.compile(r"\s+(from|to)\s+", re.I)
_CARRY_RIGHT_RE = re.compile(r"\s+of\s+(?:them|those|these|whom|which)\b", re.I)
_CARRY_LAST_WORDS = frozenset(
    {"of", "than", "with", "to", "versus", "vs", "from", "against", "totaling", "totalling"}
)
_OF_THE_LEAD_RE = re.compile(r"\bOf\s+(?:the|its|their|those|these)\s+$")
_CLAUSE_COMMA_RE = re.compile(r"[^.;:!?\n]*,\s+$")
_SENTENCE_END_RE = re.compile(r"[.!?;]\s|\n")
_CARRY_REACH = 200
# "a father of seven", "a town of less than 1,000", "a population of 8 million"
_PEOPLE_OF_RE = re.compile(
    r"\b(?:father|mother|parent|dad|mom|mum|grandfather|grandmother|grandparent|family|"
    r"families|town|city|village|hamlet|suburb|borough|community|nation|country|"
    r"population|populace|electorate|crowd|audience|throng|congregation|workforce)s?\s+of\s+$",
    re.I,
)
_AGE_COMPARATOR_RE = re.compile(
    r"(?:under|over|above|below|older\s+than|younger\s+than|aged)\s+", re.I
)
_AGE_NOUNS = HUMAN_NOUNS | frozenset({"those", "anyone", "everyone", "people", "adults"})
# "adoptees younger than 18": an age after a human noun ("younger than" is no comparator of its own)
_AGE_THAN_RE = re.compile(r"\b(?P<noun>[a-z]+)\s+(?P<cmp>older|younger)\s+than\s+$", re.I)
# "at 15 the youngest ever", "at 15, she was the youngest": an age, the point of a record
_AT_AGE_RE = re.compile(
    r",?\s+(?:(?:he|she|they|it)\s+(?:was|is|were|are|became|becomes)\s+)?"
    r"(?:the\s+|a\s+)?(?:youngest|oldest)\b",
    re.I,
)
_SCORE_GAP_RE = re.compile(r"\s+to\s+|\s*[-–]\s*")
_POLL_RE = re.compile(
    r"\b(?:lead|leads|leading|led|ahead|behind|trail|trails|trailing|margin|poll|polls|"
    r"polling|pollster|survey|net|advantage|edge|percent|approval|favou?rab\w*|gap|deficit|"
    r"defeat|victory|landslide|swing|primary|primaries|caucus|caucuses|election|race|win|wins|"
    r"winning|won)\b|%",
    re.I,
)
_INDEX_RE = re.compile(
    r"\b(?:Dow|Nasdaq|S&P|FTSE|Nikkei|DAX|Sensex|Nifty|Hang\s+Seng|Kospi|CAC|Stoxx|index|indexes|"
    r"indices|stocks?|shares|"
    r"scored|scoring|basket|game|games|quarterback|season)\b",
    re.I,
)
# "a +12 point lead", "+32 Point Lead": poll points with "point" singular, not hyphenated
_POINT_LEAD_RE = re.compile(
    r"\s+point(?=\s+(?:lead|margin|edge|advantage|gap|deficit|swing|spread|victory|win|"
    r"drop|jump|bump|rise|fall|slide|surge|shift)s?\b)",
    re.I,
)
# "about 10 points higher than in 2004": a share compared with an earlier year, in points
_POINTS_SINCE_RE = re.compile(
    r"\s+(?:higher|lower|up|down)\s+(?:than|from|on|over|compared\s+(?:with|to))\s+"
    r"(?:in\s+)?[\d#]{4}\b",
    re.I,
)
_SCORE_RE = re.compile(r"\b(?:scores?|tests?|exams?|IQ|SAT|rating|ratings|rated)\b", re.I)
# "nine out of 10", "$4 of every $5", "three in four"
_SHARE_GAP_RE = re.compile(
    r"\s+(?:out\s+of(?:\s+(?:every|each))?|(?:of|in)\s+(?:every|each)|in|of)\s+", re.I
)
_RATE_ADVERB_RE = re.compile(
    r"\s+(?P<adv>annually|yearly|per\s+annum|monthly|weekly|daily|hourly)\b", re.I
)
_RATE_ADJECTIVE_RE = re.compile(r"\s+(?P<adv>annual|yearly|monthly|weekly|daily)\b", re.I)
_RATE_ADVERBS = {
    "annually": "year",
    "yearly": "year",
    "per annum": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
    "annual": "year",
}
# "40 cents of every dollar": a share in percent
_CENTS_OF_DOLLAR_RE = re.compile(
    r"\s+(?:out\s+)?(?:of|on|in)\s+(?:each|every|a|the)\s+dollar\b", re.I
)
_NUMBER_LABEL_RE = re.compile(r"\bnumber\s+$", re.I)
# "by nearly 2-1", "a 3-to-1 margin" ("to-1" is masked as a label: "to-#")
_TO_ONE_RE = re.compile(
    r"(?:(?:\s*[-–]\s*|\s+to\s+)(?:1|one)|-to-(?:[1#]|one))(?![\w#]|[.,]\d)"
    r"(?!\s+(?:vote|votes|decision|ruling|split)\b)",  # "by a 2-to-1 vote": a tally
    re.I,
)
_BY_RATIO_RE = re.compile(r"\b(?:by|margin\s+of|ratio\s+of)\s+(?:an?\s+)?$", re.I)
_RATIO_NOUN_RE = re.compile(r"\s+(?:margin|ratio|majority)\b", re.I)
# "bought 14 courses, then two more": a bare number before "more" counts what the count
# before it counts
_MORE_AFTER_RE = re.compile(r"\s+more\b(?!\s+(?:than|of)\b)(?!\s+[a-z]+s\b)", re.I)
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year"})
_NOT_CARRIED = frozenset({"fold", "time"})
# "two main focal points": a noun modified between the number and "points" counts points made,
# not poll points ("five more points", "a 10-point lead" are poll points)
_POINT_MODIFIED_RE = re.compile(
    r"\s(?!(?:more|fewer|less|full|additional|extra|straight|whole|big|points?)\b)[a-z]+\s+points?\b",
    re.I,
)


def read_context(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Stage 6 over the merged quantities of ``text`` (masked), in text order."""
    if not raws:
        return raws
    for r in raws:  # a loop: cheaper than any() over a generator on every text
        if r.gapped:
            raws = _gapped(text, raws)
            break
    if "umber" in text or "UMBER" in text:  # "Number Two, ...": a label, not a count
        raws = [
            r for r in raws if r.unit is not None or not _NUMBER_LABEL_RE.search(text, 0, r.start)
        ]
    for i, raw in enumerate(raws):
        if raw.unit is None and raw.high is None:
            if (
                text.startswith((" point", " Point", " POINT"), raw.end)
                and (lead := _POINT_LEAD_RE.match(text, raw.end))
                and not _INDEX_RE.search(text)
            ):  # "a +12 point lead": poll points, "point" singular as in "a 12-point lead"
                raw.unit, raw.unit_kind, raw.end = "percentage point", "measure", lead.end()
            else:
                _bare(text, raws, i)
        elif (
            raw.unit == "point"
            and (
                _POLL_RE.search(text)
                or (_POINTS_SINCE_RE.match(text, raw.end) and not _SCORE_RE.search(text))
            )
            and not _INDEX_RE.search(text)
            and not _POINT_MODIFIED_RE.search(text, raw.num_start, raw.end)
        ):
            raw.unit, raw.unit_kind = "percentage point", "measure"
        elif raw.unit == "cent" and (cents := _CENTS_OF_DOLLAR_RE.match(text, raw.end)):
            raw.unit, raw.unit_kind, raw.end = "percent", "measure", cents.end()
        elif raw.unit is not None and (raw.unit == "cent" or raw.unit.startswith("cent/")):
            # "35 cents" is an amount of money (0.35 USD), "30 cents a gallon" 0.3 USD/gallon
            raw.value = round(raw.value / 100, 6)
            if raw.high is not None:
                raw.high = round(raw.high / 100, 6)
            raw.unit, raw.unit_kind = "USD" + raw.unit[4:], "measure"
        if raw.unit is not None and "/" not in raw.unit and raw.unit not in _TIME_UNITS:
            rate = _RATE_ADVERB_RE.match(text, raw.end)
            if rate is None and raw.unit in CURRENCIES:  # "a $500 annual credit"
                rate = _RATE_ADJECTIVE_RE.match(text, raw.end)
            if rate:
                per = _RATE_ADVERBS[" ".join(rate.group("adv").lower().split())]
                raw.unit, raw.unit_kind, raw.end = f"{raw.unit}/{per}", "measure", rate.end()
    if "1" in text or "#" in text or "one" in text:
        raws = _ratios(text, raws)
    return _shares(text, raws) if len(raws) > 1 else raws


def _gapped(text: str, raws: list[_Raw]) -> list[_Raw]:
    """``Moll won 30 delegates and Berg 25``: a bare number after a name that ends a clause
    counts what the figure before it counts; with no such figure in the sentence it is a label
    after all (``bought a Boeing 737``)."""
    out: list[_Raw] = []
    for raw in raws:
        if raw.gapped:
            source = _count_before(text, out, len(out), raw)
            if source is None or source.unit in CURRENCIES:  # "$40 for ... and Office 365"
                continue
            raw.unit, raw.unit_kind = source.unit, source.unit_kind
        out.append(raw)
    return out


def _ratios(text: str, raws: list[_Raw]) -> list[_Raw]:
    """``by nearly 2-1``, ``a 3-to-1 margin``: a ratio to one is a multiplier (``~2 fold``), its
    ``1`` part of it. Only after ``by`` or before ``margin``/``ratio``/``majority``: a score
    (``won 2-1``) stays two numbers."""
    out: list[_Raw] = []
    for raw in raws:
        if out and out[-1].unit == "fold" and raw.num_start < out[-1].end:
            continue  # the "1" of the ratio just read
        if raw.unit is None and raw.high is None and raw.comparator in ("=", "~"):
            ratio = _TO_ONE_RE.match(text, raw.end)
            if ratio and (
                ratio.group().lower().startswith("-to-o")  # "backed it two-to-one"
                or _BY_RATIO_RE.search(text, max(0, raw.start - 12), raw.start)
                or _RATIO_NOUN_RE.match(text, ratio.end())
            ):
                raw.unit, raw.unit_kind, raw.end = "fold", "measure", ratio.end()
        out.append(raw)
    return out


def _bare(text: str, raws: list[_Raw], i: int) -> None:
    """A unit for the bare quantity ``raws[i]`` from its neighbours, when they give one."""
    raw = raws[i]
    nxt = raws[i + 1] if i + 1 < len(raws) else None
    after = text[raw.end : raw.end + 60]
    # "beat him 46 to 40 percent": two figures of one result, the unit written once
    if (
        nxt is not None
        and nxt.unit is not None
        and nxt.high is None
        and raw.value > nxt.value
        and nxt.unit_kind == "measure"
        and _SCORE_GAP_RE.fullmatch(text, raw.end, nxt.num_start)
    ):
        raw.unit, raw.unit_kind = nxt.unit, nxt.unit_kind
        return
    # "seven of the past eight contests": the noun of the whole
    if " of " in after[:5].lower():
        if nxt is not None and nxt.unit_kind == "count" and nxt.unit not in _NOT_CARRIED:
            gap = text[raw.end : nxt.num_start]
            if len(gap) < 40 and _OF_WHOLE_RE.fullmatch(gap.rstrip() + " "):
                raw.unit, raw.unit_kind = nxt.unit, "count"
                return
        det = _OF_WHOLE_START_RE.match(text, raw.end)
        if det:
            skip = _OF_WHOLE_SKIP_RE.match(text, det.end())  # "of its last twelve matches"
            after = text[skip.end() if skip else det.end() :]
            headline = after[1:2].isupper() and looks_like_headline(text)
            found = count_noun_after(after, headline=headline)
            if found is not None:
                raw.unit, raw.unit_kind = found[0], "count"
                return
    left = text[max(0, raw.start - 60) : raw.start]
    word = last_word(left)  # each left pattern ends in one of a few words: test those only
    if word == "of" and _PEOPLE_OF_RE.search(left):
        raw.unit, raw.unit_kind = "people", "count"
        return
    if (
        raw.comparator != "="
        and raw.value <= 120
        and word in _AGE_NOUNS
        and _AGE_COMPARATOR_RE.fullmatch(text, raw.start, raw.num_start)
    ):
        raw.unit, raw.unit_kind = "year", "measure"
        return
    if word == "at" and raw.value <= 120 and _AT_AGE_RE.match(text, raw.end):
        raw.unit, raw.unit_kind = "year", "measure"  # "at 15 the youngest ever": an age
        return
    if word == "than" and raw.comparator == "=" and raw.value <= 120:
        than = _AGE_THAN_RE.search(left)
        if than and than.group("noun").lower() in _AGE_NOUNS:
            raw.unit, raw.unit_kind = "year", "measure"
            raw.comparator = ">" if than.group("cmp").lower() == "older" else "<"
            raw.start = raw.num_start - len(left) + than.start("cmp")
            return
    if word in _TOLL_LAST_WORDS and _DEATH_TOLL_RE.search(left):
        raw.unit, raw.unit_kind = "people", "count"  # "raised the death toll to 267"
        return
    if word in _TOLL_LAST_WORDS and "of " in (wide := text[max(0, raw.start - 120) : raw.start]):
        counted = _number_of(wide)
        if counted is not None:  # "the number of deaths rose by 20% to 1,500"
            raw.unit, raw.unit_kind = counted, "count"
            return
    if word == "all" and last_word(left[: -len(word) - 1]) in _HARM_VERBS:
        word = "killed"  # "killed all 157": the people harmed
    if word in _HARM_VERBS or (
        word in _ADDRESS_VERBS and _ADDRESSED_END_RE.match(text, raw.end) is not None
    ):
        raw.unit, raw.unit_kind = "people", "count"
        return
    if text.startswith((" in ", " out "), raw.end) and _SHARE_AHEAD_RE.match(text, raw.end):
        return  # "nearly four in 10": a share, joined below
    if _parallel(text, raws, i):
        return
    if word in ("from", "to") and _from_to(text, raws, i):
        return
    if word == "to" and left.endswith((", to ", ", to\n")):  # "fell by 2,000 pupils, to 18,000"
        source = _count_before(text, raws, i)
        if source is not None and source.unit_kind == "count":
            raw.unit, raw.unit_kind = source.unit, source.unit_kind
            return
    if (
        (word in _CARRY_LAST_WORDS and _CARRY_LEFT_RE.search(left))
        or _CARRY_RIGHT_RE.match(text, raw.end)
        or (text.startswith(" more", raw.end) and _MORE_AFTER_RE.match(text, raw.end))
        or _of_the_lead(text, raws, i)
        or (left[-2:-1] in ("’", "'", "s") and _CARRY_TO_RIVAL_RE.search(left))
    ):
        source = _count_before(text, raws, i)
        if source is not None:
            raw.unit, raw.unit_kind = source.unit, source.unit_kind


def _number_of(left: str) -> str | None:
    """The noun of ``the number of <nouns>`` (``the tally of``) earlier in the sentence that
    ends ``left``, when the figure ending it is what that number came to: ``the number of
    deaths rose by 20% to 1,500`` → ``death``."""
    found = None
    for found in _NUMBER_OF_RE.finditer(left):  # noqa: B007 - the last one is wanted
        pass
    if found is None or _SENTENCE_END_RE.search(left, found.end()):
        return None
    noun = count_noun_after(left[found.end() - 1 :])
    return noun[0] if noun is not None else None


def _parallel(text: str, raws: list[_Raw], i: int) -> bool:
    """``four votes for Moll, 31 for Berg``, ``killed 130 in one city and 32 in another``, ``Moll
    has 11 delegates, Berg has 10``: a bare number after a comma or ``and``, before the same
    preposition as the count just before it or after the same verb, counts what that count
    counts."""
    raw = raws[i]
    if i == 0:
        return False
    prev = raws[i - 1]
    if prev.unit is None or prev.unit in _NOT_CARRIED or prev.high is not None:
        return False
    if prev.unit_kind != "count" or raw.start - prev.end > 80:
        return False
    after = _PREPOSITION_AFTER_RE.match(text, raw.end)
    before = _PREPOSITION_AFTER_RE.match(text, prev.end) if after else None
    if after and before and before.group(1).lower() == after.group(1).lower():
        gap = text[before.end() : raw.start]
    else:
        verb = last_word(text[max(0, raw.start - 20) : raw.start])
        if verb not in _PARALLEL_VERBS or verb != last_word(
            text[max(0, prev.start - 20) : prev.start]
        ):
            return False
        gap = text[prev.end : raw.start - len(verb) - 1]
        if _SENTENCE_END_RE.search(gap) or not _SUBJECT_JOIN_RE.search(gap):
            return False
        gap += " and "  # the join comes before the new subject: "..., Berg has 10"
    if _SENTENCE_END_RE.search(gap) or not _PARALLEL_JOIN_RE.search(gap):
        return False
    raw.unit, raw.unit_kind = prev.unit, prev.unit_kind
    return True


def _from_to(text: str, raws: list[_Raw], i: int) -> bool:
    """``fell to 40 workers from 55``, ``from 10 points to 4``: the bare end of a change written
    with ``from`` and ``to`` has the unit of the other end."""
    if i == 0:
        return False
    raw, prev = raws[i], raws[i - 1]
    if prev.unit is None or prev.unit in _NOT_CARRIED or prev.high is not None:
        return False
    gap = _FROM_TO_GAP_RE.fullmatch(text, prev.end, raw.start)
    if gap is None:
        return False
    opposite = "to" if gap.group(1).lower() == "from" else "from"
    if last_word(text[max(0, prev.start - 12) : prev.start]) != opposite:
        return False
    raw.unit, raw.unit_kind = prev.unit, prev.unit_kind
    return True


def _of_the_lead(text: str, raws: list[_Raw], i: int) -> bool:
    """``Of the 10 judges who will hear the case, six were ...``: ``raws[i]`` opens the clause
    after a whole introduced by ``Of the``."""
    if i == 0:
        return False
    prev = raws[i - 1]
    if prev.unit_kind != "count":
        return False
    lead = _OF_THE_LEAD_RE.search(text, max(0, prev.start - 20), prev.start)
    if lead is None:
        return False
    before = text[: lead.start()].rstrip()
    if before and before[-1] not in '.;:!?"”':
        return False  # "Of the" opens the sentence (or a clause after a colon)
    return _CLAUSE_COMMA_RE.fullmatch(text, prev.end, raws[i].start) is not None


def _count_before(text: str, raws: list[_Raw], i: int, raw: _Raw | None = None) -> _Raw | None:
    """The nearest quantity before ``raws[i]`` (or ``raw``, read after ``raws[:i]``) in the same
    sentence, within reach, with a unit worth carrying."""
    raw = raws[i] if raw is None else raw
    for prev in reversed(raws[:i]):
        if raw.start - prev.end > _CARRY_REACH:
            return None
        if prev.unit is None or prev.unit in _NOT_CARRIED or prev.high is not None:
            continue
        if _SENTENCE_END_RE.search(text, prev.end, raw.start):
            return None
        return prev
    return None


def _shares(text: str, raws: list[_Raw]) -> list[_Raw]:
    """``N out of M`` (``of every``, ``in``) joined into one share in percent."""
    out: list[_Raw] = []
    i = 0
    while i < len(raws):
        cur = raws[i]
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        if (
            nxt is not None
            and cur.high is None
            and nxt.high is None
            and nxt.comparator == "="
            and 0 < cur.value < nxt.value
            and (cur.unit is None or cur.unit == nxt.unit)
        ):
            gap = _SHARE_GAP_RE.fullmatch(text, cur.end, nxt.num_start)
            # a plain "in" only between counts: "three in four voters", not "5 in 10 years";
            # a plain "of" only before 10 or 100: "eight of 10 voters", not "85 of 154 meetings"
            word = gap.group().strip().lower() if gap else ""
            counts = (cur.unit is None or cur.unit == nxt.unit) and nxt.unit_kind != "measure"
            if word == "in":
                counts = counts and cur.unit is None and nxt.value <= 1000
            elif word == "of":
                counts = counts and nxt.value in (10, 100)
            if gap and (counts or word not in ("in", "of")):
                share = dataclasses.replace(
                    cur, value=100 * cur.value / nxt.value, unit="percent", end=nxt.end
                )
                share.unit_kind = "measure"
                out.append(share)
                i += 2
                continue
        out.append(cur)
        i += 1
    return out
