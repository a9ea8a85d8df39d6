"""Casualty figures in one sentence."""

import pytest

from tollstream.core.figures import find_figures
from tollstream.core.sources import attribute


def figures(text: str) -> list[tuple[str, int]]:
    """Written figures: one victim named without a number (implicit) is specified in test_singular_victims."""
    return [(f.figure.category, f.value) for f in find_figures(text) if not f.figure.implicit]


def one(text: str):
    (found,) = find_figures(text)
    return found.figure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attackers shot dead 20 coal workers near the pit.", ("killed_civilians", 20)),
        ("Twelve passengers died when the bus was ambushed.", ("killed_civilians", 12)),
        ("Nine people lost their lives in the explosion.", ("killed_total", 9)),
        ("Four personnel were martyred in the raid.", ("killed_security", 4)),
        ("At least 23 troopers embraced martyrdom at the post.", ("killed_security", 23)),
        ("The blast killed 7 policemen outside the station.", ("killed_security", 7)),
        ("Security forces killed 12 insurgents in the hills.", ("killed_militants", 12)),
        ("All five attackers were engaged and sent to hell.", ("killed_militants", 5)),
        ("The shelling claimed the lives of 8 villagers.", ("killed_civilians", 8)),
        ("The ambush resulted in the deaths of 30 individuals.", ("killed_total", 30)),
        ("The raid claimed at least 32 civilian lives.", ("killed_civilians", 32)),
        ("Three police deaths were reported after the raid.", ("killed_security", 3)),
    ],
)
def test_figures_killed_by_verb_noun_or_idiom(text, expected):
    assert figures(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Eleven shoppers were wounded in the market blast.",
        "The grenade hurt 11 people.",
        "A roadside bomb left 11 soldiers injured.",
        "Doctors said 11 survivors were hospitalised with burns.",
    ],
)
def test_figures_injured_counts_everyone_together(text):
    assert figures(text) == [("injured_total", 11)]


def test_figures_abducted_schoolchildren_count_as_abducted_total():
    assert figures("More than 90 pupils have been kidnapped from the boarding school.") == [("abducted_total", 90)]


def test_figures_missing_is_its_own_kind():
    assert figures("Six fishermen went missing after the attack.") == [("missing_total", 6)]


def test_figures_passive_shot_means_wounded():
    assert figures("One student was shot by the raiders.") == [("injured_total", 1)]


@pytest.mark.parametrize(
    "text", ["Three pupils were struck by gunfire at the gate.", "Three pupils were stabbed at the gate."]
)
def test_figures_wounds_said_by_weapon_are_injuries(text):
    assert figures(text) == [("injured_total", 3)]


@pytest.mark.parametrize(
    "text",
    ["Two guards were fatally shot at the gate.", "Two guards fatally stabbed outside the bank were named."],
)
def test_figures_fatally_makes_a_wound_a_death(text):
    """ "Fatally" is no filler before the harm: it says the wound killed."""
    assert figures(text) == [("killed_security", 2)]


def test_figures_active_verb_after_attackers_is_not_their_harm():
    assert figures("Some 20 gunmen killed five herders.") == [("killed_civilians", 5)]


@pytest.mark.parametrize(
    "text",
    [
        "Nearly 40 gunmen stormed the workers' quarters.",
        "The group said 500 of its fighters took part.",
        "Over 30 inmates escaped from the jail.",
        "The mob set 35 vehicles ablaze.",
        "A 27-year-old man was arrested.",
        "The polls drew 27 million voters.",
        "Independents won 61 seats.",
    ],
)
def test_figures_numbers_that_count_no_victims_are_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ten of the injured were in critical condition.",
        "Nine of the bodies were burned beyond recognition.",
        "Five of them died later.",
    ],
)
def test_figures_subsets_of_a_count_already_given_are_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize("text", ["Two more soldiers were martyred.", "An additional 30 were traced and shot dead."])
def test_figures_increments_are_not_counts(text):
    assert figures(text) == []


def test_figures_ages_are_not_counts():
    assert figures("The pupils, between the ages of eight and 15, were taken away.") == []


def test_figures_vague_quantities_are_not_figures():
    assert figures("Dozens were wounded and scores were killed.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The death toll from the mosque bombing rose to 62 on Saturday.", 62),
        ("The number of people who died has reached 100.", 100),
        ("Market blast claims 57 lives", 57),
        ("The explosions left 120 dead.", 120),
        ("Car bombs kill at least nine", 9),
    ],
)
def test_figures_tolls_and_bare_numbers_count_all_dead(text, value):
    assert figures(text) == [("killed_total", value)]


def test_figures_enumeration_shares_its_verb():
    text = "The governor said 40 civilians, 12 members of the security forces and 90 militants had died."
    assert figures(text) == [("killed_civilians", 40), ("killed_security", 12), ("killed_militants", 90)]


def test_figures_enumeration_shares_a_verb_before_it():
    assert figures("The raids claimed the lives of 15 civilians and 9 police officials.") == [
        ("killed_civilians", 15),
        ("killed_security", 9),
    ]


def test_figures_coordinated_nouns_under_one_number_keep_their_group():
    assert figures("Officials said 14 soldiers and police, and 30 rebels, were killed.") == [
        ("killed_security", 14),
        ("killed_militants", 30),
    ]


def test_figures_members_of_one_group_are_summed():
    assert figures("Among the civilian casualties were two women and four children in the port town.") == [
        ("killed_civilians", 6)
    ]


def test_figures_sum_skips_a_numberless_member_of_another_group():
    text = "The bomb killed seven people, including four pupils, a police officer and two bystanders."
    assert figures(text) == [("killed_total", 7), ("killed_civilians", 6)]


def test_figures_killed_and_injured_give_two_figures():
    assert figures("The blast left 14 dead and 51 injured.") == [("killed_total", 14), ("injured_total", 51)]


def test_figures_qualifier_carries_to_a_member_whose_verb_is_elided():
    found = find_figures("At least eight people killed and 21 others injured in the blast.")
    assert [(f.figure.category, f.figure.qualifier) for f in found] == [
        ("killed_total", "at_least"),
        ("injured_total", "at_least"),
    ]


def test_figures_qualifier_stays_with_its_own_clause():
    found = find_figures("At least 10 constables were martyred and seven others got injured.")
    assert [f.figure.qualifier for f in found] == ["at_least", "exact"]


def test_figures_bare_number_shares_the_noun_after_it():
    assert figures("The minister said only 120 and not 300 students were abducted.") == [
        ("abducted_total", 120),
        ("abducted_total", 300),
    ]


def test_figures_elided_verb_after_a_place():
    text = "The head teacher said 150 pupils were kidnapped from the junior school and 80 from the senior school."
    assert figures(text) == [("abducted_total", 150), ("abducted_total", 80)]


def test_figures_among_a_larger_count_is_partial():
    found = find_figures("Three minors were among nine killed in the blast.")
    assert [(f.figure.category, f.value, f.figure.partial) for f in found] == [
        ("killed_civilians", 3, True),
        ("killed_total", 9, False),
    ]


def test_figures_made_up_the_total_shares_the_harm_of_the_total():
    text = "Five security personnel, two civilians and one village elder made up the eight killed."
    assert figures(text) == [("killed_security", 5), ("killed_civilians", 2), ("killed_total", 8)]


def test_figures_including_marks_a_sub_count_of_the_count_before():
    found = find_figures("So far, eleven individuals have been martyred, including six schoolgirls.")
    assert [(f.figure.category, f.figure.partial) for f in found] == [
        ("killed_total", False),
        ("killed_civilians", True),
    ]


@pytest.mark.parametrize(
    "text", ["Nearly 80 militants were killed on Saturday alone.", "It killed 10 people in one attack."]
)
def test_figures_alone_and_one_attack_mark_partial(text):
    assert one(text).partial


def test_figures_a_group_among_the_injured_is_no_injured_total():
    assert figures("Four policemen were among the injured.") == []


def test_figures_victims_of_an_appositive_still_take_the_verb():
    assert figures("On Friday, 31 people, including a guard, lost their lives.") == [("killed_total", 31)]


def test_figures_relative_clause_between_victims_and_passive_verb():
    assert figures("Six militants who stormed the compound were killed.") == [("killed_militants", 6)]


def test_figures_span_slices_the_text():
    text = "Officials said at least 56 people were killed and 194 were injured."
    for found in find_figures(text):
        span = found.figure.span
        assert text[span.start : span.end] == span.text


def test_figures_offsets_refer_to_the_whole_text():
    text = "First sentence. Gunmen killed 4 guards."
    (found,) = find_figures(text, 16, len(text))
    assert found.figure.span.text == "4 guards"


def test_figures_written_value_and_bounds_differ_for_more_than():
    (found,) = find_figures("Clashes killed more than 60 people.")
    assert (found.value, found.figure.low, found.figure.best) == (60, 61, 61)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Nine people were killed, police said.", ("police", "official")),
        ("According to the health ministry, 40 people died.", ("health ministry", "medical")),
        ("The chief minister said on Sunday that 31 civilians had died.", ("chief minister", "official")),
        ("A senior officer told Reuters that 12 soldiers died.", ("media", "media")),
        ("Twelve soldiers died in the clash.", None),
    ],
)
def test_figures_attribution_names_who_gave_the_figure(text, source):
    assert attribute(text, 0, len(text)) == source


def test_figures_attribution_skips_words_inside_a_group_name():
    text = "The Free Army claimed the blast killed nine people."
    assert attribute(text, 0, len(text), [(4, 13)]) is None


def test_what_a_report_shows_or_cites_is_no_victim():
    """'Two videos taken by the gunmen showed the bodies': videos are not abducted."""
    assert figures("Two videos taken by the gunmen showed the bodies in the ditch.") == []
