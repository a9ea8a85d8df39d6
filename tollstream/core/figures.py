"""Casualty figures in a sentence: who, how many, what happened to them.

A figure is a written number attached to victims ("20 miners", "194 others",
"57 lives", or a bare "194" before "were injured") together with a harm. The
harm comes from the words right after the victims ("were killed", "lost their
lives", "were among the dead") or right before the number ("killing",
"the deaths of", "the death toll rose to"). Numbers joined by commas and "and"
form one enumeration: a harm stated once applies to all its members ("31
civilians, 17 soldiers and 145 militants had died"), members of one group
are summed ("three women and three children"), and a qualifier before the
first member carries to a member whose verb is elided ("at least nine
killed and 13 injured"). Numbers that count no victims (attackers, vehicles,
seats, ages, subsets "10 of the injured", increments "two more") are not
figures.
"""

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from schemas.claim import Figure, Span
from tollstream.core.numbers import NumberMention, bounds, find_numbers
from tollstream.core.phrases import Suffixes, alternatives, word_trie
from tollstream.core.rules import load_rules

_VICTIMS = load_rules("victims")
_GRAMMAR = _VICTIMS["grammar"]
_KINDS: dict[str, dict[str, list[str]]] = _VICTIMS["kinds"]
_GROUP_OF: dict[str, str] = {
    " ".join(noun.lower().split()): group for group, nouns in _VICTIMS["groups"].items() for noun in nouns
}
_GROUPED_KINDS = frozenset(_VICTIMS["grouped_kinds"])
_PASSIVE_ONLY = frozenset(_GRAMMAR["passive_only"])
_ATTRIBUTION = load_rules("attribution")


def _alt(words: Iterable[str], name: str) -> str:
    return alternatives(words, name=name)


def _kinds_alt(part: str) -> str:
    """One named group per kind, so a match says which harm it found."""
    return "|".join(
        f"(?P<{kind}>{_alt(words[part], f'{kind}.{part}')})" for kind, words in _KINDS.items() if words[part]
    )


_I = re.IGNORECASE
_GROUP = _alt(_GROUP_OF, "groups")
_FILLER = _alt(_GRAMMAR["fillers"], "fillers")
_AUXILIARY = re.compile(rf"\b{_alt(_GRAMMAR['auxiliaries'], 'auxiliaries')}\b", _I)
_WORD = r"[A-Za-z][\w'.-]*"
_STOP = _alt(
    _GRAMMAR["auxiliaries"]
    + ["and", "or", "of", "in", "at", "on", "from", "who", "that", "which", "to", "with", "by"]
    + [w for kind in _KINDS.values() for w in kind["after"] + kind["nouns"]],
    "stop words",
)

# What follows the number: victims' noun after up to three modifiers ("23 Pakistan Army soldiers").
_HEAD = re.compile(rf"\s+(?:(?!{_STOP}\b){_WORD}\s+){{0,3}}?(?P<noun>{_GROUP})\b", _I)
_KIND_NOUN = re.compile(rf"\s+(?:{_kinds_alt('nouns')})\b", _I)
_LIVES_OF = re.compile(rf"\s+of\s+(?:{_WORD}\s+){{0,3}}?(?P<noun>{_GROUP})\b", _I)
_SUBSET_HEAD = _alt(_GRAMMAR["subset_heads"], "subset heads")
_OF_GROUP = re.compile(
    rf"\s+of\s+(?:{_SUBSET_HEAD}\s+)?(?:(?!{_STOP}\b){_WORD}\s+){{0,2}}?(?P<noun>{_GROUP})\b",
    _I,
)
_OF = re.compile(r"\s+of\b", _I)
_NEXT_WORD = re.compile(rf"\s+(?P<word>{_WORD})", _I)
_NOUN_PHRASE_WORDS = 2
_STOP_WORD = re.compile(rf"(?:{_STOP}|{_FILLER})$", _I)

# What happened to the victims, said after them.
_GAP = (
    r"(?:,\s*(?:including|among them)\s+[^,.;]{1,50},"
    r"|\s+(?:from|in|at|inside|near|of)\s+[^,.;\d]{1,50}?(?=\s)"
    rf"|\s*,?\s*(?:who|that)\s+[^,.;\d]{{1,50}}?(?=\s+(?:were|was|had|have|has)\b)"
    rf"|\s+(?:and|or)\s+(?:a|an)\s+(?:{_WORD}\s+){{0,2}}?(?:{_GROUP})\b)"
)
_AFTER = re.compile(rf"(?P<gap>{_GAP}{{0,2}})\s*,?\s*(?P<fill>(?:{_FILLER}\s+)*)(?:{_kinds_alt('after')})\b", _I)
_AMONG_LINK = _alt(_GRAMMAR["among_links"], "among links")
_AMONG_AFTER = re.compile(
    rf"\s+{_AMONG_LINK}\s+(?:the\s+)?(?:[\w,.-]+\s+){{0,3}}?(?:{_kinds_alt('among')})\b",
    _I,
)
# An active verb has an object after it: "20 gunmen killed five people".
_OBJECT = re.compile(
    r"\s+(?:the|a|an|another|other|others|his|her|their|its|them|him|at least|more than|over|nearly|some|about"
    rf"|dozens|scores|hundreds|several|many|\d|{_alt(load_rules('numbers')['words']['units'], 'units')})\b",
    _I,
)

# What happened to the victims, said before the number.
# Everything read right before a number, in one look-back: a harm ("killing"), an age ("aged"),
# an increment ("another") or a sub-count ("including").
_CUE_BEFORE = Suffixes(
    {form: kind for kind, words in _KINDS.items() for phrase in words["before"] for form in (phrase, f"{phrase} the")}
    | {phrase: "age" for phrase in _GRAMMAR["ages_before"]}
    | {phrase: "increment" for phrase in _GRAMMAR["increments_before"]}
    | {phrase: "partial" for phrase in _GRAMMAR["partial_before"]},
    name="cues before numbers",
)
# Cheap tests that a costlier look-back could match at all.
_COPULA = Suffixes({word: word for word in ("were", "was", "are", "is")})
_TOLL_LINK = Suffixes({link: link for link in _VICTIMS["tolls"]["links"]}, name="toll links")
_AMONG_BEFORE = re.compile(
    rf"\bamong\s+(?:the\s+)?(?:{_WORD}\s+)?(?:{_kinds_alt('among')})\s+(?:were|was|are|is)\s+$", _I
)
_TOLL = re.compile(
    "|".join(
        f"(?P<{kind}>{_alt(words, f'{kind} tolls')})" for kind, words in _VICTIMS["tolls"].items() if kind != "links"
    )
    + rf"\b[^.;!?]{{0,120}}?\b{_alt(_VICTIMS['tolls']['links'], 'toll links')}\s+$",
    _I,
)
_TOLL_WINDOW = 160
_BEFORE_WINDOW = 48

_INCREMENT_AFTER = re.compile(rf"\s+{_alt(_GRAMMAR['increments_after'], 'increments')}\b", _I)
# The second number of "between the ages of eight and 15".
_AGE_PAIR_BEFORE = re.compile(rf"\b{_alt(_GRAMMAR['ages_before'], 'ages')}\s+[\w-]+\s+(?:and|to|or)\s+$", _I)
_PAIR = Suffixes({word: word for word in ("and", "to", "or")})
_PARTIAL_AFTER = re.compile(rf"[^.;]{{0,60}}?\b{_alt(_GRAMMAR['partial'], 'partial cues')}\b", _I)
# Commas and conjunctions, a member without a numeral ("a police officer") or a place ("from one school").
_SEPARATOR = re.compile(
    rf"(?:\s*(?:,|;|and not|but not|and|or|as well as|plus|including)\s*"
    rf"|\s+(?:from|in|at)\s+[^,.;\d]{{1,50}}?(?=\s+and\b)"
    rf"|\s*(?:(?:a|an|the)\s+)?(?:{_WORD}\s+){{0,2}}?(?:{_GROUP})\b\s*)+",
    _I,
)
_MAX_SEPARATOR = 80
_AND_BEFORE = re.compile(r"\band\s+$", _I)
_ELLIPSIS = re.compile(r"\s+(?:from|in|at|inside|near)\b", _I)

_ROLE_OF: dict[str, tuple[str, str]] = {
    " ".join(phrase.lower().split()): (source["role"], source["authority"])
    for source in reversed(_ATTRIBUTION["sources"])
    for phrase in source["phrases"]
}
_SOURCE = re.compile(word_trie(_ROLE_OF, name="sources"))
_SPEECH = _alt(_ATTRIBUTION["speech"], "speech")
# "police said", "the chief minister said on Sunday that", "said the health minister", "according to officials"
_SPEECH_AFTER = re.compile(rf"(?:\s+{_WORD}){{0,5}}?,?\s+(?:{_SPEECH})\b", _I)
_SPEECH_BEFORE = re.compile(
    rf"\b(?:according\s+to|said|says|told|confirmed|reported|citing)\s+(?:the\s+|a\s+)?(?:{_WORD}\s+){{0,4}}$", _I
)
_SPEECH_WINDOW = 48


@dataclass(frozen=True, slots=True)
class Found:
    """A figure with what the schema does not carry: the number as written and its enumeration."""

    figure: Figure
    value: int
    enumeration: int


@dataclass(slots=True)
class _Item:
    number: NumberMention
    end: int
    noun_group: str | None
    kind: str | None = None
    passive: bool = False
    partial: bool = False
    skip: bool = False
    shared_noun: bool = False
    list_id: int = 0
    extra: list["_Item"] = field(default_factory=list)


def _kind_of(match: re.Match) -> str:
    return next(kind for kind in _KINDS if match.group(kind))


def _head(text: str, number: NumberMention, end: int) -> tuple[int, str | None, str | None]:
    """(end of the victims' phrase, group or 'bare' or None for a non-victim noun, kind named by the head)."""
    pos = number.end
    if match := _KIND_NOUN.match(text, pos, end):
        kind = _kind_of(match)
        if lives := _LIVES_OF.match(text, match.end(), end):
            return lives.end(), _GROUP_OF[" ".join(lives["noun"].lower().split())], kind
        return match.end(), "bare", kind
    if match := _HEAD.match(text, pos, end):
        return match.end(), _GROUP_OF[" ".join(match["noun"].lower().split())], None
    if match := _OF_GROUP.match(text, pos, end):
        return match.end(), _GROUP_OF[" ".join(match["noun"].lower().split())], None
    if _OF.match(text, pos, end):
        return pos, "subset", None
    word = _NEXT_WORD.match(text, pos, end)
    if word is None or _STOP_WORD.match(word["word"]):
        return pos, "bare", None
    # Not victims ("35 vehicles", "one tribal elder"): skip the noun phrase so its verb can be read.
    for _ in range(_NOUN_PHRASE_WORDS):
        if word is None or _STOP_WORD.match(word["word"]):
            break
        pos, word = word.end(), _NEXT_WORD.match(text, word.end(), end)
    return pos, None, None


def _harm_after(text: str, item: _Item, limit: int) -> None:
    if match := _AMONG_AFTER.match(text, item.end, limit):
        item.kind, item.partial = _kind_of(match), True
        return
    match = _AFTER.match(text, item.end, limit)
    if match is None:
        return
    passive = bool(_AUXILIARY.search(match["fill"]) or "who" in match["gap"].lower() or "that" in match["gap"].lower())
    phrase = " ".join(match.group(_kind_of(match)).lower().split())
    if not passive and (phrase in _PASSIVE_ONLY or _OBJECT.match(text, match.end(), limit)):
        return
    item.kind, item.passive = _kind_of(match), passive


def _harm_before(text: str, item: _Item, floor: int, cue: str | None) -> None:
    start = item.number.start
    if cue in _KINDS:
        item.kind = cue
    elif _COPULA.before(text, start, floor) and (
        match := _AMONG_BEFORE.search(text, max(floor, start - _BEFORE_WINDOW), start)
    ):
        item.kind, item.partial = _kind_of(match), True
    elif _TOLL_LINK.before(text, start, floor) and (
        match := _TOLL.search(text, max(floor, start - _TOLL_WINDOW), start)
    ):
        item.kind = _kind_of(match)


def _is_second_age(text: str, start: int, floor: int) -> bool:
    return bool(_PAIR.before(text, start, floor) and _AGE_PAIR_BEFORE.search(text, max(floor, start - 40), start))


def _items(text: str, start: int, end: int, numbers: list[NumberMention]) -> list[_Item]:
    items: list[_Item] = []
    floor = start
    for number in numbers:
        head_end, group, kind = _head(text, number, end)
        item = _Item(number, head_end, None if group == "subset" else group, kind)
        found = _CUE_BEFORE.before(text, number.start, floor)
        cue = found[0] if found else None
        # "10 of the injured" recounts part of a count; "two more" and "aged 15" are no counts.
        item.skip = (
            number.vague
            or group == "subset"
            or cue in ("age", "increment")
            or _INCREMENT_AFTER.match(text, number.end) is not None
            or _is_second_age(text, number.start, start)
        )
        item.partial = cue == "partial"
        # A non-victim member ("one tribal elder") may still carry the harm of its enumeration.
        if item.kind is None and (group is not None or (items and _joined(text, items[-1], number.start))):
            _harm_after(text, item, end)
        if item.kind is None and group is not None:
            _harm_before(text, item, floor, cue)
        # Only victims can be a sub-count; a non-victim noun stays one, so its partial flag is never read.
        if item.noun_group is not None and _PARTIAL_AFTER.match(text, item.end, end):
            item.partial = True
        items.append(item)
        floor = head_end
    return items


def _joined(text: str, prev: _Item, start: int) -> bool:
    """Whether only commas, conjunctions and numberless members separate two numbers."""
    between = text[prev.end : start]
    return len(between) <= _MAX_SEPARATOR and _SEPARATOR.fullmatch(between) is not None


def _link(text: str, items: list[_Item]) -> None:
    """Group items into enumerations and share harms, groups and qualifiers inside each."""
    list_id = 0
    for i, (prev, item) in enumerate(itertools.pairwise(items), start=1):
        between = text[prev.end : item.number.start]
        victims = [m for m in items[:i] if m.noun_group not in (None, "bare") and m.kind]
        if not item.skip and not prev.skip and _joined(text, prev, item.number.start):
            item.list_id = prev.list_id
        elif item.noun_group == "bare" and item.kind is None and victims and _ELLIPSIS.match(text, item.number.end):
            # "187 students went missing from one school and 125 from another": the verb is elided.
            model = victims[-1]
            item.noun_group, item.kind, item.shared_noun, item.list_id = (
                model.noun_group,
                model.kind,
                True,
                model.list_id,
            )
        else:
            list_id += 1
            item.list_id = list_id
        if item.partial and item.kind is None and item.noun_group is not None and victims:
            # "seven were martyred, including five students": a sub-count of the count before it.
            item.kind = victims[-1].kind
        elided = _AND_BEFORE.search(between) and prev.number.qualifier_text and not item.number.qualifier_text
        if elided and item.kind and not item.passive:
            # "at least nine killed and 13 injured": the elided verb carries the first qualifier.
            qualifier, low, best, high = bounds(item.number.value, prev.number.qualifier_text)
            item.number = replace(item.number, qualifier=qualifier, low=low, best=best, high=high)
    enumerations: dict[int, list[_Item]] = {}
    for item in items:
        enumerations.setdefault(item.list_id, []).append(item)
    for members in enumerations.values():
        _share(members)


def _share(members: list[_Item]) -> None:
    for i, item in enumerate(members):
        if item.kind is None:
            later = next((m.kind for m in members[i + 1 :] if m.kind), None)
            earlier = next((m.kind for m in reversed(members[:i]) if m.kind), None)
            item.kind = later or earlier
        if item.noun_group == "bare":
            # "only 137 and not 287 schoolchildren": the bare number shares the next noun.
            shared = next((m.noun_group for m in members[i + 1 :] if m.noun_group not in (None, "bare")), None)
            if shared:
                item.noun_group, item.shared_noun = shared, True


def _merge_groups(members: list[_Item]) -> list[_Item]:
    """Sum members of one enumeration that share harm and group: 'three women and three children' is 6."""
    merged: list[_Item] = []
    by_key: dict[tuple[str, str], _Item] = {}
    for item in members:
        key = (item.kind, item.noun_group)
        if item.noun_group in ("total", "bare") or item.shared_noun:
            merged.append(item)
        elif key not in by_key:
            by_key[key] = item
            merged.append(item)
        else:
            by_key[key].extra.append(item)
    return merged


def _figure(text: str, item: _Item, attribution: tuple[str, str] | None) -> Found | None:
    group = item.noun_group if item.noun_group != "bare" else "total"
    if item.kind not in _GROUPED_KINDS:
        if item.partial and group != "total":
            # "four policemen were among the injured" is no count of all the injured.
            return None
        group = "total"
    number = item.number
    value, low, best = number.value, number.low, number.best
    high, end = number.high, item.end
    for extra in item.extra:
        value, low, best, end = value + extra.number.value, low + extra.number.low, best + extra.number.best, extra.end
        high = None if high is None or extra.number.high is None else high + extra.number.high
    role, authority = attribution or (None, "unknown")
    figure = Figure(
        kind=item.kind,
        group=group,
        low=low,
        best=best,
        high=high,
        qualifier=number.qualifier,
        attribution=role,
        authority=authority,
        partial=item.partial,
        value=value,
        span=Span(start=number.start, end=end, text=text[number.start : end]),
    )
    return Found(figure, value, item.list_id)


def attribute(text: str, start: int, end: int, names: Sequence[tuple[int, int]] = ()) -> tuple[str, str] | None:
    """(role, authority) of the first source the sentence cites with a verb of saying, if any.

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


def find_figures(
    text: str,
    start: int = 0,
    end: int | None = None,
    numbers: list[NumberMention] | None = None,
    cite: Callable[[int, int], tuple[str, str] | None] | None = None,
) -> list[Found]:
    """Casualty figures in the sentence ``text[start:end]``; spans are offsets into ``text``.

    ``numbers`` are the sentence's numbers when the caller has already read them; ``cite``
    gives ``attribute(text, start, end)`` when the caller keeps those answers for reuse.
    """
    end = len(text) if end is None else end
    numbers = find_numbers(text, start, end) if numbers is None else numbers
    if not numbers:
        return []
    items = _items(text, start, end, numbers)
    if not items:
        return []
    _link(text, items)
    candidates = [i for i in items if not i.skip and i.kind is not None and i.noun_group is not None]
    if not candidates:
        return []
    enumerations: dict[int, list[_Item]] = {}
    for item in candidates:
        enumerations.setdefault(item.list_id, []).append(item)
    attribution = cite(start, end) if cite else attribute(text, start, end)
    found: list[Found] = []
    for members in enumerations.values():
        found.extend(f for item in _merge_groups(members) if (f := _figure(text, item, attribution)))
    return found
