"""Memory of open events: an event table as a worker holds it, filled with clones of real states.

    python -m tollstream.event_memory 10000 100000 < states.jsonl

Reads event states (one JSON object a line) on standard input and prints, as JSON, how much
the process grew with the table filled to each count. A worker's event table holds JSON-ready
dicts keyed by (event id, window), beside its partitions' index of open events; filling one
directly measures the memory per open event without streaming 100,000 incidents through the
merge. This module imports only the message models, so the baseline is not the gazetteer's.
"""

import gc
import sys
from pathlib import Path
from typing import Any

import orjson

from schemas.state import EventState, OpenEvent, PartitionState


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def fill(states: list[EventState], counts: list[int]) -> dict[str, Any]:
    table: dict[tuple[str, tuple[float, float]], dict[str, Any]] = {}
    index = PartitionState()
    gc.collect()
    baseline = rss_bytes()
    points = []
    for target in counts:
        while len(table) < target:
            n = len(table)
            state = states[n % len(states)]
            clone = state.model_copy(update={"event_id": f"{state.event_id}-{n}", "status": "open"})
            table[(clone.event_id, tuple(clone.window))] = clone.to_dict()
            index.events.append(OpenEvent(event_id=clone.event_id, window=clone.window, closes_at=clone.closes_at))
        gc.collect()
        grown = rss_bytes() - baseline
        points.append({"open_events": target, "rss_growth_bytes": grown, "bytes_per_event": grown // target})
    return {"template_events": len(states), "baseline_rss_bytes": baseline, "points": points}


def main(argv: list[str]) -> int:
    states = [EventState.model_validate_json(line) for line in sys.stdin.buffer if line.strip()]
    sys.stdout.buffer.write(orjson.dumps(fill(states, sorted(int(a) for a in argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
