"""Throughput of the whole topology (intake, dedupe, extract, merge) in offline replay, on one core.

    .venv/bin/python bench/replay_throughput.py [--gold DIR ...] [--repeat 20]

The articles of the gold folders are merged in publication order and replayed
``--repeat`` times. Each copy gets a unique id and is moved later in time by
more than the dataset's span plus the dedupe and merge horizon, so dedupe sees
new stories and merge opens new events: every copy costs a full pass, as fresh
news would, instead of being dropped as a duplicate.
"""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from extract_throughput import machine_lines, maxrss_mib, pin_to_one_core

from tollstream.datasets import SHARED_DATA
from tollstream.replay import ReplayResult, load_jsonl, replay
from tollstream.settings import Settings


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="+", default=[SHARED_DATA / "dev", SHARED_DATA / "seeds"])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    cpu, allowed = pin_to_one_core()
    settings = Settings.load()
    rows = load_stream(args.gold)
    shift = stream_shift(rows, settings.horizon_days)
    values = [value for k in range(args.repeat) for value in shifted_copy(rows, k, shift)]
    replay(shifted_copy(rows, 0, shift), settings)  # warm-up: imports, regexes, gazetteer
    started = time.perf_counter()
    result = replay(values, settings)
    elapsed = time.perf_counter() - started

    print(*machine_lines(cpu, allowed), sep="\n")
    print(
        f"input       {len(rows)} articles x {args.repeat} = {len(values)} from "
        + ", ".join(str(folder) for folder in args.gold)
    )
    print(f"output      {summary(result)}")
    print(f"throughput  {len(values) / elapsed:.1f} articles/s")
    print(f"latency     {1000 * elapsed / len(values):.2f} ms per article (mean)")
    print(f"memory      ru_maxrss {maxrss_mib():.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
