"""State survives a worker restart: stopping mid-stream and starting again changes no final event."""

import time

import pytest

from tests.integration.conftest import SEEDS, Pipeline, start_worker
from tests.integration.test_pipeline import comparable, final_revisions, shows_black_storm_revision
from tollstream.replay import replay_file

pytestmark = pytest.mark.integration


def test_worker_restarted_mid_stream_ends_with_the_same_events(pipeline: Pipeline, tmp_path) -> None:
    lines = (SEEDS / "articles.jsonl").read_text().splitlines()
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    rest.write_text("\n".join(lines[3:]) + "\n")

    worker = start_worker(pipeline, "before")
    pipeline.cli("produce", str(first))
    pipeline.wait_for_events(lambda updates: len({u.event_id for u in updates}) >= 2)
    worker.stop()

    worker = start_worker(pipeline, "after")
    try:
        pipeline.cli("produce", str(rest))
        streamed = final_revisions(pipeline.wait_for_events(shows_black_storm_revision))
    finally:
        worker.stop()
    uninterrupted = replay_file(SEEDS / "articles.jsonl").final_events()
    assert comparable(streamed) == comparable(uninterrupted)


def test_restarted_worker_does_not_republish_what_it_already_published(pipeline: Pipeline) -> None:
    worker = start_worker(pipeline, "before")
    pipeline.cli("produce", str(SEEDS / "articles.jsonl"))
    pipeline.wait_for_events(shows_black_storm_revision)
    time.sleep(3)
    before = pipeline.events()
    worker.stop()
    worker = start_worker(pipeline, "after")
    try:
        time.sleep(5)
        after = pipeline.events()
    finally:
        worker.stop()
    assert sorted((u.event_id, u.revision) for u in after) == sorted((u.event_id, u.revision) for u in before)
