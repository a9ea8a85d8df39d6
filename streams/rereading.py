"""Claims the consumer read past without the merge agent taking them are read again.

Faust's recovery lets the fetcher read a newly assigned partition while it restores
the tables, and then clears the in-memory queues: claims fetched in that window can
vanish between the consumer and the agent, and the stream waits at an offset past
them (faust-streaming issue 596, open). The merge agent records, per claims
partition, the next offset it expects; once it has been idle a while and the
consumer's position is past that offset, the partition is sought back and the
skipped claims arrive again. Merging a claim twice changes nothing, so a needless
seek costs only time.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from faust.types import TP


@dataclass
class MergeProgress:
    """What the merge agent has taken from each claims partition since its assignment."""

    idle_seconds: float
    clock: Callable[[], float] = time.monotonic
    _expected: dict[TP, int] = field(default_factory=dict)
    _busy: bool = False
    _since: float = 0.0

    def taking(self) -> None:
        self._busy = True

    def took(self, tp: TP, offset: int) -> None:
        self._expected[tp] = offset + 1
        self._busy = False
        self._since = self.clock()

    def forget(self) -> None:
        """After a rebalance the partitions may be another worker's: nothing is expected of them."""
        self._expected.clear()

    def behind(self, positions: dict[TP, int]) -> dict[TP, int]:
        """The partitions whose consumer position is past the next claim merge expects, with that offset.

        Only while the agent is idle: a busy agent has claims queued, and the consumer reads ahead of them.
        """
        if self._busy or self.clock() - self._since < self.idle_seconds:
            return {}
        return {tp: expected for tp, expected in self._expected.items() if tp in positions and positions[tp] > expected}
