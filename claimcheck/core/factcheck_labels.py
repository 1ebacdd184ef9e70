"""The fact-check label table and score normalisation: what a published rating means on the
desk's scale.

Pure (stdlib only). :func:`normalise_score` puts a ClaimReview rating on 0–1 as Meedan's Fetch
does; :class:`LabelTable` maps a published label (``False``, ``Falso``, ``Pants on Fire!``, a
sentence with a rating in it) to a key of the desk's rating scale through a built-in
multilingual table that the configuration extends (:func:`map_label`). Reading the reviews
themselves is :mod:`claimcheck.core.factchecks`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


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


__all__ = [
    "BUILTIN_LABELS",
    "FALLBACK",
    "RATING_CLASSES",
    "LabelTable",
    "label_key",
    "map_label",
    "normalise_score",
]
