"""Sentence segmentation with character offsets, tuned for wire-style news text.

Design
------
The segmenter never rewrites text: it yields ``(start, end)`` spans, and every sentence is
``text[start:end]`` exactly, so claims keep verifiable offsets into the archived source.

1. The text is cut into **blocks** at blank lines (paragraphs), at single newlines after a line
   that looks finished (terminal punctuation, or a short line such as a headline or byline), and
   before list bullets and Markdown headings.
2. A **dateline** at the start of a block (``ISTANBUL, May 16, 2025 (Claimcheck Wire) —``) is
   skipped: the claim starts after it. :func:`find_dateline` exposes it so the caller can read the
   publication date from it.
3. Inside a block, a **boundary** is a ``.``, ``!``, ``?`` or ``…`` (plus closing quotes and
   brackets) followed by white space and something that can start a sentence (a capital, a digit,
   an opening quote). It is *not* a boundary after titles and other abbreviations that are always
   followed by a name or number (``Gen.``, ``Mr.``, ``No.``, ``Feb. 12``), after single-letter
   initials (``John F. Kennedy``), or inside an open bracket. After ``U.S.``, ``a.m.``, ``Inc.``
   and similar, it is a boundary only when the next word commonly starts a sentence (``The``,
   ``He`` ...).

Quotations that span several sentences are split into their sentences; speaker attribution
(:mod:`claimcheck.extract.speakers`) follows the quotation marks across the split.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["find_dateline", "segment", "segment_lines"]

# Always followed by a name or a number: never end a sentence.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "gov",
        "sen",
        "rep",
        "rev",
        "fr",
        "sr",
        "jr",
        "st",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "amb",
        "no",
        "nos",
        "vol",
        "art",
        "fig",
        "sec",
        "ch",
        "pp",
        "p",
        "op",
    ]
)
_MONTH_ABBR = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
# May end a sentence, but usually do not.
_AMBIGUOUS = frozenset(
    [
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "llc",
        "plc",
        "etc",
        "vs",
        "approx",
        "est",
        "dept",
        "univ",
        "assn",
        "ave",
        "blvd",
        "rd",
        "mt",
        "ft",
    ]
)
_SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "but",
        "and",
        "so",
        "yet",
        "or",
        "nor",
        "in",
        "on",
        "at",
        "as",
        "for",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "although",
        "though",
        "however",
        "meanwhile",
        "still",
        "also",
        "then",
        "now",
        "many",
        "most",
        "some",
        "several",
        "no",
        "not",
        "one",
        "two",
        "three",
        "both",
        "what",
        "who",
        "why",
        "how",
        "where",
        "which",
        "mr",
        "mrs",
        "ms",
        "dr",
        "officials",
        "analysts",
        "police",
    ]
)

_BOUNDARY_RE = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s)")
_BLOCK_RE = re.compile(r"\n[ \t]*\n\s*")
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ ,/]+[A-Z][A-Z.'’-]+)*)"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?))?"
    r"(?:,?\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?))?"
    r"(?:\s*\((?P<agency>[^)]{1,60})\))?"
    r"\s*(?:—|–|--|-|:)\s+"
)
_BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d+[.)]|#{1,6})\s+")


def find_dateline(block: str) -> re.Match[str] | None:
    """The dateline at the start of a paragraph (``KYIV, May 16 (Wire) —``), if any."""
    m = _DATELINE_RE.match(block)
    if m is None:
        return None
    place = m.group("place")
    # a dateline's place is upper case and short; avoid all-caps sentence openings
    if len(place) > 40 or not (
        m.group("date")
        or m.group("agency")
        or "—" in m.group(0)
        or "–" in m.group(0)
        or "--" in m.group(0)
    ):
        return None
    if place.split()[0] in {"I", "A"}:
        return None
    return m


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph-like blocks as spans, split at blank lines and at lines that look finished."""
    pos = 0
    for m in _BLOCK_RE.finditer(text):
        yield from _split_lines(text, pos, m.start())
        pos = m.end()
    yield from _split_lines(text, pos, len(text))


def _split_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        if nl == -1:
            lines.append((pos, end))
            break
        lines.append((pos, nl))
        pos = nl + 1
    block_start = lines[0][0] if lines else start
    for i, (ls, le) in enumerate(lines):
        line = text[ls:le].rstrip()
        last = i == len(lines) - 1
        if last:
            yield block_start, le
            break
        nxt = text[lines[i + 1][0] : lines[i + 1][1]]
        finished = (
            not line.strip()
            or len(line.strip()) < 50
            or bool(_BULLET_RE.match(nxt))
            or bool(_BULLET_RE.match(line))
        )
        if finished:
            yield block_start, le
            block_start = lines[i + 1][0]


def _is_boundary(block: str, end: int) -> bool:
    """Whether the terminal punctuation ending at ``end`` (exclusive) closes a sentence."""
    after = block[end:].lstrip()
    if not after:
        return True
    first = after[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘«([¿¡*-—–•"):
        return False
    # the word before the punctuation
    head = block[:end].rstrip("\"'”’»)]")
    if not head.endswith("."):
        return True
    m = re.search(r"(\S+)\.$", head)
    if m is None:
        return True
    word = m.group(1).lstrip("\"'“‘«([")
    low = word.lower()
    next_word = re.match(r"[\"'“‘«(]*([A-Za-z]+)", after)
    nxt = next_word.group(1).lower() if next_word else ""
    if low in _TITLES:
        return False
    if low in _MONTH_ABBR:
        return not first.isdigit()
    if len(word) == 1 and word.isalpha() and word.isupper():
        # an initial ("John F. Kennedy"), unless a quotation opens after it ("on X. “We …")
        return first in "“«" and bool(re.search(r"\b(?:on|at|via|to|from|in)\s+\S\.$", head))
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word) or low in _AMBIGUOUS:
        # U.S., a.m., p.m., e.g., Inc.: a boundary only before a typical sentence opener
        return nxt in _SENTENCE_STARTERS or first in '"“‘«'
    return True


def _split_block(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    block = text[start:end]
    offset = 0
    dl = find_dateline(block)
    if dl is not None:
        offset = dl.end()
    sent_start = offset
    depth = 0
    last = offset
    for m in _BOUNDARY_RE.finditer(block, offset):
        segment = block[last : m.start()]
        depth += segment.count("(") - segment.count(")")
        last = m.start()
        if depth > 0:
            continue
        if _is_boundary(block, m.end()):
            yield start + sent_start, start + m.end()
            nxt = m.end()
            while nxt < len(block) and block[nxt].isspace():
                nxt += 1
            sent_start = nxt
    if sent_start < len(block):
        yield start + sent_start, end


def segment(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; ``text[start:end]`` is the sentence.

    Spans are in order, do not overlap, contain no leading or trailing white space, and are never
    empty. Never raises.
    """
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        for s, e in _split_block(text, b_start, b_end):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                spans.append((s, e))
    return spans


def segment_lines(text: str) -> list[tuple[int, int]]:
    """One span per non-blank line (``--one-per-line``), trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        s, e = pos, pos + len(line.rstrip("\r\n"))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        pos += len(line)
    return spans
