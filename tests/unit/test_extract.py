"""From an article to claims: main incident first, background incidents after."""

from datetime import date

from schemas.article import Article
from tollstream.core.clean import clean
from tollstream.core.extract import extract_claims
from tollstream.core.sentences import split


def article(text: str, published: str = "2024-10-11", **extra) -> Article:
    return Article(text=text, published_at=published, source="example.org", **extra)


def main_figures(claims) -> set[tuple[str, int]]:
    return {(f.category, f.best) for c in claims if not c.background for f in c.figures}


def background_figures(claims) -> set[tuple[str, int]]:
    return {(f.category, f.best) for c in claims if c.background for f in c.figures}


def test_extract_main_claim_comes_first_with_deterministic_id():
    claims = extract_claims(article("Gunmen shot dead 18 coal workers in Duki on Friday, police said."), "a1")
    assert [(c.claim_id, c.background) for c in claims] == [("a1#0", False)]
    assert main_figures(claims) == {("killed_civilians", 18)}


def test_extract_carries_article_metadata():
    (claim,) = extract_claims(article("A bomb killed four traders on Friday.", produced_at=12.5), "a1")
    assert (claim.source, claim.published_at, claim.produced_at) == ("example.org", date(2024, 10, 11), 12.5)


def test_extract_resolves_the_incident_date_from_the_text():
    (claim,) = extract_claims(article("A bomb killed four traders on Wednesday."), "a1")
    assert claim.incident_date == date(2024, 10, 9)


def test_extract_a_date_told_as_a_sequel_is_not_the_incidents():
    """Troops freed 40 pupils on Thursday after their abduction late on Monday: the incident is Monday's."""
    text = "Troops freed 40 pupils on Thursday after their abduction from a school in the hills late on Monday."
    (claim,) = extract_claims(article(text), "a1")
    assert claim.incident_date == date(2024, 10, 7)


def test_extract_the_day_a_toll_stood_is_not_the_incidents():
    """A bomb went off on Tuesday; by Thursday the toll had climbed to 15: the incident is Tuesday's."""
    text = "A bomb exploded at a bus stand in the old town on Tuesday. By Thursday the toll had climbed to 15."
    (claim,) = extract_claims(article(text), "a1")
    assert claim.incident_date == date(2024, 10, 8)
    assert main_figures([claim]) == {("killed_total", 15)}


def test_extract_a_month_long_ago_is_background():
    text = (
        "Gunmen killed 20 miners on Friday, police said.\n"
        "The same group launched attacks in August that killed over 50 people across the province."
    )
    claims = extract_claims(article(text), "a1")
    assert main_figures(claims) == {("killed_civilians", 20)}
    assert background_figures(claims) == {("killed_total", 51)}
    assert claims[1].claim_id == "a1#1"


def test_extract_background_sentence_takes_the_rest_of_its_paragraph():
    text = (
        "A blast killed nine worshippers on Friday.\n"
        "Last year the group staged raids that killed 40 people. Twelve pilgrims also died in those raids."
    )
    claims = extract_claims(article(text), "a1")
    assert main_figures(claims) == {("killed_civilians", 9)}
    assert background_figures(claims) == {("killed_total", 40), ("killed_civilians", 12)}


def test_extract_another_attack_told_in_a_relative_clause_is_background():
    text = (
        "Attackers killed 14 soldiers at a checkpoint on Monday.\n"
        "The army said the post was rebuilt.\n"
        "This week the group also claimed an attack outside the airport that killed two engineers."
    )
    assert background_figures(extract_claims(article(text), "a1")) == {("killed_civilians", 2)}


def test_extract_tallies_over_a_period_are_background():
    text = (
        "Militants killed 10 policemen on Saturday.\n"
        "Officials said 90 militants have been killed in the past 48 hours across the region."
    )
    claims = extract_claims(article(text, "2026-01-31"), "a1")
    assert main_figures(claims) == {("killed_security", 10)}


def test_extract_a_span_of_years_gathers_other_incidents():
    """'Over three and a half years, 18 children were wounded': a statistic, not this shooting."""
    text = (
        "A man was wounded in a shooting on Elm Street on Sunday.\n"
        "Over three and a half years, 18 children were wounded and seven killed by guns in the county."
    )
    claims = extract_claims(article(text, "2016-05-02"), "a1")
    assert main_figures(claims) == {("injured_total", 1)}


def test_extract_a_count_of_many_incidents_is_a_tally():
    """'There were 52 such shootings, with 31 people wounded': incidents counted together are background."""
    text = (
        "Two teenagers were wounded in a shooting outside a school on Friday.\n"
        "The city recorded 52 such shootings in which 31 people were wounded."
    )
    claims = extract_claims(article(text, "2016-05-02"), "a1")
    assert main_figures(claims) == {("injured_total", 2)}


def test_extract_militants_counted_in_operations_are_no_count_of_incidents():
    """'Killed 12 militants in operations' counts militants: the figure stays the report's own."""
    text = "Officials said security forces had killed 12 militants in operations after the attacks on Sunday."
    claims = extract_claims(article(text, "2024-08-27"), "a1")
    assert main_figures(claims) == {("killed_militants", 12)}


def test_extract_separately_reports_a_second_incident_as_its_own_claim():
    """'Separately, ...' tells another incident of the same time: its own claim, to reach its own event."""
    text = "Six militants who stormed the base were killed. Separately, an operation elsewhere killed 15 militants."
    claims = extract_claims(article(text), "a1")
    assert {(f.category, f.best) for f in claims[0].figures} == {("killed_militants", 6)}
    assert [(c.claim_id, c.background) for c in claims] == [("a1#0", False), ("a1#1", False)]
    assert {(f.category, f.best) for f in claims[1].figures} == {("killed_militants", 15)}


def test_extract_years_ago_is_background():
    text = (
        "A car bomb killed 30 people in the capital on Saturday.\n"
        "It was the worst attack since a truck bombing at the same junction killed 500 people five years ago."
    )
    assert main_figures(extract_claims(article(text, "2022-10-31"), "a1")) == {("killed_total", 30)}


def test_extract_numbers_inside_dates_are_not_figures():
    text = "A bomb killed 8 people on Friday.\nIn October 2017, 500 people lost their lives at the same spot."
    claims = extract_claims(article(text, "2022-10-31"), "a1")
    assert ("killed_total", 2017) not in background_figures(claims)


def test_extract_breakdown_of_a_count_already_given_is_dropped():
    text = (
        "The head teacher said 300 pupils were kidnapped by bandits on Thursday.\n"
        "He said 190 pupils from the upper school and 130 from the lower school were abducted, with 20 later escaping."
    )
    assert main_figures(extract_claims(article(text, "2024-03-08"), "a1")) == {("abducted_total", 300)}


def test_extract_attribution_comes_from_the_paragraph_when_the_sentence_has_none():
    text = "Twelve soldiers were killed in the ambush. The army said the attackers fled."
    (claim,) = extract_claims(article(text), "a1")
    assert (claim.figures[0].attribution, claim.figures[0].authority) == ("military", "official")


def test_extract_natural_disaster_yields_no_claims():
    text = "At least 19 people have been killed in flash floods after monsoon rains, the disaster agency said."
    assert extract_claims(article(text, "2022-09-02"), "a1") == []


def test_extract_election_results_yield_no_figures():
    text = "Independent candidates won 93 seats and the ruling party 75 seats, the election commission said."
    assert main_figures(extract_claims(article(text, "2024-02-09"), "a1")) == set()


def test_extract_incident_without_numbers_still_gives_a_main_claim():
    claims = extract_claims(article("Gunmen attacked a police station in Peshawar on Friday."), "a1")
    assert [(c.background, c.figures) for c in claims] == [(False, [])]


def test_extract_title_is_read_when_the_text_lacks_it():
    claims = extract_claims(article("Rescuers searched the rubble.", title="Market bombing kills 31"), "a1")
    assert main_figures(claims) == {("killed_total", 31)}


def test_extract_spans_refer_to_the_cleaned_text():
    raw = "Your support helps us to tell the story\nQUETTA, Pakistan \u2013 A blast killed 9 people on Friday."
    cleaned = clean(raw).text
    for claim in extract_claims(article(raw), "a1"):
        for figure in claim.figures:
            assert cleaned[figure.span.start : figure.span.end] == figure.span.text


def test_extract_dateline_place_backs_the_incident_place():
    (claim,) = extract_claims(article("QUETTA, Pakistan - A blast killed 9 people on Friday."), "a1")
    assert claim.place is not None and claim.place.country == "PK"


def test_extract_retaliation_is_another_incident():
    """Strikes in retaliation for an attack are a second incident of their own, not part of its toll."""
    text = (
        "Militants killed 40 soldiers at a border post on Friday, the army said.\n"
        "Retaliatory air strikes on the militants' camps killed 25 people, local officials said."
    )
    claims = extract_claims(article(text), "a1")
    assert {(f.category, f.best) for f in claims[0].figures} == {("killed_security", 40)}
    assert {(f.category, f.best) for c in claims[1:] for f in c.figures} == {("killed_total", 25)}


def test_extract_a_counterattack_counted_with_the_attack_is_the_same_incident():
    """'Raids on checkpoints, and the retaliatory operations that followed, killed 48' is one toll of one incident."""
    text = (
        "Rebels struck checkpoints across the province on Monday night.\n\n"
        "Raids by rebels on three checkpoints, together with retaliatory operations by the army,"
        " killed more than 48 people, officials said on Tuesday."
    )
    (claim,) = extract_claims(article(text), "a1")
    assert {(f.category, f.best) for f in claim.figures} == {("killed_total", 49)}


def test_extract_a_place_beside_the_incident_word_but_not_tied_to_it_is_not_the_incidents():
    """Only a place with its preposition, or one the incident noun directly follows, ties to the incident."""
    text = (
        "Gunmen stormed a village in Kenya near the border with Somalia on Friday, killing 12 herders."
        " Families fled to Somalia when gunmen returned at night, an official said."
    )
    (claim,) = extract_claims(article(text), "a1")
    assert claim.place is not None and claim.place.country == "KE"


def test_extract_same_text_gives_the_same_claims():
    text = "Gunmen killed 5 villagers on Friday. Separately, a raid killed 3 rebels."
    assert extract_claims(article(text), "x") == extract_claims(article(text), "x")


def test_extract_sentences_do_not_split_after_abbreviations():
    cleaned = clean("Mr. Khan said 4 guards died. Dr. Ali agreed.")
    assert [cleaned.text[s.start : s.end] for s in split(cleaned.text)] == [
        "Mr. Khan said 4 guards died.",
        "Dr. Ali agreed.",
    ]


def test_a_related_storys_headline_in_the_body_is_another_incident():
    """A title-case line with no full stop, past the first line, is a link to another story."""
    text = (
        "Gunmen shot dead six farmers in a village near the river on Thursday, police said.\n"
        "Nine Hurt as Truck Overturns on Mountain Pass\n"
        "The farmers were harvesting when the attackers arrived on motorbikes, a witness said."
    )
    claims = extract_claims(article(text), "a1")
    assert main_figures(claims) == {("killed_civilians", 6)}
    assert background_figures(claims) == {("injured_total", 9)}


def test_a_report_s_own_title_line_and_sentence_case_subheads_are_read():
    """Only headline-shaped lines past the first are other stories; subheads in sentence case are this one's."""
    text = (
        "Six Farmers Shot Dead in Village Raid\n"
        "Gunmen opened fire on a village near the river on Thursday, police said.\n"
        "Toll rises to nine after three die in hospital\n"
        "The farmers were harvesting when the attackers arrived on motorbikes, a witness said."
    )
    claims = extract_claims(article(text), "a1")
    assert ("killed_civilians", 6) in main_figures(claims) and ("killed_total", 9) in main_figures(claims)


def test_a_related_headline_that_ends_in_a_quoted_title_is_another_incident():
    """A headline may end on a closing quote ("... in 'Worst Flood in Years'") and still be a link line."""
    text = (
        "Gunmen shot dead six farmers in a village near the river on Thursday, police said.\n"
        "40 Sick, 3 Dead in 'Worst Food Poisoning in Years'\n"
        "The farmers were harvesting when the attackers arrived on motorbikes, a witness said."
    )
    claims = extract_claims(article(text), "a1")
    assert main_figures(claims) == {("killed_civilians", 6)}


def test_victims_taken_to_nearby_hospitals_are_not_abducted():
    """'All four victims were taken to nearby hospitals': carried to care, not away by captors."""
    text = "A gunman opened fire on a porch on Monday night. All four victims were taken to nearby hospitals."
    claims = extract_claims(article(text), "a1")
    assert not any(category.startswith("abducted") for category, _ in main_figures(claims))


def test_a_count_of_what_did_not_happen_is_no_figure():
    """'There should've been five people dead that day': the speaker says nobody died."""
    text = (
        "Thirteen people were wounded when gunmen fired into a crowd on Sunday, police said.\n"
        '"It is only luck that no one died," the chief said. "There should\'ve been five or six people dead."'
    )
    claims = extract_claims(article(text), "a1")
    assert main_figures(claims) == {("injured_total", 13)}


def test_a_season_gone_by_recalls_another_incident():
    """'Last summer, one man was killed ...' in a report of this week's shooting is an older incident."""
    text = (
        "Two men were wounded in a shooting outside a bar on Saturday, police said.\n\n"
        "Last summer, one man was killed and eight people were injured in a shooting in the same street."
    )
    claims = extract_claims(article(text), "a1")
    assert main_figures(claims) == {("injured_total", 2)}
