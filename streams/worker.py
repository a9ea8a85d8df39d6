"""Running the Faust worker from the ``tollstream worker`` command."""

import faust

from streams.app import create_app
from tollstream.settings import Settings


def run_worker(settings: Settings, loglevel: str = "warning") -> int:
    """Run until SIGINT/SIGTERM; Faust commits offsets and flushes tables on the way out."""
    app = create_app(settings)
    worker = faust.Worker(app, loglevel=loglevel)
    worker.execute_from_commandline()
    return 0
