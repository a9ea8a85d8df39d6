"""From an article to claims: the main incident's facts and figures, and the background's.

An article reports one incident and mentions others in passing: the truck bomb
at the same junction five years ago, the raids earlier in the week, the
group's attack in August. Each sentence with figures is judged main or
background from cues (a date far from publication, "separately", "in the past
48 hours", "an attack ... that killed", "since a bombing"); a background
sentence takes the rest of its paragraph with it. Claim 0 is the main
incident; each run of background sentences with figures is a further claim.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from schemas.article import Article
from schemas.claim import Claim, Figure, Place
from tollstream.core import corrections, dates, incident_types, perpetrators, places, singulars
from tollstream.core.clean import CleanText, clean
from tollstream.core.figures import Found, attribute, find_figures
from tollstream.core.numbers import NumberMention, find_numbers
from tollstream.core.phrases import alternatives, word_trie
from tollstream.core.rules import load_rules

_RULES = load_rules("background")
_DISTANT_DAYS: int = _RULES["distant_days"]
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
_OUT_OF_SCOPE = frozenset(_RULES["out_of_scope_types"])
_LEAD_PARAGRAPHS = 3
_FACT_MENTIONS = 64

_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9•])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Capt|Sgt|Maj|No|Gov|Sen|Rep|Prof|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
    r"|Inc|Ltd|Co|vs|etc|approx)|\b[A-Z])\.$"
)
# Kinds that count the same people, for telling a breakdown from a new figure.
_KIND_FAMILY = {"abducted": "taken", "missing": "taken"}
_BREAKDOWN_TOLERANCE = 0.15


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def split_sentences(cleaned: CleanText) -> list[Sentence]:
    """Sentences of the cleaned text, never crossing a paragraph."""
    text = cleaned.text
    sentences: list[Sentence] = []
    for index, (start, end) in enumerate(cleaned.paragraphs()):
        begin = start
        for match in _BOUNDARY.finditer(text, start, end):
            if _ABBREVIATION.search(text, max(start, match.start() - 8), match.start() + 1):
                continue
            sentences.append(Sentence(begin, match.start() + 1, index))
            begin = match.end()
        if begin < end:
            sentences.append(Sentence(begin, end, index))
    return sentences


class _Sources:
    """Who a sentence cites, read once per sentence: its figures, and its neighbours' figures, ask again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cited: dict[tuple, tuple[str, str] | None] = {}

    def cited(self, start: int, end: int, names: tuple[tuple[int, int], ...] = ()) -> tuple[str, str] | None:
        key = (start, end, names)
        if key not in self._cited:
            self._cited[key] = attribute(self.text, start, end, names)
        return self._cited[key]


def _figures(text: str, sentences: list[Sentence], date_mentions: list, sources: _Sources) -> list[list[Found]]:
    """Figures per sentence, reading the numbers of the whole text in one pass; numbers in dates are none."""
    date_mentions = sorted(date_mentions, key=lambda d: d.start)
    date_starts = [d.start for d in date_mentions]

    def in_date(number: NumberMention) -> bool:
        i = bisect_right(date_starts, number.start) - 1
        return i >= 0 and number.start < date_mentions[i].end

    numbers = [n for n in find_numbers(text) if not in_date(n)]
    starts = [n.start for n in numbers]
    found = []
    for sentence in sentences:
        first, last = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        inside = [n for n in numbers[first:last] if n.end <= sentence.end]
        found.append(find_figures(text, sentence.start, sentence.end, inside, sources.cited) if inside else [])
    return found


def _published(article: Article) -> date | None:
    value = article.published_at
    return value.date() if isinstance(value, datetime) else value


def _with_title(article: Article) -> str:
    """The text, headed by the title when the text does not already start with it."""
    title = (article.title or "").strip()
    if title and title not in article.text[: len(title) + 200]:
        return f"{title}\n{article.text}"
    return article.text


class _Index:
    """Mentions sorted by start, to find those inside a range without scanning them all."""

    def __init__(self, items: Sequence) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self._starts = [item.start for item in self.items]

    def within(self, start: int, end: int) -> list:
        return self.items[bisect_left(self._starts, start) : bisect_left(self._starts, end)]


def _cued(text: str, sentence: Sentence, distant: _Index) -> bool:
    start, end = sentence.start, sentence.end
    if distant.within(start, end) or _MARKER.search(text, start, end) or _SINCE.search(text, start, end):
        return True
    if _ACROSS.search(text, start, end) or _GROUP_PAST.search(text, start, end):
        return True
    # The lead introduces the reported incident itself with "a ... attack that killed".
    return sentence.paragraph >= _LEAD_PARAGRAPHS - 1 and _OTHER_INCIDENT.search(text, start, end) is not None


def _background(text: str, sentences: list[Sentence], found: list[list[Found]], distant: _Index) -> list[bool]:
    """Per sentence: does it report another incident? A cued sentence with figures takes its paragraph's rest."""
    flags: list[bool] = []
    carried = -1
    for sentence, figures in zip(sentences, found, strict=False):
        flag = sentence.paragraph == carried or (bool(figures) and _cued(text, sentence, distant))
        if flag and figures:
            carried = sentence.paragraph
        flags.append(flag)
    return flags


def _drop_breakdowns(found: list[list[Found]]) -> list[list[Found]]:
    """Drop enumerations that split a count already given ('187 from one school and 125 from the other')."""
    seen: dict[str, set[int]] = {}
    kept: list[list[Found]] = []
    for figures in found:
        keep = []
        groups: dict[int, list[Found]] = {}
        for f in figures:
            groups.setdefault(f.enumeration, []).append(f)
        for members in groups.values():
            if not _is_breakdown(members, seen):
                keep.extend(members)
        for f in keep:
            seen.setdefault(_KIND_FAMILY.get(f.figure.kind, f.figure.kind), set()).add(f.value)
        kept.append(keep)
    return kept


def _is_breakdown(members: list[Found], seen: dict[str, set[int]]) -> bool:
    if len(members) < 2 or any(m.figure.group != "total" for m in members):
        return False
    families = {_KIND_FAMILY.get(m.figure.kind, m.figure.kind) for m in members}
    if len(families) != 1:
        return False
    total, largest = sum(m.value for m in members), max(m.value for m in members)
    earlier = seen.get(families.pop(), set())
    return any(value > largest and abs(total - value) <= _BREAKDOWN_TOLERANCE * value for value in earlier)


def _attributed(
    sources: _Sources, sentences: list[Sentence], index: int, figures: list[Found], named: _Index
) -> list[Figure]:
    """Figures with a source: the sentence's own, a claiming group's, or the nearest in its paragraph."""
    sentence = sentences[index]

    def cited(other: Sentence) -> tuple[str, str] | None:
        names = tuple((p.start, p.end) for p in named.within(other.start, other.end))
        return sources.cited(other.start, other.end, names)

    source = cited(sentence)
    if source is None:
        claimant = next((p for p in named.within(sentence.start, sentence.end) if p.claimed), None)
        if claimant is not None:
            source = (claimant.name, "perpetrator")
    if source is None:
        first = index
        while first > 0 and sentences[first - 1].paragraph == sentence.paragraph:
            first -= 1
        last = index
        while last + 1 < len(sentences) and sentences[last + 1].paragraph == sentence.paragraph:
            last += 1
        same = sorted(range(first, last + 1), key=lambda i: abs(i - index))[1:]
        source = next((a for i in same if (a := cited(sentences[i]))), None)
    if source is None:
        return [f.figure for f in figures]
    role, authority = source
    return [
        f.figure if f.figure.attribution else f.figure.model_copy(update={"attribution": role, "authority": authority})
        for f in figures
    ]


def _with_singulars(text: str, sentences: list[Sentence], found: list[list[Found]]) -> list[list[Found]]:
    """Add "a policeman was killed" to a sentence's figures, unless a number already counts that group there."""
    out = []
    for sentence, figures in zip(sentences, found, strict=True):
        counted = {f.figure.category for f in figures}
        extra = [
            Found(f, 1, 0)
            for f in singulars.find_singulars(text, sentence.start, sentence.end)
            if f.category not in counted
        ]
        out.append(figures + extra if extra else figures)
    return out


def _corrected(text: str, sentence: Sentence, figure: Figure, whole_article: bool) -> Figure:
    """Mark a figure worded as a correction, the only kind that may lower a toll."""
    if whole_article or corrections.figure_corrects(text, sentence.start, sentence.end, figure.span.start):
        return figure.model_copy(update={"correction": True})
    return figure


def _unique(figures: list[Figure]) -> list[Figure]:
    """One figure per (harm, group, count, qualifier, partial): repeats add nothing."""
    seen: set[tuple] = set()
    unique = []
    for figure in figures:
        key = (figure.kind, figure.group, figure.low, figure.best, figure.high, figure.qualifier, figure.partial)
        if key not in seen:
            seen.add(key)
            unique.append(figure)
    return unique


@dataclass(frozen=True, slots=True)
class _Facts:
    incident_date: date | None
    tolerance: int
    place: Place | None
    perpetrator: str | None
    claimed: bool
    incident_type: str | None


def _facts(spans: list[tuple[int, int]], mentions: dict[str, _Index], published: date | None, dateline: list) -> _Facts:
    def within(kind: str) -> list:
        # Facts come from the first mentions; a bound keeps huge articles linear.
        return [m for start, end in spans for m in mentions[kind].within(start, end)][:_FACT_MENTIONS]

    found_dates = [d for d in within("dates") if d.date is not None]
    # The most precise date wins ("on Tuesday" over "this year"); with none, the day of or before publication.
    sharpest = min(found_dates, key=lambda d: d.tolerance_days, default=None)
    incident_date, tolerance = (sharpest.date, sharpest.tolerance_days) if sharpest else (published, 2)
    named = perpetrators.primary_perpetrator(within("perpetrators"))
    types = [t for t in within("types") if t.type not in _OUT_OF_SCOPE]
    return _Facts(
        incident_date,
        tolerance,
        places.place_for(within("places") + dateline),
        named.name if named else None,
        bool(named and named.claimed),
        incident_types.primary_type(types),
    )


def _claim(article: Article, article_id: str, n: int, facts: _Facts, figures: list[Figure], background: bool) -> Claim:
    return Claim(
        claim_id=f"{article_id}#{n}",
        article_id=article_id,
        source=article.source,
        published_at=_published(article),
        produced_at=article.produced_at,
        incident_date=facts.incident_date,
        date_tolerance_days=facts.tolerance,
        place=facts.place,
        perpetrator=facts.perpetrator,
        responsibility_claimed=facts.claimed,
        incident_type=facts.incident_type,
        background=background,
        figures=figures,
    )


def _runs(sentences: list[Sentence], flags: list[bool], found: list[list[Found]]) -> list[list[int]]:
    """Runs of consecutive background sentences in one paragraph that hold figures."""
    runs: list[list[int]] = []
    for index, flag in enumerate(flags):
        if not flag:
            continue
        joined = runs and runs[-1][-1] == index - 1 and sentences[runs[-1][-1]].paragraph == sentences[index].paragraph
        if joined:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [run for run in runs if any(found[i] for i in run)]


def extract_claims(article: Article, article_id: str) -> list[Claim]:
    """Claims of one article: the main incident first, then background incidents with figures."""
    cleaned = clean(_with_title(article))
    text = cleaned.text
    published = _published(article)
    sentences = split_sentences(cleaned)
    paragraphs = cleaned.paragraphs()
    lead_end = paragraphs[min(len(paragraphs), _LEAD_PARAGRAPHS) - 1][1] if paragraphs else 0
    found_dates = dates.find_dates(text, published)
    distant = [d for d in found_dates if dates.is_distant(d, published, _DISTANT_DAYS)]
    mentions = {
        "dates": _Index([d for d in found_dates if not dates.is_distant(d, published, _DISTANT_DAYS)]),
        "places": _Index(places.find_places(text)),
        "perpetrators": _Index(perpetrators.find_perpetrators(text)),
        "types": _Index(incident_types.find_incident_types(text)),
    }
    in_lead = mentions["types"].within(0, lead_end)
    lead_types = [t for t in in_lead if t.type not in _OUT_OF_SCOPE]
    if not lead_types and in_lead:
        # A natural disaster, reported with no violence: out of scope.
        return []
    sources = _Sources(text)
    found = _with_singulars(text, sentences, _drop_breakdowns(_figures(text, sentences, found_dates, sources)))
    flags = _background(text, sentences, found, _Index(distant))
    named = mentions["perpetrators"]
    dateline = places.find_places(cleaned.dateline) if cleaned.dateline else []

    main = [i for i, flag in enumerate(flags) if not flag and found[i]]
    corrects = corrections.article_corrects(text)
    main_figures = _unique(
        [
            _corrected(text, sentences[i], f, corrects)
            for i in main
            for f in _attributed(sources, sentences, i, found[i], named)
        ]
    )
    claims: list[Claim] = []
    if main_figures or lead_types:
        spans = [(sentences[i].start, sentences[i].end) for i in main] + [(0, lead_end)]
        claims.append(_claim(article, article_id, 0, _facts(spans, mentions, published, dateline), main_figures, False))
    for run in _runs(sentences, flags, found):
        spans = [(sentences[i].start, sentences[i].end) for i in run]
        figures = _unique([f for i in run for f in _attributed(sources, sentences, i, found[i], named)])
        background_mentions = dict(mentions, dates=_Index(distant))
        facts = _facts(spans, background_mentions, None, [])
        claims.append(_claim(article, article_id, len(claims), facts, figures, True))
    return claims
