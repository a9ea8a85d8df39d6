"""Monitoring with the real things: Debian's Prometheus scraping a worker, and the live SSE stream."""

import json
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.integration.conftest import REPO, Pipeline, Worker, free_port
from tollstream.datasets import EXAMPLES

pytestmark = pytest.mark.integration


@pytest.fixture
def prometheus(pipeline: Pipeline, tmp_path: Path) -> Iterator[str]:
    """Prometheus on loopback with the project's scrape config, pointed at this test's worker."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus is missing: make test installs Debian's prometheus package")
    config = yaml.safe_load((REPO / "deploy" / "prometheus" / "prometheus.yml").read_text())
    config["rule_files"] = [str(REPO / "deploy" / "prometheus" / rule) for rule in config["rule_files"]]
    config["scrape_configs"][0]["static_configs"] = [{"targets": [f"127.0.0.1:{pipeline.settings.web_port}"]}]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    log = (tmp_path / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def query(url: str, promql: str) -> float | None:
    with urllib.request.urlopen(f"{url}/api/v1/query?query={urllib.parse.quote(promql)}", timeout=5) as response:
        result = json.load(response)["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def wait_for(url: str, promql: str, want, timeout: float = 60.0) -> float:
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = query(url, promql)
        if value is not None and want(value):
            return value
        time.sleep(1)
    pytest.fail(f"{promql} = {value} never met the expectation")


def test_prometheus_scrapes_article_counts_and_latency(pipeline: Pipeline, worker: Worker, prometheus: str) -> None:
    pipeline.cli("produce", str(EXAMPLES))
    sent = len(EXAMPLES.read_text().splitlines())
    received = wait_for(prometheus, 'tollstream_articles_received_total{job="tollstream"}', lambda v: v == sent)
    assert received == sent
    assert wait_for(prometheus, "tollstream_end_to_end_latency_seconds_count", lambda v: v >= 3) >= 3
    p99 = wait_for(
        prometheus, "histogram_quantile(0.99, tollstream_end_to_end_latency_seconds_bucket)", lambda v: v > 0
    )
    assert p99 < 60
    assert wait_for(prometheus, 'up{job="tollstream"}', lambda v: v == 1) == 1
    assert wait_for(prometheus, "tollstream_faust_messages_received_total", lambda v: v >= sent) >= sent


def test_server_sent_events_deliver_the_black_storm_revision(pipeline: Pipeline, worker: Worker) -> None:
    url = f"http://127.0.0.1:{pipeline.settings.web_port}/events/stream"
    received: list[dict] = []
    done = threading.Event()

    def listen() -> None:
        with urllib.request.urlopen(url, timeout=60) as response:
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line.startswith("data: "):
                    received.append(json.loads(line[6:]))
                    tolls = received[-1].get("tolls", {})
                    if tolls.get("killed_militants", {}).get("best") == 145:
                        done.set()
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    time.sleep(1)
    pipeline.cli("produce", str(EXAMPLES))
    assert done.wait(90), f"no Black Storm revision in {len(received)} server-sent events"
    revised = received[-1]
    assert revised["tolls"]["killed_civilians"]["best"] == 31 and revised["caused_by"] == "ex-06"


def test_event_api_lists_events_and_serves_their_history(pipeline: Pipeline, worker: Worker) -> None:
    pipeline.cli("produce", str(EXAMPLES))
    base = f"http://127.0.0.1:{pipeline.settings.web_port}"
    deadline = time.time() + 90
    listing: dict = {}
    while time.time() < deadline:
        with urllib.request.urlopen(f"{base}/events?country=PK", timeout=5) as response:
            listing = json.load(response)
        if listing["total"] == 3 and listing["events"][0]["tolls"].get("killed_militants", {}).get("best") == 145:
            break
        time.sleep(1)
    assert listing["total"] == 3
    newest = listing["events"][0]
    with urllib.request.urlopen(f"{base}/events/{newest['event_id']}", timeout=5) as response:
        detail = json.load(response)
    assert [r["revision"] for r in detail["revisions"]] == list(range(1, newest["revision"] + 1))
    observation = detail["event"]["tolls"]["killed_militants"]["observations"][0]
    assert {"article_id", "source", "quote"} <= observation.keys()
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        assert json.load(response)["healthy"] is True
