"""Cleaning scraped pages before extraction."""

from tollstream.core.clean import clean, normalise


def test_clean_folds_curly_quotes_and_dashes():
    assert normalise("the province\u2019s \u201cdeadliest\u201d day \u2013 officials") == (
        'the province\'s "deadliest" day - officials'
    )


def test_clean_repairs_thai_apostrophe_mojibake():
    assert normalise("Syria\u0e42s capital") == "Syria's capital"


def test_clean_turns_non_breaking_spaces_into_spaces():
    assert clean("Nine\u00a0people died.").text == "Nine people died."


def test_clean_drops_donation_banner_lines():
    page = (
        "Your support helps us to tell the story\nA bomb killed four traders.\nYour support makes all the difference."
    )
    assert clean(page).text == "A bomb killed four traders."


def test_clean_drops_a_single_line_banner_with_read_more():
    page = "Support Now From climate to courts, we are on the ground. Read more\nTwo guards were hurt."
    assert clean(page).text == "Two guards were hurt."


def test_clean_drops_leading_page_date_stamp():
    assert clean(" date 2026-02-01 Eleven pilgrims were injured.").text == "Eleven pilgrims were injured."


def test_clean_drops_photo_captions():
    page = "open image in gallery Rescuers search the rubble ( AFP via Getty Images )\nFive miners were rescued."
    assert clean(page).text == "Five miners were rescued."


def test_clean_drops_sponsored_and_url_lines():
    page = "Gunmen raided a market.\nSponsored\nhttps://twitter.com/someone/status/123456\nThree traders died."
    assert clean(page).text == "Gunmen raided a market.\nThree traders died."


def test_clean_drops_related_stories_after_their_heading():
    page = "A car bomb killed 12 people.\nMore in this section\nMan held over 2015 killings of two hikers"
    assert clean(page).text == "A car bomb killed 12 people."


def test_clean_drops_repeated_lines():
    page = "Blast kills six in market\nBlast kills six in market\nThe blast hit at noon."
    assert clean(page).text == "Blast kills six in market\nThe blast hit at noon."


def test_clean_lifts_dateline_into_metadata():
    cleaned = clean("KANO, Nigeria - Bandits seized 40 travellers on Sunday.")
    assert (cleaned.dateline, cleaned.text) == ("KANO, Nigeria", "Bandits seized 40 travellers on Sunday.")


def test_clean_lifts_dateline_with_agency_in_brackets():
    cleaned = clean("LAHORE, (City Wire - 3rd Jan, 2023 ) :A grenade hurt seven shoppers.")
    assert (cleaned.dateline, cleaned.text) == ("LAHORE", "A grenade hurt seven shoppers.")


def test_clean_keeps_capitalised_words_that_are_no_dateline():
    assert clean("RESCUE teams searched the debris.").dateline is None


def test_clean_paragraph_offsets_slice_the_cleaned_text():
    cleaned = clean("First paragraph.\n\nSecond one.")
    assert [cleaned.text[a:b] for a, b in cleaned.paragraphs()] == ["First paragraph.", "Second one."]


def test_clean_parts_words_a_scraper_glued_together():
    """Page blocks run together ("three injuredJune 4, 2019") would turn a date into a count."""
    assert clean("Two dead, three injuredJune 4, 2019 - Police name the victims").text == (
        "Two dead, three injured June 4, 2019 - Police name the victims"
    )


def test_clean_keeps_names_with_an_inner_capital_whole():
    assert (
        clean("Flights resumed at McAllen and DeKalb airports.").text
        == "Flights resumed at McAllen and DeKalb airports."
    )
