"""Written numbers: values, qualifiers and the bounds they allow."""

import pytest

from tollstream.core.numbers import find_numbers, word_value


def only(text: str):
    (mention,) = find_numbers(text)
    return mention


def test_numbers_digits_with_thousands_separator():
    assert only("Officials counted 1,200 displaced families.").value == 1200


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("twenty-three", 23),
        ("twenty three", 23),
        ("thirty", 30),
        ("two hundred and five", 205),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("two dozen", 24),
    ],
)
def test_numbers_word_values(words, value):
    assert word_value(words) == value


def test_numbers_word_number_in_a_sentence_keeps_its_span():
    text = "Rescuers pulled twenty-three survivors from the rubble."
    mention = only(text)
    assert (mention.value, text[mention.start : mention.end]) == (23, "twenty-three")


def test_numbers_exact_by_default():
    mention = only("Gunmen shot 14 travellers.")
    assert (mention.qualifier, mention.low, mention.best, mention.high) == ("exact", 14, 14, 14)


@pytest.mark.parametrize("phrase", ["at least", "no fewer than"])
def test_numbers_at_least_opens_the_upper_bound(phrase):
    mention = only(f"The blast killed {phrase} 9 shoppers.")
    assert (mention.qualifier, mention.low, mention.best, mention.high) == ("at_least", 9, 9, None)


@pytest.mark.parametrize("phrase", ["more than", "over"])
def test_numbers_more_than_starts_above_the_written_number(phrase):
    mention = only(f"The raid left {phrase} 60 people dead.")
    assert (mention.qualifier, mention.value, mention.low, mention.best, mention.high) == (
        "more_than",
        60,
        61,
        61,
        None,
    )


def test_numbers_over_half_a_dozen_is_more_than_six():
    mention = only("Attackers wounded over half a dozen guards.")
    assert (mention.value, mention.low, mention.qualifier) == (6, 7, "more_than")


@pytest.mark.parametrize("phrase", ["nearly", "almost"])
def test_numbers_nearly_caps_at_the_written_number(phrase):
    mention = only(f"{phrase} 100 fighters died.")
    assert (mention.qualifier, mention.low, mention.best, mention.high) == ("about", 90, 100, 100)


@pytest.mark.parametrize("phrase", ["about", "around", "some", "approximately"])
def test_numbers_about_spreads_both_ways(phrase):
    mention = only(f"Police said {phrase} 200 homes burned.")
    assert (mention.qualifier, mention.low, mention.best, mention.high) == ("about", 180, 200, 220)


@pytest.mark.parametrize("phrase", ["up to", "as many as"])
def test_numbers_up_to_caps_the_count(phrase):
    mention = only(f"The fire may have killed {phrase} 35 villagers.")
    assert (mention.qualifier, mention.best, mention.high) == ("up_to", 35, 35)


@pytest.mark.parametrize("text", ["between 20 and 25 people", "20 to 25 people", "20-25 people"])
def test_numbers_ranges_bound_low_and_high(text):
    mention = only(text)
    assert (mention.qualifier, mention.low, mention.high) == ("range", 20, 25)


def test_numbers_from_to_is_a_revision_not_a_range():
    assert [m.value for m in find_numbers("The toll rose from 9 to 15 overnight.")] == [9, 15]


@pytest.mark.parametrize("word", ["dozens", "scores", "hundreds"])
def test_numbers_vague_quantities_are_marked_vague(word):
    assert only(f"{word} of mourners gathered").vague


@pytest.mark.parametrize(
    "text",
    ["a five-year-old girl", "the 12.30am raid", "the COVID-19 ward", "no one was hurt", "it cost $5"],
)
def test_numbers_inside_tokens_are_not_numbers(text):
    assert find_numbers(text) == []
