"""The contract of every tollstream topic: one pydantic model per message type.

JSON Schema files exported from these models live in ``schemas/json`` so that
subscribers in any language can validate what they read; ``python -m schemas``
rewrites them and a test fails when they drift from the models.
"""

from schemas.article import Article
from schemas.claim import Claim, Figure, Place, Span
from schemas.deadletter import DeadLetter
from schemas.duplicate import DuplicateRecord
from schemas.event import Change, EventUpdate, Observation, Toll
from schemas.location import Location
from schemas.state import EventState, Fingerprint, OpenEvent, PartitionState

__all__ = [
    "Article",
    "Change",
    "Claim",
    "DeadLetter",
    "DuplicateRecord",
    "EventState",
    "EventUpdate",
    "Figure",
    "Fingerprint",
    "Location",
    "Observation",
    "OpenEvent",
    "PartitionState",
    "Place",
    "Span",
    "Toll",
]
