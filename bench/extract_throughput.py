"""Throughput of the figure extractor on real reports, on one core.

    .venv/bin/python bench/extract_throughput.py [--articles PATH ...] [--repeat 20]

Loads the articles once (by default every shared set beside the repository, the
mixed corpus, else the project's examples), warms up with one pass, then times
``extract_claims`` over the articles ``--repeat`` times, pass by pass, and reports
the median pass by the wall clock and by CPU time (the machine may be shared).
The extractor is single-threaded, so the process is pinned to one of the CPUs it
may use: the figure is per core. Peak memory comes from a separate traced pass,
because tracemalloc slows the code it measures.
"""

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import orjson

from schemas.article import Article
from tollstream.core.extract import extract_claims
from tollstream.datasets import EXAMPLES, available_sets

# Every shared set beside the repository, else the project's own examples.
DEFAULT_ARTICLES = [folder / "articles.jsonl" for folder in available_sets()] or [EXAMPLES]


def load_articles(path: Path) -> list[Article]:
    with path.open("rb") as handle:
        return [Article.model_validate(orjson.loads(line)) for line in handle if line.strip()]


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def pin_to_one_core() -> tuple[int, int]:
    """Pin to the first allowed CPU; returns (that CPU, how many were allowed)."""
    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {allowed[0]})
    return allowed[0], len(allowed)


def machine_lines(cpu: int, allowed: int) -> list[str]:
    return [
        f"python      {sys.version.split()[0]} ({platform.python_implementation()})",
        f"cpu         {cpu_model()}",
        f"cores       {os.cpu_count()} online, {allowed} allowed; pinned to cpu {cpu}",
    ]


def traced_peak_kib(work: Callable[[], object]) -> float:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**10


def maxrss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extract_all(articles: list[Article]) -> int:
    return sum(len(extract_claims(article, article.id or "")) for article in articles)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, nargs="+", default=DEFAULT_ARTICLES)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    cpu, allowed = pin_to_one_core()
    articles = [article for path in args.articles for article in load_articles(path)]
    claims = extract_all(articles)  # warm-up: compiled regexes, lazily loaded tables
    walls, cpus = [], []
    for _ in range(args.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        extract_all(articles)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    count = len(articles) * args.repeat
    peak = traced_peak_kib(lambda: extract_all(articles))
    chars = sum(len(article.text) for article in articles) / len(articles)

    print(*machine_lines(cpu, allowed), sep="\n")
    print(
        f"input       {len(articles)} articles x {args.repeat} = {count} ({chars:.0f} chars mean, "
        f"{claims} claims per pass) from " + ", ".join(str(path) for path in args.articles)
    )
    for clock, passes in (("wall", walls), ("cpu", cpus)):
        median = statistics.median(passes)
        print(
            f"throughput  {len(articles) / median:7.1f} articles/s by {clock:4} time, "
            f"{1000 * median / len(articles):.3f} ms per article (median pass of {args.repeat})"
        )
    print(f"memory      tracemalloc peak {peak:.0f} KiB over one pass; ru_maxrss {maxrss_mib():.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
