"""The text keys: when two claims, two names or two tags are the same.

- :func:`normalize_text` is a claim's comparison form (NFKC, case-folded, straight quotes, single
  spaces, no trailing punctuation); :func:`dedupe_key` hashes it with the source id — the unique
  key that stores the same sentence from the same source once, under any import or restore;
- :func:`alias_key` is a claimant name's lookup form, and :func:`strip_titles` takes the office
  off a name ("U.S. President Donald Trump" -> "Donald Trump");
- :func:`normalize_tag` is a tag's one spelling;
- :func:`locate` finds (or checks) where a claim's text sits in its source's archived text.

Pure functions over strings, standard library only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from claimcheck.errors import InputError

_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"}
)
_TITLE_WORDS = re.compile(
    r"^(?:(?:u\.?s\.?|us|uk|eu|un|former|acting|deputy|vice|prime|foreign|defen[cs]e|finance|"
    r"interior|president|minister|secretary|chancellor|general|gen\.?|col\.?|sen\.?|senator|rep\.?|"
    r"representative|governor|gov\.?|mayor|spokesperson|spokesman|spokeswoman|chief|state|of|the|"
    r"white|house|press|mr\.?|mrs\.?|ms\.?|dr\.?|sir|lord|king|queen|prince|premier|ambassador)\s+)+",
    re.IGNORECASE,
)


_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The comparison form of a claim: NFKC, case-folded, straight quotes, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _SPACES.sub(" ", text).strip()
    return text.rstrip(" .!?;:,")


def dedupe_key(text_norm: str, source_id: int | None) -> str:
    """The unique key of a claim: SHA-256 of its normalised text and its source id."""
    return hashlib.sha256(f"{text_norm}\x00{source_id or ''}".encode()).hexdigest()


def alias_key(name: str) -> str:
    """A name's lookup form: NFKC, case-folded, punctuation (but ' and -) as spaces."""
    key = unicodedata.normalize("NFKC", name).casefold()
    key = re.sub(r"[^\w\s'-]", " ", key)
    return re.sub(r"\s+", " ", key).strip()


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|an|ese|ish|i|ch|ic)\s+(?=\S)")


def strip_titles(name: str) -> str:
    """'U.S. President Donald Trump' -> 'Donald Trump'; 'Ukrainian President X' -> 'X'."""
    name = name.strip()
    stripped = _TITLE_WORDS.sub("", name).strip()
    if stripped == name:
        without_demonym = _DEMONYM.sub("", name)
        if without_demonym != name and _TITLE_WORDS.match(without_demonym):
            stripped = _TITLE_WORDS.sub("", without_demonym).strip()
    return stripped or name


def normalize_tag(value: str) -> str:
    """A tag as stored: NFKC, lower case, spaces as hyphens; ValueError if not a valid tag."""
    tag = unicodedata.normalize("NFKC", value).strip().lower()
    tag = re.sub(r"\s+", "-", tag)
    if not tag:
        raise ValueError("tag must not be empty")
    if len(tag) > 64:
        raise ValueError("tag is longer than 64 characters")
    if not re.fullmatch(r"[\w][\w.:/-]*", tag):
        raise ValueError(f"tag {value!r} may hold only letters, digits and - _ . : /")
    return tag


def locate(
    archived: str | None, text: str, start: int | None, end: int | None
) -> tuple[int | None, int | None]:
    """The claim's offsets in the archived text: found when not given, else checked (InputError
    naming --start/--end when they do not point at the claim's text)."""
    if archived is None:
        if start is not None or end is not None:
            raise InputError("--start/--end: the source has no archived text to point into")
        return None, None
    if start is None and end is None:
        pos = archived.find(text)
        return (pos, pos + len(text)) if pos >= 0 else (None, None)
    if start is None or end is None:
        raise InputError("--start/--end: give both offsets, or neither")
    if not 0 <= start < end <= len(archived):
        raise InputError(
            f"--start/--end: {start}..{end} is outside the archived text (0..{len(archived)})"
        )
    if archived[start:end] != text:
        raise InputError(
            f"--start/--end: the archived text at {start}..{end} is {archived[start:end][:60]!r}, "
            "not the claim text"
        )
    return start, end
