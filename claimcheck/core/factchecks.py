"""Published fact-checks (schema.org ClaimReview): finding, reading and normalising them.

Pure (stdlib + pydantic): JSON-shaped values in, :class:`FactCheckIn` DTOs and per-record
problems out. The files, HTML pages, date library, language identification and database are the
business of :mod:`claimcheck.services.factchecks`, which passes the two optional helpers in.

Lenient in what it reads, strict in what it returns:

* **Where reviews are.** :func:`find_reviews` walks any JSON-LD document — a single object, an
  array, ``@graph``, a nested ``mainEntity``/``review``/``hasPart``, a schema.org ``DataFeed``
  (``dataFeedElement[].item``) — and yields every object whose ``@type`` includes
  ``ClaimReview``. The Fact Check Tools API's two shapes (claim search ``claims[].claimReview[]``
  and page markup ``claimReviewMarkupPages[].claimReviewMarkups[]`` or one markup page) are
  rewritten into ClaimReview objects first (:func:`api_reviews`). ``@id`` references inside a
  ``@graph`` are resolved (``"author": {"@id": "#org"}``).
* **Values.** A list where one value is expected gives its first usable item; strings lose HTML
  entities (``&amp;quot;``, twice-escaped too), stray tags, carriage returns and repeated white
  space; URLs are resolved against the page's own URL (relative, ``//host/path`` and
  ``www.host/path`` forms) and must end up absolute http(s); dates are ISO or, through the
  ``parse_date`` helper, whatever a date library reads (``2020-06-24 00:03``, ``24 June 2020``).
* **Who checked.** The review's ``author`` when it is an organisation; when it is a Person, the
  review's ``publisher``, the person's ``worksFor``/``affiliation``, else the page's publisher
  (a ``publisher`` anywhere on the page, an ``Organization`` node of its graph, or
  ``og:site_name``).
* **The claim.** ``claimReviewed`` (else the reviewed item's ``name``/``text``); claimants are
  ``itemReviewed.author`` (one or several, each with its ``sameAs`` links); appearances are
  ``itemReviewed.appearance`` and ``firstAppearance`` and the legacy ``itemReviewed.url``.
* **The rating.** The label as published (``alternateName``, else ``name``); the score
  normalised as Meedan's Fetch does: ``(v − worst) / (best − worst)``, else ``v / best``, else
  none (:func:`normalise_score`); the label mapped to the desk's scale through a built-in
  multilingual table that the configuration extends (:func:`map_label`). A label the table does
  not know is kept, with no verdict, and reported.

A record without an absolute review URL, a claim text or a publisher is refused with the reason
(:class:`RecordError`); anything else that cannot be read is dropped with a warning.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, Field

MAX_DEPTH = 64
MAX_CLAIM_CHARS = 5000
MAX_LABEL_CHARS = 300
MAX_NAME_CHARS = 200
MAX_URL_CHARS = 2048
MAX_LIST = 50

DateParser = Callable[[str, bool], dt.date | None]
LanguageDetector = Callable[[str], str | None]


# ---------------------------------------------------------------------------------------------
# DTOs


class Claimant(BaseModel):
    name: str
    same_as: list[str] = Field(default_factory=list)


class Appearance(BaseModel):
    url: str
    date: dt.date | None = None


class FactCheckIn(BaseModel):
    """One external fact-check, validated and normalised, ready to store."""

    publisher: str
    publisher_url: str | None = None
    review_url: str
    review_date: dt.date | None = None
    language: str | None = None
    language_from: str | None = None  # inLanguage, page, detected
    claim_text: str
    claim_date: dt.date | None = None
    claimants: list[Claimant] = Field(default_factory=list)
    appearances: list[Appearance] = Field(default_factory=list)
    rating_label: str | None = None
    rating_value: float | None = None
    rating_best: float | None = None
    rating_worst: float | None = None
    rating_score: float | None = None
    verdict: str | None = None
    warnings: list[str] = Field(default_factory=list)


class RecordError(ValueError):
    """A ClaimReview that cannot be stored; the message names the field and the problem."""


@dataclass
class Page:
    """What the surrounding page tells about its reviews (its URL, language and publisher)."""

    url: str | None = None
    lang: str | None = None
    publisher: dict[str, Any] | None = None
    site_name: str | None = None
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Text and URL cleaning

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SPACE = re.compile(r"\s+")
_HAS_SPACE = re.compile(r"\s")
# Control characters (CR, LF and tab become spaces instead), zero-width space, BOM, separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def clean_text(value: Any) -> str | None:
    """A string without HTML entities (also twice-escaped), tags, CRs or repeated white space."""
    value = first(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value
    for _ in range(3):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return text or None


def first(value: Any) -> Any:
    """The first item of a list (skipping empty ones) or the value itself."""
    if isinstance(value, list):
        for item in value:
            if item not in (None, "", [], {}):
                return item
        return None
    return value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value[:MAX_LIST] if isinstance(value, list) else [value]


def types(obj: Mapping[str, Any]) -> set[str]:
    t = obj.get("@type", obj.get("type"))
    names = t if isinstance(t, list) else [t]
    return {n.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if isinstance(n, str)}


_SCHEMELESS_HOST = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/:?#]|$)", re.I
)


_FILE_SUFFIXES = frozenset(
    {"html", "htm", "php", "asp", "aspx", "jsp", "json", "xml", "pdf", "shtml"}
)


def _schemeless_host(text: str) -> bool:
    """``www.host/path`` or ``host.tld/path`` (not ``page.html``): a URL that lost its scheme."""
    m = _SCHEMELESS_HOST.match(text)
    if not m or text.startswith("/"):
        return False
    host = re.split(r"[/:?#]", text, maxsplit=1)[0]
    return host.startswith("www.") or host.rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES


def resolve_url(value: Any, base: str | None) -> str | None:
    """An absolute http(s) URL: relative ones joined to ``base``, ``//host`` and ``www.host``
    forms given https; None when nothing usable remains."""
    if isinstance(value, Mapping):
        value = value.get("url") or value.get("@id")
    text = clean_text(value)
    if not text or len(text) > MAX_URL_CHARS or _HAS_SPACE.search(text):
        return None
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text and _schemeless_host(text):
        text = "https://" + text
    elif "://" not in text:
        if not base:
            return None
        text = urljoin(base, text)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "." not in parts.hostname and parts.hostname != "localhost":
        return None
    return text


# ---------------------------------------------------------------------------------------------
# Dates and languages

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


def parse_date(
    value: Any, parse: DateParser | None = None, *, dayfirst: bool = False
) -> dt.date | None:
    """An ISO date (``2024-03-02``, ``2024-03-02T10:00:00Z``), else what ``parse`` reads."""
    text = clean_text(value)
    if not text:
        return None
    m = _ISO_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if parse is None or len(text) > 64:
        return None
    return parse(text, dayfirst)


LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "castellano": "es",
    "french": "fr",
    "français": "fr",
    "german": "de",
    "deutsch": "de",
    "portuguese": "pt",
    "português": "pt",
    "italian": "it",
    "italiano": "it",
    "dutch": "nl",
    "nederlands": "nl",
    "arabic": "ar",
    "العربية": "ar",
    "chinese": "zh",
    "中文": "zh",
    "japanese": "ja",
    "日本語": "ja",
    "russian": "ru",
    "русский": "ru",
    "ukrainian": "uk",
    "українська": "uk",
    "hindi": "hi",
    "हिन्दी": "hi",
    "indonesian": "id",
    "turkish": "tr",
    "türkçe": "tr",
    "polish": "pl",
    "polski": "pl",
}
_TAG_FORM = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))*$", re.I)


def language_tag(value: Any) -> str | None:
    """A BCP 47 tag (``pt-BR``, ``en``) from ``inLanguage`` or a page's ``lang``: a tag, a
    ``Language`` object (``alternateName``/``name``) or an English or native language name."""
    value = first(value)
    if isinstance(value, Mapping):
        value = value.get("alternateName") or value.get("name") or value.get("@id")
    text = clean_text(value)
    if not text:
        return None
    key = text.casefold()
    if key in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[key]
    if not _TAG_FORM.match(text) or len(text) > 16:
        return None
    parts = re.split(r"[-_]", text)
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower())
    return "-".join(out)


def primary_language(tag: str | None) -> str | None:
    return tag.split("-", 1)[0].lower() if tag else None


# ---------------------------------------------------------------------------------------------
# Rating: score and label


def _number(value: Any) -> float | None:
    value = first(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = clean_text(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def normalise_score(value: float | None, best: float | None, worst: float | None) -> float | None:
    """The rating on 0–1 as Meedan's Fetch computes it: ``(v − worst) / (best − worst)`` when
    all three are known, else ``v / best``, else None; None too when the result is outside 0–1
    (a value beyond its own scale)."""
    if value is None or best is None:
        return None
    if worst is not None and best != worst:
        score = (value - worst) / (best - worst)
    elif best != 0:
        score = value / best
    else:
        return None
    if not -1e-9 <= score <= 1 + 1e-9:
        return None
    return round(min(1.0, max(0.0, score)), 4)


# The built-in label table: a label (in its key form, see :func:`label_key`) → a rating class.
# The classes are the default scale's keys plus pants-on-fire; :data:`FALLBACK` places them on
# scales that lack one. Entries are the common labels of fact-checkers in many languages.
# fmt: off
_TABLE_SOURCE: dict[str, tuple[str, ...]] = {
    "true": (
        "true", "correct", "accurate", "verified", "confirmed", "accurate claim", "verdadero",
        "verdadera", "cierto", "cierta", "verdad", "correcto", "verdadeiro", "verdadeira",
        "verdade", "vrai", "vraie", "exact", "c'est vrai", "wahr", "richtig", "stimmt", "vero",
        "vera", "waar", "klopt", "صحيح", "حقيقي", "正確", "正确", "属实", "屬實", "真実", "правда", "верно",
        "сущая правда", "सच", "सही", "benar", "doğru", "prawda", "geppetto checkmark",
    ),
    "mostly-true": (
        "mostly true", "mostly correct", "mostly accurate", "largely true", "largely accurate",
        "mainly true", "almost true", "nearly true", "true but", "one pinocchio",
        "mayormente verdadero", "mayormente cierto", "casi cierto", "casi verdadero",
        "en gran parte cierto", "mayormente verdadera", "quase verdadeiro",
        "em grande parte verdadeiro", "plutôt vrai", "globalement vrai", "überwiegend wahr",
        "größtenteils wahr", "größtenteils richtig", "weitgehend richtig", "c'eri quasi",
        "grotendeels waar", "ほぼ正確", "в основном правда", "sebagian besar benar",
        "büyük ölçüde doğru",
    ),
    "half-true": (
        "half true", "half-true", "mixture", "mixed", "partly true", "partially true",
        "partially correct", "partly correct", "two pinocchios", "half right", "medio cierto",
        "verdad a medias", "media verdad", "parcialmente cierto", "parcialmente verdadero",
        "parcialmente verdadera", "mixto", "verdad parcial", "meia verdade",
        "parcialmente verdadeiro", "em parte verdadeiro", "à moitié vrai", "partiellement vrai",
        "en partie vrai", "moitié vrai", "halb wahr", "teilweise wahr", "teilweise richtig", "nì",
        "mezza verità", "deels waar", "half waar", "صحيح جزئيا", "صحيح جزئياً", "نصف حقيقة",
        "部分正確", "部分正确", "部分属实", "部分屬實", "полуправда", "частично правда", "напівправда",
        "частково правда", "आधा सच", "sebagian benar", "kısmen doğru", "częściowa prawda",
        "half true half false",
    ),
    "mostly-false": (
        "mostly false", "mostly incorrect", "largely false", "mainly false", "partly false",
        "partially false", "mostly wrong", "exaggerated", "exaggeration", "overstated",
        "inaccurate", "imprecise", "three pinocchios", "mayormente falso", "mayormente falsa",
        "casi falso", "parcialmente falso", "parcialmente falsa", "exagerado", "exagerada",
        "impreciso", "imprecisa", "inexacto", "inexacta", "em grande parte falso",
        "parcialmente falso", "exagerado", "impreciso", "plutôt faux", "globalement faux",
        "partiellement faux", "en partie faux", "exagéré", "exagérée", "imprécis", "inexact",
        "überwiegend falsch", "größtenteils falsch", "teilweise falsch", "übertrieben", "ungenau",
        "pinocchio andante", "impreciso", "grotendeels onwaar", "overdreven", "غير دقيق",
        "مبالغ فيه", "不正確", "部分錯誤", "部分错误", "誇大", "夸大", "в основном неправда", "преувеличение",
        "перебільшення", "частково неправда", "अतिशयोक्ति", "sebagian salah", "abartılı",
        "büyük ölçüde yanlış", "częściowy fałsz",
    ),
    "false": (
        "false", "incorrect", "wrong", "fake", "hoax", "untrue", "not true", "fabricated",
        "fabrication", "baseless", "totally false", "completely false", "entirely false",
        "really false", "bogus", "debunked", "four pinocchios", "scam", "altered", "manipulated",
        "doctored", "fake news", "false claim", "false news", "not correct", "this is false",
        "myth", "rumour", "rumor", "satire passed off as news", "falso", "falsa", "bulo",
        "mentira", "no es cierto", "no es verdad", "inventado", "manipulado", "manipulada",
        "montaje", "fraude", "engaño", "não é verdade", "mentira", "boato", "montagem",
        "inventado", "faux", "fausse", "c'est faux", "intox", "infox", "inventé", "truqué",
        "pas vrai", "n'est pas vrai", "falsch", "fake", "erfunden", "frei erfunden", "unwahr",
        "manipuliert", "stimmt nicht", "nicht wahr", "falso", "bufala", "panzana", "onwaar",
        "niet waar", "klopt niet", "زائف", "خطأ", "خاطئ", "كاذب", "كاذبة", "غير صحيح", "مفبرك",
        "ملفق", "مزيف", "錯誤", "错误", "假", "虛假", "虚假", "假消息", "謠言", "谣言", "不實", "不实", "誤り", "偽",
        "虚偽", "неправда", "ложь", "фейк", "фальшивка", "ложно", "брехня", "गलत", "ग़लत", "फर्जी",
        "फ़र्ज़ी", "झूठ", "salah", "hoaks", "hoax", "palsu", "yanlış", "sahte", "fałsz",
        "nieprawda",
    ),
    "pants-on-fire": (
        "pants on fire", "pants-on-fire", "pants fire", "panzana pazzesca", "ridiculous",
    ),
    "misleading": (
        "misleading", "missing context", "lacks context", "lacking context", "out of context",
        "needs context", "cherry picks", "cherry-picked", "distorted", "distortion",
        "spins the facts", "half truth", "partly misleading", "mostly misleading", "engañoso",
        "engañosa", "enganoso", "enganosa", "sacado de contexto", "fuera de contexto",
        "sin contexto", "descontextualizado", "descontextualizada", "distorsionado",
        "tergiversado", "falta contexto", "distorcido", "fora de contexto", "sem contexto",
        "trompeur", "trompeuse", "hors contexte", "manque de contexte", "sorti de son contexte",
        "détourné", "irreführend", "fehlender kontext", "aus dem kontext gerissen", "verzerrt",
        "fuorviante", "decontestualizzato", "misleidend", "مضلل", "مضللة", "خارج السياق", "誤導",
        "误导", "易生誤解", "断章取義", "ミスリード", "文脈不足", "манипуляция", "маніпуляція",
        "вырвано из контекста", "भ्रामक", "menyesatkan", "konteks keliru", "yanıltıcı",
        "bağlamından koparılmış", "manipulacja", "wprowadza w błąd",
    ),
    "unsupported": (
        "unsupported", "unproven", "unverified", "unsubstantiated", "no evidence", "not proven",
        "insufficient evidence", "unverifiable", "cannot be verified", "unclear", "not verified",
        "lack of evidence", "evidence lacking", "not enough evidence", "sin evidencia",
        "sin pruebas", "no verificable", "inverificable", "no comprobado", "sin sustento",
        "insostenible", "sem provas", "insustentável", "não comprovado", "sem evidências",
        "infondé", "non prouvé", "invérifiable", "non vérifiable", "sans preuve", "unbelegt",
        "nicht belegt", "unbewiesen", "nicht überprüfbar", "non verificabile", "senza prove",
        "onbewezen", "niet te verifiëren", "غير مثبت", "لا دليل", "无法证实", "無法證實", "证据不足", "證據不足",
        "根拠不明", "未確認", "не доказано", "недоказано", "не підтверджено", "अप्रमाणित",
        "belum terbukti", "kanıtlanmamış", "niepotwierdzone",
    ),
}
# fmt: on

# Where a rating class lands on a scale that lacks it: the first key the scale has.
FALLBACK: dict[str, tuple[str, ...]] = {
    "true": ("true",),
    "mostly-true": ("mostly-true", "true"),
    "half-true": ("half-true", "mixture"),
    "mostly-false": ("mostly-false", "false"),
    "false": ("false",),
    "pants-on-fire": ("pants-on-fire", "false"),
    "misleading": ("misleading", "mostly-false", "half-true", "mixture"),
    "unsupported": ("unsupported",),
    "mixture": ("mixture", "half-true"),
}

_PUNCT = re.compile(r"[^\w']+|_+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MARKS = re.compile(r"[\u064b-\u0652\u0640]")  # Arabic short vowels and tatweel


def label_key(label: str) -> str:
    """The comparison form of a label: NFKC, case-folded, Arabic diacritics dropped, ``_``/``-``
    and punctuation as spaces (``Really_False`` → ``really false``, ``¡Falso!`` → ``falso``)."""
    text = unicodedata.normalize("NFKC", label).casefold().replace("’", "'")
    text = _MARKS.sub("", text)
    # apostrophes stay inside words (c'est, n'est), nowhere else
    return " ".join(w.strip("'") for w in _PUNCT.sub(" ", text).split() if w.strip("'"))


def _build_table(source: Mapping[str, Sequence[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cls, labels in source.items():
        for label in labels:
            out.setdefault(label_key(label), cls)
    return out


BUILTIN_LABELS: dict[str, str] = _build_table(_TABLE_SOURCE)
RATING_CLASSES = tuple(FALLBACK)
_GRAVITY = {
    "pants-on-fire": 8,
    "false": 7,
    "mostly-false": 6,
    "misleading": 5,
    "unsupported": 4,
    "half-true": 3,
    "mixture": 3,
    "mostly-true": 2,
    "true": 1,
}


@dataclass(frozen=True)
class LabelTable:
    """The label table in use: the built-in one, extended (and overridden) by the config's
    ``factcheck_labels`` (label → a key of the desk's scale or a rating class)."""

    entries: Mapping[str, str]
    scale_keys: tuple[str, ...]
    _seen: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, scale_keys: Sequence[str], extra: Mapping[str, str] | None = None) -> LabelTable:
        entries = dict(BUILTIN_LABELS)
        for label, target in (extra or {}).items():
            entries[label_key(label)] = target
        return cls(entries, tuple(scale_keys))

    def _on_scale(self, cls: str) -> str | None:
        if cls in self.scale_keys:
            return cls
        for key in FALLBACK.get(cls, ()):
            if key in self.scale_keys:
                return key
        return None

    def lookup(self, label: str | None) -> str | None:
        """The verdict (a key of the desk's scale) for a published label, or None."""
        if not label:
            return None
        if label not in self._seen:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[label] = self._lookup(label)
        return self._seen[label]

    def _lookup(self, label: str) -> str | None:
        key = label_key(label)
        if not key:
            return None
        if key in self.entries:
            return self._on_scale(self.entries[key])
        # A sentence or a label with a comment: the first clause, then the longest known
        # phrase found in it as whole words (substrings for CJK).
        head = label_key(re.split(r"[:.;!?(\[—–|]| - ", label, maxsplit=1)[0])
        if head and head in self.entries:
            return self._on_scale(self.entries[head])
        # Of equally long phrases the gravest wins: a sentence explaining a rating ("the exact
        # figure is false") uses milder words than the rating it gives.
        best: tuple[int, int, str] | None = None
        padded = f" {key} "
        for phrase, cls in self.entries.items():
            if len(phrase) < 3 and not _CJK.search(phrase):
                continue
            found = phrase in key if _CJK.search(phrase) else f" {phrase} " in padded
            rank = (len(phrase), _GRAVITY.get(cls, 0), cls)
            if found and (best is None or rank[:2] > best[:2]):
                best = rank
        return self._on_scale(best[2]) if best else None


def map_label(label: str | None, table: LabelTable) -> str | None:
    return table.lookup(label)


# ---------------------------------------------------------------------------------------------
# Finding reviews in a document


def _walk(node: Any, page: Page, depth: int, out: list[dict[str, Any]]) -> None:
    if depth > MAX_DEPTH:
        raise RecordError(f"JSON nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, list):
        for item in node:
            _walk(item, page, depth + 1, out)
        return
    if not isinstance(node, dict):
        return
    node_id = node.get("@id")
    if isinstance(node_id, str) and len(node) > 1:
        page.ids.setdefault(node_id, node)
    kinds = types(node)
    if "ClaimReview" in kinds:
        out.append(node)
        return
    if kinds & {"Organization", "NewsMediaOrganization"} and page.publisher is None and depth <= 2:
        page.publisher = node
    for key, value in node.items():
        if key == "publisher" and isinstance(first(value), dict) and page.publisher is None:
            page.publisher = first(value)
        if key in ("@context",):
            continue
        if isinstance(value, (dict, list)):
            _walk(value, page, depth + 1, out)


def find_reviews(doc: Any, page: Page | None = None) -> tuple[list[dict[str, Any]], Page]:
    """Every ClaimReview object in a JSON(-LD) document (API shapes rewritten first)."""
    page = page or Page()
    out: list[dict[str, Any]] = []
    api = api_reviews(doc)
    if api is not None:
        return api, page
    _walk(doc, page, 0, out)
    return out, page


def _api_markup(markup: Mapping[str, Any], page: Mapping[str, Any]) -> dict[str, Any]:
    rating = markup.get("rating") or {}
    author = markup.get("claimAuthor") or {}
    review_author = page.get("claimReviewAuthor") or {}
    item: dict[str, Any] = {"@type": "Claim"}
    if author.get("name"):
        item["author"] = {"@type": "Person", "name": author["name"]}
        if author.get("sameAs"):
            item["author"]["sameAs"] = author["sameAs"]
    if markup.get("claimDate"):
        item["datePublished"] = markup["claimDate"]
    appearances = list(markup.get("claimAppearances") or [])
    if markup.get("claimFirstAppearance"):
        item["firstAppearance"] = markup["claimFirstAppearance"]
    if appearances:
        item["appearance"] = appearances
    return {
        "@type": "ClaimReview",
        "url": markup.get("url") or page.get("pageUrl"),
        "claimReviewed": markup.get("claimReviewed"),
        "datePublished": page.get("publishDate"),
        "author": {"@type": "Organization", "name": review_author.get("name")},
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": rating.get("textualRating"),
            "ratingValue": rating.get("ratingValue"),
            "bestRating": rating.get("bestRating"),
            "worstRating": rating.get("worstRating"),
        },
    }


def api_reviews(doc: Any) -> list[dict[str, Any]] | None:
    """The Fact Check Tools API's claim-search and page-markup JSON as ClaimReview objects
    (None when ``doc`` is neither)."""
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("claims"), list) and "@type" not in doc:
        out = []
        for claim in doc["claims"]:
            if not isinstance(claim, dict):
                continue
            for review in as_list(claim.get("claimReview")):
                if not isinstance(review, dict):
                    continue
                publisher = review.get("publisher") or {}
                site = publisher.get("site") if isinstance(publisher, dict) else None
                item: dict[str, Any] = {"@type": "Claim"}
                if claim.get("claimant"):
                    item["author"] = {"@type": "Person", "name": claim["claimant"]}
                if claim.get("claimDate"):
                    item["datePublished"] = claim["claimDate"]
                out.append(
                    {
                        "@type": "ClaimReview",
                        "url": review.get("url"),
                        "claimReviewed": claim.get("text"),
                        "datePublished": review.get("reviewDate"),
                        "inLanguage": review.get("languageCode"),
                        "headline": review.get("title"),
                        "author": {
                            "@type": "Organization",
                            "name": publisher.get("name") if isinstance(publisher, dict) else None,
                            "url": site,
                        },
                        "itemReviewed": item,
                        "reviewRating": {
                            "@type": "Rating",
                            "alternateName": review.get("textualRating"),
                        },
                    }
                )
        return out
    pages: list[Any] | None = None
    if isinstance(doc.get("claimReviewMarkupPages"), list):
        pages = doc["claimReviewMarkupPages"]
    elif isinstance(doc.get("claimReviewMarkups"), list):
        pages = [doc]
    if pages is None:
        return None
    out = []
    for page in pages:
        if not isinstance(page, dict):
            continue
        for markup in as_list(page.get("claimReviewMarkups")):
            if isinstance(markup, dict):
                out.append(_api_markup(markup, page))
    return out


# ---------------------------------------------------------------------------------------------
# Reading one review


def _deref(value: Any, page: Page) -> Any:
    value = first(value)
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return page.ids.get(value["@id"], value)
    return value


def _organisation(value: Any, page: Page) -> tuple[str | None, str | None, bool]:
    """(name, url, is_person) of an author/publisher value."""
    value = _deref(value, page)
    if isinstance(value, str):
        return clean_text(value), None, False
    if not isinstance(value, dict):
        return None, None, False
    name = clean_text(value.get("name") or value.get("legalName") or value.get("alternateName"))
    url = resolve_url(value.get("url") or value.get("@id"), page.url)
    return name, url, "Person" in types(value)


def _publisher(review: Mapping[str, Any], page: Page) -> tuple[str, str | None]:
    name, url, person = _organisation(review.get("author"), page)
    if name and not person:
        return name, url
    candidates: list[Any] = [review.get("publisher")]
    author = _deref(review.get("author"), page)
    if isinstance(author, dict):
        candidates += [author.get("worksFor"), author.get("affiliation")]
    candidates += [page.publisher]
    for candidate in candidates:
        n, u, is_person = _organisation(candidate, page)
        if n and not is_person:
            return n, u
    if page.site_name:
        return page.site_name, None
    raise RecordError(
        "author: no fact-checking organisation given"
        + (" (the author is a person and the page names no publisher)" if person else "")
    )


def _claimants(item: Mapping[str, Any], page: Page) -> list[Claimant]:
    out: list[Claimant] = []
    for author in as_list(item.get("author")):
        author = _deref(author, page)
        if isinstance(author, str):
            name, same = clean_text(author), []
        elif isinstance(author, dict):
            name = clean_text(author.get("name"))
            same = [u for u in (resolve_url(s, None) for s in as_list(author.get("sameAs"))) if u]
        else:
            continue
        if name and all(c.name != name for c in out):
            out.append(Claimant(name=name[:MAX_NAME_CHARS], same_as=list(dict.fromkeys(same))))
    return out


def _appearances(item: Mapping[str, Any], page: Page, warnings: list[str]) -> list[Appearance]:
    found: list[Appearance] = []
    seen: set[str] = set()
    values = as_list(item.get("firstAppearance")) + as_list(item.get("appearance"))
    if "appearance" not in item and "firstAppearance" not in item and item.get("url"):
        values += as_list(item.get("url"))  # the legacy form: itemReviewed.url
    dropped = 0
    for value in values:
        value = _deref(value, page)
        url = resolve_url(value, page.url)
        if url is None:
            dropped += 1
            continue
        if url in seen:
            continue
        seen.add(url)
        date = parse_date(value.get("datePublished")) if isinstance(value, dict) else None
        found.append(Appearance(url=url, date=date))
    if dropped:
        warnings.append(
            f"itemReviewed.appearance: {dropped} value(s) without a usable URL left out"
        )
    return found


def read_review(
    review: Mapping[str, Any],
    page: Page,
    table: LabelTable,
    *,
    parse: DateParser | None = None,
    detect: LanguageDetector | None = None,
) -> FactCheckIn:
    """One ClaimReview object → :class:`FactCheckIn`, or :class:`RecordError` saying why not."""
    warnings: list[str] = []
    review_url = resolve_url(review.get("url"), page.url) or resolve_url(
        review.get("@id"), page.url
    )
    if review_url is None and page.url and not review.get("url"):
        review_url = resolve_url(page.url, None)
    if review_url is None:
        raw = clean_text(first(review.get("url")))
        raise RecordError(
            f"url: {raw!r} is not an absolute http(s) URL (and the page gives no URL to resolve it)"
            if raw
            else "url: the review has no URL"
        )
    item = _deref(review.get("itemReviewed"), page)
    item = item if isinstance(item, dict) else {}
    claim = clean_text(review.get("claimReviewed")) or clean_text(
        item.get("name") or item.get("text")
    )
    if not claim:
        raise RecordError("claimReviewed: the review names no claim")
    if len(claim) > MAX_CLAIM_CHARS:
        raise RecordError(f"claimReviewed: longer than {MAX_CLAIM_CHARS} characters")
    publisher, publisher_url = _publisher(review, page)

    language, language_from = language_tag(review.get("inLanguage")), "inLanguage"
    if language is None and review.get("inLanguage"):
        warnings.append(f"inLanguage: {clean_text(review.get('inLanguage'))!r} is not a language")
    if language is None and page.lang:
        language, language_from = language_tag(page.lang), "page"
    if language is None and detect is not None:
        language, language_from = detect(claim), "detected"
    if language is None:
        language_from = None  # type: ignore[assignment]

    dayfirst = primary_language(language) not in (None, "en")
    raw_date = review.get("datePublished") or review.get("dateCreated")
    review_date = parse_date(raw_date, parse, dayfirst=dayfirst)
    if raw_date and review_date is None:
        warnings.append(f"datePublished: {clean_text(raw_date)!r} is not a date; left empty")
    claim_date = parse_date(item.get("datePublished"), parse, dayfirst=dayfirst)

    rating = _deref(review.get("reviewRating"), page)
    rating = rating if isinstance(rating, dict) else {}
    label = clean_text(rating.get("alternateName")) or clean_text(rating.get("name"))
    if label and len(label) > MAX_LABEL_CHARS:
        label = label[: MAX_LABEL_CHARS - 1] + "…"
    value, best, worst = (
        _number(rating.get("ratingValue")),
        _number(rating.get("bestRating")),
        _number(rating.get("worstRating")),
    )
    score = normalise_score(value, best, worst)
    if value is not None and best is not None and score is None:
        warnings.append(f"reviewRating: {value:g} is outside its scale {worst}–{best}")
    verdict = table.lookup(label)
    if label and verdict is None:
        warnings.append(f"rating label {label!r} is not in the label table (kept, no verdict)")

    return FactCheckIn(
        publisher=publisher[:MAX_NAME_CHARS],
        publisher_url=publisher_url,
        review_url=review_url,
        review_date=review_date,
        language=language,
        language_from=language_from,
        claim_text=claim,
        claim_date=claim_date,
        claimants=_claimants(item, page),
        appearances=_appearances(item, page, warnings),
        rating_label=label,
        rating_value=value,
        rating_best=best,
        rating_worst=worst,
        rating_score=score,
        verdict=verdict,
        warnings=warnings,
    )


def iter_reviews(doc: Any, page: Page | None = None) -> Iterator[dict[str, Any]]:
    reviews, _ = find_reviews(doc, page)
    yield from reviews


__all__ = [
    "BUILTIN_LABELS",
    "Appearance",
    "Claimant",
    "FactCheckIn",
    "LabelTable",
    "Page",
    "RecordError",
    "api_reviews",
    "clean_text",
    "find_reviews",
    "label_key",
    "language_tag",
    "map_label",
    "normalise_score",
    "parse_date",
    "primary_language",
    "read_review",
    "resolve_url",
]
