"""Throughput of the whole topology in offline replay, on one core, with each stage's cost.

    .venv/bin/python bench/replay_throughput.py [--gold DIR ...] [--copies 4] [--runs 5]

The articles of the gold folders (by default every shared set beside the
repository, else the project's examples) are merged in publication order and
replayed ``--copies`` times. Each copy gets new ids and is moved earlier in time
by more than the stream's span plus the merge horizon, so the copy check sees
new stories and merge opens new events: every copy costs a full pass, as fresh
news would, while the earlier copies' events stay in the table as retained ones.

The stream is replayed ``--runs`` times and the median is reported, by the wall
clock and by the process's CPU time: on a shared machine the CPU time is the
steadier figure, since waiting for the core is not work. A last pass times every
stage call separately (CPU time), since timing each call slows the whole a little.
"""

import argparse
import logging
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from extract_throughput import machine_lines, maxrss_mib, pin_to_one_core

from tollstream.datasets import EXAMPLES_DIR, available_sets
from tollstream.replay import ReplayResult, load_jsonl, replay
from tollstream.settings import Settings
from tollstream.stages import Stages

STAGES = ("extract", "merge")  # the copy check runs inside merge


def load_stream(folders: list[Path]) -> list[dict[str, Any]]:
    rows = [row for folder in folders for row in load_jsonl(folder / "articles.jsonl")]
    return sorted(rows, key=lambda row: (row["published_at"], row["id"]))


def shifted_copy(rows: list[dict[str, Any]], k: int, shift: timedelta) -> list[bytes]:
    def copy(row: dict[str, Any]) -> dict[str, Any]:
        published = date.fromisoformat(row["published_at"]) + k * shift
        return {**row, "id": f"{row['id']}.r{k}", "published_at": published.isoformat()}

    return [orjson.dumps(copy(row)) for row in rows]


def stream_shift(rows: list[dict[str, Any]], horizon_days: float) -> timedelta:
    days = [date.fromisoformat(row["published_at"]) for row in rows]
    return max(days) - min(days) + timedelta(days=int(horizon_days) + 2)


def summary(result: ReplayResult) -> str:
    return (
        f"{len(result.claims)} claims, {len(result.final_events())} events, {len(result.events)} revisions, "
        f"{len(result.duplicates)} duplicates, {len(result.dead_letters)} dead letters"
    )


@contextmanager
def stage_clock(totals: dict[str, list[float]]) -> Iterator[None]:
    """Every call of a stage method adds its wall time to ``totals[stage]`` while the block runs."""
    originals = {name: getattr(Stages, name) for name in STAGES}

    def timed(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Stages, *args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return method(self, *args, **kwargs)
            finally:
                totals[name].append(time.process_time() - started)

        return call

    for name, method in originals.items():
        setattr(Stages, name, timed(name, method))
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(Stages, name, method)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="+", default=available_sets() or [EXAMPLES_DIR])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    logging.disable(logging.WARNING)  # the copies' too-late claims are dead-lettered, each with a log line
    cpu, allowed = pin_to_one_core()
    settings = Settings.load()
    rows = load_stream(args.gold)
    shift = stream_shift(rows, settings.horizon_days)
    # Copies go back in time, earliest first: a date after the moment of the replay is an error in a report.
    values = [value for k in reversed(range(args.copies)) for value in shifted_copy(rows, -k, shift)]
    replay(shifted_copy(rows, 0, shift), settings)  # warm-up: imports, regexes, gazetteer
    rates, cpu_rates = [], []
    for _ in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = replay(values, settings)
        rates.append(len(values) / (time.perf_counter() - started))
        cpu_rates.append(len(values) / (time.process_time() - cpu_started))
    totals: dict[str, list[float]] = defaultdict(list)
    with stage_clock(totals):
        replay(values, settings)

    print(*machine_lines(cpu, allowed), sep="\n")
    print(
        f"input       {len(rows)} articles x {args.copies} copies = {len(values)} from "
        + ", ".join(str(folder) for folder in args.gold)
    )
    print(f"output      {summary(result)}")
    for clock, found in (("wall", rates), ("cpu", cpu_rates)):
        print(
            f"throughput  {statistics.median(found):7.1f} articles/s by {clock:4} time, median of {args.runs} runs "
            f"(min {min(found):.1f}, max {max(found):.1f})"
        )
    for name in STAGES:
        calls = totals[name]
        print(
            f"stage       {name:8} {1000 * sum(calls) / len(calls):6.3f} ms per call, {len(calls)} calls, "
            f"{1000 * sum(calls) / len(values):6.3f} ms per article"
        )
    print(f"memory      ru_maxrss {maxrss_mib():.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
