"""From an article to claims: one claim per incident it reports, its figures attributed and marked.

The article is read once (``tollstream.core.document``), its figures per sentence
(``figures``), its sentences grouped by incident (``segments``). Claim 0 is the
main incident; a second incident the article reports is a further claim of its
own, and so is each older incident it recalls with figures (``background``).
Figures get their source (the sentence's, a claiming group's, or the nearest
in the paragraph) and a correction mark.
"""

import re

from schemas.article import Article
from schemas.claim import Claim, Figure
from tollstream.core import corrections, incident_types
from tollstream.core.document import Document, Layer, published_day, read
from tollstream.core.facts import Facts, lead, tells_incident
from tollstream.core.figures import Found, find_figures
from tollstream.core.perpetrators import PerpetratorMention
from tollstream.core.rules import load_rules
from tollstream.core.segments import segments
from tollstream.core.sentences import Sentence
from tollstream.core.sources import attribute

_OUT_OF_SCOPE = frozenset(load_rules("background")["out_of_scope_types"])
_RELATIVE = re.compile(r"\b(?:that|which|in which|who)\b", re.IGNORECASE)

# Kinds that count the same people, for telling a breakdown from a new figure.
_KIND_FAMILY = {"abducted": "taken", "missing": "taken"}
_BREAKDOWN_TOLERANCE = 0.15


class _Sources:
    """Who a sentence cites, read once per sentence: its figures, and its neighbours' figures, ask again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cited: dict[tuple[int, int, tuple[tuple[int, int], ...]], tuple[str, str] | None] = {}

    def cited(self, start: int, end: int, names: tuple[tuple[int, int], ...] = ()) -> tuple[str, str] | None:
        key = (start, end, names)
        if key not in self._cited:
            self._cited[key] = attribute(self.text, start, end, names)
        return self._cited[key]


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
    sources: _Sources, sentences: list[Sentence], index: int, figures: list[Found], named: Layer[PerpetratorMention]
) -> list[Figure]:
    """Figures with a source: the sentence's own, a claiming group's, or the nearest in its paragraph."""
    sentence = sentences[index]

    def cited(other: Sentence) -> tuple[str, str] | None:
        names = tuple((p.start, p.end) for p in named.within(other.start, other.end))
        return sources.cited(other.start, other.end, names)

    source = cited(sentence)
    if source is None:
        claimant = next((p for p in named.within(sentence.start, sentence.end) if p.claimed), None)
        # "IS claimed it killed 300" is the group's figure; "Al-Shabaab claimed the bombing that
        # killed 31" is the reporter's, told in a relative clause about the attack.
        told = claimant is not None and all(
            _RELATIVE.search(sources.text, claimant.end, f.figure.span.start) is None for f in figures
        )
        if claimant is not None and told:
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


def _corrected(text: str, sentence: Sentence, figure: Figure, whole_article: bool) -> Figure:
    """Mark a figure worded as a correction, the only kind that may lower a toll."""
    if whole_article or corrections.figure_corrects(text, sentence.start, sentence.end, figure.span.start):
        return figure.model_copy(update={"correction": True})
    return figure


def _unique(figures: list[Figure]) -> list[Figure]:
    """One figure per (harm, group, count, qualifier, partial): repeats add nothing."""
    seen: set[tuple[object, ...]] = set()
    unique = []
    for figure in figures:
        key = (figure.kind, figure.group, figure.low, figure.best, figure.high, figure.qualifier, figure.partial)
        if key not in seen:
            seen.add(key)
            unique.append(figure)
    return unique


def _claim(article: Article, article_id: str, n: int, facts: Facts, figures: list[Figure], background: bool) -> Claim:
    return Claim(
        claim_id=f"{article_id}#{n}",
        article_id=article_id,
        source=article.source,
        published_at=published_day(article),
        produced_at=article.produced_at,
        incident_date=facts.incident_date,
        date_tolerance_days=facts.tolerance,
        place=facts.place,
        perpetrator=facts.perpetrator,
        responsibility_claimed=facts.claimed,
        incident_type=facts.incident_type,
        background=background,
        names=list(facts.names),
        figures=figures,
    )


def _sentence_figures(doc: Document) -> list[list[Found]]:
    """Figures per sentence, from the document's numbers; a sentence without one may still name one victim."""
    found = []
    for sentence in doc.sentences:
        inside = doc.numbers_in(sentence)
        read = inside or tells_incident(doc, sentence)
        found.append(find_figures(doc.text, sentence.start, sentence.end, inside, doc.folded) if read else [])
    return found


def extract_claims(article: Article, article_id: str) -> list[Claim]:
    """Claims of one article: the main incident first, then other incidents with figures."""
    doc = read(article)
    text, sentences = doc.text, doc.sentences
    in_lead = [t for s in lead(doc) for t in doc.types.within(s.start, s.end)]
    telling = [t for t in in_lead if t.type not in incident_types.NEUTRAL]
    if telling and all(t.type in _OUT_OF_SCOPE for t in telling):
        # A natural disaster or an accident, reported with no violence: out of scope.
        return []
    sources = _Sources(text)
    found = _drop_breakdowns(_sentence_figures(doc))
    corrects = corrections.article_corrects(text)
    index_of = {s.start: i for i, s in enumerate(sentences)}
    claims: list[Claim] = []
    for segment in segments(doc, found):
        figures = _unique(
            [
                _corrected(text, sentences[i], f, corrects and segment.role == "main")
                for s in segment.sentences
                if found[i := index_of[s.start]]
                for f in _attributed(sources, sentences, i, found[i], doc.actors)
            ]
        )
        if segment.role == "main" and not figures and not any(t.type not in _OUT_OF_SCOPE for t in in_lead):
            continue
        claims.append(_claim(article, article_id, len(claims), segment.facts, figures, segment.role == "background"))
    return claims
