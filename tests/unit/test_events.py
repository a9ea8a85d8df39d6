"""The merge stage: one event per incident, revisions only when something changed, closing by stream time."""

from datetime import date, timedelta
from itertools import product

from schemas.claim import Claim, Figure, Place, Span
from schemas.state import EventState
from tollstream.core.clock import epoch
from tollstream.core.events import MemoryEventStore, Merger
from tollstream.core.resolve import country_of, dates_meet, reach_days, score

BALOCHISTAN = Place(name="Balochistan", admin1="Balochistan", country="PK")
DUKI = Place(name="Duki", admin1="Balochistan", country="PK")
STORM = date(2026, 1, 31)


def figure(group: str, best: int, kind: str = "killed", partial: bool = False) -> Figure:
    text = f"{best} {group}"
    return Figure(
        kind=kind,
        group=group,
        low=best,
        best=best,
        high=best,
        authority="official",
        attribution="officials",
        partial=partial,
        span=Span(start=0, end=len(text), text=text),
    )


def claim(
    article: str,
    published: date,
    *figures: Figure,
    day: date | None = None,
    tolerance: int = 1,
    place: Place = BALOCHISTAN,
    perpetrator: str | None = None,
    background: bool = False,
    n: int = 0,
) -> Claim:
    return Claim(
        claim_id=f"{article}#{n}",
        article_id=article,
        source="Wire",
        published_at=published,
        incident_date=day or published,
        date_tolerance_days=tolerance,
        place=place,
        perpetrator=perpetrator,
        incident_type="attack",
        background=background,
        figures=list(figures),
    )


def first_report() -> Claim:
    return claim("r1", STORM, figure("civilians", 11), figure("security", 10), figure("militants", 67))


def second_report() -> Claim:
    return claim(
        "r2",
        STORM + timedelta(days=1),
        figure("civilians", 31),
        figure("security", 17),
        figure("militants", 145),
        day=STORM,
        tolerance=1,
    )


def test_first_claim_opens_an_event_at_revision_one() -> None:
    result = Merger(MemoryEventStore()).apply(first_report(), 0)
    (update,) = result.updates
    assert (update.revision, update.status, result.opened) == (1, "open", 1)
    assert update.tolls["killed_militants"].best == 67 and update.tolls["killed_total"].best == 88


def test_later_report_revises_the_event_and_names_its_article() -> None:
    merger = Merger(MemoryEventStore())
    merger.apply(first_report(), 0)
    (update,) = merger.apply(second_report(), 0).updates
    assert update.revision == 2 and update.caused_by == "r2"
    change = next(c for c in update.changes if c.field == "tolls.killed_militants")
    assert (change.before["best"], change.after["best"]) == (67, 145)


def test_the_same_claim_applied_twice_publishes_nothing() -> None:
    merger = Merger(MemoryEventStore())
    merger.apply(first_report(), 0)
    assert merger.apply(first_report(), 0).updates == []


def test_a_corroborating_report_with_no_new_figure_revises_only_the_report_count() -> None:
    """Subscribers see every report an event rests on, even one that changes no figure."""
    merger = Merger(MemoryEventStore())
    merger.apply(first_report(), 0)
    again = claim("r3", STORM, figure("civilians", 11))
    (update,) = merger.apply(again, 0).updates
    assert [c.field for c in update.changes] == ["articles"] and update.articles == ["r1", "r3"]


def test_the_same_report_applied_again_publishes_nothing() -> None:
    merger = Merger(MemoryEventStore())
    merger.apply(first_report(), 0)
    assert merger.apply(first_report(), 0).updates == []


def test_raids_earlier_in_the_week_stay_a_separate_incident() -> None:
    merger = Merger(MemoryEventStore())
    (storm,) = merger.apply(first_report(), 0).updates
    raids = claim("r4", STORM, figure("militants", 41), day=STORM - timedelta(days=5), tolerance=1)
    result = merger.apply(raids, 0)
    assert result.opened == 1 and result.updates[0].event_id != storm.event_id


def test_background_claims_never_change_an_event() -> None:
    merger = Merger(MemoryEventStore())
    merger.apply(first_report(), 0)
    older = claim("r5", STORM, figure("militants", 108), background=True, n=1)
    assert merger.apply(older, 0).updates == []


def test_a_district_joins_the_province_wide_event_and_makes_it_more_specific() -> None:
    merger = Merger(MemoryEventStore())
    merger.apply(claim("d1", date(2024, 10, 11), figure("civilians", 20)), 0)
    (update,) = merger.apply(claim("d2", date(2024, 10, 11), figure("civilians", 21), place=DUKI), 0).updates
    assert update.place and update.place.name == "Duki" and update.revision == 2


def test_two_groups_each_claiming_the_attack_do_not_merge() -> None:
    """Two groups that each say they carried out an attack on one day are two attacks."""
    merger = Merger(MemoryEventStore())
    first = claim("p1", STORM, figure("security", 5), perpetrator="Baloch Liberation Army")
    second = claim("p2", STORM, figure("security", 7), perpetrator="Tehrik-e-Taliban Pakistan")
    merger.apply(first.model_copy(update={"responsibility_claimed": True}), 0)
    result = merger.apply(second.model_copy(update={"responsibility_claimed": True}), 0)
    assert result.opened == 1


def test_a_group_blamed_in_one_report_does_not_split_an_incident_another_report_pins_on_another() -> None:
    """Officials blaming one group while another outlet names a second must not split the attack in two."""
    merger = Merger(MemoryEventStore())
    merger.apply(claim("p1", STORM, figure("security", 5), perpetrator="Baloch Liberation Army"), 0)
    result = merger.apply(claim("p2", STORM, figure("security", 7), perpetrator="Tehrik-e-Taliban Pakistan"), 0)
    assert result.opened == 0


def test_event_is_published_as_final_when_stream_time_passes_its_horizon() -> None:
    merger = Merger(MemoryEventStore(), horizon_days=14)
    merger.apply(first_report(), 0)
    merger.apply(claim("x0", STORM + timedelta(days=20), figure("civilians", 2), place=DUKI), 0)
    later = claim("x1", STORM + timedelta(days=20), figure("civilians", 3), place=DUKI)
    finals = [u for u in merger.apply(later, 0).updates if u.status == "final"]
    assert len(finals) == 1 and finals[0].revision == 2 and finals[0].changes[0].field == "status"


def test_one_report_dated_far_ahead_closes_no_event() -> None:
    """A single outlier date never closes windows early: the jump waits for a second report."""
    merger = Merger(MemoryEventStore(), horizon_days=14)
    merger.apply(first_report(), 0)
    outlier = claim("x1", STORM + timedelta(days=400), figure("civilians", 3), place=DUKI)
    assert all(u.status == "open" for u in merger.apply(outlier, 0).updates)
    (update,) = merger.apply(second_report(), 0).updates
    assert update.status == "open" and not update.late


def test_an_undated_report_moves_no_clock() -> None:
    """An undated report's arrival time says nothing about when its news happened."""
    merger = Merger(MemoryEventStore(), horizon_days=14)
    merger.apply(first_report(), 0)
    undated = claim("u1", STORM, figure("civilians", 3)).model_copy(update={"published_at": None, "produced_at": 4.0e9})
    merger.apply(undated, 0)
    assert merger.stream_time(0) == epoch(STORM)


def test_late_report_revises_a_closed_event_and_says_so() -> None:
    merger = Merger(MemoryEventStore(), horizon_days=14)
    merger.apply(first_report(), 0)
    merger.apply(claim("x0", STORM + timedelta(days=20), figure("civilians", 2), place=DUKI), 0)
    merger.apply(claim("x1", STORM + timedelta(days=20), figure("civilians", 3), place=DUKI), 0)
    late = claim("r9", STORM + timedelta(days=21), figure("militants", 150), day=STORM)
    result = merger.apply(late, 0)
    (update,) = [u for u in result.updates if u.caused_by == "r9"]
    assert update.late and update.status == "final" and result.late == 1


def test_a_merger_restarted_on_the_same_store_continues_the_revision_numbers() -> None:
    store = MemoryEventStore()
    Merger(store).apply(first_report(), 0)
    (update,) = Merger(store).apply(second_report(), 0).updates
    assert update.revision == 2


def test_partitions_keep_their_own_stream_time() -> None:
    merger = Merger(MemoryEventStore(), horizon_days=14)
    merger.apply(first_report(), 0)
    later_elsewhere = claim("y1", STORM + timedelta(days=30), figure("civilians", 2))
    assert all(u.status == "open" for u in merger.apply(later_elsewhere, 1).updates)


def test_claim_about_an_incident_the_table_has_forgotten_is_refused_not_reopened() -> None:
    merger = Merger(MemoryEventStore(), horizon_days=14, retention_days=14)
    merger.apply(first_report(), 0)
    merger.apply(claim("x0", STORM + timedelta(days=60), figure("civilians", 2), place=DUKI), 0)
    merger.apply(claim("x1", STORM + timedelta(days=60), figure("civilians", 3), place=DUKI), 0)  # closes it
    merger.apply(claim("x2", STORM + timedelta(days=61), figure("civilians", 4), place=DUKI), 0)  # forgets it
    result = merger.apply(first_report(), 0)
    assert result.too_late and result.updates == [] and result.opened == 0


def test_a_republished_copy_adds_its_outlet_but_no_figures() -> None:
    """A wire copy is listed on its original's event, with its outlet; its figures count nothing again."""
    merger = Merger(MemoryEventStore())
    merger.apply(first_report(), 0)
    copy = first_report().model_copy(
        update={"claim_id": "c1#0", "article_id": "c1", "source": "Courier", "copy_of": "r1"}
    )
    (listed,) = merger.apply(copy, 0).updates
    assert [c.field for c in listed.changes] == ["copies"] and listed.copies == ["c1"]
    (update,) = merger.apply(second_report(), 0).updates
    assert update.copies == ["c1"] and update.articles == ["r1", "r2"]
    assert update.sources == ["Wire", "Courier"]


def test_a_copy_of_an_unknown_report_opens_no_event() -> None:
    copy = first_report().model_copy(update={"copy_of": "r0"})
    assert Merger(MemoryEventStore()).apply(copy, 0).opened == 0


def test_a_coordinated_attack_told_from_another_of_its_sites_joins_the_same_event() -> None:
    quetta = Place(name="Quetta", admin1="Balochistan", country="PK", mentions=["Gwadar", "Mastung"])
    gwadar = Place(name="Gwadar", admin1="Balochistan", country="PK", mentions=["Quetta"])
    merger = Merger(MemoryEventStore())
    bla = "Baloch Liberation Army"
    merger.apply(claim("s1", STORM, figure("civilians", 11), place=quetta, perpetrator=bla), 0)
    result = merger.apply(claim("s2", STORM, figure("civilians", 31), place=gwadar, perpetrator=bla), 0)
    assert result.opened == 0 and result.updates[0].tolls["killed_civilians"].best == 31


def test_incidents_in_two_towns_with_no_named_group_stay_apart() -> None:
    duki = Place(name="Duki", admin1="Balochistan", country="PK", mentions=["Turbat"])
    turbat = Place(name="Turbat", admin1="Balochistan", country="PK", mentions=["Duki"])
    merger = Merger(MemoryEventStore())
    merger.apply(claim("t1", STORM, figure("civilians", 5), place=duki), 0)
    assert merger.apply(claim("t2", STORM, figure("civilians", 3), place=turbat), 0).opened == 1


NAMES = ["Sami Rahim", "Jinnah Road"]


def test_a_follow_up_dated_by_a_later_day_joins_when_it_names_the_same_victims() -> None:
    """'Sami Rahim, shot on Jinnah Road, died on Friday': a week past the shooting, the same man and street."""
    merger = Merger(MemoryEventStore())
    shooting = claim("r1", STORM, figure("civilians", 1), place=DUKI).model_copy(update={"names": NAMES})
    merger.apply(shooting, 0)
    death = claim("r2", STORM + timedelta(days=8), figure("civilians", 1), place=DUKI, day=STORM + timedelta(days=7))
    (update,) = merger.apply(death.model_copy(update={"names": NAMES}), 0).updates
    assert update.revision == 2 and update.articles == ["r1", "r2"]


def test_a_shooting_a_week_later_in_the_same_town_with_nothing_else_shared_is_another_incident() -> None:
    """Two shootings in Duki a week apart, neither naming the other's victims: two events."""
    merger = Merger(MemoryEventStore())
    merger.apply(claim("r1", STORM, figure("civilians", 2), place=DUKI), 0)
    later = claim("r2", STORM + timedelta(days=7), figure("civilians", 4), place=DUKI)
    (update,) = merger.apply(later, 0).updates
    assert update.revision == 1 and update.articles == ["r2"]


def test_the_date_sieve_before_scoring_rules_out_only_what_scoring_rules_out() -> None:
    """Candidates are sieved by date before places are weighed; the sieve must never drop an event that could match."""
    store = MemoryEventStore()
    merger = Merger(store)
    for k, offset in enumerate((0, 2, 5, 30, 90)):
        merger.apply(claim(f"e{k}", STORM + timedelta(days=offset), figure("civilians", 3 + k), place=DUKI), 0)
    events = list(store.events.values())
    for offset in range(-5, 100, 3):
        probe = claim("p", STORM + timedelta(days=offset), figure("civilians", 4), place=DUKI)
        for event in events:
            assert dates_meet(probe, event) or score(probe, event) is None


def test_every_event_whose_dates_meet_a_claim_is_within_the_claims_reach() -> None:
    """The merge stage reads only events within reach of a claim's day: reach must cover every date rule."""
    for claim_tolerance, event_tolerance, offset, dated in product(
        (0, 1, 3, 7), (0, 1, 3, 7), range(-40, 41), (True, False)
    ):
        event_day = STORM + timedelta(days=offset)
        event = EventState(
            event_id="ev",
            window=(0.0, 1.0),
            closes_at=2.0,
            anchor=event_day if dated else None,
            date_tolerance_days=event_tolerance,
            first_published=event_day,
        )
        for probe in (
            claim("p", STORM, day=STORM, tolerance=claim_tolerance),
            claim("p", STORM, tolerance=claim_tolerance).model_copy(update={"incident_date": None}),
        ):
            reach = reach_days(probe, event_tolerance)
            assert not dates_meet(probe, event) or (reach is not None and abs(offset) <= reach)


def test_events_of_another_country_never_match_a_claim() -> None:
    """The index reads only the claim's country and events of none: places in two countries are apart."""
    abroad = EventState(
        event_id="ev", window=(0.0, 1.0), closes_at=2.0, anchor=STORM, place=DUKI.model_copy(update={"country": "AF"})
    )
    assert country_of(DUKI) == "PK" and score(claim("p", STORM, place=DUKI), abroad) is None


def test_two_mergers_taking_turns_on_one_store_decide_as_one_merger_would() -> None:
    """A partition's state changed by another worker in between is read again, not taken from a stale index."""
    reports = [first_report(), second_report(), claim("r3", STORM + timedelta(days=20), figure("civilians", 4))]
    alone = Merger(MemoryEventStore())
    expected = [alone.apply(c, 0).updates for c in reports]
    store = MemoryEventStore()
    turns = [Merger(store), Merger(store)]
    assert [turns[k % 2].apply(c, 0).updates for k, c in enumerate(reports)] == expected
