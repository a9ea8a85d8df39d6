"""Bounded work per message on a live worker: a hostile article costs its budget, a bad date costs nothing."""

import threading
import time
import urllib.request
from pathlib import Path

import orjson
import pytest

from schemas.deadletter import DeadLetter
from tests.integration.conftest import Pipeline, StartWorker
from tests.integration.reports import write_lines
from tests.integration.test_pipeline import comparable, final_revisions, shows_black_storm_revision
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file

pytestmark = pytest.mark.integration


def example_lines() -> list[bytes]:
    return [line for line in EXAMPLES.read_bytes().splitlines() if line.strip()]


def test_a_report_dated_2999_and_an_undated_one_change_no_event(
    pipeline: Pipeline, start_workers: StartWorker, tmp_path: Path
) -> None:
    """One article dated far ahead, or one with no date at all, must not make the worker drop later news."""
    lines = example_lines()
    future = orjson.dumps({**orjson.loads(lines[0]), "id": "future-1", "published_at": "2999-01-01"})
    undated = orjson.dumps(
        {"id": "undated-1", "text": "Gunmen killed four farm workers in Kurram district of Khyber Pakhtunkhwa."}
    )
    mixed = write_lines(tmp_path / "mixed.jsonl", [*lines[:3], future, undated, *lines[3:]])
    start_workers("worker")
    pipeline.cli("produce", str(mixed))
    streamed = final_revisions(pipeline.wait_for_events(shows_black_storm_revision))
    alone = comparable(replay_file(EXAMPLES).final_events())
    undated_events = {eid for eid, u in streamed.items() if "undated-1" in u.articles}
    assert len(undated_events) == 1
    assert comparable({k: v for k, v in streamed.items() if k not in undated_events}) == alone
    letters = [DeadLetter.model_validate_json(v) for v in pipeline.read("deadletter")]
    assert [(d.stage, d.reason, d.offset) for d in letters] == [("intake", "future_date", 3)]


def test_health_answers_while_a_hostile_article_is_extracted(
    pipeline: Pipeline, start_workers: StartWorker, tmp_path: Path
) -> None:
    """A hostile article must hold one extraction process for its budget, never the worker's loop."""
    pipeline.settings = pipeline.settings.with_overrides(extract_timeout_seconds=2.0)
    hostile = orjson.dumps({"id": "hostile-1", "text": "." * 20_000 + " one" * 50_000})
    reports = write_lines(tmp_path / "hostile.jsonl", [hostile, *example_lines()])
    start_workers("worker")
    url = f"http://127.0.0.1:{pipeline.settings.web_port}/healthz"
    slowest: list[float] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            began = time.monotonic()
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
            slowest.append(time.monotonic() - began)
            time.sleep(0.2)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    try:
        pipeline.cli("produce", str(reports))
        streamed = final_revisions(pipeline.wait_for_events(shows_black_storm_revision))
    finally:
        done.set()
        prober.join(timeout=10)
    assert comparable(streamed) == comparable(replay_file(EXAMPLES).final_events())
    letters = [DeadLetter.model_validate_json(v) for v in pipeline.read("deadletter")]
    # Fast enough extraction may read it harmlessly; a slow one gives it up once, on time.
    assert [(d.stage, d.reason) for d in letters] in ([], [("extract", "extract_timeout")])
    assert slowest and max(slowest) < 2.0, f"health answered in up to {max(slowest):.2f} s"
