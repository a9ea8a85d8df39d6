import pytest

from tollstream.core.perpetrators import find_perpetrators, primary_perpetrator, related


def groups(text: str) -> list[tuple[str, bool, bool]]:
    return [(m.name, m.claimed, m.suspected) for m in find_perpetrators(text)]


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("BLA", "Baloch Liberation Army"),
        ("Baluchistan Liberation Army", "Baloch Liberation Army"),
        ("Majeed Brigade", "Baloch Liberation Army"),
        ("BLF", "Balochistan Liberation Front"),
        ("Pakistani Taliban", "Tehrik-e-Taliban Pakistan"),
        ("Tehreek-i-Taliban Pakistan", "Tehrik-e-Taliban Pakistan"),
        ("ISIS-K", "Islamic State Khorasan"),
        ("Islamic State Khorasan Province", "Islamic State Khorasan"),
        ("Daesh", "Islamic State"),
        ("al-Shabab", "al-Shabaab"),
        ("Al Shabaab", "al-Shabaab"),
        ("ISWAP", "Islamic State West Africa Province"),
        ("Lashkar-e-Jhangvi", "Lashkar-e-Jhangvi"),
        ("Hafiz Gul Bahadur group", "Hafiz Gul Bahadur group"),
    ],
)
def test_aliases_resolve_to_one_canonical_name(alias, canonical):
    assert [m.name for m in find_perpetrators(f"Officials named the {alias} as the attackers.")] == [canonical]


def test_longest_name_wins_over_its_prefix():
    assert [m.name for m in find_perpetrators("The Islamic State Khorasan cell was broken up.")] == [
        "Islamic State Khorasan"
    ]


def test_acronym_inside_a_word_is_not_a_group():
    assert find_perpetrators("A BLAST tore through the TTPX depot.") == []


def test_claimed_responsibility_marks_the_claimer():
    assert groups("The BLA claimed responsibility for the highway raids.") == [("Baloch Liberation Army", True, False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Boko Haram took responsibility in a video.",
        "Boko Haram claimed the abduction on Sunday.",
        "The school raid was claimed by Boko Haram fighters.",
        "Boko Haram said it carried out the raid.",
    ],
)
def test_other_claim_wordings(sentence):
    assert groups(sentence) == [("Boko Haram", True, False)]


def test_negated_claim_leaves_the_named_group_suspected_only():
    text = "No group has claimed responsibility yet, but suspicion is likely to fall on the TTP."
    assert groups(text) == [("Tehrik-e-Taliban Pakistan", False, True)]


def test_claim_goes_to_the_group_named_nearest_before_it():
    text = "The al Qaeda offshoot al-Shabaab has claimed the twin bombings."
    assert groups(text) == [("al-Qaeda", False, False), ("al-Shabaab", True, False)]


def test_every_naming_of_the_claimer_in_the_sentence_claims():
    text = "The Baloch Liberation Army (BLA), a banned outfit, took responsibility for the assault."
    assert [m.claimed for m in find_perpetrators(text)] == [True, True]


def test_blame_without_claim_is_suspicion():
    assert groups("Police blamed Lashkar-e-Jhangvi for the shooting.") == [("Lashkar-e-Jhangvi", False, True)]


def test_claim_in_another_sentence_does_not_count():
    text = "ISWAP fighters were seen nearby. A rival faction claimed responsibility."
    assert groups(text) == [("Islamic State West Africa Province", False, False)]


def test_branches_are_related_to_their_parent():
    assert related("Islamic State Khorasan", "Islamic State")
    assert related("Islamic State", None)
    assert not related("Islamic State", "al-Shabaab")


def test_primary_perpetrator_prefers_a_claimer():
    text = "Officials suspected the TTP. Later the TJP claimed responsibility. The TTP denied it."
    assert primary_perpetrator(find_perpetrators(text)).name == "Tehreek-e-Jihad Pakistan"


def test_primary_perpetrator_of_nothing_is_none():
    assert primary_perpetrator([]) is None
