"""A worker killed again and again while reports stream in: nothing lost, nothing counted twice, back within 15 s."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemas.deadletter import DeadLetter
from schemas.event import EventUpdate
from tests.integration.conftest import Pipeline, StartWorker
from tests.integration.reports import story_copies, write_lines
from tests.integration.test_pipeline import comparable, final_revisions
from tollstream.replay import replay_file

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KILLS = 10
STORIES = 27  # 162 reports; more copies would date the earliest before 1970
RESTART_LIMIT = 15.0


def revisions_are_whole(updates: list[EventUpdate]) -> None:
    """After dropping exact repeats, each event's revisions are 1..n, one body per number."""
    bodies: dict[tuple[str, int], str] = {}
    for update in updates:
        body = update.model_dump_json()
        key = (update.event_id, update.revision)
        assert bodies.setdefault(key, body) == body, f"two bodies under revision {key}"
    numbers: dict[str, set[int]] = {}
    for event_id, revision in bodies:
        numbers.setdefault(event_id, set()).add(revision)
    gaps = {e: sorted(n) for e, n in numbers.items() if n != set(range(1, max(n) + 1))}
    assert not gaps, f"revisions with gaps: {gaps}"


@pytest.mark.xfail(
    strict=False,
    reason=(
        "open defect, see README Guarantees: after ten kills in a few seconds on a loaded machine, some events"
        " end with other revisions than the uninterrupted run, and restarts can pass 15 s"
    ),
)
def test_worker_killed_ten_times_mid_stream_ends_with_the_uninterrupted_events(
    pipeline: Pipeline, start_workers: StartWorker, tmp_path: Path
) -> None:
    """A crash must not lose a report, count one twice, or silence the stream for a minute."""
    reports = write_lines(tmp_path / "stories.jsonl", [v for story in story_copies(STORIES) for v in story])
    uninterrupted = comparable(replay_file(reports, settings=pipeline.settings).final_events())
    worker = start_workers("worker-0")
    producer = subprocess.Popen(
        [sys.executable, "-m", "tollstream.cli", "produce", str(reports), "--delay", "0.4"],
        env=pipeline.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    chance = random.Random(11)
    restarts = []
    try:
        for kill in range(1, KILLS + 1):
            time.sleep(chance.uniform(0.5, 4.0))
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait()
            began = time.monotonic()
            worker = start_workers(f"worker-{kill}")
            restarts.append(time.monotonic() - began)
        producer.wait(timeout=180)
    finally:
        if producer.poll() is None:
            producer.kill()
            producer.wait()
    assert producer.returncode == 0

    updates = pipeline.wait_for_events(lambda us: comparable(final_revisions(us)) == uninterrupted, timeout=180)
    revisions_are_whole(updates)
    letters = [DeadLetter.model_validate_json(v) for v in pipeline.read("deadletter")]
    assert letters == [], f"re-delivered reports were set aside: {[(d.stage, d.reason) for d in letters]}"
    print(f"restart to ready, s: {', '.join(f'{r:.1f}' for r in restarts)}")
    assert max(restarts) < RESTART_LIMIT, f"restarts took {restarts}"
