"""Kinds of incident named in news text: bombing, shooting, attack, kidnapping, ...

Vocabulary lives in ``tollstream/data/incident_types.toml``. Natural disasters are
typed "disaster" so the extractor can drop reports that are not about violence.
"""

import re
from collections import Counter
from dataclasses import dataclass

from tollstream.core.phrases import casings, word_trie
from tollstream.core.rules import load_rules

_RULES = load_rules("incident_types")
_SPECIFICITY = {name: i for i, name in enumerate(_RULES["specificity"])}
NEUTRAL = frozenset(_RULES["neutral"])


@dataclass(frozen=True, slots=True)
class TypeMention:
    start: int
    end: int
    type: str


_TYPE_OF: dict[str, str] = {}
for _type, _entry in _RULES["types"].items():
    for _word in _entry["words"]:
        # Acronyms ("IED") only as written; other words lower case, capitalised and in capitals.
        for _form in casings(_word) if _word == _word.lower() else {_word}:
            _TYPE_OF[_form] = _type


# A word character before a match ("Tried") is rejected in code, one after ("shots") here.
# Word boundaries on both sides: the leading one also lets the engine skip mid-word positions at once.
_WORDS = re.compile(word_trie(_TYPE_OF, name="incident words", as_written=True))


def find_incident_types(text: str) -> list[TypeMention]:
    """Every word or phrase in ``text`` that names a kind of incident, in order."""
    return [
        TypeMention(m.start(), m.end(), _TYPE_OF[" ".join(m[0].split())])
        for m in _WORDS.finditer(text)
        if m.start() == 0 or not text[m.start() - 1].isalnum()
    ]


def primary_type(mentions: list[TypeMention]) -> str | None:
    """The incident's type: the most specific type mentioned often enough to matter.

    bombing > shooting > ambush > attack: "gunmen opened fire and then detonated a
    bomb" is a bombing, but a lone "bomb squad" in a shooting report is not.
    """
    counts = Counter(m.type for m in mentions)
    if not counts:
        return None
    floor = max(counts.values()) * _RULES["min_share"]
    return min((t for t, n in counts.items() if n >= floor), key=lambda t: _SPECIFICITY.get(t, len(_SPECIFICITY)))


def more_specific(current: str | None, new: str | None) -> str | None:
    """Of two types told of one incident, the more specific: a report of a "bombing" refines an "attack"."""
    if current is None or new is None:
        return current or new
    rank = len(_SPECIFICITY)
    return new if _SPECIFICITY.get(new, rank) < _SPECIFICITY.get(current, rank) else current
