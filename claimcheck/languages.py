"""Language tags: validated BCP 47 (through ``langcodes``), normalised, with their writing direction.

Every language a claim, the organisation or the site is given goes through :func:`language_tag`,
so ``english``, ``ar;x`` or ``en_US`` are refused with a one-line error and ``EN-us`` is stored as
``en-US``. :func:`direction` says whether a language is written right to left, from the script
that the tag names or that the language is most likely written in (``ar`` → Arab → ``rtl``,
``az-Arab`` → ``rtl``, ``az`` → ``ltr``).
"""

from __future__ import annotations

import functools

# Scripts written right to left (ISO 15924 codes).
RTL_SCRIPTS = frozenset(
    {"Adlm", "Arab", "Aran", "Hebr", "Mand", "Mend", "Nkoo", "Rohg", "Samr", "Syrc", "Thaa", "Yezi"}
)
MAX_TAG_LENGTH = 35


class LanguageTagError(ValueError):
    """Not a valid BCP 47 language tag."""


@functools.lru_cache(maxsize=512)
def language_tag(value: str) -> str:
    """The normalised BCP 47 tag of ``value``; :class:`LanguageTagError` if it is not one."""
    import langcodes

    tag = value.strip()
    if not tag or len(tag) > MAX_TAG_LENGTH or not langcodes.tag_is_valid(tag):
        raise LanguageTagError(
            f"{value!r} is not a BCP 47 language tag (e.g. en, ar, es-419, zh-Hant)"
        )
    normalised: str = langcodes.standardize_tag(tag)
    return normalised


@functools.lru_cache(maxsize=512)
def direction(tag: str) -> str:
    """``rtl`` or ``ltr`` for a valid tag."""
    import langcodes

    try:
        script = langcodes.Language.get(tag).maximize().script
    except (ValueError, LookupError):
        return "ltr"
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def primary(tag: str) -> str:
    """The language subtag: ``es-419`` → ``es``."""
    return tag.split("-", 1)[0].lower()


__all__ = [
    "MAX_TAG_LENGTH",
    "RTL_SCRIPTS",
    "LanguageTagError",
    "direction",
    "language_tag",
    "primary",
]
