"""A three-broker cluster loses one broker mid-stream and gets it back: no final event changes."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from schemas.event import EventUpdate
from tests.integration.conftest import Pipeline, StartWorker, free_port
from tests.integration.test_pipeline import comparable, final_revisions
from tollstream import broker
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file
from tollstream.settings import NODE_PORT_STEP, Settings

pytestmark = pytest.mark.integration


def _cluster_ports() -> tuple[int, int]:
    """A client and a controller base port whose three nodes' ports are all free now."""
    for _ in range(50):
        port, controller = free_port(), free_port()
        wanted = [base + NODE_PORT_STEP * n for base in (port, controller) for n in range(3)]
        if max(wanted) <= 65535 and len(set(wanted)) == 6 and not any(broker._port_in_use(p) for p in wanted):
            return port, controller
    pytest.fail("no free ports for a three-node cluster")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[broker.BrokerConfig]:
    port, controller = _cluster_ports()
    cfg = broker.BrokerConfig(
        state_dir=tmp_path_factory.mktemp("cluster"), port=port, controller_port=controller, heap="256m", nodes=3
    )
    try:
        broker.start(cfg, timeout=180)
        yield cfg
    finally:
        broker.stop(cfg)


@pytest.fixture
def pipeline(cluster: broker.BrokerConfig, tmp_path: Path) -> Pipeline:
    name = f"loss{int(time.time() * 1000) % 10**8}"
    return Pipeline(
        Settings.load(
            broker=cluster.bootstrap,
            replication_factor=3,
            app_id=name,
            topic_prefix=name,
            web_port=free_port(),
            state_dir=tmp_path,
            log_level="info",
        )
    )


def _leader_of(settings: Settings, topic: str) -> int:
    async def describe() -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.broker)
        await admin.start()
        try:
            (described,) = await admin.describe_topics([topic])
            return int(described["partitions"][0]["leader"])
        finally:
            await admin.close()

    return asyncio.run(describe())


def _replication(settings: Settings, topic: str) -> set[int]:
    async def describe() -> set[int]:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.broker)
        await admin.start()
        try:
            (described,) = await admin.describe_topics([topic])
            return {len(p["replicas"]) for p in described["partitions"]}
        finally:
            await admin.close()

    return asyncio.run(describe())


def test_three_nodes_answer_and_replicate_every_topic_three_times(
    cluster: broker.BrokerConfig, pipeline: Pipeline, start_workers: StartWorker
) -> None:
    """With three brokers, each topic tollstream creates must have a copy on every one, or losing one loses data."""
    report = broker.status(cluster)
    assert report["answering"] and [n["answering"] for n in report["nodes"]] == [True, True, True]
    start_workers("worker")
    pipeline.cli("produce", str(EXAMPLES))
    topics = pipeline.settings.topics
    for topic in (topics.articles, topics.claims, topics.events, topics.deadletter):
        assert _replication(pipeline.settings, topic) == {3}, topic


def test_losing_the_input_topics_leader_mid_stream_changes_no_final_event(
    cluster: broker.BrokerConfig, pipeline: Pipeline, start_workers: StartWorker
) -> None:
    """A broker that dies (SIGKILL) while reports stream in, and comes back later, must not lose or repeat a report."""
    start_workers("worker")
    settings = pipeline.settings
    producer = subprocess.Popen(
        [sys.executable, "-m", "tollstream.cli", "produce", "--delay", "1.5", str(EXAMPLES)],
        env=pipeline.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(3)  # the first reports are in; the rest still to come
        victim = cluster.cluster[_leader_of(settings, settings.topics.articles) - 1]
        pid = broker._running_pid(victim)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert producer.wait(timeout=120) == 0, producer.stderr.read() if producer.stderr else ""
    finally:
        if producer.poll() is None:
            producer.kill()
            producer.wait()
    assert broker._running_pid(victim) is None
    expected = comparable(replay_file(EXAMPLES).final_events())

    def settled(updates: list[EventUpdate]) -> bool:
        return comparable(final_revisions(updates)) == expected

    pipeline.wait_for_events(settled, timeout=120)
    broker.start(cluster, timeout=120)  # only the dead node starts again
    assert all(n["answering"] for n in broker.status(cluster)["nodes"])
    time.sleep(5)  # the returning node catches up; nothing may be published again meanwhile
    assert comparable(final_revisions(pipeline.events())) == expected
