"""The published site's own words, in several languages: a gettext catalogue read through Babel.

Messages are written in English in the templates and code (``_("Our verdict")``); Babel extracts
them into ``claimcheck/locale/claimcheck.pot`` and each language's ``.po`` file holds its
translations, compiled into the ``.mo`` file that ships in the package (``scripts/i18n.py``
re-extracts, updates and compiles; ``tests/test_i18n.py`` fails when a ``.mo`` is out of date
with its ``.po`` or a message is left untranslated). English, Arabic (right to left) and Spanish
ship today; adding a language is adding its ``.po`` file.

A claim in a language that has a catalogue gets its page in that language; any other language
falls back to the site's language for the page's own words (the claim's text keeps its own
``lang``). Dates are formatted by Babel's CLDR data for the language, so they are the same on
every machine whatever its locale.

Rating labels of the built-in scales are translated too (message context ``rating``): the
ClaimReview ``alternateName`` of a claim is the label in the claim's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "claimcheck"
SOURCE_LANGUAGE = "en"


def _mark(context: str, message: str) -> str:
    """Marks a message for extraction (``scripts/i18n.py`` passes ``-k _mark:1c,2``)."""
    return message


# The labels of the built-in rating scales (claimcheck.core.ratings), translated in the catalogue.
RATING_LABELS = (
    _mark("rating", "True"),
    _mark("rating", "Mostly true"),
    _mark("rating", "Half true"),
    _mark("rating", "Mostly false"),
    _mark("rating", "False"),
    _mark("rating", "Misleading"),
    _mark("rating", "Unsupported"),
    _mark("rating", "Pants on fire"),
    _mark("rating", "Mixture"),
)


@functools.lru_cache(maxsize=1)
def catalogue_languages() -> tuple[str, ...]:
    """The languages the site's words are available in (English first)."""
    found = sorted(
        p.parent.parent.name
        for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
        if p.parent.parent.name != SOURCE_LANGUAGE
    )
    return (SOURCE_LANGUAGE, *found)


def catalogue_for(tag: str | None) -> str | None:
    """The catalogue language serving BCP 47 ``tag`` (``es-419`` → ``es``), or None."""
    if not tag:
        return None
    primary = tag.split("-", 1)[0].lower()
    return primary if primary in catalogue_languages() else None


@functools.lru_cache(maxsize=16)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (a catalogue language); English is the identity."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.support import Translations

    found = Translations.load(str(LOCALE_DIR), [language], DOMAIN)
    if not isinstance(found, Translations):
        raise LookupError(f"no {language} message catalogue in {LOCALE_DIR}")
    return found


def rating_labels(label: str) -> dict[str, str]:
    """The English rating ``label`` in every catalogue language that translates it."""
    out = {}
    for language in catalogue_languages():
        if language == SOURCE_LANGUAGE:
            continue
        translated = translations(language).pgettext("rating", label)
        if translated != label:
            out[language] = translated
    return out


@functools.lru_cache(maxsize=4096)
def format_date(value: dt.date, language: str) -> str:
    """A long date in the language's own form (``19 May 2025``, ``19 de mayo de 2025``)."""
    from babel.dates import format_date as babel_format

    if language == SOURCE_LANGUAGE:
        return _english(value)
    return str(babel_format(value, format="long", locale=language))


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _english(value: dt.date) -> str:
    # Locale-independent, the same form as the reports (``19 May 2025``).
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def language_name(tag: str, in_language: str) -> str:
    """The name of language ``tag`` written in ``in_language`` (``ar`` in ``en`` → ``Arabic``)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(in_language)
    except (ValueError, UnknownLocaleError):
        return tag
    return str(name) if name else tag


__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "SOURCE_LANGUAGE",
    "catalogue_for",
    "catalogue_languages",
    "format_date",
    "language_name",
    "rating_labels",
    "translations",
]
