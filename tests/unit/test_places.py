import pytest

from schemas.claim import Place
from tollstream.core.places import compatible, contains, find_places, place_for, region_key


def names(text: str) -> list[str]:
    return [m.name for m in find_places(text)]


def test_possessive_country_gives_the_province_too():
    mentions = find_places("Rebels hit rail lines across Pakistan's Balochistan overnight.")
    assert [(m.name, m.kind) for m in mentions] == [("Pakistan", "country"), ("Balochistan", "admin1")]


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Baluchistan", "Balochistan"),
        ("Gawadar", "Gwadar"),
        ("Noshki", "Nushki"),
        ("Musa Khel", "Musakhail"),
        ("D.I. Khan", "Dera Ismail Khan"),
        ("DI Khan", "Dera Ismail Khan"),
        ("Draban", "Daraban"),
        ("Chaudhwan", "Chodhwan"),
        ("Koocha Risaldar", "Kocha Risaldar"),
        ("KPK", "Khyber Pakhtunkhwa"),
        ("Ondo State", "Ondo"),
        ("Muqdisho", "Mogadishu"),
    ],
)
def test_spelling_variants_resolve_to_one_canonical_name(spelling, canonical):
    assert names(f"Militants struck in {spelling} before dawn.") == [canonical]


def test_datelines_in_capitals_are_places():
    assert names("DERA ISMAIL KHAN: Police said the post was overrun.") == ["Dera Ismail Khan"]


def test_demonyms_are_not_places():
    assert names("Pakistani troops, Nigerian police and Baloch separatists were named.") == []


def test_gazetteer_entries_carry_province_and_country():
    (mention,) = find_places("A bomb went off in Duki on Friday.")
    assert (mention.name, mention.admin1, mention.country, mention.kind) == ("Duki", "Balochistan", "PK", "district")


def test_world_cities_come_from_the_fallback_gazetteer():
    (mention,) = find_places("Traffic was halted in Nairobi after the blast.")
    assert (mention.name, mention.country, mention.kind) == ("Nairobi", "KE", "city")


def test_us_city_gets_its_state():
    mentions = find_places("Two men were shot in Brooklyn, New York, late on Monday.")
    assert [(m.name, m.admin1) for m in mentions] == [("Brooklyn", "New York"), ("New York", "New York")]


def test_common_words_that_name_towns_are_ignored():
    assert names("Mobile units arrived. Reading the statement, he marked Independence Day.") == []


def test_town_names_inside_person_names_are_ignored():
    assert names("Michael Jordan visited the injured.") == []


def test_surname_before_said_is_not_a_town():
    assert names("Kendall said the victim was 19.") == []


def test_ambiguous_curated_name_needs_a_place_cue():
    assert names("The Tank fired twice.") == []
    assert names("Police in Tank district were attacked.") == ["Tank"]


def test_place_for_prefers_the_district_to_its_province():
    place = place_for(find_places("Balochistan officials said the Duki attack shook Balochistan."))
    assert (place.name, place.admin1, place.country) == ("Duki", "Balochistan", "PK")
    assert place.mentions == ["Balochistan"]


def test_place_for_prefers_the_more_named_town_over_a_capital_named_in_passing():
    text = (
        "Militants stormed a post in Daraban, in Dera Ismail Khan district. "
        "Daraban residents fled. Islamabad condemned the attack."
    )
    assert place_for(find_places(text)).name == "Daraban"


def test_place_for_discounts_a_dateline():
    text = "QUETTA: A blast near a school in Mastung, Balochistan, killed nine."
    assert place_for(find_places(text)).name == "Mastung"


def test_place_for_nothing_is_none():
    assert place_for([]) is None


def test_contains_follows_the_gazetteer_hierarchy():
    assert contains("Balochistan", "Duki")
    assert contains("PK", "Balochistan")
    assert contains("Pakistan", "Duki")
    assert contains("Dera Ismail Khan", "Chodhwan")


def test_contains_is_strict_and_directed():
    assert not contains("Duki", "Balochistan")
    assert not contains("Balochistan", "Balochistan")
    assert not contains("Sindh", "Duki")


DUKI = Place(name="Duki", admin1="Balochistan", country="PK")
BALOCHISTAN = Place(name="Balochistan", admin1="Balochistan", country="PK")
PAKISTAN = Place(name="Pakistan", country="PK")


def test_region_key_is_the_country():
    assert region_key(DUKI) == "PK"
    assert region_key(PAKISTAN) == "PK"
    assert region_key(None) == "unknown"


def test_region_key_puts_district_province_and_country_together():
    assert region_key(DUKI) == region_key(BALOCHISTAN) == region_key(PAKISTAN)


def test_nested_and_unknown_places_are_compatible():
    assert compatible(DUKI, BALOCHISTAN)
    assert compatible(BALOCHISTAN, DUKI)
    assert compatible(PAKISTAN, DUKI)
    assert compatible(DUKI, None)


def test_sibling_or_foreign_places_are_not_compatible():
    assert not compatible(DUKI, Place(name="Quetta", admin1="Balochistan", country="PK"))
    assert not compatible(DUKI, Place(name="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK"))
    assert not compatible(DUKI, Place(name="Mogadishu", admin1="Banadir", country="SO"))
