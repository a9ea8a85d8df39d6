"""One victim named by a singular noun counts one, marked implicit: no number is written."""

from schemas.article import Article
from tollstream.core.extract import extract_claims
from tollstream.core.figures import find_figures


def found(text: str) -> list[tuple[str, str, int, bool]]:
    return [(f.figure.kind, f.figure.group, f.figure.best, f.figure.implicit) for f in find_figures(text)]


def test_a_policeman_killed_is_one_member_of_the_security_forces_killed() -> None:
    assert found("A policeman was killed when the bomb went off near the checkpoint.") == [
        ("killed", "security", 1, True)
    ]


def test_filler_between_auxiliary_and_participle_is_allowed() -> None:
    assert found("A constable was also martyred in the blast.") == [("killed", "security", 1, True)]


def test_singular_victim_at_the_end_of_a_list_shares_its_harm() -> None:
    assert found("Officials said two pupils and a soldier died in the attack.") == [
        ("killed", "civilians", 2, False),
        ("killed", "security", 1, True),
    ]


def test_age_and_modifiers_between_determiner_and_verb_are_allowed() -> None:
    """A man, 34, died at the scene and a 16-year-old girl was shot and wounded."""
    assert found("A man, 34, died at the scene and a 16-year-old girl was shot and wounded.") == [
        ("killed", "civilians", 1, True),
        ("injured", "total", 1, True),
    ]


def test_an_age_written_without_hyphens_is_a_person_not_a_count() -> None:
    """A 15 year old girl was killed and a 19 year old was hurt: one each, never fifteen."""
    assert found("A 15 year old girl was killed and a 19 year old was hurt near the park.") == [
        ("killed", "civilians", 1, True),
        ("injured", "total", 1, True),
    ]


def test_a_relative_clause_before_the_harm_is_allowed() -> None:
    assert found("A driver who was waiting at the pump was shot.") == [("injured", "total", 1, True)]


def test_arrest_or_other_non_harm_is_no_figure() -> None:
    assert found("Police said a suspect was arrested and a gunman fled on foot.") == []


def test_abduction_of_one_person_counts_as_abducted() -> None:
    assert found("An engineer's driver was kidnapped on the highway.") == [("abducted", "total", 1, True)]


def test_the_victim_pronounced_dead_counts_one() -> None:
    """Crime reports name the one dead as 'the victim': 'The victim was pronounced dead at the scene.'"""
    assert found("The victim was pronounced dead at the scene.") == [("killed", "civilians", 1, True)]


def test_an_age_alone_names_a_person() -> None:
    assert found("A man walked up and shot and killed a 17-year-old in the driveway.") == [("killed", "total", 1, True)]


def test_a_headline_names_its_one_victim_without_a_determiner() -> None:
    assert found("Teen shot, killed by permit holder during robbery") == [("killed", "civilians", 1, True)]


def test_one_victim_never_stands_beside_a_written_count_of_the_same_group() -> None:
    assert found("Four soldiers died, among them a young soldier from the town.") == [("killed", "security", 4, False)]


def test_one_victim_of_another_harm_stands_beside_a_written_count() -> None:
    assert found("Four soldiers were killed and a soldier was wounded.") == [
        ("killed", "security", 4, False),
        ("injured", "total", 1, True),
    ]


def test_extractor_adds_the_singular_victim_beside_the_numbered_ones() -> None:
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
