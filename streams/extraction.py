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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tollstream import logs
from tollstream.stages import Emit, Limits, Origin, extract_article

_log = logs.get(__name__)
# A report the warm-ups read, so rules, patterns and lookups are loaded before the first article's clock starts.
WARM_UP = b"Gunmen killed two police officers in Quetta on Monday, officials said."


class ExtractTimeout(Exception):
    """An article took longer than the extraction budget."""


Work = Callable[[bytes | None, float | None, float, Origin, Limits], list[Emit]]


def _warm(work: Work, limits: Limits) -> int:
    return len(work(WARM_UP, None, time.time(), Origin(), limits))


class Extractor:
    """One worker process running ``extract_article``, replaced when an article overruns its budget."""

    def __init__(self, limits: Limits, budget: float, work: Work = extract_article) -> None:
        # ``work`` is importable by name: the process is spawned and looks it up in its module.
        self.limits, self.budget, self.work = limits, budget, work
        self._pool: ProcessPoolExecutor | None = None
        self._warm: asyncio.Future[int] | None = None
        self.replaced = 0

    def start(self) -> None:
        """Start the process and its warm-up; the first article waits for both, the stream does not."""
        # spawn, not fork: the worker has threads (Kafka clients), which a fork would copy half-alive.
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self._warm = asyncio.get_running_loop().run_in_executor(self._pool, _warm, self.work, self.limits)

    async def run(self, value: bytes | None, produced_at: float | None, origin: Origin) -> list[Emit]:
        if self._pool is None or self._warm is None:
            self.start()
        assert self._pool is not None and self._warm is not None
        await self._warm
        received_at = produced_at if produced_at is not None else time.time()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, self.work, value, produced_at, received_at, origin, self.limits)
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
        self.start()
        assert self._warm is not None
        await self._warm
        _log.warning("extraction process replaced in %.1f s", time.perf_counter() - started)

    def stop(self) -> None:
        """Kill the process, busy or not: nothing it holds is worth waiting for."""
        pool, self._pool, self._warm = self._pool, None, None
        if pool is None:
            return
        # The executor has no public way to stop a running call; its processes are the only handle.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
