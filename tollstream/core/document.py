"""One article read once: cleaned text, sentences, and typed mentions with their spans.

Every later step of extraction works on a ``Document`` and never re-reads the raw
string: the text is cleaned once, split into sentences once, and each scanner
(numbers, dates, places, armed groups, incident words) runs once over the whole
text. Mentions keep character spans into the cleaned text and can be looked up by
sentence in logarithmic time, so deciding what a mention means (the incident's
date or a statement's, the incident's place or a dateline's) is a separate step
from finding it.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Generic, Protocol, TypeVar

from schemas.article import Article
from tollstream.core import dates, incident_types, perpetrators, places
from tollstream.core.clean import clean
from tollstream.core.cues import Cues
from tollstream.core.numbers import NumberMention, find_numbers
from tollstream.core.phrases import Vocabulary, fold
from tollstream.core.places import PlaceMention
from tollstream.core.sentences import Scan, Sentence, split


class Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


M = TypeVar("M", bound=Spanned)


class Layer(Generic[M]):
    """Mentions of one kind sorted by start, to find those inside a range without scanning them all."""

    def __init__(self, items: Sequence[M]) -> None:
        self.items: list[M] = sorted(items, key=lambda item: item.start)
        self._starts = [item.start for item in self.items]

    def within(self, start: int, end: int) -> list[M]:
        """Mentions that start inside ``[start, end)``."""
        return self.items[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    def covering(self, position: int) -> M | None:
        """The mention whose span holds ``position``, if any."""
        i = bisect_right(self._starts, position) - 1
        return self.items[i] if i >= 0 and position < self.items[i].end else None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def published_day(article: Article) -> date | None:
    value = article.published_at
    return value.date() if isinstance(value, datetime) else value


def _with_title(article: Article) -> tuple[str, bool]:
    """The text headed by the title when the text does not already start with it; whether it was added."""
    title = (article.title or "").strip()
    if title and title not in article.text[: len(title) + 200]:
        return f"{title}\n{article.text}", True
    return article.text, False


@dataclass(frozen=True)
class Document:
    """An article's cleaned text with its sentences and mention layers."""

    text: str
    published: date | None
    dateline: str | None
    sentences: list[Sentence]
    paragraphs: list[tuple[int, int]]
    numbers: Layer[NumberMention]
    dates: Layer[dates.DateMention]
    places: Layer[PlaceMention]
    actors: Layer[perpetrators.PerpetratorMention]
    types: Layer[incident_types.TypeMention]
    dateline_places: list[PlaceMention] = field(default_factory=list)
    _scans: dict[Vocabulary, Scan] = field(default_factory=dict, init=False, repr=False, compare=False)

    def sentence_at(self, position: int) -> Sentence | None:
        starts = [s.start for s in self.sentences]
        i = bisect_right(starts, position) - 1
        return self.sentences[i] if i >= 0 and position < self.sentences[i].end else None

    def lead_end(self, paragraphs: int) -> int:
        """End offset of the first ``paragraphs`` paragraphs: the lead of an inverted-pyramid report."""
        if not self.paragraphs:
            return 0
        return self.paragraphs[min(len(self.paragraphs), paragraphs) - 1][1]

    def numbers_in(self, sentence: Sentence) -> list[NumberMention]:
        return [n for n in self.numbers.within(sentence.start, sentence.end) if n.end <= sentence.end]

    def scan(self, vocabulary: Vocabulary) -> Scan:
        """The pattern's searches in the document's sentences, made once per document and sentence."""
        scan = self._scans.get(vocabulary)
        if scan is None:
            scan = self._scans[vocabulary] = Scan(vocabulary, self.text, self.folded, self.sentences)
        return scan

    def search(self, vocabulary: Vocabulary, sentence: Sentence) -> re.Match[str] | None:
        """The pattern's search inside one of the document's sentences.

        Read any matched text from ``text``: the match may be of the text's fold.
        """
        return self.scan(vocabulary).search(sentence)

    @cached_property
    def folded(self) -> str | None:
        """The text in lower case, where case-insensitive patterns run faster (``phrases.fold``)."""
        return fold(self.text)

    @cached_property
    def cues(self) -> Cues:
        """What its sentences recall or report besides their incident (``tollstream.core.cues``)."""
        return Cues(self.text, self.scan)


def read(article: Article) -> Document:
    """Clean, split and scan an article once."""
    raw, _ = _with_title(article)
    cleaned = clean(raw)
    text = cleaned.text
    published = published_day(article)
    sentences = split(text)
    found_dates = dates.find_dates(text, published)
    date_layer = Layer(found_dates)
    # Numbers inside dates ("October 15", "2023") count nobody.
    numbers = [n for n in find_numbers(text) if date_layer.covering(n.start) is None]
    return Document(
        text=text,
        published=published,
        dateline=cleaned.dateline,
        sentences=sentences,
        paragraphs=cleaned.paragraphs(),
        numbers=Layer(numbers),
        dates=date_layer,
        places=Layer(places.find_places(text)),
        actors=Layer(perpetrators.find_perpetrators(text)),
        types=Layer(incident_types.find_incident_types(text)),
        dateline_places=places.find_places(cleaned.dateline) if cleaned.dateline else [],
    )
