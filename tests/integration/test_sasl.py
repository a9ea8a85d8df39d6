"""Kafka with a login: the local broker with a SASL/PLAIN listener, and every tollstream client signing in."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import Pipeline, StartWorker, free_port
from tests.integration.test_pipeline import comparable, final_revisions, shows_black_storm_revision
from tollstream import broker
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file
from tollstream.settings import Settings

pytestmark = pytest.mark.integration

USERS = (("broker", "broker-secret-1"), ("reporter", "reporter-secret-2"))


@pytest.fixture(scope="module")
def sasl_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[broker.BrokerConfig]:
    cfg = broker.BrokerConfig(
        state_dir=tmp_path_factory.mktemp("sasl-broker"),
        port=free_port(),
        controller_port=free_port(),
        heap="256m",
        users=USERS,
    )
    try:
        broker.start(cfg, timeout=120)
        yield cfg
    finally:
        broker.stop(cfg)


def _signed_in(cfg: broker.BrokerConfig, tmp_path: Path, password: str) -> Settings:
    name = f"sasl{int(time.time() * 1000) % 10**8}"
    return Settings.load(
        broker=cfg.bootstrap,
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_mechanism="PLAIN",
        kafka_username="reporter",
        kafka_password=password,
        app_id=name,
        topic_prefix=name,
        web_port=free_port(),
        state_dir=tmp_path,
        log_level="info",
    )


@pytest.fixture
def pipeline(sasl_kafka: broker.BrokerConfig, tmp_path: Path) -> Pipeline:
    return Pipeline(_signed_in(sasl_kafka, tmp_path, USERS[1][1]))


def test_the_broker_keeps_its_passwords_off_the_command_line(sasl_kafka: broker.BrokerConfig) -> None:
    """Every user of the machine can read a command line; the broker reads its passwords from a private file."""
    node = sasl_kafka.cluster[0]
    pid = broker._running_pid(node)
    assert pid is not None
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    assert all(password.encode() not in cmdline for _, password in USERS)
    assert node.properties.stat().st_mode & 0o077 == 0


def test_reports_become_the_same_events_through_a_signed_in_worker(
    pipeline: Pipeline, start_workers: StartWorker
) -> None:
    """With SASL/PLAIN on, the worker, the producer and the reader all sign in, and the stream is unchanged."""
    start_workers("worker")
    pipeline.cli("produce", str(EXAMPLES))
    streamed = final_revisions(pipeline.wait_for_events(shows_black_storm_revision))
    assert comparable(streamed) == comparable(replay_file(EXAMPLES).final_events())


def test_a_wrong_password_is_refused_with_one_clear_line(sasl_kafka: broker.BrokerConfig, tmp_path: Path) -> None:
    """An operator with a mistyped password must read that the login was refused, not a client library's retries."""
    settings = _signed_in(sasl_kafka, tmp_path, "not-the-password")
    produced = subprocess.run(
        [sys.executable, "-m", "tollstream.cli", "produce", str(EXAMPLES)],
        env={**Pipeline(settings).env},
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert produced.returncode == 2
    lines = produced.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused the login of 'reporter'" in lines[0], produced.stderr
    assert "not-the-password" not in produced.stderr
