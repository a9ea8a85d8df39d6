"""State survives a worker restart: stopping mid-stream and starting again changes no final event."""

import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from schemas.event import EventUpdate
from tests.integration.conftest import GOLD_SETS, Pipeline, StartWorker
from tests.integration.test_pipeline import comparable, final_revisions, shows_black_storm_revision
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file

pytestmark = pytest.mark.integration


def reports_listed(updates: Iterable[EventUpdate]) -> set[str]:
    return {article for u in updates for article in (*u.articles, *u.copies)}


@pytest.mark.parametrize("gold_dir", GOLD_SETS)
def test_worker_restarted_mid_stream_ends_with_the_same_events(
    pipeline: Pipeline, start_workers: StartWorker, tmp_path: Path, gold_dir: Path
) -> None:
    lines = (gold_dir / "articles.jsonl").read_text().splitlines()
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    rest.write_text("\n".join(lines[3:]) + "\n")

    # The first part is through when the stream lists every report replay lists for it.
    wanted = reports_listed(replay_file(first).final_events().values())
    before = start_workers("before")
    pipeline.cli("produce", str(first))
    pipeline.wait_for_events(lambda updates: reports_listed(updates) >= wanted)
    before.stop()

    start_workers("after")
    pipeline.cli("produce", str(rest))
    streamed = final_revisions(pipeline.wait_for_events(shows_black_storm_revision))
    uninterrupted = replay_file(gold_dir / "articles.jsonl").final_events()
    assert comparable(streamed) == comparable(uninterrupted)


def test_restarted_worker_does_not_republish_what_it_already_published(
    pipeline: Pipeline, start_workers: StartWorker
) -> None:
    before = start_workers("before")
    pipeline.cli("produce", str(EXAMPLES))
    pipeline.wait_for_events(shows_black_storm_revision)
    time.sleep(3)
    published = pipeline.events()
    before.stop()
    start_workers("after")
    time.sleep(5)
    after = pipeline.events()
    assert sorted((u.event_id, u.revision) for u in after) == sorted((u.event_id, u.revision) for u in published)
