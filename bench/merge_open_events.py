"""Cost of the merge stage with many events open at once, on one core.

    .venv/bin/python bench/merge_open_events.py [--events 2000 10000] [--probes 500]

Opens ``--events`` distinct incidents (a town each, in fifty provinces of ten
countries, spread over the last half year, the span an event table remembers) on
one claims partition,
then times ``--probes`` further reports of new incidents on the latest days: each
must be weighed against the events that could be its own, and opens another. The
figure is CPU time per probe claim; the machine may be shared.
"""

import argparse
import sys
import time
from datetime import date, timedelta

from extract_throughput import machine_lines, pin_to_one_core

from schemas.claim import Claim, Figure, Place, Span
from tollstream.core.events import MemoryEventStore, Merger

START = date(2030, 1, 1)
SPAN_DAYS = 180


def report(k: int, day: date) -> Claim:
    text = f"{3 + k % 40} civilians"
    figure = Figure(
        kind="killed",
        group="civilians",
        low=3 + k % 40,
        best=3 + k % 40,
        high=3 + k % 40,
        span=Span(start=0, end=len(text), text=text),
    )
    return Claim(
        claim_id=f"r{k}#0",
        article_id=f"r{k}",
        source="Bench Wire",
        published_at=day,
        incident_date=day,
        date_tolerance_days=1,
        place=Place(name=f"Town {k}", admin1=f"Province {k % 50}", country=f"Z{k % 10}"),
        incident_type="attack",
        figures=[figure],
    )


def per_probe_ms(events: int, probes: int) -> tuple[float, int]:
    merger = Merger(MemoryEventStore())
    for k in range(events):
        merger.apply(report(k, START + timedelta(days=k * SPAN_DAYS // events)), 0)
    last = START + timedelta(days=SPAN_DAYS)
    started = time.process_time()
    for k in range(events, events + probes):
        result = merger.apply(report(k, last), 0)
    return 1000 * (time.process_time() - started) / probes, result.open_events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--probes", type=int, default=500)
    args = parser.parse_args()
    cpu, allowed = pin_to_one_core()
    print(*machine_lines(cpu, allowed), sep="\n")
    for events in args.events:
        ms, open_events = per_probe_ms(events, args.probes)
        print(f"merge       {ms:7.3f} ms per claim (CPU) with {events} events remembered, {open_events} open")
    return 0


if __name__ == "__main__":
    sys.exit(main())
