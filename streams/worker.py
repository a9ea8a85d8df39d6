"""Running the Faust worker from the ``tollstream worker`` command."""

import faust

from streams.app import create_app
from tollstream import logs
from tollstream.settings import Settings


def run_worker(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM; Faust commits offsets and flushes tables on the way out."""
    app = create_app(settings)
    worker = faust.Worker(app, loglevel=settings.log_level)
    # Faust sets up logging as the worker starts; tollstream's own lines keep their handler.
    logs.configure(settings.log_level)
    worker.execute_from_commandline()
    return 0
