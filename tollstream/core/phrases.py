"""Fast patterns for word lists.

A flat case-insensitive alternation of a hundred phrases tries every branch,
folding case, at every character of the text. The same phrases as a
case-sensitive trie of their usual spellings (as written, Capitalised and in
CAPITALS) fail at once where no phrase starts, which makes whole-article scans
several times cheaper.

A search still costs the regex engine a step at every character it passes.
``Vocabulary`` spares most of them: a case-insensitive pattern runs case-sensitively
over the text in lower case (``fold``), several times faster, and a stretch of text
that lacks the words every match needs is not searched at all.
"""

import re
from collections.abc import Iterable

from tollstream.core.rules import RuleError


def casings(phrase: str, *, written: bool = True, lower: bool = True, title: bool = False) -> set[str]:
    """The casings a report may print a phrase in: Capitalised and in CAPITALS, and as asked as
    written, in lower case and in Title Case. Every vocabulary's spellings come from here."""
    words = " ".join(phrase.split())
    forms = {words[:1].upper() + words[1:], words.upper()}
    if written:
        forms.add(words)
    if lower:
        forms.add(words.lower())
    if title:
        forms.add(words.title())
    return forms


# A trie of phrases by character: each key a next character, '' marking a phrase that ends here.
_Trie = dict[str, "_Trie"]


def _emit(node: _Trie) -> str:
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # An empty key marks a phrase ending here; longer phrases are tried first.
    return f"(?:{body})?" if "" in node else body


def _root(phrases: Iterable[str], name: str, as_written: bool) -> _Trie:
    root: _Trie = {}
    for phrase in phrases:
        for form in {" ".join(phrase.split())} if as_written else casings(phrase, title=True):
            node = root
            for ch in form:
                node = node.setdefault(ch, {})
            node[""] = {}
    if not root:
        raise RuleError(f"empty word list for {name}")
    return root


def trie(phrases: Iterable[str], *, name: str = "phrases", as_written: bool = False) -> str:
    """A case-sensitive regex matching any spelling of ``phrases``, longest first, as a prefix trie.

    ``as_written`` keeps each phrase's own spelling only, where case carries meaning:
    "March" is a month and "march" is not; "LeT" is a group and "let" is not.
    """
    return "(?:" + _emit(_root(phrases, name, as_written)) + ")"


def word_trie(phrases: Iterable[str], *, name: str = "phrases", as_written: bool = False) -> str:
    """``trie`` as whole words, between word boundaries.

    The look-ahead at the phrases' first characters is redundant for the match, but it
    turns away a word that starts no phrase with one table lookup, where the trie
    would try its first branches one by one.
    """
    root = _root(phrases, name, as_written)
    firsts = "".join(re.escape(ch) for ch in sorted(root) if ch)
    return rf"\b(?=[{firsts}])(?:{_emit(root)})\b"


def alternatives(words: Iterable[str], *, name: str = "words") -> str:
    """The lower-case phrases as a trie: faster than a flat alternation of them.

    Under IGNORECASE a flat alternation enters every branch at every position tried,
    while a trie follows only the branches that share the text's first letters. Both
    try the longest phrase first, so they match alike.
    """
    return trie({" ".join(word.lower().split()) for word in words if word.strip()}, name=name, as_written=True)


class Suffixes:
    """Phrases that may end right before a position ("at least ", "killing the "), each with a label.

    Looking back with ``str.endswith`` over a short window costs far less than a
    regex search anchored at the window's end, which tries every start position.
    Text is expected with single spaces between words, as cleaning leaves it.
    """

    def __init__(self, labels: dict[str, str], *, name: str = "phrases") -> None:
        phrases = {" ".join(phrase.lower().split()) + " ": label for phrase, label in labels.items()}
        if not phrases:
            raise RuleError(f"empty word list for {name}")
        self._label = phrases
        self._ordered = tuple(sorted(phrases, key=len, reverse=True))
        self._reach = len(self._ordered[0]) + 1

    def before(self, text: str, position: int, floor: int = 0) -> tuple[str, int] | None:
        """(label, start) of the longest phrase ending at ``position`` on a word boundary, if any."""
        begin = max(floor, position - self._reach)
        window = text[begin:position].lower()
        if not window.endswith(self._ordered):
            return None
        for phrase in self._ordered:
            start = len(window) - len(phrase)
            if start < 0 or not window.endswith(phrase):
                continue
            if (start > 0 and window[start - 1].isalnum()) or (start == 0 and begin > 0 and text[begin - 1].isalnum()):
                continue
            return self._label[phrase], begin + start
        return None


_ASCII = re.compile(r"[\x00-\x7f]+")
_LETTERS = re.compile(r"[a-z]+")
# Escapes (\S, \B) and named groups may be upper case; a literal upper-case letter would match nothing folded.
_ESCAPE = re.compile(r"\\.")


def fold(text: str) -> str | None:
    """``text`` in lower case, when a case-sensitive pattern of lower-case words finds in it just what
    the same pattern finds case-insensitively in ``text``; None when it might not.

    So it is for ASCII, and for any other character that has no lower case of its own and
    whose upper case is no ASCII letter (Arabic letters, "©", "é"); not for "É", or for the
    dotless "ı" and long "ſ" that case-insensitive matching takes for "i" and "s". Lower
    case then changes ASCII letters only, so offsets into the fold are offsets into ``text``.
    """
    if not text.isascii() and not all(_folds_alike(ch) for ch in set(_ASCII.sub("", text))):
        return None
    return text.lower()


def _folds_alike(ch: str) -> bool:
    return ch.lower() == ch and not ch.upper().isascii()


def keyword(phrase: str) -> str:
    """The longest run of letters in a phrase, lower-cased: a text that holds the phrase holds it."""
    return max(_LETTERS.findall(phrase.lower()), key=len, default="")


class Vocabulary:
    """A compiled pattern of vocabulary, and what lets a whole-text scan of it be skipped or run faster.

    ``needs`` are the words its matches need: every match holds, for each group of phrases,
    one of them ("since" and an incident word). Where the text lacks them there is no
    match, and substring tests on its fold tell so far cheaper than a search. A
    case-insensitive pattern is also compiled case-sensitively for the fold; its source
    must then hold no upper-case letter but in an escape.
    """

    def __init__(self, source: str, flags: int = 0, *, needs: Iterable[Iterable[str]] = ()) -> None:
        self.pattern = re.compile(source, flags)
        self._folded: re.Pattern[str] | None = None
        if flags & re.IGNORECASE:
            literal = _ESCAPE.sub("", source).replace("(?P", "(?")
            if literal != literal.lower() or "(?-" in literal:
                raise RuleError(f"a case-insensitive vocabulary pattern that tells case apart: {source[:60]}")
            self._folded = re.compile(source, flags & ~re.IGNORECASE)
        self._needs = tuple(frozenset(keyword(phrase) for phrase in group) for group in needs)
        if any("" in group or not group for group in self._needs):
            raise RuleError(f"a vocabulary pattern needs a phrase without letters: {source[:60]}")

    def hints(self, folded: str) -> list[int] | None:
        """Where in the folded text a match may lie: wherever a word of its sparest need occurs.

        None when the pattern names no needs, and a match may lie anywhere.
        """
        if not self._needs:
            return None
        found = []
        for word in min(self._needs, key=len):
            at = folded.find(word)
            while at >= 0:
                found.append(at)
                at = folded.find(word, at + 1)
        return found

    def search(self, text: str, folded: str | None, start: int, end: int) -> re.Match[str] | None:
        """``pattern.search(text, start, end)``, from the fold where that is cheaper.

        Positions are the text's; read any matched text from ``text``, not from the match.
        """
        if folded is None or self._folded is None:
            return self.pattern.search(text, start, end)
        return self._folded.search(folded, start, end)
