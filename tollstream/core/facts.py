"""An incident's facts from the sentences that report it: when, where, who, what kind.

Finding a date or a place (``tollstream.core.dates``, ``places``) is separate from
deciding what it means; this module decides. A report names many days and places:
the day of the incident, the day officials spoke or the toll rose, the city of the
newsroom, the press conference and the hospital. The incident's own are those tied
to an incident word ("the weekend bombing", "Thursday's attack", "killed in Duki",
"the Kabul airport attack"); those beside a word of saying, a toll's revision or a
treatment ("doctors said Wednesday", "told reporters in Islamabad", "hospitals in
Quetta") are set aside. A report that dates nothing is about an incident on or
before its publication: its claim says so by carrying no incident date.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from schemas.claim import Place
from tollstream.core import incident_types, perpetrators, places
from tollstream.core.dates import DateMention
from tollstream.core.document import Document
from tollstream.core.phrases import Vocabulary, alternatives
from tollstream.core.rules import load_rules
from tollstream.core.sentences import Sentence

_RULES = load_rules("facts")
_ATTACH = int(_RULES["attach_chars"])
_CONTEXT = int(_RULES["context_chars"])
_I = re.IGNORECASE
_INCIDENT_WORDS = Vocabulary(rf"\b(?:{alternatives(_RULES['incident_words'], name='incident words')})\b", _I)
_INCIDENT = _INCIDENT_WORDS.pattern
_SPEECH = re.compile(rf"\b(?:{alternatives(_RULES['speech'], name='speech words')})\b", _I)
_UPDATE = re.compile(rf"\b(?:{alternatives(_RULES['updates'], name='update words')})\b", _I)
_AS_OF = re.compile(rf"\b(?:{alternatives(_RULES['as_of'], name='as-of words')})\s+$", _I)
_SEQUEL_AFTER = re.compile(rf",?\s+(?:{alternatives(_RULES['sequel_links'], name='sequel links')})\s", _I)
_TREATMENT = re.compile(rf"\b(?:{alternatives(_RULES['treatment'], name='treatment words')})\b", _I)
_PREP_BEFORE = re.compile(rf"\b(?:{alternatives(_RULES['place_preps'], name='place prepositions')})\s+(?:the\s+)?$", _I)
_OUT_OF_SCOPE = frozenset(load_rules("background")["out_of_scope_types"])
# A bound on the mentions weighed, so a huge article stays linear.
_MENTIONS = 64
_LEAD_WEIGHT = 1.5
_NAMING = 3
# A date naming an incident: up to two words (a group, a place) and the incident's noun.
_NAMED_INCIDENT = re.compile(
    rf"\s+(?:[\w'-]+\s+){{0,2}}?(?:{alternatives(load_rules('background')['incidents'], name='incidents')})\b", re.I
)
_MIN_PLACE_WEIGHT = 0.5
_LEAD_WINDOW = 8
_LEAD_SENTENCES = 3
_RECENT_DAYS = int(load_rules("background")["distant_days"])


_MAX_NAMES = int(_RULES["max_names"])
_COMMON = frozenset(_RULES["common_capitalised"])
# Runs of capitalised words, joined by spaces or name particles ("Sayed al-Shuhada", "Bibi Fatima").
_NAME = re.compile(r"[A-Z][a-zA-Z'\-]+(?:\s+(?:(?:al|el|bin|ibn|de|del|da|van|von)[\s-]+)?[A-Z][a-zA-Z'\-]+){0,3}")


@dataclass(frozen=True, slots=True)
class Facts:
    incident_date: date | None
    tolerance: int
    place: Place | None
    perpetrator: str | None
    claimed: bool
    incident_type: str | None
    names: tuple[str, ...] = ()


def names_of(doc: Document, sentences: list[Sentence]) -> tuple[str, ...]:
    """Distinctive names the sentences give, lower-cased, in order of appearance.

    A run of capitalised words counts when it is no gazetteer place, no armed group and
    not only common capitalised words ("Police", "Friday", "Reuters"); a single word
    counts only away from a sentence's start and at least five letters long.
    """
    found: dict[str, None] = {}
    for sentence in sentences:
        taken = [(m.start, m.end) for m in doc.places.within(sentence.start, sentence.end)]
        taken += [(m.start, m.end) for m in doc.actors.within(sentence.start, sentence.end)]
        for match in _NAME.finditer(doc.text, sentence.start, sentence.end):
            words = [w for w in match.group().split() if w not in _COMMON and w.rstrip("'s") not in _COMMON]
            if not words or any(a < match.end() and match.start() < b for a, b in taken):
                continue
            if len(words) == 1 and (match.start() == sentence.start or len(words[0]) < 5):
                continue
            found.setdefault(" ".join(words).lower(), None)
            if len(found) >= _MAX_NAMES:
                return tuple(found)
    return tuple(found)


def _near(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    return pattern.search(text, max(0, start), max(0, end)) is not None


def tells_incident(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence names an incident, a harm or a toll ("attack", "killed", "the death toll", "a flood")."""
    return bool(doc.types.within(sentence.start, sentence.end)) or doc.search(_INCIDENT_WORDS, sentence) is not None


def lead(doc: Document) -> list[Sentence]:
    """The first sentences that tell an incident, near the top: where inverted-pyramid news states its facts.

    Sentences, not paragraphs: pages open with bylines, timestamps and one-line captions.
    """
    told = [
        s
        for s in doc.sentences[:_LEAD_WINDOW]
        if tells_incident(doc, s) and doc.cues.recall_start(s, lead=True) != s.start
    ]
    return told[:_LEAD_SENTENCES] or doc.sentences[:1]


def _own_end(doc: Document, sentence: Sentence) -> int:
    """Where the sentence stops telling its own incident: at a recall ("... came a week after a bombing in Kunduz")."""
    recall = doc.cues.recall_start(sentence, lead=True)
    return sentence.end if recall is None else recall


def date_weight(doc: Document, mention: DateMention, sentence: Sentence) -> int:
    """How surely a date is the incident's: above 0 tied to an incident word, below 0 to a statement or update."""
    text = doc.text
    before = (max(sentence.start, mention.start - _CONTEXT), mention.start)
    after = (mention.end, min(sentence.end, mention.end + _CONTEXT))
    if _near(_SPEECH, text, *before) or _near(_SPEECH, text, after[0], min(sentence.end, mention.end + 12)):
        return -3  # "doctors said Wednesday", "said on Sunday that", "Wednesday, police said"
    paragraph_start = doc.paragraphs[sentence.paragraph][0]
    if mention.start - paragraph_start < _CONTEXT and "(" in text[mention.end : after[1]]:
        return -3  # a dateline: "Kabul, May 10 (EFE)", "Oct. 16 (UPI) -"
    tied = _near(
        _INCIDENT, text, max(sentence.start, mention.start - _ATTACH), min(sentence.end, mention.end + _ATTACH)
    )
    if _AS_OF.search(text, max(sentence.start, mention.start - 8), mention.start):
        return -2  # "by Monday the toll had climbed to 19"
    sequel = _SEQUEL_AFTER.match(text, mention.end, sentence.end)
    if (
        sequel
        and _near(_INCIDENT, text, sequel.end(), min(sentence.end, sequel.end() + _ATTACH))
        and not _near(_INCIDENT, text, max(sentence.start, mention.start - _ATTACH), mention.start)
    ):
        return -2  # "the girls were freed on Sunday after their abduction"
    if _near(_UPDATE, text, max(sentence.start, mention.start - _CONTEXT), mention.start) and not _near(
        _INCIDENT, text, mention.end, min(sentence.end, mention.end + 16)
    ):
        return -2  # "the death toll rose to 58 on Sunday"
    if text.startswith("'s", mention.end) and _near(_INCIDENT, text, mention.end, mention.end + 24):
        return _NAMING  # "Thursday's attack"
    if _NAMED_INCIDENT.match(text, mention.end, min(sentence.end, mention.end + 32)):
        return _NAMING  # "the 7 Oct Hamas attack", "the October 7 massacre"
    return 2 if tied else 0


def _weighed(doc: Document, sentences: list[Sentence]) -> list[tuple[int, int, int, DateMention]]:
    """(weight, tolerance, position, mention) of the dates in these sentences that could be an incident's.

    A date after publication (beyond the day's slack) is a coming event ("polling on 8 February").
    """
    weighed: list[tuple[int, int, int, DateMention]] = []
    latest = doc.published + timedelta(days=1) if doc.published else None
    for sentence in sentences:
        for mention in doc.dates.within(sentence.start, _own_end(doc, sentence)):
            if mention.date is None or (latest and mention.date - timedelta(days=mention.tolerance_days) > latest):
                continue
            weighed.append((date_weight(doc, mention, sentence), mention.tolerance_days, mention.start, mention))
        if len(weighed) >= _MENTIONS:
            break
    return weighed


def _sharpest(weighed: list[tuple[int, int, int, DateMention]], floor: int) -> DateMention | None:
    # The sharpest date tied to the incident; among equals, the surest, then the first.
    candidates = [w for w in weighed if w[0] >= floor]
    return min(candidates, key=lambda w: (w[1], -w[0], w[2]))[3] if candidates else None


def incident_date(doc: Document, lead: list[Sentence], rest: list[Sentence]) -> tuple[date | None, int]:
    """The incident's date and tolerance, or (None, 0) when the report dates nothing of it.

    The lead states it if anything does; a date later in the report counts only when it
    is tied to an incident word and within the weeks before publication (a lead that
    dates nothing is about a recent incident, and a later date tied to "attack" may be
    another's: "since the attack in December").
    """
    # After the lead's first sentence, a date far before publication belongs to the incident only when it
    # names it ("the 7 Oct Hamas attack"); else it is what the report recalls ("In June 2021, 160 people ...").
    lead_dates = [w for w in _weighed(doc, lead) if w[2] < lead[0].end or w[0] >= _NAMING or _recent(doc, w[3])]
    found = _sharpest(lead_dates, 1) or _sharpest(lead_dates, 0)
    if found is None:
        recent = [w for w in _weighed(doc, rest) if _recent(doc, w[3])]
        found = _sharpest(recent, 2)
    return (found.date, found.tolerance_days) if found is not None and found.date else (None, 0)


def _recent(doc: Document, mention: DateMention) -> bool:
    if doc.published is None or mention.date is None:
        return False
    return (doc.published - mention.date).days - mention.tolerance_days <= _RECENT_DAYS


def place_weight(doc: Document, mention: places.PlaceMention, sentence: Sentence, lead: bool) -> float:
    """How much a mention backs a place as the incident's."""
    text = doc.text
    before = text[max(sentence.start, mention.start - _CONTEXT) : mention.start]
    after = text[mention.end : min(sentence.end, mention.end + 16)]
    if _TREATMENT.search(before) or _TREATMENT.match(after.lstrip()):
        return 0.1  # "hospitals in Quetta", "Quetta's Civil Hospital"
    if _SPEECH.search(before) and _PREP_BEFORE.search(before):
        return 0.1  # "told reporters in Islamabad", "a press conference in Kabul"
    weight = _LEAD_WEIGHT if lead else 1.0
    if mention.text.isupper() and len(mention.text) > 3 and mention.start - sentence.start < 4:
        return 0.5  # a dateline in capitals names the newsroom
    attached_before = _PREP_BEFORE.search(before) and _INCIDENT.search(
        text, max(sentence.start, mention.start - _ATTACH), mention.start
    )
    attached_after = _INCIDENT.match(after.lstrip(" '’s"))
    return weight + (2.0 if attached_before or attached_after else 0.0)


def incident_place(doc: Document, lead: list[Sentence], rest: list[Sentence]) -> Place | None:
    weighed: list[tuple[places.PlaceMention, float]] = []
    for sentence in lead + rest:
        for mention in doc.places.within(sentence.start, _own_end(doc, sentence)):
            weighed.append((mention, place_weight(doc, mention, sentence, sentence in lead)))
        if len(weighed) >= _MENTIONS:
            break
    weighed += [(mention, 0.5) for mention in doc.dateline_places]
    # A press conference's or a hospital's city is no candidate at all: better no place than theirs.
    return places.place_for_weighted([(m, w) for m, w in weighed if w >= _MIN_PLACE_WEIGHT])


def facts_of(doc: Document, lead: list[Sentence], rest: list[Sentence]) -> Facts:
    """The facts of the incident these sentences report: ``lead`` states them first, ``rest`` adds to them."""
    sentences = lead + rest
    day, tolerance = incident_date(doc, lead, rest)
    actors = [m for s in sentences for m in doc.actors.within(s.start, _own_end(doc, s))][:_MENTIONS]
    named = perpetrators.primary_perpetrator(actors)
    types = [t for s in sentences for t in doc.types.within(s.start, s.end) if t.type not in _OUT_OF_SCOPE]
    return Facts(
        day,
        tolerance,
        incident_place(doc, lead, rest),
        named.name if named else None,
        bool(named and named.claimed),
        incident_types.primary_type(types[:_MENTIONS]),
        names_of(doc, sentences),
    )
