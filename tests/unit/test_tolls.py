"""Toll rules: how every observation of an event becomes one low / best / high per category."""

from datetime import date

from schemas.event import Observation
from tollstream.core.tolls import category_toll, derive_tolls


def obs(
    article: str,
    best: int,
    *,
    low: int | None = None,
    high: int | None = None,
    qualifier: str = "exact",
    authority: str = "unknown",
    partial: bool = False,
    attribution: str | None = None,
    correction: bool = False,
) -> Observation:
    return Observation(
        article_id=article,
        published_at=date(2026, 1, 31),
        low=best if low is None else low,
        best=best,
        high=best if high is None and qualifier == "exact" else high,
        qualifier=qualifier,
        authority=authority,
        partial=partial,
        attribution=attribution,
        correction=correction,
        quote=f"{best}",
    )


ORDER = {"a1": 0, "a2": 1, "a3": 2}


def test_later_larger_figure_supersedes_the_first_report() -> None:
    toll = category_toll([obs("a1", 11), obs("a2", 31)], ORDER)
    assert toll and toll.best == 31


def test_smaller_unofficial_figure_does_not_lower_the_toll() -> None:
    # "over 40 individuals" a day after officials said "more than 60"
    toll = category_toll(
        [
            obs("a1", 61, low=61, qualifier="more_than", authority="official"),
            obs("a2", 41, low=41, qualifier="more_than"),
        ],
        ORDER,
    )
    assert toll and toll.best == 61


def test_correction_revises_a_toll_down_and_the_basis_says_so() -> None:
    # a governor clarifies that the early "at least 50" was wrong: 40 died
    toll = category_toll(
        [
            obs("a1", 50, low=50, qualifier="at_least"),
            obs("a2", 40, authority="official", attribution="governor", correction=True),
        ],
        ORDER,
    )
    assert toll and toll.best == 40
    assert "revised down from 50" in toll.basis and "governor" in toll.basis


def test_lower_official_figure_that_repeats_a_superseded_one_does_not_lower_the_toll() -> None:
    """A late report repeating the president's 100 after the ministry's 120 is a stale repeat."""
    toll = category_toll(
        [
            obs("a1", 100, authority="official"),
            obs("a2", 120, authority="medical"),
            obs("a3", 100, authority="official"),
        ],
        ORDER,
    )
    assert toll and toll.best == 120 and toll.basis.startswith("latest_and_largest")


def test_later_authority_stating_a_lower_figure_revises_the_toll_down_without_correction_words() -> None:
    """The foreign ministry's 'around 1,200' a month after 'more than 1,400' is the toll now."""
    toll = category_toll(
        [obs("a1", 1401, low=1401, qualifier="more_than"), obs("a2", 1200, qualifier="about", authority="official")],
        ORDER,
    )
    assert toll and toll.best == 1200
    assert toll.basis.startswith("revised_down") and "revised down from 1401" in toll.basis


def test_superseded_figure_recalled_by_a_later_article_does_not_come_back() -> None:
    # "only 137 pupils were taken, not 287 as first reported"
    toll = category_toll([obs("a1", 287), obs("a2", 137, correction=True), obs("a2", 287)], ORDER)
    assert toll and toll.best == 137


def test_stale_repeat_of_a_superseded_figure_does_not_revise_down() -> None:
    toll = category_toll([obs("a1", 100), obs("a2", 120), obs("a3", 100, correction=True)], ORDER)
    assert toll and toll.best == 120


def test_partial_figure_never_stands_for_the_whole() -> None:
    # "nearly 100 militants were killed on Saturday alone" beside 145 over two days
    toll = category_toll([obs("a1", 145, authority="official"), obs("a1", 100, qualifier="about", partial=True)], ORDER)
    assert toll and toll.best == 145


def test_partial_figure_raises_the_low_bound() -> None:
    toll = category_toll([obs("a1", 4, low=4, qualifier="at_least"), obs("a2", 6, partial=True)], ORDER)
    assert toll and toll.low == 6 and toll.best == 6


def test_perpetrator_claim_is_kept_apart() -> None:
    toll = category_toll([obs("a1", 10, authority="official"), obs("a2", 90, authority="perpetrator")], ORDER)
    assert toll and toll.best == 10 and toll.perpetrator_claim == 90


def test_total_is_the_sum_of_groups_when_no_total_is_stated() -> None:
    tolls = derive_tolls(
        {"killed_civilians": [obs("a1", 11)], "killed_security": [obs("a1", 10)], "killed_militants": [obs("a1", 67)]},
        ORDER,
    )
    assert tolls["killed_total"].best == 88


def test_total_is_never_below_the_sum_of_its_groups() -> None:
    tolls = derive_tolls(
        {
            "killed_total": [obs("a1", 60)],
            "killed_civilians": [obs("a1", 31)],
            "killed_security": [obs("a1", 17)],
            "killed_militants": [obs("a1", 145)],
        },
        ORDER,
    )
    assert tolls["killed_total"].best == 193 and tolls["killed_total"].low >= 193


def test_approximate_total_around_the_exact_sum_of_its_groups_takes_the_sum() -> None:
    """'About 200 dead' beside 31, 17 and 145 counted apart: 193 is the same count, read precisely."""
    tolls = derive_tolls(
        {
            "killed_total": [obs("a1", 200, low=180, high=200, qualifier="about")],
            "killed_civilians": [obs("a1", 31)],
            "killed_security": [obs("a1", 17)],
            "killed_militants": [obs("a1", 145)],
        },
        ORDER,
    )
    total = tolls["killed_total"]
    assert (total.low, total.best, total.high) == (193, 193, 200)


def test_exact_stated_total_above_the_groups_is_kept() -> None:
    """'200 dead' stated exactly beside groups adding up to 193: some dead are in no group."""
    tolls = derive_tolls(
        {
            "killed_total": [obs("a1", 200)],
            "killed_civilians": [obs("a1", 31)],
            "killed_security": [obs("a1", 17)],
            "killed_militants": [obs("a1", 145)],
        },
        ORDER,
    )
    assert tolls["killed_total"].best == 200


def test_more_than_n_has_n_plus_one_as_low_bound_and_no_high() -> None:
    toll = category_toll([obs("a1", 7, low=7, qualifier="more_than")], ORDER)
    assert toll and (toll.low, toll.best, toll.high) == (7, 7, None)
