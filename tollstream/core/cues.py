"""Cues that a sentence recalls or tallies other incidents than the one it reports.

"Separately, ...", "since the attack in Solhan", "This comes a week after ...", "Boko
Haram, which kidnapped ...", "27 militants killed in actions across the province",
"29 children were shot this year", "READ MORE: ...". Segmentation (``segments``)
sets a sentence with figures and such a cue apart from the main incident; the
facts of an incident (``facts``) ignore what a sentence says after the cue, so
"The blast came a week after a bombing in Kunduz" dates and places nothing of
the blast. Vocabulary lives in ``tollstream/data/background.toml``.
"""

import re

from tollstream.core.phrases import alternatives, word_trie
from tollstream.core.rules import load_rules

_RULES = load_rules("background")
_I = re.IGNORECASE
_MARKER = re.compile(word_trie(_RULES["periods"] + _RULES["markers"], name="background markers"))
_INCIDENT = alternatives(_RULES["incidents"], name="incidents")
_RECOUNTING = alternatives(_RULES["recounting"], name="recounting")
# "an attack outside the airport that killed two": another incident, told in a relative clause.
_OTHER_INCIDENT = re.compile(
    rf"\b(?:an?|another)\s+(?:[\w'-]+\s+){{0,3}}?{_INCIDENT}\b[^.;]{{0,80}}?\bthat\s+{_RECOUNTING}\b", _I
)
# "Boko Haram, which kidnapped more than 200 schoolgirls": a group's past.
_GROUP_PAST = re.compile(rf",\s*which\s+(?:also\s+)?{_RECOUNTING}\b", _I)
_SINCE = re.compile(rf"\bsince\s+(?:(?:a|an|the)\s+(?:[\w'-]+\s+){{0,3}}?{_INCIDENT}\b|\d{{4}}\b|last\b)", _I)
# "27 militants killed in actions across the province": a tally of many incidents.
_ACROSS = re.compile(r"\b(?:killed|dead|martyred)\s+(?:in\s+[\w-]+(?:\s+[\w-]+)?\s+)?across\b", _I)
# "This comes a week after ...", "The blast came a day after ...": what follows "after" is another incident.
_AFTER = re.compile(
    rf"\b(?:{alternatives(_RULES['sequels'], name='sequels')})\b[^.;]{{0,40}}?\b(?P<after>after)\b"
    rf"[^.;]{{0,60}}?\b(?:{_INCIDENT}|{_RECOUNTING})\b",
    _I,
)
_CONCURRENT = re.compile(word_trie(_RULES["concurrent"], name="concurrent incidents"))
_COMBINED = re.compile(word_trie(_RULES["combined"], name="combined incidents"))
_LINK_LINE = tuple(_RULES["link_lines"])
_TALLY = re.compile(word_trie(_RULES["tallies"], name="tallies"))
_SUPERLATIVE = re.compile(word_trie(_RULES["superlatives"], name="superlatives"))


def link_line(text: str, start: int, end: int) -> bool:
    """'READ MORE: Gunmen kill 9 in attack on a van': a line that links to another story."""
    return text[start:end].lower().startswith(_LINK_LINE)


def recall_start(text: str, start: int, end: int, *, lead: bool = False) -> int | None:
    """Where ``text[start:end]`` begins recalling another incident, if it does.

    ``lead`` is true for the sentence that introduces the reported incident, which may
    tell it as "a ... attack that killed": that cue is not read there.
    """
    if link_line(text, start, end):
        return start
    found: list[int] = []
    for pattern in (_MARKER, _SINCE, _ACROSS, _GROUP_PAST):
        if (match := pattern.search(text, start, end)) is not None:
            found.append(match.start())
    if (match := _AFTER.search(text, start, end)) is not None:
        found.append(match.start("after"))
    if not lead and (match := _OTHER_INCIDENT.search(text, start, end)) is not None:
        found.append(match.start())
    tally = _TALLY.search(text, start, end)
    if tally is not None and _SUPERLATIVE.search(text, start, end) is None:
        found.append(tally.start())
    return min(found, default=None)


def concurrent(text: str, start: int, end: int) -> bool:
    """'In the second attack, in Kalat, ...', 'Separately, ...': a second incident of the same time."""
    return _CONCURRENT.search(text, start, end) is not None


def combined(text: str, start: int, end: int) -> bool:
    """'The toll in the two attacks rose to 27': a count over several incidents."""
    return _COMBINED.search(text, start, end) is not None
