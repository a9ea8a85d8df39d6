"""extract_claims holds up on any text: it never raises and stays fast on huge input."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.article import Article
from tollstream.core.clean import clean
from tollstream.core.extract import extract_claims
from tollstream.settings import Settings

# Text built from the extractor's own vocabulary finds more corners than random letters.
_WORDS = st.sampled_from(
    [
        "killed",
        "at least",
        "more than",
        "nearly",
        "twenty-three",
        "half a dozen",
        "dozens",
        "1,200",
        "20-25",
        "between",
        "and",
        "not",
        "of the",
        "injured",
        "were",
        "soldiers",
        "civilians",
        "militants",
        "people",
        "others",
        "including",
        "a",
        "the",
        "death toll",
        "rose to",
        "lost their lives",
        "among",
        "dead",
        "police said",
        "according to",
        "in August",
        "last year",
        "since",
        "separately",
        ",",
        ".",
        "\n",
        "QUETTA, Pakistan -",
        "Your support helps",
        "Sponsored",
        "\u2019",
        "\u2013",
        "\u00a0",
        "\u0e42",
    ]
)


def _extract(text: str):
    return extract_claims(Article(text=text, published_at="2024-10-11"), "p")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1))
def test_extract_never_raises_on_arbitrary_unicode(text):
    claims = _extract(text)
    assert [c.claim_id for c in claims] == [f"p#{n}" for n in range(len(claims))]


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=60).map(" ".join))
def test_extract_never_raises_on_casualty_vocabulary(text):
    claims = _extract(text)
    cleaned = clean(text).text
    for claim in claims:
        for figure in claim.figures:
            assert cleaned[figure.span.start : figure.span.end] == figure.span.text
            assert figure.low <= figure.best and (figure.high is None or figure.best <= figure.high)


def test_extract_empty_text_after_cleaning_gives_no_claims():
    assert _extract("Sponsored\nYour support helps us to tell the story") == []


def test_an_article_at_the_size_limit_is_read_within_the_time_budget_of_one_article():
    """The worker takes articles up to its size limit, and gives each its time budget: one of casualty
    sentences at that limit is read well within it, so only hostile text ever meets the budget."""
    limits = Settings()
    # Every paragraph differs, so cleaning cannot drop repeats and shrink the work.
    paragraph = (
        "Gunmen shot dead {n} coal workers and wounded over half a dozen on Friday, police said. "
        "Nearly 40 gunmen stormed the quarters of 300 workers in block {n}. The province saw attacks in August.\n"
    )
    text = "".join(paragraph.format(n=n) for n in range(limits.max_article_bytes // len(paragraph)))
    began = time.process_time()  # CPU time: other work on the machine is not this article's
    _extract(text)
    assert time.process_time() - began < limits.extract_timeout_seconds
