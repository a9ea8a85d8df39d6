"""Casualty figures in a sentence: how many, who, what happened to them, and how firm the count is.

A figure is a written number heading a noun phrase of victims ("20 coal miners",
"194 others", "32 civilian lives", a bare "194" before "were injured") together
with a harm. The sentence is read as tokens (``tollstream.core.lexicon``); for each
number the reader takes, in order:

1. the noun phrase after it: its head names the group ("soldiers": security); a
   harm noun inside it names the kind ("85 dead", "12 slain soldiers"); an
   unlisted head counts people only if a harm follows ("60 Afghans were killed");
   a non-victim head ("35 vehicles"), a subset ("10 of them"), an age or an
   increment ("two more") counts nobody;
2. the harm after the phrase, past a relative clause, an appositive or a place
   ("six militants who stormed the post were killed"), unless the verb is active
   with an object of its own ("20 gunmen killed five herders": the gunmen are
   the agents);
3. else the harm before the number ("killing 50 people", "the deaths of 23") or
   the toll it completes ("the death toll rose to 62", "the number of pupils
   killed has risen to nine");
4. enumerations: numbers joined by commas and "and" share one harm and a
   qualifier ("at least nine killed and 13 injured"), members of one group are
   summed ("three women and three children"), and a member told after the verb
   joins the first ("Eleven insurgents were killed, alongside three soldiers").

Each figure also says how firm it is: ``partial`` for a sub-count ("including
two women", "among the dead", "on Saturday alone"), and ``standing`` for an
earlier figure the report recalls ("rose from 55 to 68"), a feared or possible
one ("are feared dead") or an unofficial one.
"""

import itertools
import re
from dataclasses import dataclass, field, replace

from schemas.claim import Figure, Span, Standing
from tollstream.core.lexicon import Phrases, Token, Tokens, phrases_by_label, tokenize
from tollstream.core.numbers import NumberMention, bounds, find_numbers
from tollstream.core.rules import load_rules

_V = load_rules("victims")
_G = _V["grammar"]
_KINDS: dict[str, dict[str, list[str]]] = _V["kinds"]
_GROUPED_KINDS = frozenset(_V["grouped_kinds"])

_GROUPS = phrases_by_label(
    {**_V["groups"], "civilians": _V["groups"]["civilians"] + _V["demonyms"]}, name="victim groups"
)
_MIXED = Phrases(_V["mixed"], name="mixed groups")
_MODIFIERS = phrases_by_label(_V["group_modifiers"], name="group modifiers")
_NON_VICTIMS = frozenset(_V["non_victims"])
_PASSIVE = phrases_by_label({k: v["passive"] for k, v in _KINDS.items() if v["passive"]}, name="harms after")
_ACTIVE = phrases_by_label({k: v["active"] for k, v in _KINDS.items() if v["active"]}, name="harms before")
_NOMINAL = phrases_by_label({k: v["nominal"] for k, v in _KINDS.items() if v["nominal"]}, name="harm nouns")
_WEAK = frozenset(w for v in _KINDS.values() for w in v["weak_nominal"])
_PEOPLE_NOMINALS = frozenset(_V["people_nominals"])
_AMONG = phrases_by_label({k: v["among"] for k, v in _KINDS.items() if v["among"]}, name="among")
_TRANSITIVE = frozenset(" ".join(p.split()) for v in _KINDS.values() for p in v["active"])
_COMPLEMENTS = frozenset(_KINDS["abducted"]["complements"])
_RELEASED_AFTER = Phrases(_V["released"]["passive"], name="released after")
_RELEASED_BEFORE = Phrases(_V["released"]["active"], name="released before")
_TOLLS = phrases_by_label({kind: _V["tolls"][kind] for kind in _KINDS if kind in _V["tolls"]}, name="tolls")
_LINKS = Phrases(_V["tolls"]["links"], name="toll links")
_LINK_QUALIFIER: dict[str, str] = _V["tolls"]["link_qualifiers"]
_FILLERS = Phrases(_G["fillers"], name="fillers")
_AUXILIARIES = frozenset(_G["auxiliaries"])
_STOPS = frozenset(_G["stops"])
_RELATIVES = frozenset(_G["relatives"])
_AMONG_LINKS = Phrases(_G["among_links"], name="among links")
_SUBSET_HEADS = frozenset(_G["subset_heads"])
_INCREMENTS_BEFORE = Phrases(_G["increments_before"], name="increments")
_INCREMENTS_AFTER = frozenset(_G["increments_after"])
_AGES = Phrases(_G["ages_before"], name="ages")
_PARTIAL_AFTER = Phrases(_G["partial_after"], name="partial cues")
_PARTIAL_BEFORE = Phrases(_G["partial_before"], name="sub-count cues")
_JOINERS = Phrases(_G["joiners"], name="joiners")
_AFTER_HARM = Phrases(_G["after_harm_joiners"], name="joiners after a harm")
_EXCLUSIONS = Phrases(_G["exclusions"], name="exclusions")
_S = _V["standing"]
_EARLIER_RIGHT_BEFORE = Phrases(_S["earlier_right_before"], name="earlier, right before")
_EARLIER_NEAR = Phrases(_S["earlier_near"], name="earlier, near")
_EARLIER_AFTER = Phrases(_S["earlier_after"], name="earlier, after")
_FEARED = Phrases(_S["feared"], name="feared")
_HYPOTHETICAL = Phrases(_S["hypothetical"], name="hypothetical")
_UNOFFICIAL = Phrases(_S["unofficial"], name="unofficial")
_NON_CASUALTY = Phrases(_V["non_casualty"]["after"], name="non-casualty predicates")
_RECOVERED_BEFORE = Phrases(_V["non_casualty"]["recovered_before"], name="recovery verbs")
_COMBINED = Phrases(_V["non_casualty"]["combined"], name="combined harms")
_COUNT_NOUNS = frozenset(_V["tolls"]["count_nouns"])

_NOUN_PHRASE_WORDS = 5
_GAP_WORDS = 8
_TOLL_REACH = 24
_MEMBER_WORDS = 4
_NEAR = 6
_RELATIVE_WORDS = 16
_AGE_UNITS = frozenset(_G["age_units"])
_SINGULAR_DETERMINERS = frozenset(_G["singular_determiners"])
_DEFINITE = frozenset(_G["definite_victims"])
_SINGULARS = frozenset(_V["singulars"])
_HARM_HEADS = frozenset(_V["harm_heads"])
_AGED_PERSON = re.compile(r"\d{1,3}-(?:year|month|yr)s?-olds?")
_CLAUSE_BREAKS = frozenset(_G["clause_breaks"])
_FATALLY = Phrases(_G["fatally"], name="fatally")
_DIED_AFTER = Phrases(_G["died_after"], name="died after harm")
_COUNTED_WORDS = 7
# Every verb phrase that ends a noun phrase, in one table: one lookup instead of one per table.
_PREDICATES = _PASSIVE | _ACTIVE | _AMONG_LINKS | _NON_CASUALTY | _RELEASED_AFTER | _FILLERS


@dataclass(frozen=True, slots=True)
class Found:
    """A figure with what the schema does not carry: the number as written, its enumeration, an increment."""

    figure: Figure
    value: int
    enumeration: int
    increment: bool = False


@dataclass(slots=True)
class _Item:
    index: int  # token index of the number
    number: NumberMention
    end: int = 0  # token index after its noun phrase
    group: str | None = None  # civilians / security / militants / total; None: no victims
    known: bool = False  # the noun phrase names people (or is bare)
    bare: bool = False
    kind: str | None = None
    harm_end: int = 0
    passive: bool = False
    partial: bool = False
    skip: bool = False
    silent: bool = False  # shares its enumeration's harm but is no count ("one village elder")
    increment: bool = False
    shared_noun: bool = False
    standing: Standing = "current"
    released: bool = False
    nominal_head: bool = False  # its kind comes from a head noun of people ("14 hostages"): a verb may override
    shot: bool = False  # its harm was "shot": the killed among them may be told apart
    of_shot: bool = False  # "one of them fatally": the killed among those just counted as shot
    list_id: int = 0
    extra: list["_Item"] = field(default_factory=list)


def _word(tokens: Tokens, i: int) -> str:
    return tokens[i].word if 0 <= i < len(tokens) else ""


def _noun_phrase(tokens: Tokens, item: _Item) -> None:
    """Read the noun phrase after the number: its end, group and any harm noun in it."""
    i = item.index + 1
    if _word(tokens, i) == "of" and _word(tokens, i + 1) in _SUBSET_HEADS:
        _subset(tokens, item, i + 1)
        return
    modifier: str | None = None
    head: str | None = None
    unknown: str | None = None  # the last word of an unlisted head
    words = 0
    while _word(tokens, i) in ('"', "'"):
        i += 1  # a quoted number: "'60 to 80' people"
    while i < len(tokens) and words < _NOUN_PHRASE_WORDS:
        token = tokens[i]
        if token.number is not None and _age(tokens, i):
            i += 3  # "a 14 year old boy": the age modifies the person
            if _GROUPS.at(tokens, i) is None:
                head = "total"  # "a 17 year old was wounded": a person, of no group said
                break
            continue
        if not token.is_word and token.word != "(":
            break
        if nominal := _NOMINAL.at(tokens, i):
            length, kind = nominal
            weak = _phrase_words(tokens, i, length) in _WEAK
            recovered = _non_casualty_follows(tokens, i + length) or _RECOVERED_BEFORE.ending(tokens, item.index - 1)
            if not (weak and recovered):
                item.kind = kind
                item.nominal_head = _phrase_words(tokens, i, length) in _PEOPLE_NOMINALS
            i += length
            # "12 slain soldiers", "37 dead bodies": the harm modifies a head that may follow.
            if group := _GROUPS.at(tokens, i):
                head, i = group[1], i + group[0]
            break
        if group := _GROUPS.at(tokens, i):
            head, i = group[1], i + group[0]
            # "two police constables", "Pakistan Army soldiers", "Frontier Constabulary (FC) personnel":
            # the last noun is the head.
            while True:
                j = _past_abbreviation(tokens, i)
                # "at least 32 civilian lives", "three police deaths": a harm noun after the group names the harm.
                if (nominal := _NOMINAL.at(tokens, j)) and _phrase_words(tokens, j, nominal[0]) in _HARM_HEADS:
                    item.kind, i = nominal[1], j + nominal[0]
                    break
                if (more := _GROUPS.at(tokens, j)) is None:
                    break
                head, i = more[1], j + more[0]
            break
        if token.word == "(":
            # "Six Levies (BL) personnel": an abbreviation inside the noun phrase.
            if (past := _past_abbreviation(tokens, i)) == i:
                break
            i = past
            continue
        if token.word in _NON_VICTIMS:
            item.end, item.skip = i + 1, True
            return
        if token.word in _STOPS or token.word in _AUXILIARIES or _predicate_at(tokens, i):
            break
        if mod := _MODIFIERS.at(tokens, i):
            modifier = mod[1]
            i += mod[0]
        elif _AGED_PERSON.fullmatch(token.word) and _GROUPS.at(tokens, i + 1) is None:
            head, i = "total", i + 1  # "a 17-year-old": a person, of no group said
            break
        else:
            unknown = token.word
            i += 1
        words += 1
    # "12 members of the security forces", "10 lives of working police officials",
    # "32 members from the civilian population".
    if head is None and _word(tokens, i) in ("of", "from") and (unknown or item.kind):
        for j in range(i + 1, min(len(tokens), i + 5)):
            if not tokens[j].is_word or tokens[j].word in _AUXILIARIES or _predicate_at(tokens, j):
                break
            if group := _GROUPS.at(tokens, j):
                head, i = group[1], j + group[0]
                break
            if mod := _MODIFIERS.at(tokens, j):
                modifier, i = mod[1], j + mod[0] + 1
                break
    item.end = i
    item.bare = i == item.index + 1
    item.group = head or (modifier if (unknown or item.kind or item.bare) and modifier else None)
    if item.group is None and (item.kind or item.bare):
        item.group = "total"
    item.known = item.group is not None
    if item.group == "civilians" and _MIXED.at(tokens, i + (_word(tokens, i) == ",")):
        item.group = "total"  # "900 Israelis, most of them civilians"
    # An unlisted plural head ("60 Afghans", "five employees") counts people only if a harm applies to it;
    # a singular one ("one village elder") is no count at all.
    if item.group is None and unknown:
        if unknown.endswith("s") and not unknown.endswith("ss") and item.number.value != 1:
            item.group = "total"
        else:
            item.silent = True


def _phrase_words(tokens: Tokens, i: int, length: int) -> str:
    """The words of a phrase of ``length`` tokens at ``i``, as the rule lists write it."""
    return " ".join(t.word for t in tokens[i : i + length])


def _past_abbreviation(tokens: Tokens, i: int) -> int:
    """The token after a parenthesised abbreviation at ``i`` ("(FC)"), else ``i``."""
    if _word(tokens, i) != "(":
        return i
    close = next((k for k in range(i + 1, min(len(tokens), i + 5)) if tokens[k].word == ")"), None)
    return i if close is None else close + 1


def _predicate_at(tokens: Tokens, i: int) -> bool:
    """Whether a verb phrase of the reader's vocabulary starts at token ``i``: the noun phrase ends before it."""
    return _PREDICATES.at(tokens, i) is not None


def _subset(tokens: Tokens, item: _Item, i: int) -> None:
    """'10 of the injured', 'five of them': a part of a count already given.

    It counts nobody, unless what follows names its group ("Ten of those killed were
    Marines", "18 of the 26 dead were soldiers"): then it is that group's count.
    """
    item.skip = True
    j = i + 1
    if _word(tokens, i) in ("them", "whom") and _FATALLY.at(tokens, j):
        # "Ten people were shot, one of them fatally": the killed among those shot.
        item.skip, item.kind, item.group, item.known, item.of_shot = False, "killed", "total", True, True
        item.end = item.harm_end = j + _FATALLY.at(tokens, j)[0]  # type: ignore[index]
        return
    if tokens[j : j + 1] and tokens[j].number is not None:
        j += 1  # "of the 26 killed"
    kind = None
    if nominal := _NOMINAL.at(tokens, j):
        kind, j = nominal[1], j + nominal[0]
    elif among := _AMONG.at(tokens, j):
        kind, j = among[1], j + among[0]
    item.end = j
    if kind is None:
        return
    # "... and several wounded were US Marines": skip to the copula, then read its complement.
    for k in range(j, min(len(tokens), j + _GAP_WORDS)):
        if tokens[k].word in ("were", "was", "are", "is"):
            m = k + 1
            while m < len(tokens) and m < k + 4 and tokens[m].is_word and not _GROUPS.at(tokens, m):
                m += 1
            if group := _GROUPS.at(tokens, m):
                item.skip, item.kind, item.group, item.known, item.partial = False, kind, group[1], True, True
                item.harm_end = m + group[0]
            return
        if tokens[k].number is not None or tokens[k].word in (".", ";"):
            return


def _non_casualty_follows(tokens: Tokens, i: int) -> bool:
    """Whether a predicate of no harm ('were handed over', 'were rescued') follows, past auxiliaries."""
    j = i
    while j < len(tokens) and j < i + 4 and (tokens[j].word in _AUXILIARIES or _FILLERS.at(tokens, j)):
        j += (_FILLERS.at(tokens, j) or (1, ""))[0]
    return _NON_CASUALTY.at(tokens, j) is not None


def _skip_gap(tokens: Tokens, item: _Item, limit: int) -> int:
    """Past what may stand between victims and their harm: an appositive, a relative clause, a place."""
    i = item.end
    for _ in range(3):
        word = _word(tokens, i)
        if word in (",", "(", "-") and i + 1 < limit:
            close = {",": ",", "(": ")", "-": "-"}[word]
            j = next((k for k in range(i + 1, min(limit, i + 14)) if tokens[k].word == close), None)
            inner = tokens[i + 1 : j] if j is not None else []
            # ", including four pupils,", "- a sub-inspector and two constables -", "(BL)", ", 23,"
            if j is not None and not any(t.word in _AUXILIARIES for t in inner):
                i = j + 1
                continue
            if word == "," and _word(tokens, i + 1) in _RELATIVES:
                i += 1
                word = _word(tokens, i)
            else:
                return i
        if word in _RELATIVES:
            window = range(i + 1, min(limit, i + _RELATIVE_WORDS))
            j = next((k for k in window if tokens[k].word in _AUXILIARIES), None)
            if j is None:
                return i
            # "who were killed", "who stormed the post were killed", "who had been guarding a post,
            # were killed": the first auxiliary that a harm follows, else the first one.
            harmed = (
                k
                for k in range(j, window.stop)
                if tokens[k].word in _AUXILIARIES
                and any(_PASSIVE.at(tokens, m) for m in range(k + 1, min(limit, k + 4)))
            )
            return next(harmed, j)
        if word in ("from", "in", "at", "inside", "near", "of", "on", "outside", "across", "aboard", "within"):
            j = i + 1
            while j < limit and j < i + _GAP_WORDS and tokens[j].is_word and tokens[j].word not in _AUXILIARIES:
                if _PASSIVE.at(tokens, j):
                    break
                j += 1
            if j < limit and (tokens[j].word in _AUXILIARIES or _PASSIVE.at(tokens, j)):
                i = j
                continue
            return i
        if word == "and" and _word(tokens, i + 1) in ("a", "an", "one"):
            j = i + 2
            while j < limit and j < i + 2 + _MEMBER_WORDS and not _GROUPS.at(tokens, j):
                j += 1
            if (group := _GROUPS.at(tokens, j)) is not None:
                i = j + group[0]
                continue
        return i
    return i


def _harm_after(tokens: Tokens, item: _Item, limit: int) -> None:
    if item.bare and _word(tokens, item.index - 1) == "," and (fatally := _FATALLY.at(tokens, item.end)):
        item.kind, item.of_shot, item.harm_end = "killed", True, item.end + fatally[0]
        return
    i = _skip_gap(tokens, item, limit)
    if _word(tokens, i) == ",":
        i += 1  # "14 soldiers and 30 rebels, were killed"
    if _word(tokens, i) in _COMPLEMENTS:
        item.kind, item.harm_end = "abducted", i + 1
        return
    passive = False
    while i < limit:
        if tokens[i].word in _AUXILIARIES:
            passive, i = True, i + 1
        elif filler := _FILLERS.at(tokens, i):
            i += filler[0]
        elif tokens[i].word in ("not", "never"):
            return  # "were not hurt"
        else:
            break
    if i < limit and _COMBINED.at(tokens, i):
        item.skip = True  # "100 people were killed and injured" counts no one category
        return
    if i < limit and _NON_CASUALTY.at(tokens, i):
        # "35 hostages were rescued", "five victims were handed over"; but the harm inside
        # the noun phrase stands: "12 slain soldiers were buried".
        item.skip = item.kind is None or item.nominal_head
        return
    if i >= limit:
        return
    if released := _RELEASED_AFTER.at(tokens, i):
        if item.known:
            item.kind, item.released, item.harm_end = "abducted", True, i + released[0]
        return
    if link := _AMONG_LINKS.at(tokens, i):
        j = i + link[0]
        while _word(tokens, j) in ("the", "those"):
            j += 1
        if tokens[j : j + 1] and tokens[j].number is not None:
            j += 1  # "were among the nine killed"
        if among := _AMONG.at(tokens, j):
            item.kind, item.partial, item.harm_end = among[1], True, j + among[0]
        return
    found = _PASSIVE.at(tokens, i)
    if found is None:
        return
    length, kind = found
    phrase = _phrase_words(tokens, i, length)
    if not passive and phrase in _TRANSITIVE and _has_object(tokens, i + length, limit):
        return  # "20 gunmen killed five herders": the number counts the agents
    item.kind, item.passive, item.harm_end = kind, passive, i + length
    item.shot = phrase == "shot"
    if kind == "injured" and _died_of_it(tokens, i + length, limit):
        item.kind = "killed"


def _died_of_it(tokens: Tokens, i: int, limit: int) -> bool:
    """'was shot on Friday and died Sunday': the victims just counted as hurt died, in the same clause.

    Another count or group of people, or a clause break, ends the search: "two were shot and one
    died" and "a man was wounded and a woman died" tell of someone else.
    """
    for j in range(i, min(limit, i + _RELATIVE_WORDS)):
        token = tokens[j]
        if token.number is not None or token.word in _CLAUSE_BREAKS or _GROUPS.at(tokens, j):
            return False
        if _DIED_AFTER.at(tokens, j):
            return True
    return False


def _has_object(tokens: Tokens, i: int, limit: int) -> bool:
    if i >= limit:
        return False
    token = tokens[i]
    return (
        token.number is not None
        or token.word in ("the", "a", "an", "another", "his", "her", "their", "its", "them", "him", "some")
        or _GROUPS.at(tokens, i) is not None
    )


def _harm_before(tokens: Tokens, item: _Item, floor: int) -> None:
    i = item.index - 1
    if _COMBINED.ending(tokens, i, floor):
        item.skip = True  # "killed or wounded 75 people" counts no one category
        return
    if _word(tokens, i) in ("were", "was", "are", "is") and (kind := _among_before(tokens, i - 1, floor)):
        item.kind, item.partial = kind, True  # "among the civilian casualties were two women"
        return
    while i >= floor and tokens[i].word in ("the", "some", "all", "his", "her", "their", "its"):
        i -= 1
    if i < floor:
        return
    if found := _ACTIVE.ending(tokens, i, floor):
        item.kind = found[1]
    elif _RELEASED_BEFORE.ending(tokens, i, floor) and item.known:
        item.kind, item.released = "abducted", True


def _among_before(tokens: Tokens, i: int, floor: int) -> str | None:
    """The kind of 'among the dead', 'among the civilian casualties' ending at token ``i``."""
    found = _AMONG.ending(tokens, i, floor)
    if found is None:
        return None
    j = found[0] - 1
    while j >= floor and j >= found[0] - 3 and tokens[j].word != "among":
        j -= 1
    return found[1] if _word(tokens, j) == "among" and j >= floor else None


def _toll(tokens: Tokens, item: _Item, floor: int) -> None:
    """'the death toll rose to 62', 'the number of pupils killed has risen to nine', 'from 90 to 170'."""
    i = item.index - 1
    link = _LINKS.ending(tokens, i, floor)
    if link is None:
        return
    first = link[0]
    for j in range(first - 1, max(floor - 1, first - _TOLL_REACH - 1), -1):
        token = tokens[j]
        if token.number is not None and _word(tokens, j - 1) != "from":
            return  # another number stands between the toll and this one
        if token.word in (".", ";"):
            return
        if toll := _TOLLS.ending(tokens, j, floor):
            item.kind, item.silent = toll[1], False
            if item.group is None or not item.known:
                item.group, item.known = "total", True
            qualifier = _LINK_QUALIFIER.get(" ".join(t.word for t in tokens[first : item.index]))
            if qualifier and item.number.qualifier == "exact":
                q, low, best, high = bounds(item.number.value, qualifier)
                item.number = replace(item.number, qualifier=q, low=low, best=best, high=high)
            return
        if counted := _counted(tokens, j):
            item.kind = counted[0]
            if counted[1] is not None and (not item.known or item.group in (None, "total")):
                item.group = counted[1]
            item.known = True
            return


def _counted(tokens: Tokens, j: int) -> tuple[str, str | None] | None:
    """'number of US troops killed' ending at token ``j``: (kind, group of the counted people)."""
    found = _PASSIVE.ending(tokens, j) or _NOMINAL.ending(tokens, j)
    if found is None:
        return None
    start, kind = found
    k = start - 1
    group = None
    while k >= 0 and k >= start - _COUNTED_WORDS and tokens[k].is_word and tokens[k].word != "of":
        if (g := _GROUPS.ending(tokens, k)) is not None:
            group = group or g[1]
        k -= 1
    if _word(tokens, k) == "of" and _word(tokens, k - 1) in _COUNT_NOUNS:
        return kind, group
    return None


def _partial_after(tokens: Tokens, item: _Item) -> bool:
    """'Nearly 80 militants were killed on Saturday alone', 'It killed 10 people in one attack'."""
    cues = _PARTIAL_AFTER.hits(tokens)
    if not cues:
        return False
    start = max(item.end, item.harm_end)
    for k in range(start, min(len(tokens), start + _GAP_WORDS)):
        if tokens[k].number is not None or tokens[k].word in (";", "."):
            return False
        if k in cues:
            return True
    return False


def _standing(tokens: Tokens, item: _Item, floor: int, sentence_unofficial: bool) -> Standing:
    i = item.index - 1
    while i >= floor and tokens[i].word in ("the", "a", "an"):
        i -= 1
    if _EARLIER_RIGHT_BEFORE.ending(tokens, i, floor):
        return "earlier"
    near = max(floor, item.index - _NEAR)
    if any(near <= k < item.index and k + n <= item.index for k, (n, _) in _EARLIER_NEAR.hits(tokens).items()):
        return "earlier"
    after = max(item.end, item.harm_end)
    if any(after <= k < after + 3 for k in _EARLIER_AFTER.hits(tokens)):
        return "earlier"
    if _cue_in_reach(tokens, item, floor, _FEARED):
        return "feared"
    return "unofficial" if sentence_unofficial else "current"


def _cue_in_reach(tokens: Tokens, item: _Item, floor: int, cues: Phrases) -> bool:
    """Whether one of the cues stands a few words before the figure's number, or within its victims and harm."""
    near = max(floor, item.index - _NEAR)
    return any(near <= k <= max(item.harm_end, item.end) for k in cues.hits(tokens))


def _singular_victim(tokens: Tokens, i: int) -> bool:
    """Whether a singular noun of victims follows token ``i``, past a few modifiers ("a 17-year-old boy")."""
    if i < len(tokens) and tokens[i].number is not None and _age(tokens, i):
        # "a 14 year old boy", "a 17 year old was wounded": an aged person, whatever noun follows.
        return True
    for j in range(i, min(len(tokens), i + _MEMBER_WORDS + 1)):
        token = tokens[j]
        if not token.is_word or token.word in _STOPS or token.word in _AUXILIARIES or _predicate_at(tokens, j):
            return False
        if (group := _GROUPS.at(tokens, j)) is not None:
            last = tokens[j + group[0] - 1].word
            plural = _GROUPS.at(tokens, j + group[0]) is not None
            return not plural and last in _SINGULARS
        if _AGED_PERSON.fullmatch(token.word) and not _GROUPS.at(tokens, j + 1):
            return True  # "a 17-year-old" names a person
    return False


def _with_implicit_ones(tokens: Tokens) -> Tokens:
    """Tokens with one victim named by a singular noun as an implicit number one.

    "A policeman was killed", "killing a 17-year-old", "the victim was pronounced dead",
    "Teen shot, killed" (a headline) count one each; the figure is marked implicit, since
    no number is written.
    """
    out: list[Token] | None = None  # a copy, made at the first one found
    for i, word in enumerate(tokens.words):
        determiner = word in _SINGULAR_DETERMINERS or (word == "the" and _word(tokens, i + 1) in _DEFINITE)
        headline = i == 0 and tokens[0].is_word and _singular_victim(tokens, 0)
        if not (determiner and _singular_victim(tokens, i + 1)) and not headline:
            continue
        token = tokens[i]
        end = token.end if determiner else token.start
        one = NumberMention(token.start, end, token.word if determiner else "", 1, 1, 1, 1, "exact", implicit=True)
        out = list(tokens) if out is None else out
        if determiner:
            out[i] = Token(token.start, end, token.word, one)
        if headline:
            out.insert(0, Token(token.start, token.start, "", one))
            break
    return tokens if out is None else Tokens(out)


def _items(tokens: Tokens) -> list[_Item]:
    items: list[_Item] = []
    floor = 0
    for index, token in enumerate(tokens):
        if token.number is None:
            continue
        item = _Item(index, token.number)
        _noun_phrase(tokens, item)
        if item.number.vague:
            item.skip = True
        if _word(tokens, item.index + 1) in _INCREMENTS_AFTER:
            item.skip = True  # "two more soldiers"
        if _INCREMENTS_BEFORE.ending(tokens, item.index - 1, floor):
            item.increment = True
        if _AGES.ending(tokens, item.index - 1, floor) or _second_age(tokens, item.index) or _age(tokens, item.index):
            item.skip = True
        if _PARTIAL_BEFORE.ending(tokens, item.index - 1, floor):
            item.partial = True
        items.append(item)
        floor = max(item.end, item.index + 1)
    return items


def _age(tokens: Tokens, index: int) -> bool:
    """'a 14 year old boy', 'Demontris Toliver, 25, was killed', 'John Doe (25)': an age, not a count."""
    after = _word(tokens, index + 1)
    if after in _AGE_UNITS and _word(tokens, index + 2) == "old":
        return True
    before = _word(tokens, index - 1)
    return (before, after) in ((",", ","), ("(", ")")) and index >= 2 and tokens[index - 2].is_word


def _second_age(tokens: Tokens, index: int) -> bool:
    """The second number of 'aged nine and 15', 'between the ages of eight and 15'."""
    if _word(tokens, index - 1) not in ("and", "to", "or") or index < 3:
        return False
    return tokens[index - 2].number is not None and _AGES.ending(tokens, index - 3) is not None


def _joined(tokens: Tokens, prev: _Item, item: _Item) -> bool:
    """Whether only commas, joiners and numberless members ('a police officer') separate two numbers."""
    i = prev.end
    while i < item.index:
        word = tokens[i].word
        if word == ",":
            i += 1
        elif joiner := _JOINERS.at(tokens, i):
            i += joiner[0]
        elif word in ("a", "an", "one") or _GROUPS.at(tokens, i) or _MODIFIERS.at(tokens, i):
            i += (_GROUPS.at(tokens, i) or (1, ""))[0]
        elif word in ("from", "in", "at") and (k := _place_before_and(tokens, i, item.index)):
            i = k  # "187 students from the secondary section and 125 from the primary section were abducted"
        else:
            return False
    return True


def _place_before_and(tokens: Tokens, i: int, limit: int) -> int | None:
    """The token after 'from the secondary section' when 'and' follows it, else None."""
    for k in range(i + 1, min(limit, i + _GAP_WORDS)):
        if tokens[k].word == "and":
            return k
        if not tokens[k].is_word or tokens[k].word in _AUXILIARIES or _predicate_at(tokens, k):
            return None
    return None


def _link(tokens: Tokens, items: list[_Item]) -> None:
    """Group items into enumerations and share harms, groups and qualifiers inside each."""
    list_id = 0
    for prev, item in itertools.pairwise(items):
        if not item.skip and not prev.skip and _joined(tokens, prev, item):
            item.list_id = prev.list_id
        elif item.bare and item.kind is None and prev.kind and prev.known and _elided(tokens, item):
            # "187 students went missing from one school and 125 from another": the verb is elided.
            item.group, item.kind, item.shared_noun, item.list_id = prev.group, prev.kind, True, prev.list_id
        else:
            list_id += 1
            item.list_id = list_id
        if prev.kind and item.kind is None and not item.skip and _after_harm(tokens, prev, item):
            item.kind, item.list_id = prev.kind, prev.list_id
        if item.partial and item.kind is None and item.known and prev.kind:
            # "seven were martyred, including five students": a sub-count of the count before it.
            item.kind = prev.kind
    enumerations: dict[int, list[_Item]] = {}
    for item in items:
        enumerations.setdefault(item.list_id, []).append(item)
    for members in enumerations.values():
        _share(members)


def _elided(tokens: Tokens, item: _Item) -> bool:
    return _word(tokens, item.index - 1) == "and" and _word(tokens, item.index + 1) in ("from", "in", "at", "inside")


def _after_harm(tokens: Tokens, prev: _Item, item: _Item) -> bool:
    """'Eleven insurgents were killed, alongside three soldiers': a member after the first one's harm."""
    if prev.harm_end == 0 or item.index - prev.harm_end > _GAP_WORDS:
        return False
    # Past a place or time of the harm ("died in the blast, as did two police officers").
    joined = False
    for i in range(prev.harm_end, item.index):
        joiner = _AFTER_HARM.at(tokens, i)
        if joiner is not None and i + joiner[0] == item.index and (i == prev.harm_end or tokens[i - 1].word == ","):
            joined = True
            break
    if not joined:
        return False
    # "... were killed and three soldiers wounded": the member's own harm follows.
    probe = _Item(item.index, item.number, end=item.end)
    _harm_after(tokens, probe, len(tokens))
    return probe.kind is None and item.known


def _share(members: list[_Item]) -> None:
    # One pass each way: a list of thousands of numbers costs its length, not its square.
    later_kind: list[str | None] = [None] * len(members)
    later_group: list[str | None] = [None] * len(members)
    kind = group = None
    for i in range(len(members) - 1, -1, -1):
        later_kind[i], later_group[i] = kind, group
        member = members[i]
        kind = member.kind or kind
        group = member.group if not member.bare and member.group else group
    partial, earlier = False, None
    for i, item in enumerate(members):
        # "including four pupils, a police officer and two bystanders": the whole list is a sub-count.
        partial = partial or item.partial
        item.partial = partial
        own = item.kind
        if item.kind is None:
            item.kind = later_kind[i] or earlier
        earlier = own or earlier
        if item.bare and later_group[i]:
            # "only 137 and not 287 schoolchildren": the bare number shares the next noun.
            item.group, item.shared_noun = later_group[i], True


def _shot_less_killed(items: list[_Item]) -> None:
    """'Ten people were shot, one of them fatally': ten hit, one killed, nine wounded.

    Without a count of people shot just before it ("Five of them died later"), such a
    number is a part of a count already given, not a figure.
    """
    for i, item in enumerate(items):
        prev = items[i - 1] if i else None
        if not item.of_shot:
            continue
        if prev is None or not prev.shot or prev.kind != "injured":
            item.skip = True
        elif prev.number.value > item.number.value:
            rest = prev.number.value - item.number.value
            qualifier, low, best, high = bounds(rest, prev.number.qualifier_text or None)
            prev.number = replace(prev.number, value=rest, low=low, best=best, high=high, qualifier=qualifier)


def _carry_qualifiers(tokens: Tokens, items: list[_Item]) -> None:
    """'at least nine killed and 13 injured': a number after 'and' whose verb is elided takes the first qualifier."""
    for prev, item in itertools.pairwise(items):
        elided = _word(tokens, item.index - 1) == "and" and not item.passive and item.kind is not None
        if elided and prev.number.qualifier_text and not item.number.qualifier_text and prev.kind:
            qualifier, low, best, high = bounds(item.number.value, prev.number.qualifier_text)
            item.number = replace(item.number, qualifier=qualifier, low=low, best=best, high=high)


def _merge_groups(members: list[_Item]) -> list[_Item]:
    """Sum members of one enumeration that share harm and group: 'three women and three children' is 6."""
    merged: list[_Item] = []
    by_key: dict[tuple[str | None, str | None, str, bool], _Item] = {}
    for item in members:
        key = (item.kind, item.group, item.standing, item.partial)
        if item.group == "total" or item.bare or item.shared_noun:
            merged.append(item)
        elif key not in by_key:
            by_key[key] = item
            merged.append(item)
        else:
            by_key[key].extra.append(item)
    return merged


def _figure(text: str, tokens: Tokens, item: _Item) -> Found | None:
    assert item.kind is not None and item.group is not None
    group = item.group
    if item.kind not in _GROUPED_KINDS:
        if item.partial and group != "total":
            return None  # "four policemen were among the injured" is no count of all the injured
        group = "total"
    number = item.number
    value, low, best, high = number.value, number.low, number.best, number.high
    end = tokens[max(item.end, item.index + 1) - 1].end
    for extra in item.extra:
        value, low, best = value + extra.number.value, low + extra.number.low, best + extra.number.best
        high = None if high is None or extra.number.high is None else high + extra.number.high
        end = tokens[max(extra.end, extra.index + 1) - 1].end
    partial = item.partial or (item.released and number.qualifier_text.lower() != "all")
    figure = Figure(
        kind=item.kind,
        group=group,
        low=low,
        best=best,
        high=high,
        qualifier=number.qualifier,
        partial=partial,
        implicit=number.implicit and all(e.number.implicit for e in item.extra),
        standing=item.standing,
        value=value,
        span=Span(start=number.start, end=end, text=text[number.start : end]),
    )
    return Found(figure, value, item.list_id, item.increment)


def find_figures(
    text: str,
    start: int = 0,
    end: int | None = None,
    numbers: list[NumberMention] | None = None,
    folded: str | None = None,
) -> list[Found]:
    """Casualty figures in the sentence ``text[start:end]``; spans are offsets into ``text``.

    ``numbers`` are the sentence's numbers when the caller has already read them, and
    ``folded`` the text's fold (``phrases.fold``) when it has one. Who gave the figures is
    the caller's to say (``tollstream.core.sources``): it knows the group names around the
    sentence, whose words ("Liberation Army") name no source.
    """
    end = len(text) if end is None else end
    numbers = find_numbers(text, start, end) if numbers is None else numbers
    tokens = _with_implicit_ones(tokenize(text, start, end, numbers, folded))
    items = _items(tokens)
    if not items:
        return []
    floor = 0
    for item in items:
        if not item.skip:
            _harm_after(tokens, item, len(tokens))
            if item.kind is None or item.nominal_head:
                _harm_before(tokens, item, floor)
            if item.kind is None or not item.known:
                # A toll reaches past an earlier number only through "from 90 to 170".
                _toll(tokens, item, 0)
        item.partial = item.partial or _partial_after(tokens, item)
        floor = max(item.end, item.harm_end, item.index + 1)
    _link(tokens, items)
    unofficial = _unofficial_clauses(tokens)
    floor = 0
    for item in items:
        item.standing = _standing(tokens, item, floor, unofficial[item.index])
        # "There should've been five or six people dead", "it could have killed dozens": nobody counted died.
        item.skip = item.skip or _cue_in_reach(tokens, item, floor, _HYPOTHETICAL)
        floor = item.index + 1
    _carry_qualifiers(tokens, items)
    _shot_less_killed(items)
    candidates = [i for i in items if not i.skip and not i.silent and i.kind is not None and i.group is not None]
    if not candidates:
        return []
    enumerations: dict[int, list[_Item]] = {}
    for item in candidates:
        enumerations.setdefault(item.list_id, []).append(item)
    found: list[Found] = []
    for members in enumerations.values():
        found.extend(f for item in _merge_groups(members) if (f := _figure(text, tokens, item)))
    if found and _excludes_attackers(tokens):
        found = [_without_attackers(f) for f in found]
    # One victim named without a number never stands beside a written count of the same group.
    written = {f.figure.category for f in found if not f.figure.implicit}
    return [f for f in found if not f.figure.implicit or f.figure.category not in written]


def _unofficial_clauses(tokens: Tokens) -> list[bool]:
    """Per token: is its clause's count unofficial? 'Unofficial reports put it at 70, but the ministry confirmed 41.'"""
    cues = list(_UNOFFICIAL.hits(tokens))
    if not cues:
        return [False] * len(tokens)
    flags: list[bool] = []
    start = 0
    for k in range(len(tokens) + 1):
        if k == len(tokens) or tokens.words[k] in _CLAUSE_BREAKS:
            found = any(start <= m < k for m in cues)
            flags.extend([found] * (k - start + (k < len(tokens))))
            start = k + 1
    return flags


def _excludes_attackers(tokens: Tokens) -> bool:
    """Whether the sentence states a count without the attackers: 'not including the two gunmen'."""
    for k, (length, _) in _EXCLUSIONS.hits(tokens).items():
        for j in range(k + length, min(len(tokens), k + length + 4)):
            if (group := _GROUPS.at(tokens, j)) is not None and group[1] == "militants":
                return True
    return False


def _without_attackers(found: Found) -> Found:
    figure = found.figure
    if figure.group != "total" or figure.kind != "killed":
        return found
    return replace(found, figure=figure.model_copy(update={"excludes_attackers": True}))
