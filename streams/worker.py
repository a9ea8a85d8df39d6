"""Running the Faust worker from the ``tollstream worker`` command."""

import asyncio
import time

import faust

from schemas.claim import Claim
from streams.app import create_app
from streams.extraction import WARM_UP
from tollstream import logs
from tollstream.kafka_io import ensure_topics
from tollstream.replay import stages_for
from tollstream.settings import Settings
from tollstream.stages import Origin


async def declare_topics(settings: Settings) -> None:
    """Create the pipeline's topics before the group forms: a topic missing then is left unassigned."""
    t = settings.topics
    await ensure_topics(
        settings,
        [
            (t.articles, settings.article_partitions, None),
            (t.claims, settings.claim_partitions, None),
            (t.events, settings.claim_partitions, None),
            (t.latest, settings.claim_partitions, {"cleanup.policy": "compact"}),
            (t.duplicates, 1, None),
            (t.deadletter, 1, None),
        ],
    )


def warm_merge(settings: Settings) -> None:
    """Merge one report on throwaway state: the first merge builds lookups (places on the map) for about a
    second of CPU, which must not be spent on the event loop while it owes the group heartbeats."""
    stages = stages_for(settings)
    for emit in stages.extract(WARM_UP, None, time.time(), Origin()):
        if isinstance(emit.value, Claim):
            stages.merge(emit.value, emit.partition or 0)


def run_worker(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM; Faust commits offsets and flushes tables on the way out."""
    app = create_app(settings)  # refuses a bad exposure before anything connects
    warm_merge(settings)
    asyncio.run(declare_topics(settings))
    worker = faust.Worker(app, loglevel=settings.log_level)
    # Faust sets up logging as the worker starts; tollstream's own lines keep their handler.
    logs.configure(settings.log_level)
    worker.execute_from_commandline()
    return 0
