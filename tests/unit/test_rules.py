"""Rule files are data validated when loaded, and no word sits in two lists that disagree."""

from collections import Counter
from pathlib import Path

import pytest

from tollstream.core import rules
from tollstream.core.rule_schemas import SCHEMAS


def _repeated(lists: dict[str, list[str]]) -> dict[str, list[str]]:
    """Words found under more than one label, with the labels."""
    where: dict[str, list[str]] = {}
    for label, words in lists.items():
        for word in {" ".join(w.lower().split()) for w in words}:
            where.setdefault(word, []).append(label)
    return {word: labels for word, labels in where.items() if len(labels) > 1}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_rule_file_loads_and_fits_its_schema(name: str) -> None:
    assert rules.load_rules(name)


def test_every_file_in_the_data_folder_has_a_schema() -> None:
    assert {p.stem for p in rules.DATA_DIR.glob("*.toml")} == set(SCHEMAS)


def test_a_malformed_rule_file_is_refused_with_every_fault_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sentences.toml").write_text('abbreviations = []\nclosers = 3\nunknown_key = "x"\n')
    monkeypatch.setattr(rules, "DATA_DIR", tmp_path)
    rules.load_rules.cache_clear()
    try:
        with pytest.raises(rules.RuleError) as refused:
            rules.load_rules("sentences")
    finally:
        rules.load_rules.cache_clear()
    message = str(refused.value)
    assert "abbreviations" in message and "closers" in message and "openers" in message and "unknown_key" in message


def test_no_victim_noun_names_two_groups() -> None:
    victims = rules.load_rules("victims")
    assert _repeated(victims["groups"]) == {}
    assert _repeated(victims["group_modifiers"]) == {}


def test_demonyms_name_no_other_group_than_civilians() -> None:
    victims = rules.load_rules("victims")
    others = {g: words for g, words in victims["groups"].items() if g != "civilians"}
    assert _repeated({**others, "demonyms": victims["demonyms"]}) == {}


def test_no_harm_phrase_names_two_kinds() -> None:
    kinds = rules.load_rules("victims")["kinds"]
    for part in ("passive", "active", "nominal", "among"):
        assert _repeated({kind: harms[part] for kind, harms in kinds.items()}) == {}, part


def test_no_qualifier_phrase_sets_two_bounds() -> None:
    assert _repeated(rules.load_rules("numbers")["qualifiers"]) == {}


def test_no_word_names_two_incident_types() -> None:
    types = rules.load_rules("incident_types")["types"]
    assert _repeated({name: entry["words"] for name, entry in types.items()}) == {}


def test_no_alias_names_two_armed_groups() -> None:
    groups = rules.load_rules("perpetrators")["groups"]
    assert _repeated({name: group["aliases"] for name, group in groups.items()}) == {}


def test_no_source_phrase_names_two_roles() -> None:
    sources = rules.load_rules("attribution")["sources"]
    assert _repeated({source["role"]: source["phrases"] for source in sources}) == {}


def test_every_part_of_names_a_known_group() -> None:
    groups = rules.load_rules("perpetrators")["groups"]
    assert {g["part_of"] for g in groups.values() if g.get("part_of")} <= set(groups)


def test_month_abbreviations_are_unique() -> None:
    months = rules.load_rules("dates")["months"]
    counts = Counter(form.lower() for name, short in months.items() for form in (name, *short))
    assert [form for form, n in counts.items() if n > 1] == []
