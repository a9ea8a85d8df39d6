"""One victim named by a singular noun counts one, marked implicit."""

from tollstream.core.singulars import find_singulars


def found(text: str) -> list[tuple[str, str, bool]]:
    return [(f.kind, f.group, f.implicit) for f in find_singulars(text)]


def test_a_policeman_killed_is_one_member_of_the_security_forces_killed() -> None:
    assert found("A policeman was killed when the bomb went off near the checkpoint.") == [("killed", "security", True)]


def test_filler_between_auxiliary_and_participle_is_allowed() -> None:
    assert found("A constable was also martyred in the blast.") == [("killed", "security", True)]


def test_singular_victim_at_the_end_of_a_list_is_found() -> None:
    assert found("Officials said two pupils and a soldier died in the attack.") == [("killed", "security", True)]


def test_age_and_modifiers_between_determiner_and_verb_are_allowed() -> None:
    assert found("A man, 34, died at the scene and a 16-year-old girl was shot and wounded.") == [
        ("killed", "civilians", True),
        ("injured", "total", True),
    ]


def test_short_relative_clause_before_the_harm_is_allowed() -> None:
    assert found("A driver who was waiting at the pump was shot.") == [("injured", "total", True)]


def test_arrest_or_other_non_harm_is_no_figure() -> None:
    assert found("Police said a suspect was arrested and a gunman fled on foot.") == []


def test_abduction_of_one_person_counts_as_abducted() -> None:
    assert found("An engineer's driver was kidnapped on the highway.") == [("abducted", "total", True)]


def test_extractor_adds_the_singular_victim_beside_the_numbered_ones() -> None:
    from schemas.article import Article
    from tollstream.core.extract import extract_claims

    article = Article(
        id="s1",
        published_at="2024-11-01",
        text="A bomb hit a school van in Mastung on Friday. Police said four children and a "
        "policeman died in the blast.",
    )
    (claim,) = extract_claims(article, "s1")
    assert sorted((f.category, f.best, f.implicit) for f in claim.figures) == [
        ("killed_civilians", 4, False),
        ("killed_security", 1, True),
    ]
