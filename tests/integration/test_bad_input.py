"""Hostile and broken messages among real reports, on the real broker: each set aside once or harmless.

One worker run takes the whole matrix (``tests/bad_inputs.py``) interleaved with the sample
reports; the final events must be those of the sample reports alone.
"""

import asyncio
import time
import urllib.request
from collections import Counter

import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from schemas.deadletter import DeadLetter
from tests.bad_inputs import BAD_INPUTS, BadInput
from tests.integration.conftest import Pipeline, Worker
from tests.integration.test_pipeline import comparable, final_revisions
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file

pytestmark = pytest.mark.integration


def _interleaved() -> list[BadInput]:
    """The sample reports in their order, with a share of the bad inputs after each one."""
    reports = [BadInput(f"report {n}", line, None) for n, line in enumerate(EXAMPLES.read_bytes().splitlines(), 1)]
    share = -(-len(BAD_INPUTS) // len(reports))
    messages: list[BadInput] = []
    for n, report in enumerate(reports):
        messages += [report, *BAD_INPUTS[n * share : (n + 1) * share]]
    return messages


async def _produce(pipeline: Pipeline, messages: list[BadInput]) -> dict[int, BadInput]:
    """Send in order, to one partition so the reports keep their order among the bad inputs; returns each
    message by its offset. Compressed, so the 5 MB line passes the broker."""
    producer = AIOKafkaProducer(
        bootstrap_servers=pipeline.settings.broker,
        acks="all",
        compression_type="gzip",
        max_request_size=8 * 2**20,
    )
    await producer.start()
    try:
        sent = {}
        for message in messages:
            record = await producer.send_and_wait(
                pipeline.settings.topics.articles, message.value, key=message.key, partition=0
            )
            sent[record.offset] = message
        return sent
    finally:
        await producer.stop()


def _healthy(pipeline: Pipeline) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{pipeline.settings.web_port}/healthz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _dead_letter_counts(pipeline: Pipeline) -> Counter[tuple[str, str]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{pipeline.settings.web_port}/metrics", timeout=10) as response:
        text = response.read().decode()
    counts: Counter[tuple[str, str]] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "tollstream_dead_letters_total":
                counts[(sample.labels["stage"], sample.labels["reason"])] += int(sample.value)
    return counts


def test_bad_inputs_among_real_reports_are_set_aside_once_and_change_no_event(
    pipeline: Pipeline, worker: Worker
) -> None:
    """Bad input never stops the stream: each bad message is dead-lettered once with its reason, or is harmless."""
    sent = asyncio.run(_produce(pipeline, _interleaved()))
    expected_events = comparable(replay_file(EXAMPLES).final_events())
    rejected = {offset: m for offset, m in sent.items() if m.reason is not None}
    deadline = time.time() + 180
    letters: list[DeadLetter] = []
    events: dict = {}
    while time.time() < deadline:
        assert worker.process.poll() is None, f"the worker died:\n{worker.log.read_text()[-3000:]}"
        assert _healthy(pipeline), "the worker stopped answering its health check"
        letters = [DeadLetter.model_validate_json(v) for v in pipeline.read("deadletter", idle_timeout=2.0)]
        events = comparable(final_revisions(pipeline.events(idle_timeout=2.0)))
        if events == expected_events and len(letters) >= len(rejected):
            break
    assert events == expected_events
    by_offset = Counter(letter.offset for letter in letters)
    assert all(count == 1 for count in by_offset.values()), "a message was dead-lettered twice"
    found = {letter.offset: letter.reason for letter in letters}
    assert {sent[offset].name: reason for offset, reason in found.items()} == {
        m.name: m.reason for m in rejected.values()
    }
    assert all(letter.stage == "intake" and letter.topic == pipeline.settings.topics.articles for letter in letters)
    assert all(len(letter.payload.encode()) <= 4 * 2**16 for letter in letters)
    expected_counts = Counter(("intake", m.reason) for m in rejected.values())
    assert +_dead_letter_counts(pipeline) == expected_counts
