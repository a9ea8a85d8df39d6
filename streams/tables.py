"""Adapters that let the pure core read and write Faust tables as typed mappings."""

from collections.abc import Iterator, MutableMapping
from typing import Any, Generic, TypeVar

from schemas.base import Message
from schemas.state import EventState, Fingerprint, PartitionState

M = TypeVar("M", bound=Message)


class ModelTable(MutableMapping[str, M], Generic[M]):
    """A Faust table of JSON objects seen as a mapping of pydantic models.

    Values are stored as the models' JSON-ready dicts: that is what the table's
    JSON serializer writes to the changelog and what recovery reads back, so a
    value looks the same before and after a restart.
    """

    def __init__(self, table: Any, model: type[M]) -> None:
        self.table, self.model = table, model

    def __getitem__(self, key: str) -> M:
        return self.model.model_validate(self.table[key])

    def __setitem__(self, key: str, value: M) -> None:
        # Assigning (not mutating) is what writes the changelog entry.
        self.table[key] = value.to_dict()

    def __delitem__(self, key: str) -> None:
        del self.table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.table.keys()))

    def __len__(self) -> int:
        return len(self.table)


class FaustEventStore:
    """The merge stage's store: a windowed Faust table of events and a table per claims partition."""

    def __init__(self, events: Any, partitions: Any) -> None:
        # ``events`` is a tumbling WindowWrapper; its underlying table holds (event id, window) keys.
        self.events = events.table
        self.partitions = partitions

    def get_event(self, event_id: str, window: tuple[float, float]) -> EventState | None:
        stored = self.events.get((event_id, tuple(window)))
        return None if stored is None else EventState.model_validate(stored)

    def put_event(self, state: EventState) -> None:
        self.events[(state.event_id, tuple(state.window))] = state.to_dict()

    def drop_event(self, event_id: str, window: tuple[float, float]) -> None:
        self.events.pop((event_id, tuple(window)), None)

    def get_partition(self, partition: int) -> PartitionState:
        stored = self.partitions.get(str(partition))
        return PartitionState() if stored is None else PartitionState.model_validate(stored)

    def put_partition(self, partition: int, state: PartitionState) -> None:
        self.partitions[str(partition)] = state.to_dict()


def fingerprints(table: Any) -> ModelTable[Fingerprint]:
    return ModelTable(table, Fingerprint)
