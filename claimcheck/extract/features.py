"""Sentence features for the check-worthiness model, shared by training and scoring.

Design
------
One function, :func:`featurize`, turns a sentence into a sparse ``{feature name: value}`` dict.
The training script (``scripts/train_checkworthiness.py``) and the runtime scorer
(:mod:`claimcheck.extract.scoring`) both call it, so the model can never see features at run time
that differ from the ones it was trained on.

Three families of features:

* ``w:`` lower-cased word unigrams and ``b:`` bigrams (with ``<s>`` marking the start), numbers
  folded to shapes (``<num>``, ``<year>``, ``<pct>``) so the model learns "a number here", not
  particular numbers;
* ``c:`` a few character 4-grams over the letters of each word (robust to inflection and
  to names the debates never mention);
* ``h:`` hand-written, named features in the spirit of ClaimBuster and CheckThat! analyses —
  quantities and their kinds (from :func:`~claimcheck.core.quantities.scanner.find_quantities`),
  comparatives and superlatives, attribution verbs, named-entity density, hedges, opinions,
  predictions, questions, first-person talk, length; and, for news copy, who did what and when
  (a titled or full name, an organisation, an event verb, a time anchor, how long something
  lasted) against who thinks, hopes or warns (reporting verbs of a view, modals, conditionals,
  a sentence that is only a quotation). These carry over from debate transcripts to news copy
  better than words do (docs/extraction.md, "Ranking for news").

The ``w:``/``b:``/``c:`` features are length-normalised (:data:`NGRAM_NORM`); ``--explain`` sums
every contribution into a reason (:mod:`claimcheck.extract.scoring`), using
:func:`featurize_with_words` to know which word each n-gram came from.

Everything here is pure Python and regular expressions (no numpy), so scoring thousands of
sentences a second needs no heavy import.
"""

from __future__ import annotations

import math
import re

from claimcheck.core.quantities.scanner import QuantitySpan, find_quantities
from claimcheck.core.quantities.units import CURRENCIES

__all__ = [
    "HAND_FEATURE_LABELS",
    "NGRAM_NORM",
    "featurize",
    "featurize_parts",
    "featurize_with_words",
    "hand_features",
    "lede_index",
    "tokens",
]

_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*%?|[%$€£?!]")
_YEAR_RE = re.compile(r"^(?:1[7-9]\d\d|20\d\d)$")

_SUPERLATIVE_RE = re.compile(
    r"\b(?:largest|biggest|highest|lowest|smallest|fastest|slowest|worst|deadliest|longest|"
    r"shortest|greatest|strongest|weakest|newest|oldest|youngest|richest|poorest|hottest|"
    r"coldest|warmest|cheapest|sharpest|steepest|widest|most|least|first|record|only|top|"
    r"all-time|unprecedented|[a-z]{3,}iest)\b",
    re.I,
)
_COMPARATIVE_RE = re.compile(
    r"\b(?=[bcdfghijlmprstu])"  # the first letters below: most words are skipped at once
    r"(?:more|less|fewer|higher|lower|larger|bigger|smaller|greater|increase[sd]?|"
    r"decrease[sd]?|rose|risen|rise[sn]?|fell|fallen|falls?|doubled?|tripled?|halved|"
    r"grew|grown|dropped|drop|declined?|jumped|surged|plunged|cut|raised|compared|than|since|"
    r"up|down|percent|per cent)\b",
    re.I,
)
_ATTRIBUTION_RE = re.compile(
    r"\b(?=[acdefinrstw])"  # the first letters below: most words are skipped at once
    r"(?:said|says|told|stated|added|claimed|announced|reported|according\s+to|wrote|noted|"
    r"warned|confirmed|denied|insisted|estimated|figures\s+show|data\s+show)\b",
    re.I,
)
_QUOTE_RE = re.compile(r"[“”\"]")
_HEDGE_RE = re.compile(
    r"\b(?=[abfhilmpsuw])"  # the first letters below: most words are skipped at once
    r"(?:i\s+think|i\s+believe|i\s+feel|i\s+hope|we\s+hope|i\s+guess|maybe|perhaps|probably|"
    r"possibly|might|seems?|apparently|likely|unlikely|hope[sd]?|believes?|feels?|wonder)\b",
    re.I,
)
_OPINION_RE = re.compile(
    r"\b(?=[abcdghilmnorstw])"  # the first letters below: most words are skipped at once
    r"(?:should|must|ought|need\s+to|needs\s+to|deserve[sd]?|wrong|right\s+thing|great|"
    r"terrible|good|bad|better|best|wonderful|disaster|shameful|ridiculous|outrageous|important|"
    r"hard\s+to|clear\s+that|anyone's\s+guess|remains\s+to\s+be\s+seen|matters?|"
    r"believe\s+in|let's|let\s+us|we\s+can|we\s+will|i\s+will|i\s+want|i\s+would)\b",
    re.I,
)
_PREDICTION_RE = re.compile(
    r"\b(?=[cefgimnpw])"  # the first letters below: most words are skipped at once
    r"(?:will|would|going\s+to|gonna|expected\s+to|expects?|forecasts?|predicts?|could|"
    r"may|plans?\s+to|intends?\s+to|next\s+(?:week|month|year))\b",
    re.I,
)
_FIRST_PERSON_RE = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|we|we're|we've|our|us)\b", re.I)
_SECOND_PERSON_RE = re.compile(r"\b(?:you|your|you're)\b", re.I)
_PAST_EVENT_RE = re.compile(
    r"\b(?:was|were|had|killed|wounded|signed|passed|voted|launched|attacked|won|lost|met|"
    r"agreed|held|elected|invaded|annexed|approved|rejected|announced|created|built|spent|"
    r"took\s+place|began|ended|started|[a-z]{3,}ed)\b",
    re.I,
)
_DATE_RE = re.compile(
    r"\b(?=[12adfjlmnostwy])"  # the first letters below: most words are skipped at once
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"last\s+(?:year|week|month)|(?:1[7-9]|20)\d\d)\b",
    re.I,
)
_BOILERPLATE_RE = re.compile(
    r"^\W*(?:contact\s+(?:the\s+)?(?:author|reporter|writer|us)|copyright|©|all\s+rights\s+"
    r"reserved|sign\s+up|subscribe|follow\s+us|click\s+here|read\s+more|advertisement|"
    r"\(?reporting\s+by|editing\s+by|writing\s+by|additional\s+reporting|by\s+[A-Z][a-z]+"
    r"(?:\s+[A-Z][a-z.]+){0,3}(?:\s+(?:and|in)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})*"
    r"(?:,\s*[A-Za-z ]+)?$|share\s+this|related\s*:|photo\s*:|image\s*:|updated\s+\d)",
    re.I,
)
# news-oriented features: they describe how a report is written (who did what, when, with what
# figure; or who thinks, hopes, warns), which carries over between debates and news copy
_TITLE_NAME_RE = re.compile(
    r"\b(?:President|Vice\s+President|Sen\.|Senator|Rep\.|Gov\.|Governor|Mayor|Secretary|"
    r"Minister|Chancellor|Prime\s+Minister|Gen\.|General|Judge|Justice|Chairman|Chairwoman|"
    r"Speaker|Leader|Mr\.|Mrs\.|Ms\.|Dr\.|King|Queen|Pope|Ambassador|Commissioner|Director|"
    r"spokesman|spokeswoman|aide|official)\s+[A-Z][a-z]+"
)
_FULL_NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]{2,}\b")
_ORG_RE = re.compile(
    r"\b(?:Department|Ministry|Court|Committee|Commission|Agency|Council|"
    r"Parliament|Congress|Senate|House|Party|Bureau|Office|Administration|Institute|University|"
    r"Association|Union|Center|Centre|Fund|Bank|Army|Navy|Police|Kremlin|Pentagon|Government|"
    r"Inc|Corp|Foundation|Board|Assembly|Cabinet|Service|Times|Post|Journal|Reuters|AP)\b"
)
# word lists are looked up in the sentence's tokens (a set), far faster than one regex
# alternation per list; the few phrases have small regexes of their own
_EVENT_WORDS = frozenset(
    [
        "signed",
        "voted",
        "ruled",
        "met",
        "agreed",
        "swapped",
        "exchanged",
        "killed",
        "wounded",
        "arrested",
        "charged",
        "indicted",
        "convicted",
        "sentenced",
        "filed",
        "sued",
        "announced",
        "endorsed",
        "launched",
        "approved",
        "rejected",
        "won",
        "lost",
        "resigned",
        "fired",
        "appointed",
        "nominated",
        "elected",
        "issued",
        "released",
        "freed",
        "held",
        "visited",
        "spoke",
        "called",
        "telephoned",
        "phoned",
        "attacked",
        "struck",
        "bombed",
        "seized",
        "captured",
        "invaded",
        "annexed",
        "withdrew",
        "imposed",
        "lifted",
        "raised",
        "cut",
        "paid",
        "spent",
        "received",
        "donated",
        "sold",
        "bought",
        "published",
        "passed",
        "blocked",
        "vetoed",
        "banned",
        "closed",
        "opened",
        "opposed",
        "supported",
        "introduced",
        "proposed",
        "granted",
        "denied",
        "admitted",
        "testified",
        "subpoenaed",
        "investigated",
        "removed",
        "deported",
        "escorted",
        "died",
        "collapsed",
        "fell",
        "rose",
        "grew",
        "doubled",
        "tripled",
        "dropped",
        "increased",
        "decreased",
        "follows",
        "followed",
    ]
)
_EVENT_PHRASE_RE = re.compile(
    r"\b(?:came\s+after|took\s+(?:office|place)|broke\s+out|did\s+(?:not\s+)?[a-z]{3,}|"
    r"agreed?\s+to\s+[a-z]+)\b",
    re.I,
)
_STANCE_WORDS = frozenset(
    [
        "argue",
        "argued",
        "argues",
        "emphasized",
        "emphasised",
        "warned",
        "warns",
        "hoped",
        "hopes",
        "urged",
        "urges",
        "praised",
        "slammed",
        "blasted",
        "ripped",
        "vowed",
        "vows",
        "pledged",
        "pledges",
        "believe",
        "believes",
        "believed",
        "suspect",
        "suspects",
        "suspected",
        "think",
        "thinks",
        "thought",
        "feel",
        "feels",
        "felt",
        "fear",
        "fears",
        "feared",
        "worried",
        "want",
        "wants",
        "wanted",
        "wished",
        "expect",
        "expects",
        "expected",
        "predicted",
        "suggested",
        "suggests",
        "questioned",
        "criticized",
        "criticised",
        "condemned",
        "defended",
        "acknowledged",
        "complained",
        "lamented",
        "welcomed",
        "cautioned",
        "insisted",
        "reiterated",
        "seemed",
        "appear",
        "appears",
        "recalled",
        "explained",
        "concluded",
        "concludes",
        "promised",
        "promising",
        "promises",
        "touted",
        "touting",
        "boasted",
        "boasts",
        "hailed",
        "hailing",
        "blamed",
        "mocked",
        "ridiculed",
        "needled",
        "considered",
        "considers",
        "considering",
    ]
)
_STANCE_PHRASE_RE = re.compile(
    r"\b(?:described\s+\w+(?:\s+\w+)?\s+as|called\s+(?:it|him|her|them|the\s+\w+)\s+(?:a|an|the))\b",
    re.I,
)
_MODAL_WORDS = frozenset(["would", "could", "may", "might", "can", "should", "will"])
# how someone feels: reported feelings are news colour, not checkable facts
_FEELING_WORDS = frozenset(
    [
        "frustration",
        "frustrated",
        "frustrating",
        "trepidation",
        "worried",
        "worry",
        "worries",
        "anxious",
        "anxiety",
        "afraid",
        "scared",
        "angry",
        "anger",
        "angered",
        "furious",
        "outraged",
        "upset",
        "pleased",
        "happy",
        "glad",
        "delighted",
        "thrilled",
        "excited",
        "proud",
        "pride",
        "ashamed",
        "embarrassed",
        "embarrass",
        "disappointed",
        "disappointment",
        "relieved",
        "confident",
        "optimistic",
        "pessimistic",
        "hopeful",
        "nervous",
        "uneasy",
        "wary",
        "skeptical",
        "sceptical",
        "miffed",
        "annoyed",
        "irritated",
        "bitter",
        "resentful",
        "sad",
        "saddened",
        "grateful",
        "comfortable",
        "uncomfortable",
        "unfocused",
        "adrift",
        "perplexed",
        "puzzled",
        "confused",
        "surprised",
        "shocked",
        "stunned",
        "dismayed",
        "alarmed",
        "concerned",
        "disgusted",
        "fed",
        "enthusiastic",
        "passionate",
        "eager",
        "reluctant",
        "determined",
    ]
)
# evaluative words: a judgement of someone or something, not a fact about it
_EVALUATIVE_WORDS = frozenset(
    [
        "ridiculous",
        "absurd",
        "disgrace",
        "disgraceful",
        "despicable",
        "awful",
        "horrible",
        "terrible",
        "dreadful",
        "ugly",
        "pernicious",
        "xenophobic",
        "bigoted",
        "bigotry",
        "racist",
        "sexist",
        "dangerous",
        "reckless",
        "careless",
        "irresponsible",
        "stupid",
        "dumb",
        "crazy",
        "insane",
        "foolish",
        "silly",
        "pathetic",
        "shameful",
        "shameless",
        "outrageous",
        "scandalous",
        "amazing",
        "incredible",
        "tremendous",
        "fantastic",
        "wonderful",
        "brilliant",
        "remarkable",
        "extraordinary",
        "impressive",
        "excellent",
        "strong",
        "weak",
        "unfair",
        "fair",
        "dishonest",
        "honest",
        "deceitful",
        "corrupt",
        "crooked",
        "lying",
        "liar",
        "liars",
        "rigged",
        "unpredictable",
        "decisive",
        "crucial",
        "vicious",
        "scurrilous",
        "nasty",
        "mean",
        "divisive",
        "toxic",
        "radical",
        "extreme",
        "extremist",
        "fringe",
        "bold",
        "audacious",
        "serious",
        "hard",
        "tough",
        "easy",
        "interesting",
        "important",
        "significant",
        "historic",
        "unacceptable",
        "inappropriate",
        "appalling",
        "sad",
        "disaster",
        "disastrous",
        "catastrophe",
        "catastrophic",
        "failure",
        "mess",
        "nonsense",
        "propaganda",
        "hypocrisy",
        "hypocritical",
        "hypocrite",
        "clown",
        "bully",
        "bullies",
        "humanity",
        "evil",
        "good",
        "bad",
        "better",
        "worse",
        "best",
        "worst",
    ]
)
_SCHEDULE_RE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:set|scheduled|slated|poised|due|expected|likely|unlikely)\s+to\b|"
    r"\b(?:will|would)\s+(?:not\s+)?(?:be\s+)?[a-z]+",
    re.I,
)
_CONDITION_MID_RE = re.compile(
    r"\b(?:only|even)\s+if\b|\bif\s+(?:the|it|this|that|there|[A-Z][a-z]+)\b"
)
_MARKUP_RE = re.compile(
    r"</?tweet\b|pic\.twitter\.com|\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}|^\W*[—–-]\s*[A-Z][\w .]+\(@\w+\)"
)
# a photo caption: a present-tense action of a named person, dated with the year
_CAPTION_RE = re.compile(
    r"^[A-Z][^.]{0,120}\b(?:speaks|gestures|waves|listens|arrives|smiles|looks\s+on|walks|"
    r"greets|stands|sits|poses|holds|reacts|addresses|attends|departs|leaves|delivers)\b"
    r"[^.]{0,160}\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{1,2},\s+(?:19|20)\d\d\.?\s*(?:\([^)]*\))?\s*$"
)
# a section label or kicker on its own line: "ABSTRACT.", "FULL TEXT.", "News Analysis."
_LABEL_RE = re.compile(
    r"^\W*(?:abstract|full\s+text|news\s+analysis|analysis|opinion|editorial|letter\s+from\s+"
    r"[a-z]+|economic\s+scene|contributing\s*:.*|x|_+)\W*$",
    re.I,
)
_TIME_ANCHOR_RE = re.compile(
    r"\b(?=[adefijlmnostw])"  # the first letters below: most words are skipped at once
    r"(?:on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s|\s+(?:morning|"
    r"afternoon|evening|night))?|last\s+(?:week|month|year|night)|this\s+(?:week|month|year)|"
    r"earlier\s+(?:this|in\s+the)\s+\w+|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|"
    r"dec)[a-z]*\.?\s+\d{1,2}\b|in\s+(?:1[89]|20)\d\d|since\s+(?:1[89]|20)\d\d)",
    re.I,
)
_CONDITIONAL_RE = re.compile(r"^\W*(?:if|unless|whether)\b|\bif\s+(?:you|we|i|he|she|they)\b", re.I)
_DURATION_WORD_RE = re.compile(
    r"\b(?:(?:\w+|\d+)-(?:hour|minute|day|week|month|year)|hourlong|daylong|weeklong|"
    r"(?:for|lasted|lasting|after|within|in\s+the\s+past)\s+(?:about\s+|more\s+than\s+|"
    r"nearly\s+|almost\s+|roughly\s+|over\s+)?(?:\w+|\d+)\s+(?:hours?|minutes?|days?|weeks?))\b",
    re.I,
)
_EMAIL_URL_RE = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+")
_CAPITALISED_RE = re.compile(r"(?<=[a-z,;:] )(?:[A-Z][a-z]+|[A-Z]{2,}|[A-Z]\.[A-Z]\.)")

#: human-readable labels for the hand features, used by ``--explain``
HAND_FEATURE_LABELS: dict[str, str] = {
    "h:quantity": "has a quantity",
    "h:quantity_2plus": "several quantities",
    "h:percent": "percentage",
    "h:currency": "money amount",
    "h:duration": "duration",
    "h:count_people": "count of people",
    "h:count": "count of things",
    "h:measure": "measurement",
    "h:bare_number": "bare number",
    "h:comparator": "bounded/approximate figure",
    "h:range": "range",
    "h:digits": "digits",
    "h:year": "year or date",
    "h:superlative": "superlative/first/record",
    "h:comparative": "comparison or change",
    "h:attribution": "attributed (said/according to)",
    "h:quote": "quotation",
    "h:entities_1": "names an actor",
    "h:entities_3": "names several actors",
    "h:past_event": "past event",
    "h:hedge": "hedged/feeling",
    "h:opinion": "opinion/rhetoric",
    "h:prediction": "prediction/promise",
    "h:question": "question",
    "h:first_person": "first person",
    "h:second_person": "second person",
    "h:short": "very short",
    "h:long": "long sentence",
    "h:boilerplate": "boilerplate",
    "h:person": "names a person",
    "h:organisation": "names an organisation",
    "h:event_verb": "states what someone did",
    "h:stance_verb": "reports a view, hope or warning",
    "h:time_anchor": "says when it happened",
    "h:timed_event": "says how long something lasted",
    "h:modal": "hypothetical or future (would, could, may)",
    "h:conditional": "conditional (if …)",
    "h:quoted_sentence": "a quotation on its own",
    "h:feeling": "says how someone feels",
    "h:evaluative": "judges someone or something",
    "h:reported_view": "reports a view, with no figure",
    "h:concrete_event": "who did what, when or how much",
    "h:future": "future or scheduled",
}


def tokens(sentence: str) -> list[str]:
    """Lower-cased word tokens with numbers folded to shapes."""
    text = sentence.replace("’", "'").replace("‘", "'").lower()
    out: list[str] = []
    for tok in _TOKEN_RE.findall(text):
        if tok[0].isdigit():
            if tok.endswith("%"):
                out.append("<pct>")
            elif _YEAR_RE.match(tok):
                out.append("<year>")
            else:
                out.append("<num>")
        else:
            out.append(tok)
    return out


def hand_features(
    sentence: str, spans: list[QuantitySpan] | None = None, toks: list[str] | None = None
) -> dict[str, float]:
    """The named ``h:`` features of a sentence (see :data:`HAND_FEATURE_LABELS`); ``toks`` are
    its :func:`tokens`, when the caller has them already."""
    words = set(tokens(sentence) if toks is None else toks)
    if spans is None:
        spans = find_quantities(sentence)
    feats: dict[str, float] = {}
    if spans:
        feats["h:quantity"] = 1.0
        if len(spans) > 1:
            feats["h:quantity_2plus"] = 1.0
    for span in spans:
        q = span.quantity
        unit = q.unit
        if unit in ("percent", "percentage point"):
            feats["h:percent"] = 1.0
        elif unit in CURRENCIES:
            feats["h:currency"] = 1.0
        elif unit in ("second", "minute", "hour", "day", "week", "month", "year"):
            # a duration is a quantity like any other: no feature of its own, because the
            # debates the model learns from taught it a negative weight ("for eight years")
            # that ranked news ledes ("a two-hour phone call") low
            pass
        elif unit == "people":
            feats["h:count_people"] = 1.0
        elif unit is None:
            feats["h:bare_number"] = 1.0
        elif unit in ("km", "m", "cm", "mile", "ft", "km2", "hectare", "kg", "tonne", "lb"):
            feats["h:measure"] = 1.0
        else:
            feats["h:count"] = 1.0
        if q.comparator == "range":
            feats["h:range"] = 1.0
        elif q.comparator != "=":
            feats["h:comparator"] = 1.0
    if re.search(r"\d", sentence):
        feats["h:digits"] = 1.0
    if _DATE_RE.search(sentence):
        feats["h:year"] = 1.0
    if _SUPERLATIVE_RE.search(sentence):
        feats["h:superlative"] = 1.0
    if _COMPARATIVE_RE.search(sentence):
        feats["h:comparative"] = 1.0
    if _ATTRIBUTION_RE.search(sentence):
        feats["h:attribution"] = 1.0
    if _QUOTE_RE.search(sentence):
        feats["h:quote"] = 1.0
    entities = len(_CAPITALISED_RE.findall(sentence))
    if entities >= 1:
        feats["h:entities_1"] = 1.0
    if entities >= 3:
        feats["h:entities_3"] = 1.0
    if _PAST_EVENT_RE.search(sentence):
        feats["h:past_event"] = 1.0
    if _HEDGE_RE.search(sentence):
        feats["h:hedge"] = 1.0
    if _OPINION_RE.search(sentence):
        feats["h:opinion"] = 1.0
    if _PREDICTION_RE.search(sentence):
        feats["h:prediction"] = 1.0
    if sentence.rstrip("”\"' )").endswith("?"):
        feats["h:question"] = 1.0
    if _FIRST_PERSON_RE.search(sentence.replace("’", "'")):
        feats["h:first_person"] = 1.0
    if _SECOND_PERSON_RE.search(sentence.replace("’", "'")):
        feats["h:second_person"] = 1.0
    n_words = len(sentence.split())
    if n_words <= 5:
        feats["h:short"] = 1.0
    elif n_words >= 30:
        feats["h:long"] = 1.0
    if is_boilerplate(sentence):
        feats["h:boilerplate"] = 1.0
    if _TITLE_NAME_RE.search(sentence) or _FULL_NAME_RE.search(sentence):
        feats["h:person"] = 1.0
    if _ORG_RE.search(sentence):
        feats["h:organisation"] = 1.0
    if not words.isdisjoint(_EVENT_WORDS) or _EVENT_PHRASE_RE.search(sentence):
        feats["h:event_verb"] = 1.0
    if not words.isdisjoint(_STANCE_WORDS) or (
        ("described" in words or "called" in words) and _STANCE_PHRASE_RE.search(sentence)
    ):
        feats["h:stance_verb"] = 1.0
    if _TIME_ANCHOR_RE.search(sentence):
        feats["h:time_anchor"] = 1.0
    if _DURATION_WORD_RE.search(sentence):
        feats["h:timed_event"] = 1.0
    if not words.isdisjoint(_MODAL_WORDS):
        feats["h:modal"] = 1.0
    if _CONDITIONAL_RE.search(sentence):
        feats["h:conditional"] = 1.0
    if sentence.lstrip()[:1] in "“\"'‘" and sentence.lstrip()[:1] != "":
        feats["h:quoted_sentence"] = 1.0
    feeling = not words.isdisjoint(_FEELING_WORDS)
    evaluative = not words.isdisjoint(_EVALUATIVE_WORDS)
    if feeling:
        feats["h:feeling"] = 1.0
    if evaluative:
        feats["h:evaluative"] = 1.0
    figure = "h:digits" in feats or "h:quantity" in feats
    view = (
        feeling
        or evaluative
        or "h:stance_verb" in feats
        or "h:opinion" in feats
        or "h:hedge" in feats
        or "h:modal" in feats
    )
    if "h:attribution" in feats and view and not figure:
        # "X said it was a disgrace": a source's view, with no figure to check
        feats["h:reported_view"] = 1.0
    if (
        "h:event_verb" in feats
        and ("h:time_anchor" in feats or figure)
        and ("h:person" in feats or "h:organisation" in feats or "h:entities_1" in feats)
    ):
        # "X signed Y on Monday", "X spent $2 million": who did what, when or how much
        feats["h:concrete_event"] = 1.0
    if _SCHEDULE_RE.search(sentence):
        feats["h:future"] = 1.0
    if _CONDITION_MID_RE.search(sentence):
        feats["h:conditional"] = 1.0
    return feats


def is_boilerplate(sentence: str) -> bool:
    """Bylines, contact lines, copyright notices, sign-up prompts and bare addresses."""
    stripped = sentence.strip()
    if _BOILERPLATE_RE.search(stripped):
        return True
    if _MARKUP_RE.search(stripped) or _CAPTION_RE.search(stripped) or _LABEL_RE.match(stripped):
        return True
    rest = _EMAIL_URL_RE.sub("", stripped).strip(" .:|-—()")
    return bool(_EMAIL_URL_RE.search(stripped)) and len(rest.split()) <= 4


def lede_index(text: str, spans: list[tuple[int, int]]) -> int | None:
    """The index of an article's lede among its sentence ``spans``: the first sentence after
    the headline (a first paragraph of one sentence) that is not a byline or other boilerplate,
    or the first sentence when the text opens with a paragraph of several sentences. ``None``
    for an empty text."""
    if not spans:
        return None
    first = 0
    if len(spans) > 1 and "\n" in text[spans[0][1] : spans[1][0]]:
        first = 1  # the first paragraph is a single line: a headline
    for index in range(first, min(len(spans), first + 4)):
        start, end = spans[index]
        if not is_boilerplate(text[start:end]):
            return index
    return first


#: the statistical features of a sentence share this much weight in all (see :func:`featurize`)
NGRAM_NORM = 6.0


def featurize(sentence: str, spans: list[QuantitySpan] | None = None) -> dict[str, float]:
    """All features of one sentence: words, bigrams, character 4-grams and hand features.

    The statistical features (words, pairs, 4-grams) have the value ``NGRAM_NORM / sqrt(n)``
    for a sentence with ``n`` of them, so a long sentence does not score higher merely because
    it has more words: debate sentences are short and news sentences long, and with plain 0/1
    values every long news sentence looked like a claim (news AP 0.765 → 0.781 with this, and
    held-out debates 0.741 → 0.754). Hand features stay 0/1.
    """
    return featurize_with_words(sentence, spans)[0]


def featurize_with_words(
    sentence: str, spans: list[QuantitySpan] | None = None
) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """:func:`featurize`, and for each statistical feature the word(s) it comes from (a word
    pair gives both words), so that ``--explain`` can say what in the sentence moved a score."""
    feats, origin, _hand = featurize_parts(sentence, spans)
    return feats, origin


def featurize_parts(
    sentence: str, spans: list[QuantitySpan] | None = None
) -> tuple[dict[str, float], dict[str, tuple[str, ...]], dict[str, float]]:
    """:func:`featurize_with_words` and, apart, the hand features alone: they are the last
    entries of the feature dict, in the same order (the scorer walks them without scanning the
    n-grams)."""
    toks = tokens(sentence)
    origin: dict[str, tuple[str, ...]] = {}
    prev = "<s>"
    for tok in toks:
        origin.setdefault("w:" + tok, (tok,))
        origin.setdefault("b:" + prev + "_" + tok, (tok,) if prev == "<s>" else (prev, tok))
        prev = tok
        if tok.isalpha() and len(tok) >= 5:
            padded = "_" + tok + "_"
            for i in range(len(padded) - 3):
                origin.setdefault("c:" + padded[i : i + 4], (tok,))
    value = NGRAM_NORM / math.sqrt(len(origin)) if origin else 0.0
    feats: dict[str, float] = dict.fromkeys(origin, value)
    hand = hand_features(sentence, spans, toks)
    feats.update(hand)
    return feats, origin, hand
