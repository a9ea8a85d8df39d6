"""Replay output on the shared gold sets is pinned: speed work changes no claim, duplicate or revision.

The digests live in ``tests/replay_digests.json``; they are refreshed
(``python -m tests.replay_pins --refresh``) only with a change whose effect on
the scores was measured and meant, never to let a refactoring pass.
"""

import pytest

from tests.replay_pins import NAMES, pins, stored


@pytest.mark.parametrize("name", NAMES)
def test_replay_of_a_shared_set_emits_exactly_the_pinned_output(name: str) -> None:
    """Each set alone, and all of them as one stream (many events open at once, as in the benchmarks)."""
    found = pins(name)
    if found is None:
        pytest.skip(f"../shared/data/{name} (or one of the sets it mixes) is not beside this checkout")
    assert found == stored()[name]
