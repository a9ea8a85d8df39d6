"""Who gave a figure: the source a sentence cites with a verb of saying.

"police said", "said the health minister", "according to officials", "the chief
minister said on Sunday that": a source phrase from ``tollstream/data/attribution.toml``
beside a speech verb names the role that gave the sentence's figures and the kind of
authority it is (official, medical, media, a perpetrator's own claim, unknown). When a
sentence names several sources, the one nearest a speech verb is the speaker: in "the
group that attacked an army post said its fighters had killed 50", the army is a place
the group attacked, not who spoke.
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
_SPEECH = re.compile(rf"\b(?:{alternatives(_RULES['speech'], name='speech')})\b", re.IGNORECASE)
_INTRODUCERS = frozenset(" ".join(p.lower().split()) for p in _RULES["speech_before"])
_WORD = re.compile(r"[A-Za-z][\w'.-]*")
# Words between a source and its verb of saying: "police said", "the chief minister said on Sunday that".
_REACH = 5


def _words_between(text: str, start: int, end: int) -> int | None:
    """Words in ``text[start:end]``, or None across a sentence's inner break (a semicolon)."""
    if ";" in text[start:end]:
        return None
    return len(_WORD.findall(text, start, end))


def attribute(text: str, start: int, end: int, names: Sequence[tuple[int, int]] = ()) -> tuple[str, str] | None:
    """(role, authority) of the source the sentence ``text[start:end]`` cites with a verb of saying.

    ``names`` are spans of group names, whose words ("Liberation Army") name no source.
    """
    sources = [m for m in _SOURCE.finditer(text, start, end) if not any(a <= m.start() < b for a, b in names)]
    if not sources:
        return None
    verbs = list(_SPEECH.finditer(text, start, end))
    best: tuple[int, int, re.Match[str]] | None = None
    for source in sources:
        for verb in verbs:
            if verb.start() >= source.end():
                gap = _words_between(text, source.end(), verb.start())  # "police said"
            elif " ".join(verb.group().lower().split()) in _INTRODUCERS and verb.end() <= source.start():
                gap = _words_between(text, verb.end(), source.start())  # "according to officials", "said police"
            else:
                continue
            if gap is not None and gap <= _REACH and (best is None or (gap, source.start()) < best[:2]):
                best = (gap, source.start(), source)
    return None if best is None else _ROLE_OF[" ".join(best[2].group().lower().split())]
