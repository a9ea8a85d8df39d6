"""Fixtures that run the real things: a Kafka broker JVM and tollstream workers as processes."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas.deadletter import DeadLetter
from schemas.event import EventUpdate
from tollstream import broker
from tollstream.datasets import EXAMPLES_DIR, shared_set
from tollstream.kafka_io import read_topic
from tollstream.processes import stop_group
from tollstream.settings import Settings

REPO = Path(__file__).resolve().parents[2]
_SEEDS = shared_set("seeds")
# Gold folders the end-to-end paths run on: the project's own examples always, and the team's
# seed reports where they are beside the checkout.
GOLD_SETS = [
    pytest.param(EXAMPLES_DIR, id="examples"),
    pytest.param(_SEEDS, id="seeds", marks=pytest.mark.skipif(_SEEDS is None, reason="../shared/data/seeds absent")),
]


def free_port() -> int:
    """A loopback port nobody listens on now: test runs never meet the embedded broker or each other."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cfg = broker.BrokerConfig(
        state_dir=tmp_path_factory.mktemp("broker"), port=free_port(), controller_port=free_port()
    )
    broker.start(cfg, timeout=120)
    try:
        yield cfg.bootstrap
    finally:
        broker.stop(cfg)


@dataclass
class Pipeline:
    """One isolated pipeline on the shared broker: its own topic prefix, app id and web port."""

    settings: Settings

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, **self.settings.env()}

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tollstream.cli", *args],
            env=self.env,
            text=True,
            capture_output=True,
            timeout=timeout,
            check=True,
        )

    def read(self, role: str, idle_timeout: float = 3.0) -> list[bytes]:
        async def collect() -> list[bytes]:
            topic = self.settings.topics.name(role)
            return [v async for v in read_topic(self.settings, topic, from_beginning=True, idle_timeout=idle_timeout)]

        return asyncio.run(collect())

    def events(self, idle_timeout: float = 3.0) -> list[EventUpdate]:
        return [EventUpdate.model_validate_json(v) for v in self.read("events", idle_timeout)]

    def wait_for_events(self, done, timeout: float = 90.0) -> list[EventUpdate]:
        """Read the revision stream until ``done(updates)`` holds; fail with what arrived otherwise."""
        deadline = time.time() + timeout
        updates: list[EventUpdate] = []
        while time.time() < deadline:
            updates = self.events(idle_timeout=2.0)
            if done(updates):
                return updates
        # What the workers refused is the likeliest explanation of a stall, so it is shown with what arrived.
        refused = [DeadLetter.model_validate_json(v) for v in self.read("deadletter", 1.0)]
        pytest.fail(
            f"events never met the expectation; got {[(u.event_id, u.revision) for u in updates]};"
            f" dead letters {[(d.stage, d.reason, d.partition, d.offset) for d in refused]}"
        )


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        stop_group(self.process)


def start_worker(pipeline: Pipeline, name: str, started: list[Worker]) -> Worker:
    """A worker process, ready to serve; it is in ``started`` from the moment it exists, so teardown stops it."""
    log = pipeline.settings.state_dir / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "tollstream.cli", "worker"],
        env=pipeline.env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = Worker(process, log)
    started.append(worker)
    url = f"http://127.0.0.1:{pipeline.settings.web_port}/readyz"
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail(f"worker exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return worker
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"worker not ready in 120 s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def pipeline(kafka: str, tmp_path: Path, request: pytest.FixtureRequest) -> Pipeline:
    name = "t" + str(abs(hash(request.node.nodeid)) % 10**8) + str(int(time.time() * 1000) % 10**6)
    return Pipeline(
        Settings.load(
            broker=kafka, app_id=name, topic_prefix=name, web_port=free_port(), state_dir=tmp_path, log_level="info"
        )
    )


StartWorker = Callable[[str], Worker]


@pytest.fixture
def start_workers(pipeline: Pipeline) -> Iterator[StartWorker]:
    """Starts workers of the test's pipeline by name; every one is stopped at teardown, whatever the outcome."""
    started: list[Worker] = []

    def start(name: str = "worker") -> Worker:
        worker = start_worker(pipeline, name, started)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


@pytest.fixture
def worker(start_workers: StartWorker) -> Worker:
    return start_workers("worker")
