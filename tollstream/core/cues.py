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
from collections.abc import Callable
from functools import cached_property

from tollstream.core.phrases import Vocabulary, alternatives, word_trie
from tollstream.core.rules import load_rules
from tollstream.core.sentences import Scan, Sentence

_RULES = load_rules("background")
_I = re.IGNORECASE
_INCIDENTS, _RECOUNTINGS, _SEQUELS = _RULES["incidents"], _RULES["recounting"], _RULES["sequels"]
_MARKER = Vocabulary(
    word_trie(_RULES["periods"] + _RULES["markers"], name="background markers"),
    needs=[_RULES["periods"] + _RULES["markers"]],
)
_INCIDENT = alternatives(_INCIDENTS, name="incidents")
_RECOUNTING = alternatives(_RECOUNTINGS, name="recounting")
# "an attack outside the airport that killed two": another incident, told in a relative clause.
_OTHER_INCIDENT = Vocabulary(
    rf"\b(?:an?|another)\s+(?:[\w'-]+\s+){{0,3}}?{_INCIDENT}\b[^.;]{{0,80}}?\bthat\s+{_RECOUNTING}\b",
    _I,
    needs=[["that"], _INCIDENTS, _RECOUNTINGS],
)
# "Boko Haram, which kidnapped more than 200 schoolgirls": a group's past.
_GROUP_PAST = Vocabulary(rf",\s*which\s+(?:also\s+)?{_RECOUNTING}\b", _I, needs=[["which"], _RECOUNTINGS])
_SINCE = Vocabulary(
    rf"\bsince\s+(?:(?:a|an|the)\s+(?:[\w'-]+\s+){{0,3}}?{_INCIDENT}\b|\d{{4}}\b|last\b)", _I, needs=[["since"]]
)
# "27 militants killed in actions across the province": a tally of many incidents.
_ACROSS = Vocabulary(
    r"\b(?:killed|dead|martyred)\s+(?:in\s+[\w-]+(?:\s+[\w-]+)?\s+)?across\b",
    _I,
    needs=[["across"], ["killed", "dead", "martyred"]],
)
# "This comes a week after ...", "The blast came a day after ...": what follows "after" is another incident.
_AFTER = Vocabulary(
    rf"\b(?:{alternatives(_SEQUELS, name='sequels')})\b[^.;]{{0,40}}?\b(?P<after>after)\b"
    rf"[^.;]{{0,60}}?\b(?:{_INCIDENT}|{_RECOUNTING})\b",
    _I,
    needs=[_SEQUELS, ["after"], _INCIDENTS + _RECOUNTINGS],
)
# "in two-and-a-half years", "over the past 18 months": a span that gathers many incidents.
_SPAN = Vocabulary(
    rf"\b(?:in|over|during|within)\s+(?:the\s+)?(?:[\w-]+\s+){{1,4}}?"
    rf"{alternatives(_RULES['period_units'], name='units')}\b",
    _I,
    needs=[_RULES["period_units"]],
)
# "there were 45 such shootings", "dozens of attacks": a count of incidents is a tally, not an incident.
# Ten or more (two digits): "three bombings" may be one coordinated attack. Words between the
# count and the noun modify it ("45 such shootings"); a link word means the count is of
# something else ("12 militants in operations").
_PLURAL_INCIDENTS = sorted(
    {w if w.endswith("s") else w + ("es" if w.endswith(("sh", "ch")) else "s") for w in _INCIDENTS}
)
_LINKS = r"(?:in|on|at|of|for|and|or|by|with|from|to|after|during|while|who|were|was|had|have)"
_MANY_INCIDENTS = Vocabulary(
    rf"(?:\b\d[\d,]*\d|\b{alternatives(_RULES['many'], name='many')})\s+(?:(?!{_LINKS}\b)[\w-]+\s+){{0,2}}?"
    rf"{alternatives(_PLURAL_INCIDENTS, name='incidents')}\b",
    _I,
    needs=[_PLURAL_INCIDENTS],
)
_CONCURRENT = Vocabulary(word_trie(_RULES["concurrent"], name="concurrent incidents"), needs=[_RULES["concurrent"]])
_COMBINED = Vocabulary(word_trie(_RULES["combined"], name="combined incidents"), needs=[_RULES["combined"]])
_LINK_LINE = tuple(_RULES["link_lines"])
_TALLY = Vocabulary(word_trie(_RULES["tallies"], name="tallies"), needs=[_RULES["tallies"]])
_SUPERLATIVE = Vocabulary(word_trie(_RULES["superlatives"], name="superlatives"), needs=[_RULES["superlatives"]])


_HEADLINE_WORDS = int(_RULES["headline_words"])
_HEADLINE_CAPITALS = float(_RULES["headline_capitals"])
_LONG_WORD = re.compile(r"[^\W\d_][\w'-]{3,}")


def link_line(text: str, start: int, end: int) -> bool:
    """'READ MORE: Gunmen kill 9 in attack on a van', or another story's headline: a line that links to it."""
    return text[start:end].lower().startswith(_LINK_LINE) or _headline_line(text, start, end)


def _headline_line(text: str, start: int, end: int) -> bool:
    """A whole line past the first, in title case and with no full stop: a related story's headline."""
    if start == 0 or text[start - 1] != "\n":
        return False
    line_end = text.find("\n", start)
    line = text[start : len(text) if line_end < 0 else line_end].rstrip()
    # A closing quote may end a headline that quotes ("... in 'Largest Outbreak in NYC'"); a stop
    # before it ends a quoted sentence.
    closed = line.rstrip("\"'’”")
    if not closed or closed[-1] in ".!?" or len(line) > end - start + 1:
        return False
    words = _LONG_WORD.findall(line)
    capitals = sum(1 for word in words if word[0].isupper())
    return len(words) >= _HEADLINE_WORDS and capitals >= _HEADLINE_CAPITALS * len(words)


_RECALLS = (_MARKER, _SINCE, _ACROSS, _GROUP_PAST, _AFTER, _OTHER_INCIDENT, _TALLY, _SPAN, _MANY_INCIDENTS)


class Cues:
    """The cues of one document's sentences, read from its scans (``Document.scan``) and kept once read."""

    def __init__(self, text: str, scan: Callable[[Vocabulary], Scan]) -> None:
        self._text = text
        self._scan = scan
        self._recalls: dict[tuple[int, bool], int | None] = {}

    @cached_property
    def _may_recall(self) -> set[int] | None:
        """The sentences that hold the words of some recall cue; None: any may."""
        held: set[int] = set()
        for vocabulary in _RECALLS:
            candidates = self._scan(vocabulary).candidates
            if candidates is None:
                return None
            held |= candidates
        return held

    def recall_start(self, sentence: Sentence, *, lead: bool = False) -> int | None:
        """Where the sentence begins recalling another incident, if it does.

        ``lead`` is true for the sentence that introduces the reported incident, which may
        tell it as "a ... attack that killed": that cue is not read there.
        """
        key = (sentence.index, lead)
        if key not in self._recalls:
            self._recalls[key] = self._recall_start(sentence, lead)
        return self._recalls[key]

    def _recall_start(self, sentence: Sentence, lead: bool) -> int | None:
        if link_line(self._text, sentence.start, sentence.end):
            return sentence.start
        if self._may_recall is not None and sentence.index not in self._may_recall:
            return None

        def search(vocabulary: Vocabulary) -> re.Match[str] | None:
            return self._scan(vocabulary).search(sentence)

        found = [
            m.start()
            for v in (_MARKER, _SINCE, _ACROSS, _GROUP_PAST, _SPAN, _MANY_INCIDENTS)
            if (m := search(v)) is not None
        ]
        if (match := search(_AFTER)) is not None:
            found.append(match.start("after"))
        if not lead and (match := search(_OTHER_INCIDENT)) is not None:
            found.append(match.start())
        tally = search(_TALLY)
        if tally is not None and search(_SUPERLATIVE) is None:
            found.append(tally.start())
        return min(found, default=None)

    def concurrent(self, sentence: Sentence) -> bool:
        """'In the second attack, in Kalat, ...', 'Separately, ...': a second incident of the same time."""
        return self._scan(_CONCURRENT).search(sentence) is not None

    def combined(self, sentence: Sentence) -> bool:
        """'The toll in the two attacks rose to 27': a count over several incidents."""
        return self._scan(_COMBINED).search(sentence) is not None
