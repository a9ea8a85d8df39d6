"""Talking to Kafka from the command line tools: topics, producing and reading back.

The worker's own traffic goes through Faust; these helpers serve ``produce``,
``watch``, ``export``, the demo and the web view, with plain aiokafka clients that all
take their address, TLS and SASL login from the settings (``client_options``).
"""

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from tollstream.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    """What every aiokafka client needs to reach the configured cluster: bootstrap servers, TLS, SASL."""
    return {"bootstrap_servers": settings.broker, **settings.kafka_security()}


def topic_config(settings: Settings) -> dict[str, str]:
    """Config of every topic tollstream creates: with replicas, a write must reach more than one."""
    return {"min.insync.replicas": str(settings.min_insync_replicas)}


async def ensure_topic(settings: Settings, name: str, partitions: int, config: dict[str, str] | None = None) -> None:
    """Create a topic if it is missing, so producing before the worker starts keeps its partitioning."""
    await ensure_topics(settings, [(name, partitions, config)])


async def ensure_topics(settings: Settings, topics: Iterable[tuple[str, int, dict[str, str] | None]]) -> None:
    """Create the missing ones of (name, partitions, config) topics, over one admin connection."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(n, p, settings.replicas, topic_configs={**topic_config(settings), **(c or {})})
            for n, p, c in topics
            if n not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


async def explain_failure(settings: Settings, exc: Exception) -> str:
    """One line on why the cluster could not be used: a refused login said as such, else the client's error.

    aiokafka logs a refused SASL login and then only reports that it could not bootstrap;
    one direct connection to each bootstrap server tells the two apart.
    """
    from aiokafka.conn import create_conn  # a diagnosis, only after a failure
    from aiokafka.errors import SaslAuthenticationFailed

    for server in settings.broker.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            conn = await asyncio.wait_for(create_conn(host, int(port), **settings.kafka_security()), 15)
        except SaslAuthenticationFailed:
            return (
                f"{server} refused the login of {settings.kafka_username!r} ({settings.kafka_sasl_mechanism}): "
                "wrong user name or password (TOLLSTREAM_KAFKA_USERNAME, TOLLSTREAM_KAFKA_PASSWORD)"
            )
        except (OSError, TimeoutError, ValueError, KafkaError):
            continue
        conn.close()
    return f"{settings.broker}: {exc}"


def quiet_client_logs() -> None:
    """Commands that report a Kafka failure in one line of their own keep the client library's lines out."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


class ProduceError(ValueError):
    """A file cannot be produced as it is; the message names the file (and line) and says why."""


def article_values(paths: Iterable[str], max_bytes: int) -> Iterator[bytes]:
    """Message values from files, streamed: .jsonl one per line, .json one object or a list, else one article.

    Each value is checked against ``max_bytes`` and for UTF-8 before it is yielded, so a bad
    file stops the run with one line saying where, instead of a traceback or a message the
    worker would only dead-letter.
    """
    for path in paths:
        if path == "-":
            yield from _checked(_values_of(sys.stdin.buffer, "", "stdin", max_bytes), "stdin", max_bytes)
            continue
        file = Path(path)
        if not file.is_file():
            raise ProduceError(f"{path}: no such file")
        try:
            handle = file.open("rb")
        except OSError as exc:
            raise ProduceError(f"{path}: cannot be read ({exc.strerror})") from None
        with handle:
            yield from _checked(_values_of(handle, file.suffix.lower(), path, max_bytes), path, max_bytes)


def _values_of(handle: BinaryIO, suffix: str, name: str, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """(line number, value) pairs of one file; a whole-file article is line 1."""
    if suffix == ".jsonl":
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line.strip()
        return
    # A whole file is one message or one JSON document: read no more than could be valid.
    limit = max_bytes * 1024 if suffix == ".json" else max_bytes
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise ProduceError(f"{name}: larger than {limit} bytes (TOLLSTREAM_MAX_ARTICLE_BYTES); nothing sent from it")
    stripped = data.strip()
    if not stripped:
        return
    looks_jsonl = suffix == "" and stripped.startswith(b"{") and b"\n{" in stripped
    if looks_jsonl:
        for number, line in enumerate(stripped.splitlines(), start=1):
            if line.strip():
                yield number, line.strip()
    elif suffix == ".json" or (suffix == "" and stripped[:1] in (b"{", b"[")):
        try:
            parsed = orjson.loads(stripped)
        except orjson.JSONDecodeError as exc:
            raise ProduceError(f"{name}: not valid JSON ({exc})") from None
        for item in parsed if isinstance(parsed, list) else [parsed]:
            yield 1, orjson.dumps(item)
    else:
        yield 1, stripped


def _checked(values: Iterator[tuple[int, bytes]], name: str, max_bytes: int) -> Iterator[bytes]:
    for number, value in values:
        where = f"{name}:{number}"
        if len(value) > max_bytes:
            raise ProduceError(
                f"{where}: article of {len(value)} bytes is over the limit of {max_bytes} "
                "(TOLLSTREAM_MAX_ARTICLE_BYTES); it and what follows were not sent"
            )
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            raise ProduceError(f"{where}: not UTF-8 text (a binary file?); it and what follows were not sent") from None
        yield value


async def produce(settings: Settings, values: Iterable[bytes], delay: float = 0.0, feed: str = "produce") -> int:
    """Send article values to the input topic in order; returns how many were sent.

    Every value is keyed by ``feed``: one feed's articles share a partition, so they
    are read in the order sent, which is the order replay reads a file in.
    """
    key = feed.encode()
    await ensure_topic(settings, settings.topics.articles, settings.article_partitions)
    producer = AIOKafkaProducer(**client_options(settings), acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    pending = []
    sent = 0
    try:
        for value in values:
            if delay:
                await producer.send_and_wait(settings.topics.articles, value, key=key)
                await asyncio.sleep(delay)
            else:
                # Batched sends keep their order: the idempotent producer never reorders a partition.
                pending.append(await producer.send(settings.topics.articles, value, key=key))
            sent += 1
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def read_topic(
    settings: Settings, topic: str, *, from_beginning: bool, idle_timeout: float | None, group: str | None = None
) -> AsyncIterator[bytes]:
    """Values of a topic as they arrive; stops after ``idle_timeout`` seconds without one (None: never)."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(settings),
        group_id=group,
        enable_auto_commit=group is not None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        isolation_level="read_committed",
    )
    try:
        await consumer.start()
    except KafkaError:
        await consumer.stop()  # a refused start leaves connections behind otherwise
        raise
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
