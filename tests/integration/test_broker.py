"""The project's single-node Kafka broker, started for real from its Maven jars.

Runs on free loopback ports in a temporary state dir, so it never meets a broker
that a test session or a developer started.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.integration.conftest import free_port
from tollstream.broker import BrokerConfig, is_answering, start, status, stop

pytestmark = pytest.mark.integration

PORT, CONTROLLER_PORT = free_port(), free_port()


@pytest.fixture(scope="module")
def cfg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrokerConfig]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("no java: the broker needs a Java 17+ runtime (make test installs one)")
    config = BrokerConfig(
        state_dir=tmp_path_factory.mktemp("broker-state"),
        port=PORT,
        controller_port=CONTROLLER_PORT,
    )
    try:
        yield config
    finally:
        stop(config)


def _topic(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def _create_topic(bootstrap: str, name: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)])
        assert name in await admin.list_topics()
    finally:
        await admin.close()


async def _read_one(bootstrap: str, topic: str, **kwargs: object) -> bytes:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", **kwargs)
    await consumer.start()
    try:
        msg = await asyncio.wait_for(consumer.getone(), timeout=30)
        if kwargs.get("group_id"):
            await consumer.commit()
        return msg.value
    finally:
        await consumer.stop()


def test_stop_when_not_running_is_harmless(cfg: BrokerConfig) -> None:
    assert stop(cfg) is False
    assert status(cfg)["running"] is False


def test_start_answers_and_is_idempotent(cfg: BrokerConfig) -> None:
    pid = start(cfg, timeout=90)
    st = status(cfg)
    assert st == {
        "running": True,
        "pid": pid,
        "bootstrap": f"127.0.0.1:{PORT}",
        "answering": True,
        "state_dir": str(cfg.state_dir),
    }
    assert (cfg.data_dir / "meta.properties").is_file()
    assert start(cfg) == pid  # already running: same process, no second JVM


async def test_produce_and_consume(cfg: BrokerConfig) -> None:
    topic = _topic("roundtrip")
    await _create_topic(cfg.bootstrap, topic)
    producer = AIOKafkaProducer(bootstrap_servers=cfg.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"k")
    finally:
        await producer.stop()
    # A consumer group needs the offsets topic, i.e. replication factor 1 on one node.
    assert await _read_one(cfg.bootstrap, topic, group_id=_topic("group")) == b"hello"


async def test_transactions_on_one_node(cfg: BrokerConfig) -> None:
    topic, source, group = _topic("txn"), _topic("txn-src"), _topic("txn-group")
    await _create_topic(cfg.bootstrap, topic)
    await _create_topic(cfg.bootstrap, source)
    producer = AIOKafkaProducer(bootstrap_servers=cfg.bootstrap, transactional_id=_topic("tx"))
    await asyncio.wait_for(producer.start(), timeout=30)  # runs init_transactions
    try:
        await producer.begin_transaction()
        await producer.send_and_wait(topic, b"aborted")
        await producer.abort_transaction()
        async with producer.transaction():
            await producer.send_and_wait(topic, b"committed")
            # What Faust's exactly-once mode does: commit input offsets with the output.
            await producer.send_offsets_to_transaction({TopicPartition(source, 0): 7}, group)
    finally:
        await producer.stop()
    value = await _read_one(cfg.bootstrap, topic, isolation_level="read_committed")
    assert value == b"committed"

    admin = AIOKafkaAdminClient(bootstrap_servers=cfg.bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    assert offsets[TopicPartition(source, 0)].offset == 7


async def _topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return {t for t in await admin.list_topics() if not t.startswith("__")}
    finally:
        await admin.close()


def test_stop_then_restart_keeps_data(cfg: BrokerConfig) -> None:
    pid = start(cfg, timeout=90)
    before = asyncio.run(_topics(cfg.bootstrap))
    assert stop(cfg) is True
    assert not os.path.exists(f"/proc/{pid}")
    assert not cfg.pid_file.exists()
    assert status(cfg)["running"] is False
    assert not is_answering(cfg.bootstrap, timeout=1.0)
    assert stop(cfg) is False

    # Second start: the storage is formatted already and the topics are still there.
    pid2 = start(cfg, timeout=90)
    assert pid2 != pid
    assert status(cfg)["answering"] is True
    assert before <= asyncio.run(_topics(cfg.bootstrap))
    assert stop(cfg) is True
    assert not os.path.exists(f"/proc/{pid2}")
