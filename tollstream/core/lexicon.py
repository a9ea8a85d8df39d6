"""Word-level reading of a sentence: tokens, and phrase tables looked up by token position.

The figure reader works on tokens, not characters: a sentence becomes words,
punctuation marks and whole number mentions ("at least 23", "three-hundred and
seventeen", "20 to 25"), each with its offsets into the text. Vocabulary is
looked up with ``Phrases``, a table of word sequences keyed by their first word,
so finding every phrase that starts (or ends) at a token costs a few dictionary
lookups whatever the size of the table, and reading a sentence stays linear in
its length. A sentence's tokens (``Tokens``) carry their words as one list, so a
phrase of several words is compared as one slice rather than word by word.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Self

from tollstream.core.numbers import NumberMention
from tollstream.core.rules import RuleError

# Dotted initials are one word ("U.S.", "D.I."); other words keep inner apostrophes, dots and
# hyphens ("Kabul's", "sub-inspector").
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:['.\-][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")


# Not frozen: a sentence makes hundreds, and a frozen dataclass takes twice as long to make; none is changed.
@dataclass(slots=True)
class Token:
    """A word, a punctuation mark, or a whole number mention (``number`` set; ``word`` its lower-cased text)."""

    start: int
    end: int
    word: str
    number: NumberMention | None = None

    @property
    def is_word(self) -> bool:
        return self.number is None and self.word[:1].isalnum()


class Tokens(tuple[Token, ...]):
    """A sentence's tokens, their words in one list for phrase tables to compare by slices,
    and the phrases found in it, per table (``Phrases.hits``)."""

    words: list[str]
    hits: dict["Phrases", dict[int, tuple[int, str]]]

    def __new__(cls, tokens: Iterable[Token]) -> Self:
        self = super().__new__(cls, tokens)
        self.words = [token.word for token in self]
        self.hits = {}
        return self


def tokenize(text: str, start: int, end: int, numbers: list[NumberMention], folded: str | None = None) -> Tokens:
    """Tokens of ``text[start:end]``; each number mention is one token covering its span.

    ``folded`` is the text's lower case when it folds (``phrases.fold``): words are read
    from it as they are, rather than lower-cased one by one.
    """
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
        if folded is None:
            tokens += [Token(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text, position, limit)]
        else:
            tokens += [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded, position, limit)]
        position = limit
    return Tokens(tokens)


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().replace(",", " , ").split())


class Phrases:
    """Word sequences with a label each; longest phrase first at a position."""

    def __init__(self, labels: Mapping[str, str] | Iterable[str], *, name: str) -> None:
        table = labels if isinstance(labels, Mapping) else {phrase: phrase for phrase in labels}
        # First word -> (the other words, length, label); last word -> (the words before it, length, label).
        self._by_first: dict[str, list[tuple[list[str], int, str]]] = {}
        self._by_last: dict[str, list[tuple[list[str], int, str]]] = {}
        for phrase, label in table.items():
            words = _words(phrase)
            if not words:
                raise RuleError(f"empty phrase in {name}")
            self._by_first.setdefault(words[0], []).append((list(words[1:]), len(words), label))
            self._by_last.setdefault(words[-1], []).append((list(words[:-1]), len(words), label))
        if not self._by_first:
            raise RuleError(f"empty word list for {name}")
        for entries in (*self._by_first.values(), *self._by_last.values()):
            entries.sort(key=lambda entry: -entry[1])

    def at(self, tokens: Tokens, i: int) -> tuple[int, str] | None:
        """(number of tokens, label) of the longest phrase starting at token ``i``."""
        words = tokens.words
        if not 0 <= i < len(words) or (entries := self._by_first.get(words[i])) is None:
            return None
        for rest, n, label in entries:
            if words[i + 1 : i + n] == rest:
                return n, label
        return None

    def hits(self, tokens: Tokens) -> dict[int, tuple[int, str]]:
        """Token index -> (number of tokens, label) of the longest phrase at each token where one starts.

        Found once per sentence and table; a word that starts no phrase costs one dictionary lookup.
        """
        found = tokens.hits.get(self)
        if found is None:
            first = self._by_first
            found = {i: match for i, word in enumerate(tokens.words) if word in first and (match := self.at(tokens, i))}
            tokens.hits[self] = found
        return found

    def ending(self, tokens: Tokens, i: int, floor: int = 0) -> tuple[int, str] | None:
        """(first token, label) of the longest phrase ending at token ``i`` and starting at or after ``floor``."""
        words = tokens.words
        if i < floor or i >= len(words) or (entries := self._by_last.get(words[i])) is None:
            return None
        for head, n, label in entries:
            first = i - n + 1
            if first >= floor and words[first:i] == head:
                return first, label
        return None

    def __or__(self, other: "Phrases") -> "Phrases":
        """Every phrase of both tables; where both hold one, this table's label."""
        merged = Phrases.__new__(Phrases)
        merged._by_first = _merged(self._by_first, other._by_first)
        merged._by_last = _merged(self._by_last, other._by_last)
        return merged


def _merged(
    mine: dict[str, list[tuple[list[str], int, str]]], theirs: dict[str, list[tuple[list[str], int, str]]]
) -> dict[str, list[tuple[list[str], int, str]]]:
    # A stable sort keeps ``mine`` first among phrases of one length.
    return {
        word: sorted([*mine.get(word, ()), *theirs.get(word, ())], key=lambda entry: -entry[1])
        for word in mine.keys() | theirs.keys()
    }


def phrases_by_label(table: Mapping[str, Iterable[str]], *, name: str) -> Phrases:
    """Phrases from a table of label -> phrases ("killed" -> ["died", "lost their lives"])."""
    labels: dict[str, str] = {}
    for label, phrases in table.items():
        for phrase in phrases:
            labels.setdefault(" ".join(phrase.lower().split()), label)
    return Phrases(labels, name=name)
