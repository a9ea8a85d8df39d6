"""Who gave a figure: the source a sentence cites with a verb of saying.

"police said", "said the health minister", "according to officials", "the chief
minister said on Sunday that": a source phrase from ``tollstream/data/attribution.toml``
beside a speech verb names the role that gave the sentence's figures and the kind of
authority it is (official, medical, media, a perpetrator's own claim, unknown).
"""

import re
from collections.abc import Sequence

from tollstream.core.phrases import alternatives, word_trie
from tollstream.core.rules import load_rules

_RULES = load_rules("attribution")
_ROLE_OF: dict[str, tuple[str, str]] = {
    " ".join(phrase.lower().split()): (source["role"], source["authority"])
    for source in reversed(_RULES["sources"])
    for phrase in source["phrases"]
}
_SOURCE = re.compile(word_trie(_ROLE_OF, name="sources"))
_WORD = r"[A-Za-z][\w'.-]*"
_SPEECH = alternatives(_RULES["speech"], name="speech")
_SPEECH_BEFORE_WORDS = alternatives(_RULES["speech_before"], name="speech before a source")
# "police said", "the chief minister said on Sunday that", "said the health minister", "according to officials"
_SPEECH_AFTER = re.compile(rf"(?:\s+{_WORD}){{0,5}}?,?\s+(?:{_SPEECH})\b", re.IGNORECASE)
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH_BEFORE_WORDS})\s+(?:the\s+|a\s+)?(?:{_WORD}\s+){{0,4}}$", re.IGNORECASE)
_SPEECH_WINDOW = 48


def attribute(text: str, start: int, end: int, names: Sequence[tuple[int, int]] = ()) -> tuple[str, str] | None:
    """(role, authority) of the first source the sentence ``text[start:end]`` cites with a verb of saying.

    ``names`` are spans of group names, whose words ("Liberation Army") name no source.
    """
    for match in _SOURCE.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in names):
            continue
        cited = _SPEECH_AFTER.match(text, match.end(), end) or _SPEECH_BEFORE.search(
            text, max(start, match.start() - _SPEECH_WINDOW), match.start()
        )
        if cited:
            return _ROLE_OF[" ".join(match.group().lower().split())]
    return None
