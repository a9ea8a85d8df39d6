import pytest

from tollstream.core.incident_types import find_incident_types, primary_type


def types(text: str) -> list[str]:
    return [m.type for m in find_incident_types(text)]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("A car bomb ripped through the bazaar.", "bombing"),
        ("An IED hit the patrol.", "bombing"),
        ("A suicide bomber targeted the rally.", "bombing"),
        ("Gunmen opened fire on the bus.", "shooting"),
        ("Two guards were shot dead at the gate.", "shooting"),
        ("Fighters stormed the compound.", "attack"),
        ("The convoy was ambushed on the highway.", "ambush"),
        ("Separatists hijacked the passenger train.", "hijacking"),
        ("Bandits abducted forty pupils.", "kidnapping"),
        ("Troops killed five in a counterterrorism operation.", "raid"),
        ("A gunbattle lasted two hours.", "raid"),
        ("Herders and farmers clashed again.", "clash"),
        ("Flash floods swept away homes.", "disaster"),
        ("The earthquake flattened villages.", "disaster"),
    ],
)
def test_vocabulary_maps_to_types(sentence, kind):
    assert primary_type(find_incident_types(sentence)) == kind


def test_mentions_carry_their_span():
    text = "Gunmen opened fire."
    assert [(text[m.start : m.end], m.type) for m in find_incident_types(text)] == [
        ("Gunmen", "shooting"),
        ("opened fire", "shooting"),
    ]


def test_capitalised_and_capital_forms_match():
    assert types("BOMBING IN MARKET. Bombing heard.") == ["bombing", "bombing"]


def test_a_blast_is_neutral_until_the_lead_says_attack_or_accident():
    """ "A blast" is an attack unless the report tells an accident ("a fuel tanker exploded")."""
    assert types("A blast and an explosion.") == ["explosion", "explosion"]


def test_words_inside_other_words_do_not_match():
    assert types("He tried the ambushes' ledger; attackers' defences.") == ["ambush"]


def test_most_specific_type_wins():
    text = "Militants stormed the post in a gun-and-bomb attack, then a suicide bomber blew himself up."
    assert primary_type(find_incident_types(text)) == "bombing"


def test_a_stray_word_does_not_outweigh_the_story():
    text = (
        "A gunman opened fire at a party. The shooting left four hurt. Witnesses heard gunfire "
        "and more gunshots before the bomb squad arrived."
    )
    assert primary_type(find_incident_types(text)) == "shooting"


def test_no_type_words_gives_none():
    assert primary_type(find_incident_types("The election results were announced.")) is None
