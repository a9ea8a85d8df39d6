"""Claims the consumer passed without merge taking them are found, and only while merge is idle."""

from faust.types import TP

from streams.rereading import MergeProgress

CLAIMS = TP("claims", 3)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def after_merging_42(idle: float) -> MergeProgress:
    """Merge took offset 42 of the claims partition, then stayed idle ``idle`` seconds."""
    clock = Clock()
    progress = MergeProgress(idle_seconds=2.0, clock=clock)
    progress.took(CLAIMS, 42)
    clock.now += idle
    return progress


def test_a_position_past_the_next_expected_claim_is_behind_once_merge_is_idle():
    """Merge took offset 42; the consumer stands at 45: claims 43 and 44 never reached it."""
    assert after_merging_42(idle=3).behind({CLAIMS: 45}) == {CLAIMS: 43}


def test_a_consumer_reading_ahead_of_a_recent_merge_is_not_behind():
    """While merge works through queued claims the consumer is ahead of it by design."""
    assert after_merging_42(idle=0.5).behind({CLAIMS: 45}) == {}


def test_a_claim_being_merged_holds_the_check_however_long_it_takes():
    progress = after_merging_42(idle=30)
    progress.taking()
    assert progress.behind({CLAIMS: 45}) == {}


def test_a_position_at_the_next_expected_claim_is_not_behind():
    assert after_merging_42(idle=3).behind({CLAIMS: 43}) == {}


def test_after_a_rebalance_nothing_is_expected_of_any_partition():
    """The partition may now be another worker's: its offsets say nothing about this one."""
    progress = after_merging_42(idle=3)
    progress.forget()
    assert progress.behind({CLAIMS: 45}) == {}
