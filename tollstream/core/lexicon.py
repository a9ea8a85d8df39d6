"""Word-level reading of a sentence: tokens, and phrase tables looked up by token position.

The figure reader works on tokens, not characters: a sentence becomes words,
punctuation marks and whole number mentions ("at least 23", "three-hundred and
seventeen", "20 to 25"), each with its offsets into the text. Vocabulary is
looked up with ``Phrases``, a table of word sequences keyed by their first word,
so finding every phrase that starts (or ends) at a token costs a few dictionary
lookups whatever the size of the table, and reading a sentence stays linear in
its length.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tollstream.core.numbers import NumberMention
from tollstream.core.rules import RuleError

# Dotted initials are one word ("U.S.", "D.I."); other words keep inner apostrophes, dots and
# hyphens ("Kabul's", "sub-inspector").
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:['.\-][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Token:
    """A word, a punctuation mark, or a whole number mention (``number`` set; ``word`` its lower-cased text)."""

    start: int
    end: int
    word: str
    number: NumberMention | None = None

    @property
    def is_word(self) -> bool:
        return self.number is None and self.word[:1].isalnum()


def tokenize(text: str, start: int, end: int, numbers: list[NumberMention]) -> list[Token]:
    """Tokens of ``text[start:end]``; each number mention is one token covering its span."""
    tokens: list[Token] = []
    pending = iter(sorted(numbers, key=lambda n: n.start))
    number = next(pending, None)
    position = start
    while position < end:
        if number is not None and number.start <= position:
            if number.start >= start:
                tokens.append(Token(number.start, number.end, " ".join(number.text.lower().split()), number))
            position = max(position, number.end)
            number = next(pending, None)
            continue
        limit = number.start if number is not None and number.start < end else end
        for match in _TOKEN.finditer(text, position, limit):
            tokens.append(Token(match.start(), match.end(), match.group().lower()))
        position = limit
    return tokens


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().replace(",", " , ").split())


class Phrases:
    """Word sequences with a label each; longest phrase first at a position."""

    def __init__(self, labels: Mapping[str, str] | Iterable[str], *, name: str) -> None:
        table = labels if isinstance(labels, Mapping) else {phrase: phrase for phrase in labels}
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._by_last: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, label in table.items():
            words = _words(phrase)
            if not words:
                raise RuleError(f"empty phrase in {name}")
            self._by_first.setdefault(words[0], []).append((words, label))
            self._by_last.setdefault(words[-1], []).append((words, label))
        if not self._by_first:
            raise RuleError(f"empty word list for {name}")
        for entries in (*self._by_first.values(), *self._by_last.values()):
            entries.sort(key=lambda entry: -len(entry[0]))

    def at(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        """(number of tokens, label) of the longest phrase starting at token ``i``."""
        if i >= len(tokens):
            return None
        for words, label in self._by_first.get(tokens[i].word, ()):
            n = len(words)
            if i + n <= len(tokens) and all(tokens[i + k].word == words[k] for k in range(1, n)):
                return n, label
        return None

    def ending(self, tokens: list[Token], i: int, floor: int = 0) -> tuple[int, str] | None:
        """(first token, label) of the longest phrase ending at token ``i`` and starting at or after ``floor``."""
        if i < floor or i >= len(tokens):
            return None
        for words, label in self._by_last.get(tokens[i].word, ()):
            n = len(words)
            first = i - n + 1
            if first >= floor and all(tokens[first + k].word == words[k] for k in range(n - 1)):
                return first, label
        return None

    def __contains__(self, word: str) -> bool:
        return any(len(words) == 1 for words, _ in self._by_first.get(word, ()))


def phrases_by_label(table: Mapping[str, Iterable[str]], *, name: str) -> Phrases:
    """Phrases from a table of label -> phrases ("killed" -> ["died", "lost their lives"])."""
    labels: dict[str, str] = {}
    for label, phrases in table.items():
        for phrase in phrases:
            labels.setdefault(" ".join(phrase.lower().split()), label)
    return Phrases(labels, name=name)
