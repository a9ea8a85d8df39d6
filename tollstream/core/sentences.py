"""Sentences of cleaned article text: the one splitter every stage of the core uses.

Linear in the text by construction: each run of sentence marks is found once by a
pattern without nested or overlapping repetition, and what follows it is checked with
plain string tests, so a page of 20,000 dots costs one pass, not one retry per dot.
Sentences never cross a paragraph (a line of the cleaned text), and none is longer than
``MAX_SENTENCE``: the longest sentence of any gold report is about 1,200 characters, and a
"sentence" of 200 KB without a stop (a run of number words, one list of thousands of
figures) would make every later stage's per-sentence work grow with its square.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from tollstream.core.phrases import Vocabulary
from tollstream.core.rules import load_rules

_RULES = load_rules("sentences")
_ABBREVIATIONS = frozenset(_RULES["abbreviations"])
_CLOSERS = frozenset(_RULES["closers"])
_OPENERS = frozenset(_RULES["openers"])
_MARKS = re.compile(r"[.!?]+")
_WORD_BEFORE = re.compile(r"[A-Za-z]+$")
_LOOKBACK = 16
MAX_SENTENCE = 2000


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: offsets into the cleaned text, its paragraph and its position among all sentences."""

    start: int
    end: int
    paragraph: int
    index: int = 0


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of ``text``."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _abbreviated(text: str, mark: int, floor: int) -> bool:
    """True when the dot at ``mark`` ends an abbreviation or an initial, not a sentence."""
    if text[mark] != ".":
        return False
    word = _WORD_BEFORE.search(text, max(floor, mark - _LOOKBACK), mark)
    if word is None:
        return False
    token = word.group()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isupper())


def _boundary(text: str, match: re.Match[str], end: int) -> int | None:
    """Where the next sentence starts after this run of marks, or None when the run ends none."""
    pos = match.end()
    while pos < end and text[pos] in _CLOSERS:
        pos += 1
    if pos >= end or not text[pos].isspace():
        return None
    while pos < end and text[pos].isspace():
        pos += 1
    if pos >= end:
        return None
    first = text[pos]
    return pos if first.isupper() or first.isdigit() or first in _OPENERS else None


def split(text: str) -> list[Sentence]:
    """Sentences of ``text``, in order, each within one paragraph, with leading and trailing spaces trimmed."""
    sentences: list[Sentence] = []
    for number, (start, end) in enumerate(paragraphs(text)):
        begin = start
        for match in _MARKS.finditer(text, start, end):
            nxt = _boundary(text, match, end)
            if nxt is None or (match.end() - match.start() == 1 and _abbreviated(text, match.start(), start)):
                continue
            _add(sentences, text, begin, match.end(), number)
            begin = nxt
        _add(sentences, text, begin, end, number)
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        # Cut an overlong run at its last space within the bound (mid-word only when it has none).
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _add(sentences, text, start, cut, paragraph)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        sentences.append(Sentence(start, end, paragraph, len(sentences)))


class Scan:
    """A vocabulary pattern's search in each sentence of a text: made once per sentence, and only where it may match.

    Several stages ask the same sentences for the same cues; each sentence is searched
    once, when first asked. A sentence that lacks the words every match needs
    (``Vocabulary.hints``) is not searched at all: most cues occur in few reports.
    """

    def __init__(self, vocabulary: Vocabulary, text: str, folded: str | None, sentences: list[Sentence]) -> None:
        self._vocabulary, self._text, self._folded = vocabulary, text, folded
        self._found: dict[int, re.Match[str] | None] = {}
        hints = vocabulary.hints(folded) if folded is not None else None
        # The indexes of the sentences that may hold a match; None: any may.
        self.candidates: set[int] | None = None if hints is None else _holding(sentences, hints)

    def search(self, sentence: Sentence) -> re.Match[str] | None:
        """What ``pattern.search(text, sentence.start, sentence.end)`` finds."""
        index = sentence.index
        if self.candidates is not None and index not in self.candidates:
            return None
        if index not in self._found:
            self._found[index] = self._vocabulary.search(self._text, self._folded, sentence.start, sentence.end)
        return self._found[index]


def _holding(sentences: list[Sentence], positions: list[int]) -> set[int]:
    """Indexes of the sentences that hold any of these positions."""
    starts = [s.start for s in sentences]
    held = set()
    for position in positions:
        i = bisect_right(starts, position) - 1
        if i >= 0 and position < sentences[i].end:
            held.add(sentences[i].index)
    return held
