"""Reading casualty figures out of one report: who, how many, what happened, and how firm the count is.

Every text here is invented. Expectations follow the product's annotation conventions: categories,
qualifiers, sub-counts, earlier / feared / unofficial figures and a perpetrator's own claim kept apart,
and numbers that count no casualty.
"""

from __future__ import annotations

from schemas.article import Article
from schemas.claim import Claim, Figure
from tollstream.core.extract import extract_claims

PUBLISHED = "2025-03-10"  # a Monday


# --------------------------------------------------------------------------------------------- helpers


def claims_of(text: str, title: str | None = None, published_at: str = PUBLISHED) -> list[Claim]:
    article = Article(text=text, published_at=published_at, title=title, source="Spec Desk")
    return extract_claims(article, "a1")


def main_claim(text: str, title: str | None = None, published_at: str = PUBLISHED) -> Claim:
    claims = claims_of(text, title, published_at)
    assert claims, "no claim extracted"
    claim = claims[0]
    assert not claim.background, "claim 0 must be the main incident"
    return claim


def figs(claim: Claim, category: str) -> list[Figure]:
    return [f for f in claim.figures if f.category == category]


def kept_apart(fig: Figure) -> bool:
    """True when the figure is no firm current count of this report: a sub-count, a group's own claim,
    or an earlier, feared or unofficial figure."""
    return fig.authority == "perpetrator" or fig.partial or fig.standing != "current"


def firm(claim: Claim, category: str) -> list[Figure]:
    return [f for f in figs(claim, category) if not kept_apart(f)]


def firm_values(claim: Claim, category: str) -> set[int]:
    return {f.best for f in firm(claim, category)}


def values(claim: Claim, category: str) -> set[int]:
    return {v for f in figs(claim, category) for v in (f.value, f.best) if v is not None}


def any_values(claim: Claim, kind: str | None = None) -> set[int]:
    return {v for f in claim.figures if kind is None or f.kind == kind for v in (f.value, f.best) if v is not None}


def firm_killed_any_group(claim: Claim) -> set[int]:
    return {f.best for f in claim.figures if f.kind == "killed" and not kept_apart(f)}


def one(claim: Claim, category: str, value: int) -> Figure:
    found = [f for f in figs(claim, category) if f.value == value or f.best == value]
    assert found, f"no {category} figure of {value}: {[(f.category, f.value) for f in claim.figures]}"
    return found[0]


# ------------------------------------------------------------------- toll words followed by a non-noun


def test_toll_climbed_to_number_followed_by_after_clause():
    """By Monday the death toll had climbed to 19 after one more wounded passenger died in hospital."""
    claim = main_claim(
        "A bomb hidden in a fruit cart exploded outside a bus terminal in Kandahar on Saturday. "
        "By Monday the death toll had climbed to 19 after one more wounded passenger died in hospital, "
        "a provincial health official said."
    )
    assert 19 in firm_values(claim, "killed_total")


def test_toll_stood_at_number_followed_by_preposition():
    """The number of dead stood at 27 as of Tuesday evening, the Red Crescent said."""
    claim = main_claim(
        "Gunmen opened fire on a wedding convoy near Tal Afar in northern Iraq on Sunday. "
        "The number of dead stood at 27 as of Tuesday evening, the Red Crescent said."
    )
    assert 27 in firm_values(claim, "killed_total")


# ------------------------------------------------------------------------------------ injured tolls


def test_toll_of_injured_is_injured_not_killed():
    """The toll of injured rose to 60 overnight, while nine people were confirmed dead."""
    claim = main_claim(
        "A car bomb went off near a cattle market in Beledweyne, Somalia, on Thursday. "
        "The toll of injured rose to 60 overnight, while nine people were confirmed dead, "
        "the regional health ministry said."
    )
    assert 60 in firm_values(claim, "injured_total")
    assert 60 not in values(claim, "killed_total")


def test_number_of_wounded_climbed_is_injured():
    """The number of wounded has climbed to 45, doctors at the district hospital said."""
    claim = main_claim(
        "Four people died when a grenade was thrown into a crowded tea house in Imphal on Friday. "
        "The number of wounded has climbed to 45, doctors at the district hospital said on Sunday."
    )
    assert 45 in firm_values(claim, "injured_total")
    assert 45 not in values(claim, "killed_total")


# ---------------------------------------------------------------------------- hyphenated number words


def test_hyphenated_hundreds_with_more_than():
    """More than three-hundred people were injured in the stampede that followed the blasts."""
    claim = main_claim(
        "Twin explosions hit a crowded festival ground in Kano on Saturday, killing 14 people, police said. "
        "More than three-hundred people were injured in the blasts and the panic that followed."
    )
    fig = one(claim, "injured_total", 300)
    assert fig.qualifier == "more_than"
    assert fig.low == 301
    assert fig.high is None


def test_hyphenated_tens_at_sentence_start():
    """Forty-two people were killed when fighters overran the army base."""
    claim = main_claim(
        "Forty-two people were killed when fighters overran an army base near Tillaberi in western Niger "
        "on Wednesday, the defence ministry said."
    )
    assert 42 in firm_values(claim, "killed_total") | firm_values(claim, "killed_security")


def test_number_words_hundreds_and_tens_abducted():
    """Two-hundred and eighty-six students were abducted from the boarding school."""
    claim = main_claim(
        "Armed men on motorbikes stormed a boarding school in Zuru, Kebbi State, before dawn on Thursday. "
        "Two-hundred and eighty-six students were abducted, the state government said."
    )
    assert 286 in firm_values(claim, "abducted_total")


def test_hyphenated_others_wounded():
    """Sixty-three others were wounded, some of them critically."""
    claim = main_claim(
        "A suicide bomber killed eleven people at a police recruitment centre in Mogadishu on Monday. "
        "Sixty-three others were wounded, some of them critically, an ambulance service said."
    )
    assert 63 in firm_values(claim, "injured_total")


# ------------------------------------------------------------------ victims apart from the harm verb


def test_victims_and_verb_separated_by_dashes():
    """Three policemen — an inspector and two constables — were martyred at the checkpost."""
    claim = main_claim(
        "Militants attacked a checkpost in Lakki Marwat on Sunday night. "
        "Three policemen — an inspector and two constables — were martyred, the district police officer said."
    )
    assert firm_values(claim, "killed_security") == {3}


def test_victims_with_parenthesised_abbreviation():
    """Six Frontier Constabulary (FC) personnel were killed in the ambush."""
    claim = main_claim(
        "Six Frontier Constabulary (FC) personnel were killed when their patrol was ambushed near Tank "
        "on Tuesday, officials said."
    )
    assert 6 in firm_values(claim, "killed_security")


def test_all_attackers_involved_have_been_killed():
    """All nine gunmen who took part in the raid on the prison have been killed, the army said."""
    claim = main_claim(
        "Fighters stormed the central prison in Butembo, eastern DR Congo, on Friday, freeing dozens of inmates. "
        "All nine gunmen who took part in the raid on the prison have been killed, the army said on Saturday."
    )
    assert 9 in firm_values(claim, "killed_militants")


def test_victims_and_verb_separated_by_relative_clause():
    """Seven gendarmes, who had been guarding a polling station, were killed."""
    claim = main_claim(
        "Seven gendarmes, who had been guarding a polling station outside Djibo, were killed when "
        "jihadists attacked on Sunday, the security ministry said."
    )
    assert 7 in firm_values(claim, "killed_security")


# --------------------------------------------------------------------------------- other harm phrasings


def test_neutralised_terrorists_are_killed_militants():
    """Security forces neutralised 15 terrorists during the operation."""
    claim = main_claim(
        "Security forces neutralised 15 terrorists during an operation in North Waziristan on Saturday, "
        "the military's media wing said."
    )
    assert 15 in firm_values(claim, "killed_militants")


def test_embraced_martyrdom_is_killed():
    """Six soldiers embraced martyrdom while repulsing the attack."""
    claim = main_claim(
        "Militants attacked a border post in Zhob on Monday. Six soldiers embraced martyrdom while "
        "repulsing the attack, the army said."
    )
    assert 6 in firm_values(claim, "killed_security")


def test_sacrificed_their_lives_is_killed():
    """Two police constables sacrificed their lives defending the station."""
    claim = main_claim(
        "Gunmen attacked a police station in Bannu late on Wednesday. Two police constables sacrificed "
        "their lives defending the station, a police spokesman said."
    )
    assert 2 in firm_values(claim, "killed_security")


def test_loss_of_n_lives_is_killed_total():
    """The bombing of the bus led to the loss of 14 lives, the governor said."""
    claim = main_claim(
        "A bomb planted under a minibus exploded in Mazar-i-Sharif on Thursday. The bombing led to the "
        "loss of 14 lives, the provincial governor's spokesman said."
    )
    assert 14 in firm_values(claim, "killed_total")


def test_toll_crossed_n_is_more_than_n():
    """By nightfall the death toll had crossed 50, hospital officials said."""
    claim = main_claim(
        "Suicide bombers struck a Sufi shrine in Sehwan on Friday. By nightfall the death toll had crossed 50, "
        "hospital officials said."
    )
    fig = one(claim, "killed_total", 50)
    assert fig.qualifier == "more_than"
    assert fig.low == 51


# ------------------------------------------------------------------------- victim nouns by grammar


def _civilian_or_total_killed(claim: Claim, value: int) -> None:
    cats = {
        f.category for f in claim.figures if f.kind == "killed" and value in (f.value, f.best) and not kept_apart(f)
    }
    assert cats, f"no killed figure of {value}: {[(f.category, f.value) for f in claim.figures]}"
    assert cats <= {"killed_total", "killed_civilians"}, cats


def test_employees_are_victims():
    """Gunmen shot dead 11 employees of a telecom company at their compound."""
    claim = main_claim(
        "Gunmen shot dead 11 employees of a telecom company at their compound in Garissa, Kenya, on Tuesday, "
        "police said."
    )
    _civilian_or_total_killed(claim, 11)


def test_staff_are_victims():
    """Seven staff of a medical charity were killed when their convoy was shelled."""
    claim = main_claim(
        "Seven staff of a medical charity were killed when their convoy was shelled outside Deir al-Balah "
        "on Saturday, the charity said."
    )
    _civilian_or_total_killed(claim, 7)


def test_labourers_are_victims():
    """Twenty labourers were killed when gunmen opened fire at the construction site."""
    claim = main_claim(
        "Twenty labourers were killed when gunmen opened fire at a road construction site near Turbat "
        "on Sunday, the deputy commissioner said."
    )
    _civilian_or_total_killed(claim, 20)


def test_pilgrims_are_victims():
    """Fourteen pilgrims died when a roadside bomb struck their bus."""
    claim = main_claim(
        "Fourteen pilgrims died when a roadside bomb struck their bus on the way to Samarra on Friday, "
        "Iraqi security sources said."
    )
    _civilian_or_total_killed(claim, 14)


def test_worshippers_are_civilians():
    """At least 30 worshippers were killed when the bomber blew himself up during prayers."""
    claim = main_claim(
        "At least 30 worshippers were killed when a bomber blew himself up during Friday prayers at a mosque "
        "in Herat, a local official said."
    )
    fig = one(claim, "killed_civilians", 30)
    assert fig.qualifier == "at_least"
    assert not kept_apart(fig)


def test_miners_are_victims():
    """Gunmen killed 22 miners at an artisanal gold site."""
    claim = main_claim(
        "Gunmen killed 22 miners at an artisanal gold site near Kidal in northern Mali on Sunday, "
        "a local official said."
    )
    _civilian_or_total_killed(claim, 22)


def test_mourners_are_victims():
    """Nine mourners were killed when the funeral procession was fired upon."""
    claim = main_claim(
        "Nine mourners were killed when a funeral procession was fired upon in Culiacan, Sinaloa, "
        "on Wednesday, state prosecutors said."
    )
    _civilian_or_total_killed(claim, 9)


# ------------------------------------------------------------------------------------ toll phrasings


def test_put_the_number_at():
    """After visiting the hospital, the district commissioner put the number at 30."""
    claim = main_claim(
        "A blast ripped through a crowded bus station in Jalalabad on Sunday, killing several people. "
        "After visiting the hospital, the district commissioner put the number at 30."
    )
    assert 30 in firm_values(claim, "killed_total")


def test_number_of_pupils_killed_has_risen_to_word():
    """The number of pupils killed has risen to nine, the education office said."""
    claim = main_claim(
        "A bomb exploded outside a boys' school in Khuzdar on Friday as classes ended. "
        "The number of pupils killed has risen to nine, the district education office said on Saturday."
    )
    _civilian_or_total_killed(claim, 9)


def test_revised_the_toll_down_from_old_to_new():
    """Police revised the toll down from 60 to 48 after a recount of the bodies."""
    claim = main_claim(
        "Police revised the toll from Tuesday's attack on the Timbuktu livestock market down from 60 to 48 "
        "after a recount of the bodies, a spokesman said."
    )
    assert 48 in firm_values(claim, "killed_total")
    assert 60 not in firm_values(claim, "killed_total")


# -------------------------------------------------------------------------- enumerations across verb


def test_enumeration_across_the_verb_keeps_groups():
    """Eleven insurgents were killed, alongside three soldiers."""
    claim = main_claim(
        "Troops clashed with insurgents near Palma in Mozambique's Cabo Delgado province on Thursday. "
        "Eleven insurgents were killed, alongside three soldiers, the army said."
    )
    assert firm_values(claim, "killed_militants") == {11}
    assert firm_values(claim, "killed_security") == {3}


def test_as_did_enumeration_keeps_groups():
    """Seven civilians died in the blast, as did two police officers."""
    claim = main_claim(
        "A motorbike bomb exploded at a checkpoint in Kismayo on Monday. Seven civilians died in the blast, "
        "as did two police officers, a regional official said."
    )
    assert firm_values(claim, "killed_civilians") == {7}
    assert firm_values(claim, "killed_security") == {2}


def test_enumeration_inside_one_phrase_is_summed():
    """Five farmers, two traders and a shepherd were killed in the raid."""
    claim = main_claim(
        "Five farmers, two traders and a shepherd were killed when gunmen raided a village near Bokkos, "
        "Plateau State, on Sunday, residents said."
    )
    assert 8 in firm_values(claim, "killed_civilians")


# ------------------------------------------------------------------------------------------ hostages


def test_killed_hostages_are_killed():
    """The kidnappers killed 14 hostages before troops reached the camp."""
    claim = main_claim(
        "The kidnappers killed 14 hostages before troops reached their forest camp near Tsafe, Zamfara State, "
        "on Saturday, the police said."
    )
    _civilian_or_total_killed(claim, 14)
    assert 14 not in values(claim, "abducted_total")


def test_held_passengers_hostage_is_abducted():
    """Gunmen stopped the train and held 30 passengers hostage."""
    claim = main_claim(
        "Gunmen stopped a passenger train near Sibi on Tuesday and held 30 passengers hostage, railway officials said."
    )
    assert 30 in firm_values(claim, "abducted_total")
    assert 30 not in any_values(claim, "killed")


def test_rescued_hostages_are_no_casualty():
    """Special forces said 35 hostages were rescued unharmed."""
    claim = main_claim(
        "Four kidnappers were killed in a raid on a hideout in Birnin Gwari on Friday, and special forces said "
        "35 hostages were rescued unharmed."
    )
    assert 35 not in any_values(claim)


# ---------------------------------------------------------------------------------- including-counts


def test_including_women_is_a_subcount_not_the_civilian_total():
    """The death toll has risen to 18, including two women."""
    claim = main_claim(
        "Gunmen attacked a bus station in Bunia, eastern DR Congo, on Sunday. The death toll has risen to 18, "
        "including two women, the provincial governor said."
    )
    assert 18 in firm_values(claim, "killed_total")
    assert 18 not in values(claim, "killed_civilians")
    assert 2 in values(claim, "killed_civilians")


def test_including_children_does_not_replace_injured_total():
    """Forty people were wounded, including nine children."""
    claim = main_claim(
        "Six people were killed when a bomb exploded at a market in Maiduguri on Friday. Forty people were "
        "wounded, including nine children, the emergency agency said."
    )
    assert firm_values(claim, "injured_total") == {40}


# ----------------------------------------------------------------------------- non-casualty numbers


def test_bodies_handed_over_are_not_a_figure():
    """The bodies of five victims were handed over to their relatives on Monday."""
    claim = main_claim(
        "Eight people were killed when gunmen attacked a bus near Quetta on Saturday, police said. "
        "The bodies of five victims were handed over to their relatives on Monday."
    )
    assert firm_values(claim, "killed_total") | firm_values(claim, "killed_civilians") == {8}
    assert 5 not in any_values(claim)


def test_bodies_recovered_stated_as_the_dead_are_the_toll():
    """Police recovered the bodies of 13 people killed in the attack."""
    claim = main_claim(
        "Gunmen attacked the village of Kapingo in Burundi's Cibitoke province on Friday night. "
        "Police recovered the bodies of 13 people killed in the attack, a spokesman said on Saturday."
    )
    assert 13 in firm_killed_any_group(claim)


def test_bodies_recovered_count_is_not_the_toll():
    """By Wednesday rescuers had pulled six bodies from the rubble of the hotel."""
    claim = main_claim(
        "Eleven people were killed when militants stormed a hotel in Kismayo on Monday, officials said. "
        "By Wednesday rescuers had pulled six bodies from the rubble of the hotel."
    )
    assert 6 not in firm_killed_any_group(claim)
    assert 11 in firm_killed_any_group(claim)


def test_being_treated_is_not_a_figure():
    """Fourteen of the wounded are still being treated at the district hospital."""
    claim = main_claim(
        "A bomb hidden in a motorcycle killed six people and wounded 40 in Khost on Tuesday. Fourteen of the "
        "wounded are still being treated at the district hospital, a doctor said."
    )
    assert firm_values(claim, "injured_total") == {40}
    assert 14 not in any_values(claim)


def test_discharged_is_not_a_figure():
    """Thirty-one people were discharged after first aid."""
    claim = main_claim(
        "A gunman killed three people at a shopping centre in Malmo on Saturday and wounded 12, police said. "
        "Thirty-one people were discharged after first aid for minor injuries sustained in the rush to escape."
    )
    assert 31 not in any_values(claim)


def test_airlifted_is_not_a_figure():
    """Nine critically injured victims were airlifted to Peshawar."""
    claim = main_claim(
        "A suicide blast at a political gathering in Bajaur on Sunday killed 23 people and injured 50. "
        "Nine critically injured victims were airlifted to Peshawar, officials said."
    )
    assert firm_values(claim, "injured_total") == {50}
    assert 9 not in firm_values(claim, "injured_total")


def test_per_hospital_split_is_not_the_total():
    """The city hospital received 18 of the wounded and the military hospital 12."""
    claim = main_claim(
        "Thirty people were wounded and five killed when a bomb exploded near a bus stop in Aden on Friday. "
        "The city hospital received 18 of the wounded and the military hospital 12, health officials said."
    )
    assert firm_values(claim, "injured_total") == {30}


def test_of_them_children_is_a_subcount():
    """Eighty people were injured, 20 of them children."""
    claim = main_claim(
        "A car bomb killed 12 people at a busy roundabout in Idlib on Thursday. Eighty people were injured, "
        "20 of them children, the civil defence said."
    )
    assert firm_values(claim, "injured_total") == {80}


def test_arrested_is_not_a_casualty():
    """Police said 33 people were arrested after the attack."""
    claim = main_claim(
        "Four people were killed when gunmen fired on a market in Tumaco, Colombia, on Sunday. "
        "Police said 33 people were arrested in raids after the attack."
    )
    assert 33 not in any_values(claim)


def test_vague_quantities_are_not_figures():
    """Dozens were killed and scores more wounded, witnesses said."""
    claims = claims_of(
        "Dozens were killed and scores more wounded when fighters attacked a market town in Darfur on "
        "Saturday, witnesses said."
    )
    for claim in claims:
        assert not [f for f in claim.figures if not f.implicit], claim.figures


# --------------------------------------------------------------- buried soldiers; sequential sentences


def test_slain_soldiers_buried_keep_their_group():
    """At least 12 slain soldiers were buried in Ouagadougou on Thursday."""
    claim = main_claim(
        "At least 12 slain soldiers were buried in Ouagadougou on Thursday, three days after their base in "
        "the north was overrun, the army said."
    )
    fig = one(claim, "killed_security", 12)
    assert fig.qualifier == "at_least"


def test_killed_then_another_wounded_are_not_added():
    """Twenty were killed. Another 90 were wounded."""
    claim = main_claim(
        "A truck bomb exploded outside the regional governor's office in Baidoa on Tuesday. Twenty were killed. "
        "Another 90 were wounded, the health ministry said."
    )
    assert 20 in firm_values(claim, "killed_total")
    assert 90 in firm_values(claim, "injured_total")
    assert not ({110, 90} & any_values(claim, "killed"))


# -------------------------------------------------------------------------- perpetrators vs reporters


def test_group_claimed_attack_figure_is_the_reporters():
    """Al-Shabaab claimed the bombing that killed 31 people at the hotel."""
    claim = main_claim("Al-Shabaab claimed the bombing that killed 31 people at a hotel in Baidoa on Friday.")
    fig = one(claim, "killed_total", 31)
    assert fig.authority != "perpetrator"
    assert not kept_apart(fig)


def test_group_own_figure_is_kept_apart():
    """In a statement the group said its fighters had killed 60 soldiers."""
    claim = main_claim(
        "The army said nine soldiers were killed when militants attacked a base near Menaka on Sunday. "
        "In a statement the group said its fighters had killed 60 soldiers."
    )
    assert 9 in firm_values(claim, "killed_security")
    assert 60 not in firm_values(claim, "killed_security") | firm_values(claim, "killed_total")


# ---------------------------------------------------------------- feared, unofficial, superseded


def test_feared_dead_is_kept_apart():
    """Police confirmed eight deaths; another 20 people are feared dead under the debris."""
    claim = main_claim(
        "Police confirmed eight deaths after a truck bomb destroyed a hotel in Beledweyne on Saturday. "
        "Another 20 people are feared dead under the debris, residents said."
    )
    assert 8 in firm_values(claim, "killed_total")
    assert 20 not in firm_values(claim, "killed_total")


def test_unofficial_figure_is_kept_apart():
    """Unofficial reports put the toll at 70, but the ministry confirmed 41."""
    claim = main_claim(
        "Gunmen attacked a cattle market in Zamfara State on Tuesday. Unofficial reports put the toll at 70, "
        "but the state information ministry confirmed 41 deaths."
    )
    assert 41 in firm_values(claim, "killed_total")
    assert 70 not in firm_values(claim, "killed_total")


def test_superseded_earlier_figure_is_kept_apart():
    """Nine people were killed, officials said; earlier, police had said five."""
    claim = main_claim(
        "Nine people were killed when a bomb exploded in a bus in Jos on Monday, state officials said. "
        "Earlier, police had said five."
    )
    assert 9 in firm_values(claim, "killed_total")
    assert 5 not in firm_values(claim, "killed_total")


def test_initially_reported_figure_is_kept_apart():
    """Initially, the hospital reported three deaths."""
    claim = main_claim(
        "Seven people died after a gunman opened fire in a bar in Chihuahua on Saturday, prosecutors said "
        "on Sunday. Initially, the hospital reported three deaths."
    )
    assert 7 in firm_values(claim, "killed_total")
    assert 3 not in firm_values(claim, "killed_total")


# --------------------------------------------------------------------- combined killed-and-injured


def test_killed_and_injured_combined_is_no_category():
    """At least 100 people were killed and injured in the attack."""
    claim = main_claim(
        "At least 100 people were killed and injured when gunmen attacked a village near Bama in Borno State "
        "on Sunday, a local leader said."
    )
    assert 100 not in any_values(claim)


def test_killed_or_wounded_combined_is_no_category():
    """The blasts killed or wounded 75 people."""
    claim = main_claim(
        "Two blasts at a bus depot in Quetta on Friday killed or wounded 75 people, a government spokesman said."
    )
    assert 75 not in any_values(claim)


# ------------------------------------------------------------------------------------------ qualifiers


def test_at_least_is_a_low_bound():
    """At least 23 people were killed when the bomb exploded."""
    fig = one(
        main_claim("At least 23 people were killed when a bomb exploded in a market in Kirkuk on Sunday."),
        "killed_total",
        23,
    )
    assert (fig.qualifier, fig.low, fig.best, fig.high) == ("at_least", 23, 23, None)


def test_no_fewer_than_is_at_least():
    """No fewer than 15 villagers were killed, the council chairman said."""
    claim = main_claim(
        "No fewer than 15 villagers were killed when bandits raided Gidan Bawa in Sokoto State on Sunday, "
        "the council chairman said."
    )
    fig = [f for f in claim.figures if f.kind == "killed" and 15 in (f.value, f.best)]
    assert fig and all(f.qualifier == "at_least" and f.low == 15 and f.high is None for f in fig)


def test_more_than_low_bound_is_n_plus_one():
    """More than 60 people were killed in the attacks."""
    fig = one(
        main_claim("More than 60 people were killed in attacks on villages near Beni on Thursday, officials said."),
        "killed_total",
        60,
    )
    assert (fig.qualifier, fig.low, fig.best, fig.high) == ("more_than", 61, 61, None)


def test_over_is_more_than():
    """Over 45 people were wounded in the blast."""
    fig = one(
        main_claim(
            "Three people were killed and over 45 wounded in a blast at a bus stop in Karachi on Friday, police said."
        ),
        "injured_total",
        45,
    )
    assert fig.qualifier == "more_than"
    assert fig.low == 46


def test_nearly_is_at_most():
    """Nearly 100 people were injured."""
    fig = one(
        main_claim(
            "Nine people were killed and nearly 100 injured in a bombing at a stadium in "
            "Mogadishu on Saturday, officials said."
        ),
        "injured_total",
        100,
    )
    assert fig.qualifier == "about"
    assert fig.high == 100
    assert fig.best == 100
    assert fig.low <= 100


def test_around_is_about():
    """Around 40 people were killed, a local official said."""
    fig = one(
        main_claim(
            "Around 40 people were killed when fighters attacked a village near Barsalogho on "
            "Saturday, a local official said."
        ),
        "killed_total",
        40,
    )
    assert fig.qualifier == "about"
    assert fig.best == 40


def test_as_many_as_is_up_to():
    """As many as 25 people may have died in the ambush."""
    fig = one(
        main_claim(
            "As many as 25 people died when gunmen ambushed a convoy near Diffa in Niger on "
            "Wednesday, a humanitarian source said."
        ),
        "killed_total",
        25,
    )
    assert fig.qualifier == "up_to"
    assert fig.high == 25
    assert fig.low <= 25


def test_range_gives_low_and_high():
    """Between 20 and 25 people were killed, according to residents."""
    claim = main_claim(
        "Between 20 and 25 people were killed when gunmen attacked a mining camp near Kayes in Mali on Tuesday, "
        "officials said."
    )
    killed = figs(claim, "killed_total")
    one_range = any(f.low == 20 and f.high == 25 for f in killed)
    two_claims = {20, 25} <= {f.value for f in killed} and any(
        f.value == 25 and f.qualifier in ("up_to", "range") for f in killed
    )
    assert one_range or two_claims, killed


def test_at_least_applies_to_both_conjuncts():
    """At least 18 people have been killed and 30 injured."""
    claim = main_claim(
        "At least 18 people have been killed and 30 injured in a suicide bombing at a rally in Khar, "
        "officials said on Sunday."
    )
    assert one(claim, "killed_total", 18).qualifier == "at_least"
    assert one(claim, "injured_total", 30).qualifier == "at_least"


# ------------------------------------------------------------------------ one claim per category/value


def test_one_figure_per_category_and_value():
    """Twelve killed in Mosul checkpoint bombing (headline), repeated in the lead and the last line."""
    title = "Twelve killed in Mosul checkpoint bombing"
    claim = main_claim(
        f"{title}\n\nA car bomb killed 12 people at a checkpoint in Mosul on Sunday, police said. "
        "Those killed included four soldiers. Local officials said 12 people had died.",
        title=title,
    )
    assert len([f for f in figs(claim, "killed_total") if f.value == 12]) == 1


def test_a_victim_shot_who_then_died_is_killed():
    """'A man was shot on Friday and died at a hospital': one dead, not one wounded."""
    claim = main_claim("A man was shot on Elm Street on Friday and died at a hospital on Sunday.")
    assert [(f.category, f.best) for f in claim.figures] == [("killed_civilians", 1)]


def test_a_victim_whose_relative_clause_tells_the_wound_and_whose_verb_tells_the_death_is_killed():
    """'A teenager who was shot in a dispute over a bicycle died on Tuesday': the main verb is the harm."""
    claim = main_claim("A teenager who police say was shot in a dispute over a bicycle died on Tuesday.")
    assert [(f.category, f.best) for f in claim.figures] == [("killed_civilians", 1)]


def test_one_of_two_wounded_who_died_is_no_death_of_both():
    """'Two men were shot and one died': two wounded, one dead, never two dead."""
    claim = main_claim("Two men were shot outside a bar on Saturday and one died.")
    assert {(f.category, f.best) for f in claim.figures} == {("injured_total", 2), ("killed_total", 1)}


def test_militants_killed_in_operations_after_the_attack_are_a_sub_count():
    """'Troops killed 9 militants in operations after the raid' counts only that follow-up's dead."""
    claim = main_claim(
        "Gunmen raided a border post on Sunday, killing six guards. Officials said troops had killed "
        "9 militants in operations after the raid, and 14 attackers died at the post itself."
    )
    (nine,) = [f for f in figs(claim, "killed_militants") if f.best == 9]
    assert nine.partial
