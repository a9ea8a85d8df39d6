"""Talking to Kafka from the command line tools: topics, producing and reading back.

The worker's own traffic goes through Faust; these helpers serve ``produce``,
``watch`` and the demo, with plain aiokafka clients.
"""

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from tollstream.settings import Settings


async def ensure_topic(bootstrap: str, name: str, partitions: int, config: dict[str, str] | None = None) -> None:
    """Create a topic if it is missing, so producing before the worker starts keeps its partitioning."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = await admin.list_topics()
        if name not in existing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(name, partitions, 1, topic_configs=config or {})])
    finally:
        await admin.close()


def article_values(paths: Iterable[str]) -> Iterator[bytes]:
    """Message values from files: a .txt file is one article, .json one object or a list, .jsonl one per line."""
    for path in paths:
        if path == "-":
            yield from _values_from_text(sys.stdin.buffer.read(), "")
        else:
            yield from _values_from_text(Path(path).read_bytes(), Path(path).suffix.lower())


def _values_from_text(data: bytes, suffix: str) -> Iterator[bytes]:
    stripped = data.strip()
    if not stripped:
        return
    if suffix == ".jsonl" or (suffix == "" and stripped.startswith(b"{") and b"\n{" in stripped):
        yield from (line.strip() for line in stripped.splitlines() if line.strip())
    elif suffix == ".json" or (suffix == "" and stripped[:1] in (b"{", b"[")):
        parsed = orjson.loads(stripped)
        for item in parsed if isinstance(parsed, list) else [parsed]:
            yield orjson.dumps(item)
    else:
        yield stripped


async def produce(settings: Settings, values: Iterable[bytes], delay: float = 0.0) -> int:
    """Send article values to the input topic in order; returns how many were sent."""
    await ensure_topic(settings.broker, settings.topics.articles, settings.article_partitions)
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    pending = []
    sent = 0
    try:
        for value in values:
            if delay:
                await producer.send_and_wait(settings.topics.articles, value)
                await asyncio.sleep(delay)
            else:
                # Batched sends keep their order: the idempotent producer never reorders a partition.
                pending.append(await producer.send(settings.topics.articles, value))
            sent += 1
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def read_topic(
    bootstrap: str, topic: str, *, from_beginning: bool, idle_timeout: float | None, group: str | None = None
) -> AsyncIterator[bytes]:
    """Values of a topic as they arrive; stops after ``idle_timeout`` seconds without one (None: never)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=group is not None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        isolation_level="read_committed",
    )
    await consumer.start()
    idle = 0.0
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            if batch:
                for records in batch.values():
                    for record in records:
                        yield record.value
                idle = 0.0
                continue
            idle += 0.5
            if idle_timeout is not None and idle >= idle_timeout:
                return
    finally:
        await consumer.stop()
