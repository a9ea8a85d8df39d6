"""The benchmark's offline parts: the report a run writes, and how it reads latencies."""

import orjson

from schemas.state import EventState
from tollstream.bench import Plan, Report, event_templates, machine, measure_core, percentile
from tollstream.event_memory import fill
from tollstream.loadgen import generate
from tollstream.settings import Settings


def test_percentiles_are_nearest_rank_over_raw_latencies_in_milliseconds() -> None:
    """Latency is read from per-message timestamps, not from histogram buckets, so p99 is a real message's."""
    seconds = [i / 100 for i in range(1, 101)]
    assert (percentile(seconds, 50), percentile(seconds, 95), percentile(seconds, 99)) == (500.0, 950.0, 990.0)
    assert percentile([], 50) is None


def test_the_report_names_the_machine_the_versions_and_the_settings() -> None:
    """Figures from two runs can only be compared when each says where and with what it ran."""
    settings = Settings.load()
    report = Report(machine(settings), Plan.of(None, 1, quick=True).__dict__)
    report.results["core"] = measure_core(list(generate(20, 1).lines()), settings)
    written = orjson.loads(report.to_json())
    assert {"cores", "python", "faust", "aiokafka", "kafka", "settings", "load_average_at_start"} <= set(
        written["machine"]
    )
    assert {"article_partitions", "claim_partitions"} <= set(written["machine"]["settings"])
    core = written["results"]["core"]
    assert core["articles"] == 20 and core["articles_per_second"] > 0 and core["final_events"]


def test_event_memory_is_measured_at_each_count_of_open_events() -> None:
    """Memory per open event is what bounds how long a horizon a worker can hold."""
    states = [EventState.model_validate_json(t) for t in event_templates(1, articles=30)]
    measured = fill(states, [50, 200])
    assert [p["open_events"] for p in measured["points"]] == [50, 200]
    assert all(p["rss_growth_bytes"] >= 0 for p in measured["points"])
