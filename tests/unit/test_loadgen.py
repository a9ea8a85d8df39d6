"""The load generator: invented reports at scale that the pipeline reads as it reads the news."""

import itertools
from collections import Counter
from functools import cache

from schemas.article import Article
from tollstream.loadgen import Load, generate
from tollstream.replay import ReplayResult, replay

# A set small enough to replay in a second, large enough to hold revisions, copies and backgrounds.
COUNT = 80
SEED = 3


@cache
def load() -> Load:
    return generate(COUNT, SEED)


@cache
def replayed() -> ReplayResult:
    return replay(list(load().lines()))


def test_the_same_seed_writes_the_same_bytes() -> None:
    """A benchmark compares runs, so its input must be identical from run to run."""
    assert list(generate(60, 11).lines()) == list(generate(60, 11).lines())


def test_another_seed_writes_other_reports() -> None:
    """Seeds are how a user gets fresh input, so two seeds must not give the same articles."""
    assert [a["text"] for a in generate(60, 11).articles] != [a["text"] for a in generate(60, 12).articles]


def test_every_article_is_a_valid_input_message_with_its_own_id() -> None:
    """Load must exercise the pipeline's work, not its dead-letter path."""
    articles = load().articles
    assert len(articles) == COUNT
    assert all(Article.model_validate(a).id == a["id"] for a in articles)
    assert len({a["id"] for a in articles}) == COUNT


def test_articles_come_in_publication_order() -> None:
    """A live stream delivers news as it is published; revisions follow the reports they revise."""
    days = [a["published_at"] for a in load().articles]
    assert days == sorted(days)


def test_incidents_have_several_reports_and_revisions() -> None:
    """Merging and toll rules are only loaded when reports of one incident disagree."""
    incidents = load().incidents
    assert Counter(len(i.told) for i in incidents)[1] < len(incidents)
    steps = [(b[1] - a[1]) for i in incidents for a, b in itertools.pairwise(i.told)]
    assert any(step < 0 for step in steps) and any(step > 0 for step in steps)


def test_the_extractor_reads_the_figures_each_report_was_written_with() -> None:
    """The generator is only useful for load if the extractor finds in it what it finds in real reports."""
    told = {ident: (killed, injured) for i in load().incidents for ident, killed, injured in i.told}
    read = {
        c.article_id: (
            next(f.best for f in c.figures if f.category == "killed_total"),
            next(f.best for f in c.figures if f.category == "injured_total"),
        )
        for c in replayed().claims
        if c.main and c.article_id in told
    }
    assert read == told


def test_every_copy_is_recognised_as_a_copy_of_its_incidents_report() -> None:
    """Verbatim and lightly edited wire copies load the dedupe stage as real republications do."""
    found = {d.article_id: d.duplicate_of for d in replayed().duplicates}
    for incident in load().incidents:
        for copy in incident.copies:
            assert found.get(copy) in incident.reports


def test_background_paragraphs_recall_older_incidents() -> None:
    """Reports recall earlier attacks; the extractor must keep those figures out of the new event."""
    assert any(c.background for c in replayed().claims)


def test_replay_publishes_the_toll_each_incidents_last_report_gave() -> None:
    """End to end, the pipeline's events must be the incidents that were written, with their tolls."""
    events = {a: e for e in replayed().final_events().values() for a in e.articles}
    for incident in load().incidents:
        event = events[incident.reports[-1]]
        assert set(incident.reports) <= set(event.articles)
        assert event.tolls["killed_total"].best == incident.killed
