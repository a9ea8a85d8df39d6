"""Running the Faust worker from the ``tollstream worker`` command."""

import asyncio

import faust

from streams.app import create_app
from tollstream import logs
from tollstream.kafka_io import ensure_topics
from tollstream.settings import Settings


async def declare_topics(settings: Settings) -> None:
    """Create the pipeline's topics before the group forms: a topic missing then is left unassigned."""
    t = settings.topics
    await ensure_topics(
        settings.broker,
        [
            (t.articles, settings.article_partitions, None),
            (t.claims, settings.claim_partitions, None),
            (t.events, settings.claim_partitions, None),
            (t.latest, settings.claim_partitions, {"cleanup.policy": "compact"}),
            (t.duplicates, 1, None),
            (t.deadletter, 1, None),
        ],
    )


def run_worker(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM; Faust commits offsets and flushes tables on the way out."""
    asyncio.run(declare_topics(settings))
    app = create_app(settings)
    worker = faust.Worker(app, loglevel=settings.log_level)
    # Faust sets up logging as the worker starts; tollstream's own lines keep their handler.
    logs.configure(settings.log_level)
    worker.execute_from_commandline()
    return 0
