"""Adapters that let the pure core read and write Faust tables as typed mappings."""

from collections.abc import Iterator, MutableMapping
from typing import Any

from schemas.state import EventState, Fingerprint, PartitionState


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


class PartitionFingerprints(MutableMapping[str, Fingerprint]):
    """One claims partition's share of the fingerprint table, keyed by article id.

    Table keys are ``'{partition}:{article id}'``: an article whose claims land on
    two partitions has an entry on each, and neither overwrites the other.
    """

    def __init__(self, table: Any, partition: int) -> None:
        self.table, self.prefix = table, f"{partition}:"

    def __getitem__(self, key: str) -> Fingerprint:
        return Fingerprint.model_validate(self.table[self.prefix + key])

    def __setitem__(self, key: str, value: Fingerprint) -> None:
        self.table[self.prefix + key] = value.to_dict()

    def __delitem__(self, key: str) -> None:
        del self.table[self.prefix + key]

    def __iter__(self) -> Iterator[str]:
        cut = len(self.prefix)
        return iter([key[cut:] for key in list(self.table.keys()) if key.startswith(self.prefix)])

    def __len__(self) -> int:
        return sum(1 for _ in self)
