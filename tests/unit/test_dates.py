import itertools
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tollstream.core.dates import DateMention, days_between, find_dates, is_distant

TUESDAY = date(2024, 2, 6)


def only(text: str, published: date | None = TUESDAY) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_weekday_is_the_most_recent_such_day_before_publication():
    """A weekday names one day, counted back from publication: two shootings two days apart are two."""
    mention = only("Gunmen struck the checkpoint on Friday, police said.")
    assert (mention.text, mention.date, mention.tolerance_days) == ("Friday", date(2024, 2, 2), 0)


def test_weekday_of_publication_is_the_publication_day():
    assert only("The market was hit on Tuesday morning.").date == TUESDAY


def test_weekday_qualifiers_stay_in_the_mention():
    mentions = find_dates("Fighters attacked early Saturday and again on Sunday night.", TUESDAY)
    assert [(m.text, m.date) for m in mentions] == [
        ("early Saturday", date(2024, 2, 3)),
        ("Sunday night", date(2024, 2, 4)),
    ]


def test_last_weekday_on_that_weekday_means_a_week_earlier():
    assert only("He recalled last Tuesday's raid.").date == date(2024, 1, 30)


def test_yesterday_and_today_count_back_from_publication():
    mentions = find_dates("Two died yesterday and three more today.", TUESDAY)
    assert [m.date for m in mentions] == [date(2024, 2, 5), TUESDAY]


def test_last_week_is_about_seven_days_back_with_loose_tolerance():
    mention = only("A convoy was ambushed last week.")
    assert mention.date == date(2024, 1, 30) and mention.tolerance_days == 4


def test_earlier_in_the_week_is_a_few_days_back():
    mention = only("Rockets fell on the town earlier in the week.")
    assert days_between(mention.date, TUESDAY) <= 4 and mention.tolerance_days == 4


def test_bare_month_is_its_most_recent_occurrence_at_mid_month():
    mention = only("Dozens were kidnapped in August.")
    assert mention.date == date(2023, 8, 16) and 14 <= mention.tolerance_days <= 16


def test_publication_month_is_cut_at_publication():
    mention = only("The raids began in February.")
    assert date(2024, 2, 1) <= mention.date <= TUESDAY


def test_month_qualifier_narrows_the_period():
    mention = only("Clashes flared in mid-June.")
    assert mention.date == date(2023, 6, 15) and mention.tolerance_days < 10


def test_last_year_and_a_named_year_cover_the_whole_year():
    mentions = find_dates("Unlike last year, the worst attack came in 2017.", TUESDAY)
    assert [(m.date, m.tolerance_days) for m in mentions] == [(date(2023, 7, 2), 182), (date(2017, 7, 2), 182)]


def test_day_range_gives_first_day_and_spread():
    mention = only("Voting took place on 15 and 16 October.")
    assert mention.date == date(2023, 10, 15) and mention.tolerance_days == 1


def test_day_and_month_without_year_falls_on_or_before_publication():
    assert only("The bombing of October 15 still haunts them.").date == date(2023, 10, 15)


def test_near_future_day_keeps_the_publication_year():
    assert only("Polls open on 8 February.").date == date(2024, 2, 8)


def test_explicit_date_is_exact():
    mention = only("The siege ended on Oct. 15, 2016, officials said.")
    assert (mention.date, mention.tolerance_days) == (date(2016, 10, 15), 0)


def test_weekday_before_a_full_date_is_one_mention():
    mention = only("Mourners gathered on Sunday, Oct. 30, 2022, a day later.")
    assert mention.text == "Sunday, Oct. 30, 2022" and mention.date == date(2022, 10, 30)


def test_ordinal_day_month_year():
    assert only("QUETTA (4th Mar, 2022): A blast").date == date(2022, 3, 4)


def test_iso_date():
    assert only("Updated 2024-02-05 09:00").date == date(2024, 2, 5)


def test_past_48_hours_centres_on_the_day_before():
    mention = only("Rescuers found more bodies over the past 48 hours.")
    assert (mention.date, mention.tolerance_days) == (date(2024, 2, 5), 2)


def test_past_year_spans_half_a_year_either_way():
    mention = only("Attacks have doubled over the past year.")
    assert 182 <= mention.tolerance_days <= 184


def test_days_ago():
    assert only("The hostages were seized three days ago.").date == date(2024, 2, 3)


def test_modal_may_and_verb_march_are_not_months():
    assert find_dates("Officials may 5 times revise it; crowds march 3 km.", TUESDAY) == []


def test_a_year_before_a_comma_is_a_year():
    """'In 2014, 276 students were kidnapped': the comma ends the phrase, it does not group digits."""
    (mention,) = find_dates("In 2014, 276 students were kidnapped.", TUESDAY)
    assert mention.date == date(2014, 7, 2)


def test_a_year_in_a_grouped_number_is_no_year():
    assert find_dates("In 2014,500 ballots the clerks found errors.", TUESDAY) == []


def test_counts_after_the_are_not_years():
    assert find_dates("Among the 2000 people inside, many fled.", TUESDAY) == []


def test_month_abbreviation_inside_a_name_is_not_a_date():
    assert find_dates("Police in Lakki Marwat reported it.", TUESDAY) == []


def test_without_publication_relative_dates_are_unresolved():
    mentions = find_dates("It happened on Friday, not on 3 March 2021.", None)
    assert [m.date for m in mentions] == [None, date(2021, 3, 3)]


def test_far_dates_are_distant_and_recent_ones_are_not():
    old, recent = find_dates("Unlike the 2017 truck bomb, Friday's blast was smaller.", TUESDAY)
    assert is_distant(old, TUESDAY) and not is_distant(recent, TUESDAY)


def test_vague_recent_period_is_not_distant():
    assert not is_distant(only("Violence rose over the past year."), TUESDAY)


WORDS = [
    "on",
    "Friday",
    "May",
    "5",
    "2017",
    "in",
    "August",
    "last",
    "week",
    "the",
    "past",
    "48",
    "hours",
    "Oct.",
    "15,",
    "ago",
    "three",
    "days",
    "early",
    "and",
    "16",
    "\n",
    ".",
    "yesterday",
]


@given(st.lists(st.sampled_from(WORDS), max_size=20), st.dates(date(1950, 1, 1), date(2100, 1, 1)))
def test_mentions_are_ordered_disjoint_spans_of_the_text(words, published):
    text = " ".join(words)
    mentions = find_dates(text, published)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start


def test_sentence_full_stop_is_not_part_of_the_date():
    assert only("The curfew was lifted on 16 October.").text == "16 October"
