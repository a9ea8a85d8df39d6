"""Benchmark (not a test): the streaming pipeline on the real broker, end to end.

Starts the embedded broker if needed and a worker on fresh topics, produces the
articles of the given JSONL files as fast as the producer goes, and reads the
worker's own metrics until every article is through the merge stage. Prints
articles per second through the whole pipeline and the end-to-end latency
histogram's percentiles (from article produced to the event update it caused).

    .venv/bin/python bench/stream_throughput.py ../shared/data/*/articles.jsonl
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tollstream import broker
from tollstream.kafka_io import article_values, produce
from tollstream.settings import Settings

WEB_PORT = 6099


def scrape() -> dict[tuple[str, tuple], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def quantile(samples: dict, q: float) -> float:
    buckets = sorted(
        (float(dict(labels)["le"]), value)
        for (name, labels), value in samples.items()
        if name == "tollstream_end_to_end_latency_seconds_bucket"
    )
    total = buckets[-1][1] if buckets else 0
    return next((le for le, count in buckets if count >= q * total), float("nan"))


def wait_ready(worker: subprocess.Popen) -> None:
    for _ in range(240):
        if worker.poll() is not None:
            sys.exit("worker exited; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("worker not ready")


def main(paths: list[str]) -> None:
    run = f"bench-{int(time.time())}"
    settings = Settings.load(topic_prefix=run, app_id=run, web_port=WEB_PORT)
    values = list(article_values(paths, settings.max_article_bytes))
    cfg = broker.BrokerConfig.from_settings(settings)
    started = not broker.status(cfg)["answering"]
    if started:
        broker.start(cfg)
    env = {**os.environ, **settings.env()}
    log = (settings.state_dir / f"{run}.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "tollstream.cli", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(worker)
        begin = time.perf_counter()
        asyncio.run(produce(settings, values))
        produced = time.perf_counter() - begin
        while True:
            samples = scrape()
            extracted = samples.get(("tollstream_stage_duration_seconds_count", (("stage", "extract"),)), 0)
            dropped = sum(
                v
                for (n, labels), v in samples.items()
                if n == "tollstream_duplicates_dropped_total" and dict(labels).get("match") != "resent"
            )
            dead = sum(v for (n, _), v in samples.items() if n == "tollstream_dead_letters_total")
            if extracted + dead >= len(values) - dropped and time.perf_counter() - begin > 1:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - begin
        time.sleep(2)  # the merge stage drains the last claims before the final scrape
        samples = scrape()
        print(f"articles      {len(values)} ({int(dropped)} copies)")
        print(f"produce       {produced:.2f} s")
        print(f"through       {elapsed:.2f} s -> {len(values) / elapsed:.0f} articles/s to the extract stage")
        print(
            f"latency       p50 <= {quantile(samples, 0.5)} s, p99 <= {quantile(samples, 0.99)} s "
            f"(histogram bucket bounds)"
        )
        for stage in ("intake", "dedupe", "extract", "merge"):
            labels = (("stage", stage),)
            count = samples.get(("tollstream_stage_duration_seconds_count", labels), 0)
            total = samples.get(("tollstream_stage_duration_seconds_sum", labels), 0)
            print(f"stage {stage:<8} {count:>6.0f} messages, {1000 * total / max(count, 1):.3f} ms mean")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        if started:
            broker.stop(cfg)


if __name__ == "__main__":
    main(sys.argv[1:])
