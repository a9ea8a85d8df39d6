"""tollstream's log lines: standard ``logging``, one line per record, fields as ``key=value``.

Stages log with ``extra={"stage": ..., "reason": ..., "topic": ..., "partition": ..., "offset": ...}``;
the formatter appends those fields so an operator can ``grep 'reason=too_large'`` across
workers. tollstream's loggers get their own handler and do not propagate, so Faust's
logging set-up in the worker cannot reformat or swallow them.
"""

import logging
import sys
from typing import TextIO

ROOT = "tollstream"
FIELDS = ("stage", "reason", "article", "topic", "partition", "offset", "event")


class KeyValueFormatter(logging.Formatter):
    """``time level logger message key=value ...``, then the traceback, if any, on following lines."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        head, _, trace = line.partition("\n")
        fields = " ".join(f"{key}={getattr(record, key)}" for key in FIELDS if getattr(record, key, None) is not None)
        head = f"{head} {fields}" if fields else head
        return f"{head}\n{trace}" if trace else head


def configure(level: str = "warning", stream: TextIO | None = None) -> None:
    """Send tollstream's records at ``level`` and above to ``stream`` (stderr), replacing earlier set-up."""
    logger = logging.getLogger(ROOT)
    logger.handlers.clear()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def get(name: str) -> logging.Logger:
    """The logger of one module, under tollstream's root: ``get(__name__)``."""
    return logging.getLogger(name if name.startswith(ROOT) else f"{ROOT}.{name}")
