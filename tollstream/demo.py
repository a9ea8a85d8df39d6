"""``tollstream demo``: the whole product on one machine, from broker to printed revisions.

It starts the embedded broker (unless one already answers), runs a worker as a
child process, produces the sample reports in publication order and prints
each event revision as it arrives, then stops what it started. Every run uses
fresh topic names, so the demo shows the same story each time.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from schemas.event import EventUpdate
from tollstream import broker
from tollstream.kafka_io import article_values, produce, read_topic
from tollstream.settings import Settings
from tollstream.watch import render

WORKER_START_TIMEOUT = 90.0
IDLE_AFTER_LAST_ARTICLE = 8.0


def _start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings.with_overrides(log_level="info").env()}
    log = (settings.state_dir / f"{settings.app_id}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "tollstream.cli", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def _print_revisions(settings: Settings, last_seen: list[float]) -> None:
    color = sys.stdout.isatty()
    async for value in read_topic(settings, settings.topics.events, from_beginning=True, idle_timeout=None):
        print(render(EventUpdate.model_validate_json(value), color) + "\n", flush=True)
        last_seen[0] = time.time()


async def _wait_ready(settings: Settings, worker: subprocess.Popen[bytes]) -> None:
    """Wait for the worker's readiness endpoint, so topics exist before anyone reads them."""
    url = f"http://{settings.web_host}:{settings.web_port}/readyz"
    deadline = time.time() + WORKER_START_TIMEOUT
    while time.time() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}; see {settings.state_dir}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError(f"the worker was not ready within {WORKER_START_TIMEOUT:.0f} s")


async def _run(settings: Settings, worker: subprocess.Popen[bytes], examples: Path, delay: float) -> int:
    await _wait_ready(settings, worker)
    last_seen = [time.time()]
    printer = asyncio.create_task(_print_revisions(settings, last_seen))
    sent = await produce(settings, article_values([str(examples)], settings.max_article_bytes), delay=delay)
    print(f"produced {sent} reports to {settings.topics.articles}; waiting for the last revisions", file=sys.stderr)
    last_seen[0] = time.time()
    while time.time() - last_seen[0] < IDLE_AFTER_LAST_ARTICLE:
        await asyncio.sleep(0.5)
    printer.cancel()
    return 0


def run_demo(base: Settings, examples: Path, delay: float = 0.5) -> int:
    run = f"demo-{int(time.time())}"
    settings = base.with_overrides(topic_prefix=run, app_id=run)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    cfg = broker.BrokerConfig.from_settings(settings)
    started_broker = False
    if settings.embedded and not broker.status(cfg)["answering"]:
        print("starting the embedded Kafka broker ...", file=sys.stderr)
        broker.start(cfg)
        started_broker = True
    worker = _start_worker(settings)
    try:
        return asyncio.run(_run(settings, worker, examples, delay))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        if started_broker:
            broker.stop(cfg)
            print("stopped the worker and the broker", file=sys.stderr)
