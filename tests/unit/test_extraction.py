"""Extraction in a worker process: the event loop stays free, and an article over its budget is given up."""

import asyncio
import time

import pytest

from streams.extraction import Extractor, ExtractTimeout
from tollstream.stages import Emit, Limits, Origin, extract_article


def stalls_on_a_marker(
    value: bytes | None, produced_at: float | None, received_at: float, origin: Origin, limits: Limits
) -> list[Emit]:
    """Extraction that hangs on one article, as a pattern caught backtracking would."""
    if value == b"stall":
        time.sleep(60)
    return extract_article(value, produced_at, received_at, origin, limits)


REPORT = b"Gunmen killed 12 police officers in Kalat district of Balochistan on Tuesday, officials said."


async def test_an_article_over_its_budget_times_out_and_the_next_is_extracted() -> None:
    """One hostile article must cost its budget, not the stream: the stuck process is replaced."""
    extractor = Extractor(Limits(), budget=1.0, work=stalls_on_a_marker)
    extractor.start()
    try:
        await extractor.run(REPORT, 1.0e9, Origin())  # started and warm
        began = time.monotonic()
        with pytest.raises(ExtractTimeout):
            await extractor.run(b"stall", 1.0e9, Origin())
        assert time.monotonic() - began < 30 and extractor.replaced == 1
        emits = await extractor.run(REPORT, 1.0e9, Origin())
        assert [e.value.figures[0].best for e in emits] == [12]
    finally:
        extractor.stop()


async def test_the_event_loop_keeps_running_while_an_article_is_extracted() -> None:
    """Heartbeats, commits and health checks share the loop: extraction must never hold it."""
    extractor = Extractor(Limits(), budget=5.0, work=stalls_on_a_marker)
    extractor.start()
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        await extractor.run(REPORT, 1.0e9, Origin())
        ticks = 0
        with pytest.raises(ExtractTimeout):
            await extractor.run(b"stall", 1.0e9, Origin())
        # Five seconds of a stuck article: the loop ticked all along (20 a second when idle).
        assert ticks >= 40
    finally:
        ticker.cancel()
        extractor.stop()
