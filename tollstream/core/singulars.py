"""One victim named by a singular noun: "a policeman was killed", "a teenager was shot".

Written numbers are read by ``figures``; this pass adds the figure of one that a
singular noun implies, marked ``implicit`` so that counts of written figures can
leave it out. The noun's determiner, the noun and what happened must follow each
other closely: "a man who was walking his dog was shot" is one injured person.
"""

import re

from schemas.claim import Figure, Span
from tollstream.core.phrases import alternatives
from tollstream.core.rules import load_rules

_RULES = load_rules("singulars")


def _words(table: dict[str, list[str]]) -> list[str]:
    return [phrase for phrases in table.values() for phrase in phrases]


_GROUP_OF = {" ".join(noun.split()): group for group, nouns in _RULES["nouns"].items() for noun in nouns}
_KIND_OF = {
    " ".join(phrase.split()): kind
    for table in ("participles", "verbs")
    for kind, phrases in _RULES[table].items()
    for phrase in phrases
}
_FILLER = rf"(?:(?i:{alternatives(_RULES['fillers'], name='fillers')})\s+)?"
_HARM = (
    rf"(?:(?i:{alternatives(_RULES['auxiliaries'], name='auxiliaries')})\s+{_FILLER}"
    rf"(?P<participle>(?i:{alternatives(_words(_RULES['participles']), name='participles')}))"
    rf"|{_FILLER}(?P<verb>(?i:{alternatives(_words(_RULES['verbs']), name='verbs')})))"
)
# Determiner, up to three modifiers ("17-year-old", "off-duty"), the noun, then at most
# a short clause ("who was walking home", ", 23,"), then what happened.
_SINGULAR = re.compile(
    rf"\b(?i:{alternatives(_RULES['determiners'], name='determiners')})\s+"
    r"(?:[\w'-]+\s+){0,3}?"
    rf"(?P<noun>(?i:{alternatives(_GROUP_OF, name='singular victims')}))\b"
    r"(?:,[^,.;]{1,30},|\s+(?:who|that)\s+[^,.;]{1,40}?)?\s+"
    rf"{_HARM}\b"
)


def find_singulars(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Figures of one victim each in ``text[start:end]``, in order."""
    figures = []
    for match in _SINGULAR.finditer(text, start, len(text) if end is None else end):
        harm = match["participle"] or match["verb"]
        kind = _KIND_OF[" ".join(harm.lower().split())]
        group = _GROUP_OF[" ".join(match["noun"].lower().split())]
        if kind != "killed":
            group = "total"  # injured and abducted counts are of everyone together
        figures.append(
            Figure(
                kind=kind,
                group=group,
                value=1,
                low=1,
                best=1,
                high=1,
                implicit=True,
                span=Span(start=match.start(), end=match.end(), text=match[0]),
            )
        )
    return figures
