"""Names: what counts as one, reducing a mention to a name, and the document's registry of people
(surname expansion, descriptors, pronoun antecedents)."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from claimcheck.extract.speakers.heads import (
    _ANON_HEADS,
    _CONNECTORS,
    _DETERMINERS,
    _GROUP_HEADS,
    _HEAD_SYNONYMS,
    _ORG_HEADS,
)
from claimcheck.extract.speakers.lexicon import _DATE_WORDS, _FUNCTION_CAPS, _POSSESSIVE_RE, _TITLES

# ---------------------------------------------------------------------------------------------
# names


_PARTY_STATE_RE = re.compile(r"^[RDI]-[A-Z]")
# after these, a capitalised word is a surname even when it is also a title ("Mr. King")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr"})
# ... except a form of address: "Mr. President" is nobody's name
_ADDRESSED = frozenset(
    {"president", "speaker", "chairman", "secretary", "ambassador", "mayor", "minister"}
)
# titles that are also common surnames: last in a run after a given name ("Charlie King",
# "Rep. Steve King"), they are the surname
_SURNAME_TITLES = frozenset({"king", "judge", "bishop", "major"})
# one-word "names" that are adjectives or nationalities, never a speaker on their own
_NOT_NAMES = frozenset(
    [
        "american",
        "americans",
        "russian",
        "russians",
        "ukrainian",
        "ukrainians",
        "european",
        "europeans",
        "chinese",
        "british",
        "french",
        "german",
        "germans",
        "iranian",
        "iranians",
        "israeli",
        "israelis",
        "palestinian",
        "palestinians",
        "mexican",
        "mexicans",
        "african-american",
        "african-americans",
        "muslim",
        "muslims",
        "christian",
        "christians",
        "syrian",
        "syrians",
        "korean",
        "koreans",
        "japanese",
        "turkish",
        "indian",
        "indians",
        "canadian",
        "canadians",
        "western",
        "eastern",
        "northern",
        "southern",
        "federal",
        "national",
        "democratic",
        "republican",
        "liberal",
        "conservative",
        "progressive",
        "latino",
        "latinos",
        "hispanic",
        "hispanics",
        "black",
        "white",
        "asian",
        "arab",
        "arabs",
        "jewish",
        "catholic",
        "evangelical",
        "evangelicals",
        "international",
        "global",
        "internet",
        "video",
        "online",
    ]
)


def is_name(name: str | None) -> bool:
    """A returned speaker is a name: a capitalised word that is no function word, date or title."""
    if not name:
        return False
    words = name.split()
    if len(words) == 1:
        word = words[0]
        if len(word.strip(".")) < 2 or _PARTY_STATE_RE.match(word):
            return False
        if word.lower() in _NOT_NAMES:
            return False  # "Democratic", "Russian", "Americans"
    for k, word in enumerate(words):
        low = _POSSESSIVE_RE.sub("", word.lower()).rstrip(".,")
        if (
            k > 0
            and words[k - 1].lower().rstrip(".") in _HONORIFICS
            and word[:1].isupper()
            and low not in _ADDRESSED
        ):
            return True  # "Mr. King"
        if (
            word[:1].isupper()
            and low not in _FUNCTION_CAPS
            and low not in _DATE_WORDS
            and low not in _TITLES
            and low not in _CONNECTORS
        ):
            return True
    return False


def clean_name(phrase: str) -> str | None:
    """Reduce a noun phrase to a speaker name; ``None`` if it names nobody in particular.

    >>> clean_name("U.S. President Donald Trump")
    'Donald Trump'
    >>> clean_name("the Turkish Foreign Ministry")
    'Turkish Foreign Ministry'
    >>> clean_name("a U.S. official") is None
    True
    """
    words = phrase.replace("\u00a0", " ").strip(" ,.;:—–-").split()
    if not words:
        return None
    first = words[0].lower()
    if first in _DETERMINERS - {"the", "his", "her", "their", "its", "our"}:
        return None
    if first in ("his", "her", "their", "its", "our"):
        return None
    # leading function words and dates: "However", "While Clinton", "Earlier Saturday"
    while words and (
        _POSSESSIVE_RE.sub("", words[0].lower()).rstrip(".") in _FUNCTION_CAPS - {"the"}
        or words[0].lower().rstrip(".") in _DATE_WORDS
    ):
        words = words[1:]
    definite = bool(words) and words[0].lower() == "the"
    if definite:
        words = words[1:]
    if not words:
        return None
    last = words[-1].lower().rstrip(".")
    if len(words) == 1 and last in _ANON_HEADS:
        return None  # "Officials said" at the start of a sentence
    if (
        len(words) >= 3
        and words[-2].endswith(("’s", "'s"))
        and last in _ORG_HEADS
        and words[-1].islower()
    ):
        # "Donald Trump's campaign", "the Labor Department's office": a named organisation
        owner = clean_name(" ".join(words[:-1])[: -len("'s")])
        return f"{owner}'s {words[-1]}" if owner else None
    if (
        last in _ANON_HEADS
        and words[-1].islower()
        and not (last in _ORG_HEADS and definite)
        and not (len(words) == 2 and words[0].endswith(("’s", "'s")))
    ):
        return None
    if len(words) == 2 and words[0].endswith(("’s", "'s")) and last in _ORG_HEADS:
        return " ".join(words) if words[1].islower() else words[1]
    if last in _ORG_HEADS or (definite and any(w[:1].isupper() for w in words)):
        # organisations are kept whole, without a leading title such as "Foreign"
        if words[-1].endswith(("’s", "'s")):
            return None  # "the GOP's": a possessive, resolved by what it possesses
        name = " ".join(w for w in words if w)
        if not any(w[:1].isupper() and w.lower() not in _TITLES for w in words):
            return None
        return name.strip(" ,.")
    # persons: drop everything up to the last title or possessive
    cut = -1
    for k, word in enumerate(words):
        low = word.lower().rstrip(".")
        if (
            k > 0
            and words[k - 1].lower().rstrip(".") in _HONORIFICS
            and word[:1].isupper()
            and low not in _ADDRESSED
            and not word.endswith(("’s", "'s"))
        ):
            continue  # "Mr. King", "Ms. Judge": after an honorific, a surname
        if (
            k == len(words) - 1
            and k > 0
            and low in _SURNAME_TITLES
            and word[:1].isupper()
            and words[k - 1][:1].isupper()
            and words[k - 1].lower().rstrip(".") not in _TITLES
            and words[k - 1].lower() not in _NOT_NAMES
            and not words[k - 1].endswith(("’s", "'s"))
            and len(words[k - 1].rstrip(".")) > 1
        ):
            continue  # "Charlie King": a given name, then the surname King
        if (
            low in _TITLES
            or (low.endswith("s") and low[:-1] in _TITLES and k + 1 < len(words))  # "Senators"
            or low in ("u.s", "us")
            or word.endswith(("’s", "'s"))
            or (word.islower() and low not in _CONNECTORS)
        ):
            cut = k
    tokens = words[cut + 1 :]
    if (
        cut >= 0
        and words[cut].lower().rstrip(".") in _HONORIFICS
        and tokens
        and all(t.lower().rstrip(".,") in _TITLES for t in tokens)
    ):
        tokens = words[cut:]  # "Mr. King" stays "Mr. King", not the title "King"
    while tokens and tokens[0].lower() in _CONNECTORS:
        tokens = tokens[1:]
    if cut >= 0 and "of" in [w.lower() for w in words[: cut + 2]] and len(tokens) > 2:
        # "Secretary of Homeland Security Jeh Johnson": the office, then the person
        keep = 3 if re.fullmatch(r"[A-Z]\.", tokens[-2]) else 2
        tokens = tokens[-keep:]
    name = " ".join(tokens).strip(" ,.")
    if not is_name(name):
        return None
    return name


_HONORIFIC_RE = re.compile(r"(Mr\.|Mrs\.|Ms\.|Miss|Mr|Mrs|Ms)[ \t]+(?=[A-Z])")


def _person(name: str) -> bool:
    words = name.split()
    last = words[-1].lower().strip(".")
    if last in _ORG_HEADS or last in _GROUP_HEADS or (name.isupper() and len(name) <= 5):
        return False
    return not any(w.lower() in {"of", "for", "and", "&", "the"} for w in words)


class _Registry:
    """Names in order of appearance: full names by surname, and the titles each person bore."""

    _NAME_RE = re.compile(
        r"(?:(?:[A-ZÀ-ÖØ-Þ][\w’'-]+|(?:[A-Z]\.){1,3}|(?:Gen|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Lt|Col)\.)"
        r"[ \t]+(?:(?:de|da|van|von|bin|al|la|le|del|du)[ \t]+)?){1,5}[A-ZÀ-ÖØ-Þ][\w’'-]+"
    )
    _TITLED_RE = re.compile(
        r"((?:[A-Z][\w.’'-]*[ \t]+|(?:[a-z]+-)?[a-z]+[ \t]+){0,4}?"
        r"(?:[Pp]resident|[Ll]eader|[Mm]inister|[Pp]remier|[Cc]hancellor|[Ss]en\.|[Ss]enator|"
        r"[Gg]overnor|[Gg]ov\.|[Mm]ayor|[Nn]ominee|[Cc]andidate|[Ss]ecretary|[Cc]hairman|"
        r"[Cc]hairwoman|[Ss]peaker|[Jj]udge|[Rr]ep\.|[Cc]ongressman|[Cc]ongresswoman|"
        r"[Bb]usinessman|[Bb]illionaire|[Mm]ogul|[Gg]eneral|[Gg]en\.|[Aa]mbassador|[Ee]nvoy|"
        r"[Kk]ing|[Qq]ueen|[Dd]irector|[Cc]ommissioner|[Aa]ttorney [Gg]eneral)"
        r")[ \t]+((?:[A-Z][\w’'-]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][\w’'-]+|[A-Z]\.|(?:de|da|van|von|bin|al|"
        r"la|le|del|du)(?=[ \t]+[A-Z]))){0,3})"
    )

    def __init__(self, text: str) -> None:
        # the words the document writes in lower case ("Police said" opens a sentence)
        self.lower_words = frozenset(re.findall(r"\b[a-z]{3,}\b", text))
        self.text = text
        self.by_last: dict[str, list[tuple[int, str]]] = {}
        self.titled: list[tuple[int, frozenset[str], str]] = []
        self.orgs: dict[str, list[tuple[int, str]]] = {}
        for m in self._NAME_RE.finditer(text):
            name = clean_name(m.group(0))
            if name and " " in name and " and " not in name:
                key = name.split()[-1].lower()
                if _person(name):
                    self.by_last.setdefault(key, []).append((m.start(), name))
                elif key in _ORG_HEADS:
                    self.orgs.setdefault(key, []).append((m.start(), name))
        for m in self._TITLED_RE.finditer(text):
            name = clean_name(m.group(2))
            if not name or not _person(name):
                continue
            words = frozenset(
                w.lower().rstrip(".") for w in m.group(1).split() if w.lower() not in ("the", "a")
            )
            full = self.expand(name, m.start(2))
            self.titled.append((m.start(), words, full))

    def organisation(self, head: str, position: int) -> str | None:
        """The organisation ``the department``/``the Commission`` refers to: the latest one
        with that head named before ``position``, when the article named only one."""
        entries = [e for e in self.orgs.get(head.lower(), []) if e[0] < position]
        if not entries or len({n for _p, n in entries}) > 1:
            return None
        return entries[-1][1]

    def expand(self, name: str, position: int) -> str:
        """The full name a bare surname refers to: the latest before ``position``, else the
        first after it; the name itself when the document names nobody fuller."""
        if " " in name:
            return name
        if name.lower() in _ORG_HEADS and name.lower() not in self.by_last:
            return self.organisation(name, position) or name
        entries = [e for e in self.by_last.get(name.lower(), []) if e[1] != name]
        if not entries:
            return name
        honorific = _HONORIFIC_RE.match(self.text, position)
        if honorific and len({n.split()[0] for _p, n in entries}) > 1:
            # "Mrs. Lee" in an article about Ann and Tom Lee: the honorific tells them apart,
            # the given names do not say which is which
            return f"{honorific.group(1)} {name}"
        index = bisect.bisect_right([pos for pos, _ in entries], position)
        seen = entries[:index] or entries[:1]
        counts = Counter(n for _p, n in seen)
        top = max(counts.values())
        # the person of that surname the article has named most so far, the latest on ties
        return next(n for _p, n in reversed(seen) if counts[n] == top)

    def descriptor(self, phrase: str, position: int) -> str | None:
        """The one person the document gave this description, before ``position``."""
        words = [w.lower().rstrip(".") for w in phrase.split() if w.lower() not in ("the",)]
        if not words:
            return None
        head = words[-1]
        mods = [w for w in words[:-1] if w not in ("former", "new")]
        heads = _HEAD_SYNONYMS.get(head, frozenset({head}))
        found: set[str] = set()
        for pos, titles, name in self.titled:
            if pos >= position:
                break
            if titles & heads and all(mod in titles or mod in name.lower() for mod in mods):
                found.add(name)
        # a surname registered twice (Donald Trump, Trump) is one person
        people = {n for n in found if not any(n != o and o.endswith(" " + n) for o in found)}
        return next(iter(people)) if len(people) == 1 else None
