"""Extraction in a worker process: the CPU-bound stage off the event loop, with a time budget per article.

The loop that serves Kafka heartbeats, offset commits and the web server only
waits on a future while one process extracts; a hostile article can so hold
that process, never the worker. An article over its budget is given up: the
process is killed (a running pattern cannot be interrupted otherwise), a fresh
one takes its place, and the caller dead-letters the article ``extract_timeout``.
One process and one article at a time keep the articles' order.
"""

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tollstream import logs
from tollstream.stages import Emit, Limits, Origin, extract_article

_log = logs.get(__name__)
# A sentence the warm-up extracts, so rules and patterns are loaded before the first article's clock starts.
_WARM_UP = b"Gunmen killed two police officers in Quetta on Monday, officials said."


class ExtractTimeout(Exception):
    """An article took longer than the extraction budget."""


def _warm(limits: Limits) -> int:
    return len(extract_article(_WARM_UP, None, time.time(), Origin(), limits))


class Extractor:
    """One worker process running ``extract_article``, replaced when an article overruns its budget."""

    def __init__(self, limits: Limits, budget: float) -> None:
        self.limits, self.budget = limits, budget
        self._pool: ProcessPoolExecutor | None = None
        self.replaced = 0

    async def start(self) -> None:
        # spawn, not fork: the worker has threads (Kafka clients), which a fork would copy half-alive.
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        await asyncio.get_running_loop().run_in_executor(self._pool, _warm, self.limits)

    async def run(self, value: bytes | None, produced_at: float | None, origin: Origin) -> list[Emit]:
        if self._pool is None:
            await self.start()
        assert self._pool is not None
        received_at = produced_at if produced_at is not None else time.time()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, extract_article, value, produced_at, received_at, origin, self.limits)
        try:
            return await asyncio.wait_for(future, self.budget)
        except TimeoutError:
            await self._replace()
            raise ExtractTimeout(f"extraction took more than {self.budget:g} s") from None
        except BrokenProcessPool:
            # The process died under this article (out of memory, killed): the next one gets a new process.
            await self._replace()
            raise

    async def _replace(self) -> None:
        started = time.perf_counter()
        self.stop()
        self.replaced += 1
        await self.start()
        _log.warning("extraction process replaced in %.1f s", time.perf_counter() - started)

    def stop(self) -> None:
        """Kill the process, busy or not: nothing it holds is worth waiting for."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The executor has no public way to stop a running call; its processes are the only handle.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
