"""``tollstream bench``: the core, the transport and the pipeline measured side by side on one broker.

One run generates distinct reports (``tollstream.loadgen``), starts its own broker on free
loopback ports in a scratch folder, and measures, on the same messages:

- the core: offline replay (every stage in one process), start-up subtracted;
- the transport's limit: a bare aiokafka consume -> produce pass-through, batched;
- the pipeline at saturation with one and with two ``tollstream worker`` processes: articles
  produced as fast as the producer goes, timed to the last event update's Kafka timestamp;
  each worker's share of extraction read from its own ``/metrics``; the final events compared;
- latency from an article's produce time to the first event update it caused (that update's
  Kafka timestamp), per message, at offered rates of 50, 200 and 500 articles/s;
- memory of open events: a worker's RSS after the saturation run, and the event table filled
  to 10,000 and 100,000 open events in a fresh process.

It drives the pipeline only through its commands and topics, so it measures any topology.
"""

import asyncio
import contextlib
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from schemas.event import EventUpdate
from tollstream import broker
from tollstream.kafka_io import ensure_topic
from tollstream.loadgen import generate
from tollstream.processes import stop_group
from tollstream.settings import Settings

RATES = (50, 200, 500)
EVENT_COUNTS = (10_000, 100_000)
# The pipeline is drained when its workers' counters have stood still this long; the event topic
# is then read to its end, which it has reached when no record came for as long.
QUIET_SECONDS = 4.0
READY_SECONDS = 180.0


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or a smoke run that shows every line in a minute or two."""

    articles: int
    seed: int
    latency_seconds: float
    event_counts: tuple[int, ...]

    @classmethod
    def of(cls, articles: int | None, seed: int, quick: bool) -> "Plan":
        if quick:
            return cls(articles or 300, seed, 3.0, (1_000, 5_000))
        return cls(articles or 3_000, seed, 10.0, EVENT_COUNTS)


@dataclass
class Report:
    """Everything one run measured, as written to JSON."""

    machine: dict[str, Any]
    plan: dict[str, Any]
    results: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return orjson.dumps(
            {"machine": self.machine, "plan": self.plan, "results": self.results}, option=orjson.OPT_INDENT_2
        )


# ---------------------------------------------------------------- the machine


def _kafka_version() -> str | None:
    jars = sorted((broker.KAFKA_DIR / "lib").glob("kafka-server-[0-9]*.jar"))
    return jars[-1].stem.removeprefix("kafka-server-") if jars else None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine(settings: Settings) -> dict[str, Any]:
    """Cores, load and versions: what a reader needs to compare two runs."""
    return {
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "faust": _version("faust-streaming"),
        "aiokafka": _version("aiokafka"),
        "kafka": _kafka_version(),
        "settings": {
            name: value
            for name, value in settings.masked().items()
            if name in ("article_partitions", "claim_partitions", "horizon_days", "retention_days", "broker_heap")
        },
    }


# ---------------------------------------------------------------- the core


def measure_core(values: list[bytes], settings: Settings) -> dict[str, Any]:
    """Offline replay of all messages in this process; a first replay pays imports and rule loading."""
    from tollstream.replay import replay

    replay(values[: min(50, len(values))], settings)
    began = time.perf_counter()
    result = replay(values, settings)
    elapsed = time.perf_counter() - began
    return {
        "articles": len(values),
        "seconds": round(elapsed, 3),
        "articles_per_second": round(len(values) / elapsed, 1),
        "events": len(result.final_events()),
        "final_events": final_view(result.final_events().values()),
    }


def final_view(updates: Any) -> dict[str, Any]:
    """What two runs must agree on for each event: its tolls and reports."""
    return {
        u.event_id: {
            "tolls": {k: t.best for k, t in sorted(u.tolls.items())},
            "articles": sorted(u.articles),
            "copies": sorted(u.copies),
        }
        for u in updates
    }


# ---------------------------------------------------------------- Kafka helpers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _produce_all(bootstrap: str, topic: str, values: list[bytes]) -> float:
    """Send every value as fast as the producer batches them; returns the time of the first send."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        began = time.time()
        pending = [await producer.send(topic, value) for value in values]
        await asyncio.gather(*pending)
        return began
    finally:
        await producer.stop()


async def _produce_paced(bootstrap: str, topic: str, values: list[bytes], rate: float) -> dict[str, float]:
    """Send values at ``rate`` per second; returns each article id's send time (its record timestamp)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0)
    await producer.start()
    sent: dict[str, float] = {}
    try:
        began = time.time()
        pending = []
        for i, value in enumerate(values):
            delay = began + i / rate - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.time()
            sent[orjson.loads(value)["id"]] = now
            pending.append(await producer.send(topic, value, timestamp_ms=int(now * 1000)))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def _records(bootstrap: str, topic: str, quiet: float) -> list[tuple[bytes, float]]:
    """(value, Kafka timestamp in seconds) of a whole topic, read until it has been quiet ``quiet`` seconds."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", isolation_level="read_committed"
    )
    await consumer.start()
    out: list[tuple[bytes, float]] = []
    try:
        idle = 0.0
        while idle < quiet:
            batch = await consumer.getmany(timeout_ms=500, max_records=5_000)
            if not batch:
                idle += 0.5
                continue
            idle = 0.0
            out += [(r.value, r.timestamp / 1000) for records in batch.values() for r in records]
    finally:
        await consumer.stop()
    return out


# ---------------------------------------------------------------- the transport


async def measure_transport(settings: Settings, values: list[bytes], partitions: int) -> dict[str, Any]:
    """The most any consume -> produce stage can carry here: no parsing, no state, batched sends."""
    bootstrap = settings.broker
    source, sink = f"bench-pass-{time.time_ns()}", f"bench-pass-out-{time.time_ns()}"
    await ensure_topic(settings, source, partitions)
    await ensure_topic(settings, sink, partitions)
    await _produce_all(bootstrap, source, values)
    consumer = AIOKafkaConsumer(
        source, bootstrap_servers=bootstrap, group_id=source, auto_offset_reset="earliest", enable_auto_commit=False
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await consumer.start()
    await producer.start()
    try:
        moved = 0
        began = time.perf_counter()
        while moved < len(values):
            batch = await consumer.getmany(timeout_ms=1_000, max_records=1_000)
            pending = [
                await producer.send(sink, r.value, key=r.key, partition=r.partition)
                for records in batch.values()
                for r in records
            ]
            await asyncio.gather(*pending)
            await consumer.commit()
            moved += len(pending)
        elapsed = time.perf_counter() - began
    finally:
        await producer.stop()
        await consumer.stop()
    return {
        "messages": moved,
        "partitions": partitions,
        "seconds": round(elapsed, 3),
        "messages_per_second": round(moved / elapsed, 1),
    }


# ---------------------------------------------------------------- workers


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    web_port: int
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("/readyz"), timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def metrics(self) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
        """Samples by name, then by their label set."""
        with urllib.request.urlopen(self.url("/metrics"), timeout=5) as response:
            text = response.read().decode()
        out: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                out.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
        return out

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        stop_group(self.process)


def _total(samples: dict[str, dict[Any, float]], name: str) -> float:
    return sum(samples.get(name, {}).values())


def extracted(samples: dict[str, dict[Any, float]]) -> float:
    """Articles this worker ran through extraction: the extract stage's count, else its claims."""
    for name, series in samples.items():
        if name.endswith("_count") and name.startswith("tollstream_stage"):
            hits = [v for labels, v in series.items() if dict(labels).get("stage") == "extract"]
            if hits:
                return sum(hits)
    return _total(samples, "tollstream_claims_extracted_total")


@contextlib.contextmanager
def workers(settings: Settings, count: int, folder: Path) -> Iterator[list[Worker]]:
    """``count`` worker processes of one pipeline, each with its own web port and data folder, all ready."""
    started: list[Worker] = []
    try:
        for n in range(count):
            own = settings.with_overrides(web_port=free_port(), state_dir=folder / f"worker-{n}")
            own.state_dir.mkdir(parents=True, exist_ok=True)
            log = own.state_dir / "worker.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "tollstream.cli", "worker"],
                env={**os.environ, **own.env()},
                stdout=log.open("ab"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            started.append(Worker(process, own.web_port, log))
        _wait_ready(started)
        yield started
    finally:
        for worker in started:
            worker.stop()


def _wait_ready(started: list[Worker]) -> None:
    """All workers ready at once, twice in a row a second apart: the group has settled its partitions."""
    deadline = time.time() + READY_SECONDS
    settled = 0
    while settled < 2:
        for worker in started:
            if worker.process.poll() is not None:
                raise RuntimeError(f"worker exited with {worker.process.returncode}; see {worker.log}")
        if time.time() > deadline:
            raise RuntimeError(f"workers not ready in {READY_SECONDS:.0f} s; see {started[0].log}")
        settled = settled + 1 if all(w.ready() for w in started) else 0
        time.sleep(1.0)


def _work_done(samples: dict[str, dict[Any, float]]) -> float:
    """A number that grows while a worker does anything: its stage counts and what it read and published."""
    counters = ("tollstream_articles_received_total", "tollstream_claims_extracted_total")
    return sum(
        sum(series.values())
        for name, series in samples.items()
        if name in counters
        or name.startswith("tollstream_events_")
        or (name.startswith("tollstream_stage") and name.endswith("_count"))
    )


def _wait_done(started: list[Worker], count: int, timeout: float) -> None:
    """Until the workers have read every article and then done nothing for a while: the pipeline is drained."""
    deadline = time.time() + timeout
    last, still_since = -1.0, time.time()
    while time.time() < deadline:
        samples = [w.metrics() for w in started]
        received = sum(_total(s, "tollstream_articles_received_total") for s in samples)
        counted = any("tollstream_articles_received_total" in s for s in samples)
        work = sum(_work_done(s) for s in samples)
        if work != last:
            last, still_since = work, time.time()
        if (received >= count or not counted) and time.time() - still_since >= QUIET_SECONDS:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the workers did not drain {count} articles in {timeout:.0f} s; see {started[0].log}")


def _pipeline_settings(base: Settings, name: str) -> Settings:
    return base.with_overrides(topic_prefix=name, app_id=name, log_level="warning")


def _updates(settings: Settings) -> list[tuple[EventUpdate, float]]:
    records = asyncio.run(_records(settings.broker, settings.topics.events, QUIET_SECONDS))
    return [(EventUpdate.model_validate_json(value), stamp) for value, stamp in records]


def measure_pipeline(base: Settings, values: list[bytes], count: int, folder: Path) -> dict[str, Any]:
    """Articles/s through ``count`` workers with the whole load waiting: first send to last event update."""
    settings = _pipeline_settings(base, f"bench-w{count}-{time.time_ns()}")
    with workers(settings, count, folder / f"w{count}") as started:
        began = asyncio.run(_produce_all(settings.broker, settings.topics.articles, values))
        _wait_done(started, len(values), timeout=max(300.0, len(values) / 2))
        updates = _updates(settings)
        samples = [w.metrics() for w in started]
        rss = [w.rss_bytes() for w in started]
    if not updates:
        raise RuntimeError(f"no event updates from {count} worker(s); see {folder}")
    elapsed = max(stamp for _, stamp in updates) - began
    done = [extracted(s) for s in samples]
    finals: dict[str, EventUpdate] = {}
    for update, _ in updates:
        if update.event_id not in finals or update.revision >= finals[update.event_id].revision:
            finals[update.event_id] = update
    return {
        "workers": count,
        "articles": len(values),
        "seconds": round(elapsed, 3),
        "articles_per_second": round(len(values) / elapsed, 1),
        "extraction_share": [round(d / max(sum(done), 1), 3) for d in done],
        "open_events": [_total(s, "tollstream_open_events") for s in samples],
        "rss_bytes": rss,
        "revisions": len(updates),
        "events": len(finals),
        "final_events": final_view(finals.values()),
    }


def measure_latency(base: Settings, values: list[bytes], rate: int, seconds: float, folder: Path) -> dict[str, Any]:
    """Per article, first event update it caused minus its produce time, at ``rate`` articles/s offered."""
    settings = _pipeline_settings(base, f"bench-r{rate}-{time.time_ns()}")
    chosen = values[: max(20, int(rate * seconds))]
    with workers(settings, 1, folder / f"r{rate}") as started:
        sent = asyncio.run(_produce_paced(settings.broker, settings.topics.articles, chosen, rate))
        _wait_done(started, len(chosen), timeout=max(300.0, len(chosen) / 2))
        updates = _updates(settings)
    first: dict[str, float] = {}
    for update, stamp in updates:
        if update.caused_by in sent and update.caused_by not in first:
            first[update.caused_by] = stamp - sent[update.caused_by]
    span = max(sent.values()) - min(sent.values())
    return {
        "offered_per_second": rate,
        "achieved_per_second": round((len(sent) - 1) / span, 1) if span else None,
        "articles": len(chosen),
        "measured": len(first),
        **{f"p{q}_ms": percentile(sorted(first.values()), q) for q in (50, 95, 99)},
        "max_ms": round(1000 * max(first.values()), 1) if first else None,
    }


def percentile(ordered: list[float], q: int) -> float | None:
    """Nearest-rank percentile of sorted seconds, in milliseconds."""
    if not ordered:
        return None
    rank = max(1, -(-q * len(ordered) // 100))
    return round(1000 * ordered[rank - 1], 1)


# ---------------------------------------------------------------- memory of open events


def event_templates(seed: int, articles: int = 400) -> list[bytes]:
    """Event states as the merge builds them from generated reports (several reports, copies, revisions)."""
    from tollstream.core.events import MemoryEventStore, Merger
    from tollstream.replay import replay

    store = MemoryEventStore()
    merger = Merger(store)
    for claim in replay(list(generate(articles, seed).lines())).claims:
        merger.apply(claim, 0)
    return [state.to_bytes() for state in store.events.values()]


def measure_event_memory(counts: tuple[int, ...], seed: int) -> dict[str, Any]:
    """RSS growth of an event table filled to each count, in a fresh process that loads nothing else."""
    templates = event_templates(seed)
    done = subprocess.run(
        [sys.executable, "-m", "tollstream.event_memory", *map(str, counts)],
        input=b"\n".join(templates),
        capture_output=True,
        check=True,
        timeout=1_800,
    )
    return orjson.loads(done.stdout)


# ---------------------------------------------------------------- the run


@contextlib.contextmanager
def own_broker(settings: Settings) -> Iterator[Settings]:
    """A broker of this run only, on free ports in a scratch folder, stopped whatever happens."""
    with tempfile.TemporaryDirectory(prefix="tollstream-bench-") as scratch:
        cfg = broker.BrokerConfig(
            state_dir=Path(scratch), port=free_port(), controller_port=free_port(), heap=settings.broker_heap
        )
        broker.start(cfg, timeout=180)
        try:
            yield settings.with_overrides(broker=cfg.bootstrap, state_dir=Path(scratch))
        finally:
            broker.stop(cfg)


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(plan: Plan, settings: Settings) -> Report:
    report = Report(machine(settings), plan.__dict__ | {"event_counts": list(plan.event_counts)})
    load = generate(plan.articles, plan.seed)
    values = list(load.lines())
    results = report.results
    say(f"bench: {len(values)} articles about {len(load.incidents)} incidents (seed {plan.seed})")
    results["core"] = measure_core(values, settings)
    say(f"bench: core {results['core']['articles_per_second']} articles/s")
    with own_broker(settings) as on_broker:
        folder = on_broker.state_dir
        results["transport"] = asyncio.run(measure_transport(on_broker, values, settings.article_partitions))
        say(f"bench: transport {results['transport']['messages_per_second']} messages/s")
        for count in (1, 2):
            results[f"pipeline_{count}"] = measure_pipeline(on_broker, values, count, folder)
            say(f"bench: {count} worker(s) {results[f'pipeline_{count}']['articles_per_second']} articles/s")
        results["latency"] = []
        for rate in RATES:
            results["latency"].append(measure_latency(on_broker, values, rate, plan.latency_seconds, folder))
            say(f"bench: latency at {rate}/s {results['latency'][-1]}")
    results["event_memory"] = measure_event_memory(plan.event_counts, plan.seed)
    results["agreement"] = {
        "two_workers_equal_one": results["pipeline_2"]["final_events"] == results["pipeline_1"]["final_events"],
        "one_worker_equals_replay": results["pipeline_1"]["final_events"] == results["core"]["final_events"],
    }
    report.machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def _rate(result: dict[str, Any], core: float) -> str:
    rate = result["articles_per_second"]
    return f"{rate:,.0f} articles/s ({rate / core:.2f} x the core)"


def table(report: Report) -> str:
    """The report as a markdown table, ready for the README."""
    r = report.results
    core = r["core"]["articles_per_second"]
    rows = [
        ("offline replay, the core alone (all stages, one process)", f"{core:,.0f} articles/s"),
        (
            f"bare aiokafka consume -> produce, batched ({r['transport']['partitions']} partition(s))",
            f"{r['transport']['messages_per_second']:,.0f} messages/s",
        ),
        ("pipeline, one worker, at saturation", _rate(r["pipeline_1"], core)),
        ("pipeline, two workers, at saturation", _rate(r["pipeline_2"], core)),
        (
            "share of extraction per worker (two workers)",
            " / ".join(f"{share:.0%}" for share in r["pipeline_2"]["extraction_share"]),
        ),
        (
            "final events: two workers = one worker = replay",
            f"{'yes' if r['agreement']['two_workers_equal_one'] else 'no'} = "
            f"{'yes' if r['agreement']['one_worker_equals_replay'] else 'no'}",
        ),
    ]
    for lat in r["latency"]:
        rows.append(
            (
                f"latency produce -> event update at {lat['offered_per_second']}/s offered ({lat['measured']} updates)",
                f"p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms, p99 {lat['p99_ms']} ms",
            )
        )
    one = r["pipeline_1"]
    rows.append(
        (
            "worker RSS after the one-worker run",
            f"{one['rss_bytes'][0] / 2**20:,.0f} MiB with {sum(one['open_events']):,.0f} open events",
        )
    )
    for point in r["event_memory"]["points"]:
        rows.append(
            (
                f"event table with {point['open_events']:,} open events (filled in one process)",
                f"{point['rss_growth_bytes'] / 2**20:,.1f} MiB, {point['bytes_per_event']:,} bytes per open event",
            )
        )
    m = report.machine
    head = (
        f"{report.plan['articles']:,} generated articles (seed {report.plan['seed']}); {m['cores']} cores, "
        f"load {m['load_average_at_start'][0]} at start and {m['load_average_at_end'][0]} at the end; "
        f"Python {m['python']}, faust {m['faust']}, aiokafka {m['aiokafka']}, Kafka {m['kafka']}; "
        f"{m['settings']['article_partitions']} article partition(s), "
        f"{m['settings']['claim_partitions']} claim partition(s)"
    )
    lines = [head, "", "| what | measured |", "|---|---|"]
    lines += [f"| {what} | {value} |" for what, value in rows]
    return "\n".join(lines)
