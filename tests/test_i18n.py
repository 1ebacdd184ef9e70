"""The site's message catalogues: complete, compiled, shipped, and used with the right direction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from claimcheck.i18n import (
    LOCALE_DIR,
    catalogue_for,
    catalogue_languages,
    format_date,
    rating_labels,
    translations,
)
from claimcheck.languages import LanguageTagError, direction, language_tag

LANGUAGES = ("ar", "es")


def test_english_arabic_and_spanish_ship() -> None:
    assert catalogue_languages() == ("en", "ar", "es")
    assert catalogue_for("es-419") == "es" and catalogue_for("AR") == "ar"
    assert catalogue_for("hi") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_the_mo_matches_the_po(language: str) -> None:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    with (LOCALE_DIR / "claimcheck.pot").open("rb") as fh:
        template = read_po(fh)
    with (folder / "claimcheck.po").open("rb") as fh:
        po = read_po(fh, locale=language)
    with (folder / "claimcheck.mo").open("rb") as fh:
        mo = read_mo(fh)
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in po if m.id}
    assert wanted <= have, f"run python scripts/i18n.py: {sorted(wanted - have)[:3]}"
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: {message.id!r} is not translated"
        assert not message.fuzzy, f"{language}: {message.id!r} is fuzzy"
        compiled = mo.get(message.id, context=message.context)
        assert compiled is not None, f"{language}: {message.id!r} is not in the .mo"
        got = tuple(compiled.string) if isinstance(compiled.string, list) else compiled.string
        assert got == message.string, (
            f"{language}: the .mo is older than the .po; run python scripts/i18n.py"
        )
        # Every placeholder of the English survives the translation.
        source = message.id if isinstance(message.id, str) else message.id[1]
        for name in __import__("re").findall(r"%\((\w+)\)", source):
            if name != "num":
                assert all(f"%({name})" in s for s in strings), (language, source)


def test_the_package_ships_the_compiled_catalogues() -> None:
    import tomllib

    data = tomllib.loads(
        (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    )
    package_data = data["tool"]["setuptools"]["package-data"]
    languages = sorted(p.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES"))
    assert languages, "no catalogue found"
    for language in languages:  # a language added without its package-data line would not ship
        assert "*.mo" in package_data[f"claimcheck.locale.{language}.LC_MESSAGES"], language


def test_rating_labels_dates_and_plurals() -> None:
    assert rating_labels("False") == {"ar": "زائف", "es": "Falso"}
    assert format_date(dt.date(2025, 5, 19), "es") == "19 de mayo de 2025"
    assert format_date(dt.date(2025, 5, 19), "en") == "19 May 2025"
    assert "مايو" in format_date(dt.date(2025, 5, 19), "ar")
    ar = translations("ar")
    assert ar.ngettext("%(num)d fact-check", "%(num)d fact-checks", 2) == "تدقيقان"
    assert ar.ngettext("%(num)d fact-check", "%(num)d fact-checks", 11) % {"num": 11} == "11 تدقيقًا"


@pytest.mark.parametrize(
    ("value", "tag", "way"),
    [
        ("en", "en", "ltr"),
        ("EN-us", "en-US", "ltr"),
        ("ar", "ar", "rtl"),
        ("he", "he", "rtl"),
        ("fa-IR", "fa-IR", "rtl"),
        ("az-Arab", "az-Arab", "rtl"),
        ("az", "az", "ltr"),
        ("zh-hant", "zh-Hant", "ltr"),
        ("es-419", "es-419", "ltr"),
    ],
)
def test_language_tags_are_normalised_with_their_direction(value: str, tag: str, way: str) -> None:
    assert language_tag(value) == tag
    assert direction(tag) == way


@pytest.mark.parametrize("value", ["english", "ar;x", "en US", "", "a" * 40, "12", "en--us"])
def test_bad_language_tags_are_refused(value: str) -> None:
    with pytest.raises(LanguageTagError):
        language_tag(value)
