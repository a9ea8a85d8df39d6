"""Hostile text costs time in proportion to its length, and never raises."""

import time
from collections.abc import Callable

import pytest

from schemas.article import Article
from tollstream.core.clean import MAX_DIGITS, clean
from tollstream.core.extract import extract_claims
from tollstream.core.sentences import MAX_SENTENCE, split

# Each builds a text of about n characters around one real figure.
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "run of dots": lambda n: "Gunmen killed 5 people" + "." * n + " Police said.",
    "runs of .!?": lambda n: "Gunmen killed 5 people" + ".!?" * (n // 3) + " Police said.",
    "number words": lambda n: "Gunmen killed " + "one " * (n // 4) + "people.",
    "qualifiers": lambda n: "Gunmen killed " + "at least more than nearly about " * (n // 32) + "5 people.",
    "digits": lambda n: "Police said " + "1" * n + " people were killed.",
    "grouped digits": lambda n: "Police said " + ",".join(["111"] * (n // 4)) + " people were killed.",
    "one sentence of figures": lambda n: "Gunmen killed 5 people and injured 4, " * (n // 38),
    "capitals and commas": lambda n: "QUETTA, " * (n // 8) + "- killed 5",
    "abbreviations": lambda n: "Mr. " * (n // 4) + "killed 5.",
}


def _seconds(text: str) -> float:
    began = time.perf_counter()
    extract_claims(Article(text=text, published_at="2024-10-11"), "p")
    return time.perf_counter() - began


@pytest.mark.parametrize("build", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_extraction_time_grows_linearly_with_adversarial_input(build: Callable[[int], str]) -> None:
    """One hostile report must not hold a worker for minutes: ten times the text may cost about ten times the time.

    Quadratic work would cost a hundred times more from 10x to 100x; the bound allows noise on a busy machine.
    """
    ten, hundred = (min(_seconds(build(size)) for _ in range(2)) for size in (20_000, 200_000))
    assert hundred < 30 * max(ten, 0.02), f"10x: {ten:.3f}s, 100x: {hundred:.3f}s"


def test_a_number_too_long_to_count_anything_is_dropped_by_cleaning() -> None:
    """100,000 digits would overflow the integer reader; no casualty count has more than a few digits."""
    text = clean(
        "Police said " + "9" * 100_000 + " and 1," + "000," * 10 + "000 people were killed, and 12 wounded."
    ).text
    assert "9" * (MAX_DIGITS + 1) not in text and "000,000" not in text and "12 wounded" in text


def test_ordinary_numbers_survive_cleaning() -> None:
    text = "On 2024-10-11, 1,200 people fled and 3.5 million were displaced; call 0092 300 1234567."
    assert clean(text).text == text


def test_no_sentence_is_longer_than_the_bound() -> None:
    """A text without a stop would be one sentence, and every per-sentence stage would grow with its square."""
    text = "killed " * 5000
    sentences = split(text)
    assert max(s.end - s.start for s in sentences) <= MAX_SENTENCE
    assert " ".join(text[s.start : s.end] for s in sentences) == text.strip()
