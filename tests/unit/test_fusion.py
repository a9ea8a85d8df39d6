"""Fusing figures into one toll per category: each rule of ``tollstream.core.tolls`` on invented reports.

Short invented reports with publication dates are replayed through the whole offline pipeline; the
assertions are on the final revision of the one event they describe. Conventions: ``killed_total`` counts
attackers when their number is known, "more than N" publishes N+1, and every toll's ``basis`` names the rule
that chose it. Only ``tollstream.replay.replay`` is used.
"""

from __future__ import annotations

import re

import orjson

from schemas.event import EventUpdate, Toll
from tollstream.replay import ReplayResult, replay

# --------------------------------------------------------------------------------------------- helpers


def art(article_id: str, published_at: str, text: str, source: str = "Spec Wire", title: str | None = None) -> dict:
    article = {"id": article_id, "source": source, "published_at": published_at, "text": text}
    if title is not None:
        article["title"] = title
    return article


def run(*articles: dict) -> ReplayResult:
    return replay([orjson.dumps(a) for a in articles])


def event_of(result: ReplayResult, article_id: str) -> EventUpdate:
    """The final event that lists the article and holds most of its figures."""
    finals = [e for e in result.final_events().values() if article_id in e.articles]
    assert finals, f"{article_id} is in no event"
    return max(finals, key=lambda e: sum(o.article_id == article_id for t in e.tolls.values() for o in t.observations))


def single_event(result: ReplayResult, *article_ids: str) -> EventUpdate:
    events = {event_of(result, aid).event_id for aid in article_ids}
    assert len(events) == 1, f"reports split over {events}"
    return event_of(result, article_ids[0])


# Every basis starts with the id of the rule that chose the figure.
REVISED_DOWN = re.compile(r"^revised_down\b")
SUM_OF_GROUPS = re.compile(r"\b(?:sum_of_groups|raised_to_sum_of_groups|exact_sum_in_approximate_total)\b")
DERIVED = re.compile(r"^complement\b.*derived")
RULE_WORDS = re.compile(r"^[a-z]+(?:_[a-z]+)+\b")


def toll(event: EventUpdate, category: str) -> Toll:
    assert category in event.tolls, f"no {category} toll: {sorted(event.tolls)}"
    return event.tolls[category]


def best(event: EventUpdate, category: str) -> int:
    return toll(event, category).best


# ------------------------------------------------------------- 1. one current figure per report


def test_lead_figure_beats_an_older_figure_lower_in_the_text():
    """The toll was revised down to 52 (lead); the ministry had said earlier in the day it had increased to 63."""
    result = run(
        art(
            "f1",
            "2025-03-15",
            "The toll from Friday's bombing of a crowded market in Kirkuk was revised down to "
            "52 on Saturday after officials found that some victims had been counted twice, the "
            "provincial health directorate said.\n\nEarlier in the day, the health ministry "
            "had said the toll had increased to 63.",
        ),
    )
    assert best(event_of(result, "f1"), "killed_total") == 52


def test_headline_figure_is_the_reports_figure():
    """Headline: 'Toll in Jos bus park bombing revised to 20'; a later paragraph recalls Tuesday's 26."""
    title = "Toll in Jos bus park bombing revised to 20"
    result = run(
        art(
            "f1",
            "2025-06-12",
            f"{title}\n\nPlateau State police on Wednesday put the number of people killed in "
            "Monday's bombing at a Jos bus park at 20.\n\nOn Tuesday, police had given a toll "
            "of 26 before a recount at the mortuary.",
            title=title,
        ),
    )
    assert best(event_of(result, "f1"), "killed_total") == 20


# --------------------------------------------------------------------- 2. official revisions down


def test_official_revision_down_with_correction_words():
    """The governor said the earlier figure of 243 abducted students was incorrect; 198 were taken."""
    result = run(
        art(
            "f1",
            "2025-02-22",
            "Gunmen abducted 243 students from a boarding school in Kaura Namoda, "
            "Zamfara State, on Friday, police said.",
        ),
        art(
            "f2",
            "2025-02-26",
            "The Zamfara State governor said on Tuesday that the earlier figure of 243 students "
            "abducted from the school in Kaura Namoda was incorrect, and that 198 students had "
            "been taken.",
            source="Savannah Times",
        ),
    )
    event = single_event(result, "f1", "f2")
    abducted = toll(event, "abducted_total")
    assert abducted.best == 198
    assert REVISED_DOWN.search(abducted.basis), abducted.basis


def test_official_revision_down_without_correction_words():
    """The foreign ministry said about 810 people were killed (after 'more than 940')."""
    result = run(
        art(
            "f1",
            "2025-10-10",
            "More than 940 people were killed in the attacks on border villages in Ituri province on Saturday, the "
            "government said.",
        ),
        art(
            "f2",
            "2025-10-15",
            "About 810 people were killed in the attacks on border villages in Ituri province on 4 October, "
            "the foreign ministry spokesman said on Wednesday.",
            source="Capital Review",
        ),
    )
    event = single_event(result, "f1", "f2")
    killed = toll(event, "killed_total")
    assert killed.best == 810
    assert REVISED_DOWN.search(killed.basis), killed.basis


def test_stale_repeat_does_not_revise_down():
    """A late outlet repeats 'four killed, police said' after officials had given seven."""
    result = run(
        art(
            "f1", "2025-09-02", "A bomb exploded at a bus stop in Kayseri on Monday, killing four people, police said."
        ),
        art(
            "f2",
            "2025-09-03",
            "The toll from Monday's bomb blast at a bus stop in Kayseri rose to seven, the "
            "governor's office said on Tuesday.",
            source="Anatolia Evening",
        ),
        art(
            "f3",
            "2025-09-05",
            "Four people were killed when a bomb exploded at a bus stop in Kayseri on Monday, police said.",
            source="Syndicated Feeds",
        ),
    )
    assert best(single_event(result, "f1", "f2", "f3"), "killed_total") == 7


def test_sub_count_does_not_revise_down():
    """At the district hospital alone, doctors counted 15 bodies (after officials said 40 were killed)."""
    result = run(
        art(
            "f1",
            "2025-04-06",
            "Forty people were killed when gunmen attacked a weekly market in Bunia on Saturday, "
            "provincial officials said.",
        ),
        art(
            "f2",
            "2025-04-07",
            "At the district hospital alone, doctors counted 15 bodies from Saturday's market "
            "attack in Bunia, a medical source said.",
            source="Ituri Voice",
        ),
    )
    assert best(single_event(result, "f1", "f2"), "killed_total") == 40


def test_unofficial_lower_figure_does_not_revise_down():
    """Unofficial reports put the toll of the Timbuktu ambush at 25 (after the army's 40)."""
    result = run(
        art(
            "f1",
            "2025-05-13",
            "Forty soldiers were killed when jihadists ambushed a convoy near Timbuktu on Monday, the army said.",
        ),
        art(
            "f2",
            "2025-05-15",
            "Unofficial reports put the toll of Monday's ambush of an army convoy near Timbuktu at 25.",
            source="Sahel Monitor",
        ),
    )
    event = single_event(result, "f1", "f2")
    assert best(event, "killed_security") == 40
    assert best(event, "killed_total") == 40


def test_unofficial_higher_figure_does_not_drive_the_toll():
    """Unofficial reports put the toll at 70; officials confirmed 41."""
    result = run(
        art(
            "f1",
            "2025-08-05",
            "Officials confirmed 41 deaths after gunmen attacked a village near Bokkos, Plateau State, on Sunday.",
        ),
        art(
            "f2",
            "2025-08-06",
            "Unofficial reports put the toll of Sunday's attack on a village near Bokkos at 70.",
            source="Plateau Today",
        ),
    )
    assert best(single_event(result, "f1", "f2"), "killed_total") == 41


def test_feared_figure_drives_the_toll_only_when_nothing_firmer_exists():
    """At least 20 people are feared dead after the attack (the only figure any report gives)."""
    result = run(
        art(
            "f1",
            "2025-07-20",
            "At least 20 people are feared dead after gunmen attacked a fishing camp on Lake "
            "Chad near Baga on Saturday, residents said.",
        ),
    )
    killed = toll(event_of(result, "f1"), "killed_total")
    assert killed.best == 20
    assert killed.low == 20


def test_perpetrator_claim_is_kept_apart():
    """The group said its fighters killed 50 soldiers; the army said 12."""
    result = run(
        art(
            "f1",
            "2025-11-04",
            "Twelve soldiers were killed when militants attacked an army post near Menaka on Monday, the army said.",
        ),
        art(
            "f2",
            "2025-11-05",
            "The group that attacked an army post near Menaka on Monday said in a statement that "
            "its fighters had killed 50 soldiers.",
            source="Desert Wire",
        ),
    )
    event = single_event(result, "f1", "f2")
    assert best(event, "killed_security") == 12
    assert best(event, "killed_total") == 12
    assert event.tolls["killed_security"].perpetrator_claim == 50


def test_stale_repeat_after_revision_down_does_not_restore_the_old_figure():
    """'more than 940 killed' repeated after the foreign ministry's 'about 810'."""
    result = run(
        art(
            "f1",
            "2025-10-10",
            "More than 940 people were killed in the attacks on border villages in Ituri province on Saturday, the "
            "government said.",
        ),
        art(
            "f2",
            "2025-10-15",
            "About 810 people were killed in the attacks on border villages in Ituri province on 4 October, "
            "the foreign ministry spokesman said on Wednesday.",
            source="Capital Review",
        ),
        art(
            "f3",
            "2025-10-17",
            "Aid agencies are still struggling to reach survivors in Ituri province, where "
            "more than 940 people were killed in the massacres of 4 October, according to the "
            "government.",
            source="Weekly Digest",
        ),
    )
    assert best(single_event(result, "f1", "f2", "f3"), "killed_total") == 810


# ------------------------------------------------------------------------ 3. partial vs whole


def test_early_partial_figure_no_longer_holds_the_low_bound():
    """'In Kaya alone, rescuers counted at least 45 bodies' early; the government later said 38 died in all."""
    result = run(
        art(
            "f1",
            "2025-08-25",
            "Jihadists attacked villagers digging trenches around Kaya on Saturday. In Kaya "
            "alone, rescuers counted at least 45 bodies, a local source said.",
        ),
        art(
            "f2",
            "2025-08-28",
            "The government said on Wednesday that 38 people were killed in all in Saturday's "
            "attack on villagers digging trenches around Kaya.",
            source="Ouaga Express",
        ),
    )
    killed = toll(single_event(result, "f1", "f2"), "killed_total")
    assert (killed.low, killed.best) == (38, 38)


def test_partial_figure_raises_only_the_low_bound():
    """'killing 14 in the first village alone' does not add to the 25 reported the same day."""
    result = run(
        art(
            "f1", "2025-01-13", "Gunmen killed 25 people in raids on villages near Tillaberi on Sunday, officials said."
        ),
        art(
            "f2",
            "2025-01-13",
            "Raiders on motorbikes attacked villages near Tillaberi on Sunday, killing 14 in the "
            "first village alone, residents said.",
            source="Niger Valley News",
        ),
    )
    killed = toll(single_event(result, "f1", "f2"), "killed_total")
    assert killed.best == 25


# ------------------------------------------------------------------------ 4. totals count attackers


def test_total_counts_the_attacker_shot_dead():
    """Five people were killed in the shooting ... one attacker was shot dead by police: 6 dead in all."""
    result = run(
        art(
            "f1",
            "2025-05-19",
            "Five people were killed when a gunman opened fire at a nightclub in Antwerp on "
            "Sunday, police said. One attacker was shot dead by officers at the scene.",
        ),
    )
    event = event_of(result, "f1")
    assert best(event, "killed_militants") == 1
    assert best(event, "killed_total") == 6


def test_official_total_excluding_attackers_is_kept_as_stated():
    """The ministry said 810 people were killed, a figure that does not include the 350 attackers."""
    result = run(
        art(
            "f1",
            "2025-11-12",
            "The ministry said 810 people were killed in the October assault on border villages in Ituri, "
            "a figure that does not include the attackers. The army said about 350 "
            "attackers were killed.",
        ),
    )
    event = event_of(result, "f1")
    killed = toll(event, "killed_total")
    assert killed.best == 810
    assert "attacker" in killed.basis.lower() or "exclud" in killed.basis.lower()


def test_dropping_the_gunman_is_not_a_revision_down():
    """'14 victims' after '15 people, including the gunman, were killed'."""
    result = run(
        art(
            "f1",
            "2025-02-09",
            "Fifteen people, including the gunman, were killed in a shooting at a shopping "
            "centre in Vienna on Saturday, police said.",
        ),
        art(
            "f2",
            "2025-02-10",
            "Police said on Sunday that the gunman had killed 14 victims at the Vienna shopping "
            "centre before he was shot dead.",
            source="Danube Post",
        ),
    )
    killed = toll(single_event(result, "f1", "f2"), "killed_total")
    assert killed.best == 15
    assert not REVISED_DOWN.search(killed.basis), killed.basis


# ------------------------------------------------------------------------ 5. only civilians dead


def test_only_worshippers_dead_civilians_equal_total():
    """Gunmen killed 16 worshippers at a church in Beni."""
    result = run(
        art(
            "f1",
            "2025-06-02",
            "Gunmen killed 16 worshippers during Sunday mass at a church in Beni, eastern DR "
            "Congo, a local official said.",
        ),
    )
    event = event_of(result, "f1")
    assert best(event, "killed_civilians") == 16
    assert best(event, "killed_total") == 16


def test_only_passengers_dead_civilians_equal_total():
    """The toll of bus passengers shot dead near Mandera rose to 19."""
    result = run(
        art("f1", "2025-03-24", "Militants stopped a bus near Mandera on Sunday and shot dead 11 people, police said."),
        art(
            "f2",
            "2025-03-25",
            "The number of bus passengers shot dead near Mandera on Sunday rose to 19, the county commissioner said.",
            source="Northern Frontier",
        ),
    )
    event = single_event(result, "f1", "f2")
    assert best(event, "killed_total") == 19
    assert best(event, "killed_civilians") == 19


# ------------------------------------------------------------------------ 6. complements


def test_complement_of_soldiers_gives_civilians_derived():
    """Eighteen of the 26 people killed were soldiers."""
    result = run(
        art(
            "f1",
            "2025-09-29",
            "Twenty-six people were killed when insurgents attacked a market town near Macomia, "
            "Cabo Delgado, on Saturday. Eighteen of the 26 killed were soldiers, the defence ministry "
            "said.",
        ),
    )
    event = event_of(result, "f1")
    assert best(event, "killed_total") == 26
    assert best(event, "killed_security") == 18
    civilians = toll(event, "killed_civilians")
    assert civilians.best == 8
    assert DERIVED.search(civilians.basis), civilians.basis


# ------------------------------------------------------------------------ sums and growth


def test_groups_sum_to_the_total_when_none_is_stated():
    """Nine civilians, seven police officers and 20 militants were killed."""
    result = run(
        art(
            "f1",
            "2025-12-15",
            "Nine civilians, seven police officers and 20 militants were killed in coordinated "
            "attacks on police posts in Dagestan on Sunday, officials said.",
        ),
    )
    killed = toll(event_of(result, "f1"), "killed_total")
    assert killed.best == 36
    assert SUM_OF_GROUPS.search(killed.basis), killed.basis


def test_more_than_publishes_n_plus_one():
    """More than 60 people were killed in the attack."""
    result = run(
        art(
            "f1",
            "2025-04-21",
            "More than 60 people were killed when gunmen attacked villages near Yelwata, Benue "
            "State, on Saturday, officials said.",
        ),
    )
    killed = toll(event_of(result, "f1"), "killed_total")
    assert (killed.low, killed.best, killed.high) == (61, 61, None)


def test_later_larger_figure_supersedes():
    """The toll from Friday's bombing in Quetta rose to 31 (after 13)."""
    result = run(
        art("f1", "2025-03-07", "A suicide bomber killed 13 people at a rally in Quetta on Friday, police said."),
        art(
            "f2",
            "2025-03-08",
            "The toll from Friday's suicide bombing at a rally in Quetta rose to 31, hospital officials said.",
            source="Balochistan Post Daily",
        ),
    )
    assert best(single_event(result, "f1", "f2"), "killed_total") == 31


# ------------------------------------------------------------------------ every toll names its rule


def test_every_toll_has_a_basis():
    """Every published toll says, in its basis, which rule gave it."""
    result = run(
        art(
            "f1",
            "2025-12-15",
            "Nine civilians, seven police officers and 20 militants were killed in coordinated "
            "attacks on police posts in Dagestan on Sunday, and 30 people were wounded, officials "
            "said.",
        ),
        art(
            "f2",
            "2025-12-16",
            "The toll of civilians killed in Sunday's attacks on police posts in Dagestan rose to "
            "12, officials said on Monday.",
            source="Caspian Times",
        ),
    )
    event = single_event(result, "f1", "f2")
    assert event.tolls
    for category, t in event.tolls.items():
        assert t.basis and t.basis.strip(), f"{category} has no basis"
        assert RULE_WORDS.search(t.basis), f"{category} basis names no rule: {t.basis!r}"
