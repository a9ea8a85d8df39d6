"""Written numbers and the qualifiers that bound them.

"more than 60" is a number 60 as written whose true count is at least 61;
"nearly 100" is at most 100. ``find_numbers`` returns each written number
with its qualifier and the bounds the wording allows, so figures can keep the
number as written (what reports repeat and gold annotates) apart from the
count to publish.
"""

import re
from dataclasses import dataclass

from tollstream.core.phrases import Suffixes, alternatives, trie
from tollstream.core.rules import load_rules

_RULES = load_rules("numbers")
_UNITS: dict[str, int] = _RULES["words"]["units"]
_TENS: dict[str, int] = _RULES["words"]["tens"]
_DOZENS: dict[str, int] = _RULES["words"]["dozen"]
_VAGUE: dict[str, int] = _RULES["words"]["vague"]
_QUALIFIER_OF: dict[str, str] = {
    " ".join(phrase.lower().split()): qualifier
    for qualifier, phrases in _RULES["qualifiers"].items()
    for phrase in phrases
}
_BELOW = frozenset(_RULES["bounds"]["below"])
_ABOUT_PERCENT: int = _RULES["bounds"]["about_percent"]

_UNIT = alternatives(_UNITS, name="units")
_TEN = alternatives(_TENS, name="tens")
_WORD = rf"(?:{_TEN}(?:[-\s]+{_UNIT}\b)?|{_UNIT})"
_HUNDREDS = rf"(?:{_WORD}|a)[\s-]+hundred(?:\s+(?:and\s+)?{_WORD})?"
_DOZEN = rf"(?:{_UNIT}\s+dozen|{alternatives(_DOZENS, name='dozen')})"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
# Words end at a word boundary but not before a hyphenated noun ("five-year-old").
_AFTER_WORD = r"(?![\w]|-[a-z])"
_AFTER_DIGITS = r"(?![\w]|[.:,/]\d|-[a-z])"
_CORE = (
    rf"(?:(?P<dozen>{_DOZEN}){_AFTER_WORD}"
    rf"|(?P<hundreds>{_HUNDREDS}){_AFTER_WORD}"
    rf"|(?P<word>{_WORD}){_AFTER_WORD}"
    rf"|(?P<digits>{_DIGITS}){_AFTER_DIGITS}"
    rf"|(?P<vague>{alternatives(_VAGUE, name='vague')})\b)"
)
# No number inside a token ("COP27", "A-10", "$5", "12.30") and no "no one".
_BEFORE = r"(?<![\w.,:/$£€#])(?<!\w-)(?<!no )"
_NUMBER_AT = re.compile(rf"{_BEFORE}\b{_CORE}", re.IGNORECASE)
_QUALIFIER_BEFORE = Suffixes({phrase: phrase for phrase in _QUALIFIER_OF}, name="qualifiers")


_LEADING_WORDS = [*_UNITS, *_TENS, *_VAGUE, "half"]
_FIRST_LETTERS = "".join(sorted({c for w in [*_LEADING_WORDS, "a"] for c in (w[0], w[0].upper())}))
# Where a number may start: a digit, a number word, or "a" before "dozen"/"hundred".
_LEADING = trie(_LEADING_WORDS, name="number words")
_CANDIDATE = re.compile(
    rf"(?=[0-9{_FIRST_LETTERS}])(?:\d+(?:,\d{{3}})*|\b(?:{_LEADING}|[Aa](?=\s+(?:dozen|hundred)\b))\b)"
)
_RANGE_TAIL = re.compile(rf"\s*(?P<joiner>-|to|or|and)\s*{_CORE}", re.IGNORECASE)
_BETWEEN = Suffixes({"between": "between"})
_FROM = Suffixes({"from": "from"})


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A written number: ``value`` as written, bounds as the qualifier allows."""

    start: int
    end: int
    text: str
    value: int
    low: int
    best: int
    high: int | None
    qualifier: str
    vague: bool = False
    qualifier_text: str = ""
    implicit: bool = False  # no number written: "a policeman", "the victim" count one


def word_value(words: str) -> int:
    """The value of a number written in words: 'twenty-three', 'two hundred and five', 'half a dozen'."""
    key = " ".join(words.lower().replace("-", " ").split())
    if key in _DOZENS:
        return _DOZENS[key]
    if key.endswith(" dozen"):
        return word_value(key.removesuffix(" dozen")) * 12
    if " hundred" in key:
        head, _, tail = key.partition(" hundred")
        tail = tail.removeprefix(" and").strip()
        return (1 if head == "a" else word_value(head)) * 100 + (word_value(tail) if tail else 0)
    return sum(_TENS.get(token, 0) + _UNITS.get(token, 0) for token in key.split())


def _core_value(match: re.Match[str]) -> tuple[int, bool]:
    if match["digits"]:
        return int(match["digits"].replace(",", "")), False
    if match["vague"]:
        return _VAGUE[match["vague"].lower()], True
    return word_value(match["dozen"] or match["hundreds"] or match["word"]), False


def bounds(value: int, qualifier_phrase: str | None) -> tuple[str, int, int, int | None]:
    """(qualifier, low, best, high) for a number written with an optional qualifier phrase."""
    phrase = " ".join(qualifier_phrase.lower().split()) if qualifier_phrase else ""
    qualifier = _QUALIFIER_OF.get(phrase, "exact")
    if qualifier == "at_least":
        return qualifier, value, value, None
    if qualifier == "more_than":
        return qualifier, value + 1, value + 1, None
    if qualifier == "about":
        margin_down = value * _ABOUT_PERCENT // 100
        margin_up = -(-value * _ABOUT_PERCENT // 100)
        return qualifier, value - margin_down, value, value if phrase in _BELOW else value + margin_up
    if qualifier == "up_to":
        return qualifier, 0, value, value
    return "exact", value, value, value


def _mention(text: str, match: re.Match[str], qualifier_phrase: str | None, start: int) -> NumberMention:
    value, vague = _core_value(match)
    tail = _RANGE_TAIL.match(text, match.end())
    if tail and not vague and not tail["vague"]:
        second, _ = _core_value(tail)
        between = _BETWEEN.before(text, match.start())
        # "from 9 to 15" is a revision, not a range; "15 and 16 October" needs "between".
        is_range = second > value and not _FROM.before(text, match.start())
        is_range = is_range and (tail["joiner"].lower() != "and" or between is not None)
        if is_range:
            start = between[1] if between and not qualifier_phrase else start
            return NumberMention(start, tail.end(), text[start : tail.end()], value, value, value, second, "range")
    qualifier, low, best, high = bounds(value, qualifier_phrase)
    if vague:
        qualifier = "about"
    return NumberMention(
        start, match.end(), text[start : match.end()], value, low, best, high, qualifier, vague, qualifier_phrase or ""
    )


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Every written number in ``text[start:end]``, left to right, with its qualifier and bounds.

    Offsets refer to ``text``.
    """
    end = len(text) if end is None else end
    mentions: list[NumberMention] = []
    for candidate in _CANDIDATE.finditer(text, start, end):
        position = candidate.start()
        # A number already read covers this one ("twenty three", the end of a range).
        if mentions and position < mentions[-1].end:
            continue
        match = _NUMBER_AT.match(text, position, end)
        if match is None:
            continue
        qualifier = _QUALIFIER_BEFORE.before(text, position, start)
        phrase, first = qualifier if qualifier else (None, position)
        mentions.append(_mention(text, match, text[first:position].strip() if phrase else None, first))
    return mentions
