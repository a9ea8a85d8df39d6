"""Sentences grouped by the incident they report: the article's own, others recalled, others reported.

News is written as an inverted pyramid: the title and lead tell the new incident;
later paragraphs recall older ones ("the truck bomb at the same junction five years
ago", "a similar attack in Kunduz last Friday killed 20") or report a second one
("Separately, a roadside bomb killed three soldiers in Kalat"). The lead fixes the
main incident's date and place; then each sentence is judged against them:

- *background* when a cue says it tells another time ("previously", "since the
  2014 abduction", "this comes a week after", "Boko Haram, which kidnapped ...", a
  related-story line) or its incident's date lies days away from the main one's;
- a *second incident* when a cue says it reports another incident of the same time
  ("In the second attack, in Kalat, four policemen died", "Separately, ...");
- part of the main incident otherwise.

A background or second-incident sentence takes the rest of its paragraph with it.
Each run of such sentences with figures becomes a segment of its own, with its own
facts, so a claim never mixes two incidents' figures.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from tollstream.core import dates
from tollstream.core.document import Document
from tollstream.core.facts import Facts, date_weight, facts_of, lead
from tollstream.core.figures import Found
from tollstream.core.rules import load_rules
from tollstream.core.sentences import Sentence

_RULES = load_rules("background")
_DISTANT_DAYS: int = _RULES["distant_days"]
_APART_DAYS: int = _RULES["apart_days"]
_LEAD_SENTENCES = 3

Role = Literal["main", "background", "other"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of sentences about one incident, with the facts they give."""

    role: Role
    sentences: list[Sentence]
    figures: list[Found]
    facts: Facts


def _tied_dates(doc: Document, sentence: Sentence) -> list[dates.DateMention]:
    return [d for d in doc.dates.within(sentence.start, sentence.end) if d.date and date_weight(doc, d, sentence) >= 0]


def _apart(day: date | None, tolerance: int, main: Facts, published: date | None) -> bool:
    """Whether a date lies too far from the main incident's (or, undated, from publication) to be it."""
    if day is None:
        return False
    anchor, slack = (main.incident_date, main.tolerance) if main.incident_date else (published, _DISTANT_DAYS)
    if anchor is None:
        return False
    return dates.days_between(day, anchor) - tolerance - slack > (_APART_DAYS if main.incident_date else 0)


def _cued(doc: Document, sentence: Sentence, main: Facts, first: Sentence) -> bool:
    if any(_apart(d.date, d.tolerance_days, main, doc.published) for d in _tied_dates(doc, sentence)):
        return True
    # The lead introduces the reported incident itself with "a ... attack that killed".
    lead = sentence.index < 2 or sentence is first
    return doc.cues.recall_start(sentence, lead=lead) is not None


def segments(doc: Document, found: list[list[Found]]) -> list[Segment]:
    """The main incident's segment first (possibly without figures), then the others with figures."""
    opening = lead(doc)
    anchor = facts_of(doc, opening, [])
    roles: list[Role] = []
    carried: tuple[int, Role] = (-1, "main")
    for sentence, figures in zip(doc.sentences, found, strict=True):
        role: Role = "main"
        if sentence.paragraph == carried[0]:
            role = carried[1]
        elif figures and sentence is not opening[0]:
            if _cued(doc, sentence, anchor, opening[0]):
                role = "background"
            elif doc.cues.concurrent(sentence):
                role = "other"
        if role != "main" and figures:
            carried = (sentence.paragraph, role)
        roles.append(role)
    # The toll of "the two attacks" belongs to neither when the article tells both apart.
    if "other" in roles:
        found = [
            [] if role == "main" and doc.cues.combined(s) else figures
            for s, role, figures in zip(doc.sentences, roles, found, strict=True)
        ]
    main = [s for s, role in zip(doc.sentences, roles, strict=True) if role == "main"]
    result = [
        Segment(
            "main",
            main,
            [
                f
                for s, role, figures in zip(doc.sentences, roles, found, strict=True)
                if role == "main"
                for f in figures
            ],
            facts_of(doc, [s for s in main if s in opening], [s for s in main if s not in opening]),
        )
    ]
    for run in _runs(doc.sentences, roles):
        figures = [f for i in run for f in found[i]]
        if figures:
            sentences = [doc.sentences[i] for i in run]
            result.append(Segment(roles[run[0]], sentences, figures, facts_of(doc, sentences, [])))
    return result


def _runs(sentences: list[Sentence], roles: list[Role]) -> list[list[int]]:
    """Runs of consecutive sentences of one role other than main, within one paragraph."""
    runs: list[list[int]] = []
    for index, role in enumerate(roles):
        if role == "main":
            continue
        previous = runs[-1][-1] if runs else -2
        joined = previous == index - 1 and roles[previous] == role
        if joined and sentences[previous].paragraph == sentences[index].paragraph:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs
