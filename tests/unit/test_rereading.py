"""Claims the consumer passed without merge taking them are found, and only while merge is idle."""

from faust.types import TP

from streams.rereading import MergeProgress

CLAIMS = TP("claims", 3)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def progress_at(clock: Clock) -> MergeProgress:
    return MergeProgress(idle_seconds=2.0, clock=clock)


def test_a_position_past_the_next_expected_claim_is_behind_once_merge_is_idle():
    """Merge took offset 42; the consumer stands at 45: claims 43 and 44 never reached it."""
    clock = Clock()
    progress = progress_at(clock)
    progress.took(CLAIMS, 42)
    clock.now += 3
    assert progress.behind({CLAIMS: 45}) == {CLAIMS: 43}


def test_a_consumer_reading_ahead_of_a_recent_merge_is_not_behind():
    """While merge works through queued claims the consumer is ahead of it by design."""
    clock = Clock()
    progress = progress_at(clock)
    progress.took(CLAIMS, 42)
    clock.now += 0.5
    assert progress.behind({CLAIMS: 45}) == {}


def test_a_claim_being_merged_holds_the_check_however_long_it_takes():
    clock = Clock()
    progress = progress_at(clock)
    progress.took(CLAIMS, 42)
    progress.taking()
    clock.now += 30
    assert progress.behind({CLAIMS: 45}) == {}


def test_a_position_at_the_next_expected_claim_is_not_behind():
    clock = Clock()
    progress = progress_at(clock)
    progress.took(CLAIMS, 42)
    clock.now += 3
    assert progress.behind({CLAIMS: 43}) == {}


def test_after_a_rebalance_nothing_is_expected_of_any_partition():
    """The partition may now be another worker's: its offsets say nothing about this one."""
    clock = Clock()
    progress = progress_at(clock)
    progress.took(CLAIMS, 42)
    progress.forget()
    clock.now += 3
    assert progress.behind({CLAIMS: 45}) == {}
