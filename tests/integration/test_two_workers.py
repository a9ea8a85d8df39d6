"""Two workers share the partitions; one dies; the other takes its share over and ends where one worker would."""

import asyncio
import os
import signal
import urllib.request
import zlib

import pytest
from aiokafka import AIOKafkaProducer

from tests.integration.conftest import Pipeline, StartWorker, Worker, free_port
from tests.integration.reports import story_copies
from tests.integration.test_pipeline import comparable, final_revisions
from tests.integration.test_restart import reports_listed
from tollstream.replay import replay

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STORIES = 8
# The story whose wire copy arrives after the takeover: the copy check must work from the rebuilt index.
SPLIT_STORY = 4


def send(pipeline: Pipeline, values: list[bytes], partition: int) -> None:
    """One story to one article partition, in order, as one feed."""

    async def run() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=pipeline.settings.broker, acks="all")
        await producer.start()
        try:
            for value in values:
                await producer.send_and_wait(pipeline.settings.topics.articles, value, partition=partition)
        finally:
            await producer.stop()

    asyncio.run(run())


def metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


def extracted(port: int) -> float:
    lines = [line for line in metrics(port).splitlines() if line.startswith("tollstream_articles_received_total ")]
    return float(lines[0].split()[1])


def merges_partition(port: int, topic: str, partition: int) -> bool:
    """Whether the worker on ``port`` has read claims from that partition (Faust's gauge of the last offset)."""
    needle = f'topic="{topic}"'
    return any(
        needle in line and f'partition="{partition}"' in line
        for line in metrics(port).splitlines()
        if line.startswith("tollstream_faust_messages_received_per_topics_partition")
    )


def test_the_surviving_worker_ends_with_the_events_of_one_worker(
    pipeline: Pipeline, start_workers: StartWorker
) -> None:
    """'Can run on two machines' must hold when one of them dies, tables and copy index included."""
    stories = story_copies(STORIES)
    first = start_workers("first")
    ports = {"first": pipeline.settings.web_port}
    own = pipeline.settings
    pipeline.settings = own.with_overrides(web_port=free_port(), instance_id=f"{own.app_id}-second")
    second = start_workers("second")
    ports["second"] = pipeline.settings.web_port
    pipeline.settings = own
    workers: dict[str, Worker] = {"first": first, "second": second}

    sent: list[bytes] = []

    def stream(values: list[bytes], partition: int) -> None:
        sent.extend(values)
        send(pipeline, values, partition)
        wanted = reports_listed(replay(sent, pipeline.settings).final_events().values())
        pipeline.wait_for_events(lambda updates: reports_listed(updates) >= wanted, timeout=120)

    for number, story in enumerate(stories[:SPLIT_STORY]):
        stream(story, number % 4)
    shares = {name: extracted(port) for name, port in ports.items()}
    assert all(share > 0 for share in shares.values()), f"extraction was not shared: {shares}"

    stream(stories[SPLIT_STORY][:1], SPLIT_STORY % 4)
    claims_partition = zlib.crc32(b"PK") % pipeline.settings.claim_partitions
    merging = [n for n, p in ports.items() if merges_partition(p, pipeline.settings.topics.claims, claims_partition)]
    assert len(merging) == 1, f"claims partition {claims_partition} read by {merging}"
    victim = merging[0]
    os.killpg(workers[victim].process.pid, signal.SIGKILL)
    workers[victim].process.wait()

    stream(stories[SPLIT_STORY][1:], SPLIT_STORY % 4)
    for number, story in enumerate(stories[SPLIT_STORY + 1 :], start=SPLIT_STORY + 1):
        stream(story, number % 4)

    one_worker = comparable(replay(sent, pipeline.settings).final_events())
    updates = pipeline.wait_for_events(lambda us: comparable(final_revisions(us)) == one_worker, timeout=120)
    copies = [u for u in final_revisions(updates).values() if f"c{SPLIT_STORY:02d}-ex-02" in u.copies]
    assert len(copies) == 1, "the copy sent after the takeover was not recognised"
