"""The whole path on a real broker: reports in, deduped, extracted, merged, revisions out."""

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from schemas.deadletter import DeadLetter
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate
from tests.integration.conftest import GOLD_SETS, Pipeline, Worker
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file

pytestmark = pytest.mark.integration

GROUPS = ("killed_civilians", "killed_security", "killed_militants")


def final_revisions(updates: list[EventUpdate]) -> dict[str, EventUpdate]:
    latest: dict[str, EventUpdate] = {}
    for update in updates:
        if update.event_id not in latest or update.revision >= latest[update.event_id].revision:
            latest[update.event_id] = update
    return latest


def comparable(updates: dict[str, EventUpdate]) -> dict:
    """Final events without the wall-clock field that differs between runs."""
    return {k: v.model_dump(mode="json", exclude={"produced_at"}) for k, v in updates.items()}


def group_figures(update: EventUpdate) -> tuple[int | None, ...]:
    return tuple(update.tolls[c].best if c in update.tolls else None for c in GROUPS)


def revisions_of(updates: list[EventUpdate], event_id: str) -> list[EventUpdate]:
    return sorted((u for u in updates if u.event_id == event_id), key=lambda u: u.revision)


def black_storm(updates: list[EventUpdate]) -> list[EventUpdate]:
    """The revisions of the event that ever showed 145 militants killed."""
    ids = {u.event_id for u in updates if group_figures(u)[2] == 145}
    assert len(ids) == 1, f"expected one event with 145 militants, got {ids}"
    return revisions_of(updates, ids.pop())


def shows_black_storm_revision(updates: list[EventUpdate]) -> bool:
    shown = [group_figures(u) for u in updates]
    return (11, 10, 67) in shown and (31, 17, 145) in shown


def kcat() -> str:
    path = shutil.which("kcat")
    if path is None:
        pytest.fail("kcat is missing: make test installs it from Debian's packages")
    return path


def test_sample_reports_become_three_events_with_the_black_storm_revision(pipeline: Pipeline, worker: Worker) -> None:
    pipeline.cli("produce", str(EXAMPLES))
    updates = pipeline.wait_for_events(shows_black_storm_revision)
    revisions = black_storm(updates)
    shown = [group_figures(u) for u in revisions]
    assert shown.index((11, 10, 67)) < shown.index((31, 17, 145))
    revised = next(u for u in revisions if group_figures(u) == (31, 17, 145))
    assert revised.caused_by == "ex-06"
    assert {c.field for c in revised.changes} >= {f"tolls.{c}" for c in GROUPS}
    assert len(final_revisions(updates)) == 3


def test_wire_copy_from_a_second_outlet_is_recorded_as_a_duplicate(pipeline: Pipeline, worker: Worker) -> None:
    pipeline.cli("produce", str(EXAMPLES))
    updates = pipeline.wait_for_events(shows_black_storm_revision)
    records = [DuplicateRecord.model_validate_json(v) for v in pipeline.read("duplicates")]
    assert [(r.article_id, r.duplicate_of, r.match) for r in records] == [("ex-02", "ex-01", "near")]
    # The copy's outlet is counted on the event it republished, once that event is published again (final).
    august = next(u for u in final_revisions(updates).values() if "ex-01" in u.articles)
    assert august.copies == ["ex-02"] and "Evening Courier" in august.sources and "ex-02" not in august.articles


@pytest.mark.parametrize("gold_dir", GOLD_SETS)
def test_reports_produced_with_kcat_fall_inside_the_gold_ranges(
    pipeline: Pipeline, worker: Worker, gold_dir: Path
) -> None:
    subprocess.run(
        [
            kcat(),
            "-P",
            "-b",
            pipeline.settings.broker,
            "-t",
            pipeline.settings.topics.articles,
            # One feed on one partition: kcat spreads unkeyed messages, and a story's reports must keep their order.
            "-p",
            "0",
            "-l",
            str(gold_dir / "articles.jsonl"),
        ],
        check=True,
        timeout=30,
    )
    updates = pipeline.wait_for_events(shows_black_storm_revision)
    gold = json.loads((gold_dir / "gold.json").read_text())
    finals = final_revisions(updates)
    articles_of = {eid: set(u.articles) for eid, u in finals.items()}
    for gold_id, gold_event in gold["events"].items():
        members = {a for a, g in gold["articles"].items() if g["event"] == gold_id}
        event_id = next(eid for eid, arts in articles_of.items() if arts & members)
        for category, value in gold_event["final"].items():
            low, high = gold_event.get("acceptable", {}).get(category, (value, value))
            best = finals[event_id].tolls[category].best
            assert low <= best <= high, f"{gold_id} {category}: {best} not in [{low}, {high}]"
    assert len(finals) == len(gold["events"])


def test_producing_the_same_reports_again_changes_nothing(pipeline: Pipeline, worker: Worker) -> None:
    pipeline.cli("produce", str(EXAMPLES))
    pipeline.wait_for_events(shows_black_storm_revision)
    time.sleep(3)
    before = pipeline.events()
    pipeline.cli("produce", str(EXAMPLES))
    # The re-sent articles are acknowledged as such before we look at the events again.
    deadline = time.time() + 60
    while time.time() < deadline:
        resent = [DuplicateRecord.model_validate_json(v) for v in pipeline.read("duplicates", 1.0)]
        if sum(r.match == "resent" for r in resent) >= 5:
            break
    time.sleep(3)
    after = pipeline.events()
    # Partitions interleave differently on each read: compare what was published, not the order.
    assert sorted((u.event_id, u.revision) for u in after) == sorted((u.event_id, u.revision) for u in before)


@pytest.mark.parametrize("gold_dir", GOLD_SETS)
def test_streaming_and_replay_agree_on_the_final_events(
    pipeline: Pipeline, worker: Worker, tmp_path: Path, gold_dir: Path
) -> None:
    pipeline.cli("produce", str(gold_dir / "articles.jsonl"))
    streamed = final_revisions(pipeline.wait_for_events(shows_black_storm_revision))
    replayed = replay_file(gold_dir / "articles.jsonl", tmp_path / "replay").final_events()
    assert comparable(streamed) == comparable(replayed)


def test_malformed_messages_go_to_the_dead_letter_topic_and_the_stream_goes_on(
    pipeline: Pipeline, worker: Worker
) -> None:
    bad = pipeline.settings.state_dir / "bad.txt"
    bad.write_bytes(b'{"text": "unterminated\n{"id": "no-text"}\n')
    subprocess.run(
        [kcat(), "-P", "-b", pipeline.settings.broker, "-t", pipeline.settings.topics.articles, "-l", str(bad)],
        check=True,
        timeout=30,
    )
    pipeline.cli("produce", str(EXAMPLES))
    pipeline.wait_for_events(shows_black_storm_revision)
    letters = [DeadLetter.model_validate_json(v) for v in pipeline.read("deadletter")]
    assert sorted(d.reason for d in letters) == ["invalid_json", "invalid_text"]
    assert all(d.stage == "intake" and d.offset is not None for d in letters)


def test_plain_text_message_is_read_as_an_article(pipeline: Pipeline, worker: Worker) -> None:
    story = pipeline.settings.state_dir / "story.txt"
    story.write_text(
        "Gunmen shot and killed 12 police officers at a checkpoint in Kalat district of "
        "Balochistan on Tuesday, officials said.\n"
    )
    subprocess.run(
        [kcat(), "-P", "-b", pipeline.settings.broker, "-t", pipeline.settings.topics.articles, str(story)],
        check=True,
        timeout=30,
    )
    updates = pipeline.wait_for_events(lambda us: any("killed_security" in u.tolls for u in us))
    assert updates[0].tolls["killed_security"].best == 12


def test_compacted_topic_holds_the_latest_revision_of_each_event(pipeline: Pipeline, worker: Worker) -> None:
    pipeline.cli("produce", str(EXAMPLES))
    updates = pipeline.wait_for_events(shows_black_storm_revision)
    latest = {}
    for value in pipeline.read("events-latest"):
        update = EventUpdate.model_validate_json(value)
        latest[update.event_id] = update.revision
    assert latest == {eid: u.revision for eid, u in final_revisions(updates).items()}
