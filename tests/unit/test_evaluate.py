"""Evaluation scores: claims, background leaks, B-cubed clustering, duplicates and final tolls."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from schemas.claim import Claim, Figure, Span
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate, Observation, Toll
from tollstream.evaluate import (
    background_leaks,
    bcubed,
    format_table,
    numbers_in,
    score,
    score_claims,
    score_clustering,
    score_duplicates,
    score_tolls,
    written_value,
)


@dataclass
class Run:
    """A replay's output built by hand."""

    claims: list[Claim] = field(default_factory=list)
    events: list[EventUpdate] = field(default_factory=list)
    duplicates: list[DuplicateRecord] = field(default_factory=list)

    def final_events(self) -> dict[str, EventUpdate]:
        return {event.event_id: event for event in self.events}


def fig(category: str, best: int, qualifier: str = "exact", low: int | None = None) -> Figure:
    kind, group = category.split("_")
    return Figure(
        kind=kind,
        group=group,
        low=best if low is None else low,
        best=best,
        qualifier=qualifier,
        span=Span(start=0, end=1, text=str(best)),
    )


def claim(article: str, *figures: Figure, background: bool = False) -> Claim:
    return Claim(claim_id=f"{article}#0", article_id=article, background=background, figures=list(figures))


def event(event_id: str, articles: list[str], revision: int = 1, **tolls: int) -> EventUpdate:
    def toll(best: int) -> Toll:
        obs = Observation(article_id=articles[0], low=best, best=best, qualifier="exact", quote=str(best))
        return Toll(low=best, best=best, basis="test", observations=[obs])

    return EventUpdate(
        event_id=event_id,
        revision=revision,
        title=event_id,
        articles=articles,
        tolls={category: toll(best) for category, best in tolls.items()},
    )


def dup(article: str, original: str, match: str = "near") -> DuplicateRecord:
    return DuplicateRecord(article_id=article, duplicate_of=original, match=match, similarity=0.9)


def article(
    event_id: str | None = "E1",
    claims: Sequence[tuple[str, int]] = (),
    duplicate_of: str | None = None,
    background: Sequence[str] = (),
) -> dict[str, Any]:
    return {
        "event": event_id,
        "duplicate_of": duplicate_of,
        "background_mentions": list(background),
        "claims": [{"category": c, "value": v, "qualifier": "exact"} for c, v in claims],
    }


def gold(articles: dict[str, dict[str, Any]], events: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"articles": articles, "events": events or {}}


# --- claims -----------------------------------------------------------------------------------------------


def test_more_than_figure_is_compared_as_the_number_written() -> None:
    # "more than 60 injured" is stored as low 61
    assert written_value(fig("injured_total", 61, "more_than", low=61)) == 60


def test_at_least_figure_is_compared_by_its_best_value() -> None:
    assert written_value(fig("killed_total", 32, "at_least")) == 32


def test_matching_claim_is_a_true_positive_and_others_split_into_fp_and_fn() -> None:
    g = gold({"a1": article(claims=[("killed_total", 10), ("injured_total", 5)])})
    run = Run(claims=[claim("a1", fig("killed_total", 10), fig("injured_total", 6))])
    overall = score_claims(g, run)["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 1, 1)
    assert overall["precision"] == overall["recall"] == 0.5


def test_claim_scores_are_also_given_per_category_with_gold_counts() -> None:
    g = gold({"a1": article(claims=[("killed_total", 10), ("injured_total", 5)])})
    per = score_claims(g, Run(claims=[claim("a1", fig("killed_total", 10))]))["per_category"]
    assert per["killed_total"]["f1"] == 1.0
    assert per["injured_total"]["recall"] == 0.0 and per["injured_total"]["gold"] == 1


def test_background_claims_are_not_predictions() -> None:
    g = gold({"a1": article(claims=[("killed_total", 10)])})
    run = Run(claims=[claim("a1", fig("killed_total", 10)), claim("a1", fig("killed_total", 500), background=True)])
    assert score_claims(g, run)["overall"]["fp"] == 0


def test_same_figure_twice_in_an_article_counts_once() -> None:
    g = gold({"a1": article(claims=[("killed_total", 10)])})
    run = Run(claims=[claim("a1", fig("killed_total", 10), fig("killed_total", 10))])
    assert score_claims(g, run)["overall"]["tp"] == 1


def test_gold_copy_that_dedupe_dropped_is_not_scored() -> None:
    g = gold(
        {"a1": article(claims=[("killed_total", 10)]), "a2": article(claims=[("killed_total", 10)], duplicate_of="a1")}
    )
    run = Run(claims=[claim("a1", fig("killed_total", 10))], duplicates=[dup("a2", "a1")])
    assert score_claims(g, run)["overall"]["fn"] == 0


def test_gold_copy_that_dedupe_missed_is_scored() -> None:
    g = gold(
        {"a1": article(claims=[("killed_total", 10)]), "a2": article(claims=[("killed_total", 10)], duplicate_of="a1")}
    )
    run = Run(claims=[claim("a1", fig("killed_total", 10))])
    assert score_claims(g, run)["overall"]["fn"] == 1


def test_gold_without_any_claims_gets_no_claim_score() -> None:
    g = gold({"a1": article()}, {"E1": {"final": {"killed_total": 0}}})
    assert score(g, Run())["claims"] is None


# --- background leaks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("killed 1,256 people", 1256),
        ("nine others", 9),
        ("twenty three dead", 23),
        ("twenty-three dead", 23),
        ("a dozen wounded", 12),
        ("forty hurt", 40),
    ],
)
def test_numbers_are_read_from_digits_and_words(text: str, number: int) -> None:
    assert number in numbers_in(text)


def test_unit_of_a_compound_number_word_is_not_a_number_of_its_own() -> None:
    assert numbers_in("twenty three dead") == {23}


def test_main_figure_equal_to_a_background_number_is_a_leak() -> None:
    g = gold({"a1": article(claims=[("killed_total", 10)], background=["a blast killed five people in 2023"])})
    run = Run(claims=[claim("a1", fig("killed_total", 10), fig("killed_total", 5))])
    assert background_leaks(g, run) == {"total": 1, "per_article": {"a1": [("killed_total", 5)]}}


def test_figure_that_is_also_a_gold_claim_value_is_not_a_leak() -> None:
    g = gold({"a1": article(claims=[("killed_total", 5)], background=["five killed last year"])})
    run = Run(claims=[claim("a1", fig("killed_total", 5))])
    assert background_leaks(g, run)["total"] == 0


def test_background_figure_kept_as_background_is_not_a_leak() -> None:
    g = gold({"a1": article(claims=[("killed_total", 10)], background=["killed 500 people"])})
    run = Run(claims=[claim("a1", fig("killed_total", 500), background=True)])
    assert background_leaks(g, run)["total"] == 0


# --- clustering -------------------------------------------------------------------------------------------


def test_bcubed_is_perfect_when_clusters_match() -> None:
    scores = bcubed({"a": "E1", "b": "E1", "c": "E2"}, {"a": ("event", "x"), "b": ("event", "x"), "c": ("event", "y")})
    assert scores == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_bcubed_split_event_lowers_recall_only() -> None:
    scores = bcubed({"a": "E1", "b": "E1"}, {"a": ("event", "x"), "b": ("event", "y")})
    assert scores["precision"] == 1.0 and scores["recall"] == 0.5


def test_bcubed_merged_events_lower_precision_only() -> None:
    scores = bcubed({"a": "E1", "b": "E2"}, {"a": ("event", "x"), "b": ("event", "x")})
    assert scores["precision"] == 0.5 and scores["recall"] == 1.0


def test_article_in_no_event_is_a_singleton() -> None:
    g = gold({"a1": article(), "a2": article()})
    scores = score_clustering(g, Run(events=[event("x", ["a1"])]))
    assert scores["recall"] == 0.5 and scores["precision"] == 1.0


def test_dropped_copy_takes_the_cluster_of_its_original() -> None:
    g = gold({"a1": article(), "a2": article(duplicate_of="a1")})
    run = Run(events=[event("x", ["a1"])], duplicates=[dup("a2", "a1")])
    assert score_clustering(g, run)["f1"] == 1.0


def test_article_listed_by_two_events_belongs_to_the_one_holding_its_figures() -> None:
    g = gold({"a1": article("E1"), "a2": article("E1")})
    run = Run(events=[event("x", ["a2", "a1"], killed_total=3), event("y", ["a1"], killed_total=4)])
    assert score_clustering(g, run)["recall"] == 0.5


def test_only_the_final_revision_of_an_event_counts() -> None:
    g = gold({"a1": article(), "a2": article()})
    run = Run(events=[event("x", ["a1"]), event("x", ["a1", "a2"], revision=2)])
    assert score_clustering(g, run)["f1"] == 1.0


def test_distractor_in_an_event_is_reported_and_not_clustered() -> None:
    g = gold({"a1": article(), "d1": article(event_id=None)})
    scores = score_clustering(g, Run(events=[event("x", ["a1", "d1"])]))
    assert scores["distractors_in_events"] == ["d1"] and scores["f1"] == 1.0


def test_gold_event_spread_over_two_predicted_events_is_listed_as_split() -> None:
    g = gold({"a1": article(), "a2": article()})
    scores = score_clustering(g, Run(events=[event("x", ["a1"]), event("y", ["a2"])]))
    assert scores["split"] == {"E1": {"event:x": 1, "event:y": 1}} and scores["merged"] == {}


def test_predicted_event_holding_two_gold_events_is_listed_as_merged() -> None:
    g = gold({"a1": article("E1"), "a2": article("E2")})
    scores = score_clustering(g, Run(events=[event("x", ["a1", "a2"])]))
    assert scores["merged"] == {"event:x": {"gold:E1": 1, "gold:E2": 1}} and scores["split"] == {}


# --- duplicates -------------------------------------------------------------------------------------------


def test_duplicate_scores_are_perfect_when_both_sides_are_empty() -> None:
    assert score_duplicates(gold({"a1": article()}), Run())["f1"] == 1.0


def test_resent_articles_are_not_predicted_copies() -> None:
    g = gold({"a1": article()})
    assert score_duplicates(g, Run(duplicates=[dup("a1", "a1", match="resent")]))["fp"] == 0


def test_copy_pair_matches_whichever_way_round() -> None:
    g = gold({"a1": article(), "a2": article(duplicate_of="a1")})
    assert score_duplicates(g, Run(duplicates=[dup("a1", "a2", match="exact")]))["tp"] == 1


def test_missed_and_spurious_copies_are_listed() -> None:
    g = gold({"a1": article(), "a2": article(duplicate_of="a1"), "a3": article()})
    scores = score_duplicates(g, Run(duplicates=[dup("a3", "a1")]))
    assert scores["missed"] == [["a1", "a2"]] and scores["spurious"] == [["a1", "a3"]]
    assert scores["precision"] == 0.0 and scores["recall"] == 0.0


# --- final tolls ------------------------------------------------------------------------------------------


def toll_gold(final: dict[str, int], acceptable: dict[str, list[int]] | None = None) -> dict[str, Any]:
    ev: dict[str, Any] = {"final": final}
    if acceptable is not None:
        ev["acceptable"] = acceptable
    return gold({"a1": article(), "a2": article(), "a3": article()}, {"E1": ev})


def test_toll_equal_to_the_gold_final_agrees() -> None:
    run = Run(events=[event("x", ["a1", "a2", "a3"], killed_total=40)])
    assert score_tolls(toll_gold({"killed_total": 40}), run)["rate"] == 1.0


def test_toll_inside_the_acceptable_range_agrees() -> None:
    run = Run(events=[event("x", ["a1", "a2", "a3"], injured_total=70)])
    g = toll_gold({"injured_total": 87}, {"injured_total": [61, 87]})
    assert score_tolls(g, run)["rate"] == 1.0


def test_toll_outside_the_acceptable_range_is_a_listed_disagreement() -> None:
    run = Run(events=[event("x", ["a1", "a2", "a3"], killed_total=50)])
    scores = score_tolls(toll_gold({"killed_total": 40}, {"killed_total": [40, 41]}), run)
    assert scores["agreed"] == 0
    assert scores["disagreements"] == [
        {
            "event": "E1",
            "category": "killed_total",
            "gold": 40,
            "acceptable": [40, 41],
            "predicted": 50,
            "predicted_event": "x",
        }
    ]


def test_gold_event_is_judged_on_the_event_holding_most_of_its_articles() -> None:
    run = Run(events=[event("x", ["a1"], killed_total=9), event("y", ["a2", "a3"], killed_total=40)])
    assert score_tolls(toll_gold({"killed_total": 40}), run)["rate"] == 1.0


def test_missing_category_agrees_with_a_gold_zero() -> None:
    run = Run(events=[event("x", ["a1", "a2", "a3"], killed_total=2)])
    assert score_tolls(toll_gold({"killed_total": 2, "injured_total": 0}), run)["rate"] == 1.0


def test_missing_category_disagrees_with_a_nonzero_gold() -> None:
    run = Run(events=[event("x", ["a1", "a2", "a3"], killed_total=2)])
    scores = score_tolls(toll_gold({"killed_total": 2, "injured_total": 3}), run)
    assert scores["agreed"] == 1 and scores["disagreements"][0]["predicted"] is None


def test_gold_event_no_prediction_holds_is_judged_as_reporting_zero() -> None:
    scores = score_tolls(toll_gold({"killed_total": 0, "injured_total": 1}), Run())
    assert scores["agreed"] == 1 and scores["disagreements"][0]["predicted_event"] is None


def test_agreement_is_also_counted_per_category() -> None:
    run = Run(events=[event("x", ["a1", "a2", "a3"], killed_total=2, injured_total=5)])
    scores = score_tolls(toll_gold({"killed_total": 2, "injured_total": 3}), run)
    assert scores["per_category"] == {
        "injured_total": {"agreed": 0, "scored": 1},
        "killed_total": {"agreed": 1, "scored": 1},
    }


# --- report -----------------------------------------------------------------------------------------------


def test_table_shows_every_score() -> None:
    g = toll_gold({"killed_total": 40})
    g["articles"]["a1"]["claims"] = [{"category": "killed_total", "value": 40, "qualifier": "exact"}]
    run = Run(claims=[claim("a1", fig("killed_total", 40))], events=[event("x", ["a1", "a2", "a3"], killed_total=9)])
    table = format_table(score(g, run))
    for heading in ("killed_total", "Background leaks: 0", "B-cubed", "Duplicates", "Final tolls: 0/1"):
        assert heading in table
    assert "E1 killed_total: gold 40, predicted 9 [x]" in table
