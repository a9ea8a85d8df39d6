"""Prometheus metrics of every stage, built by one factory around a registry.

Names follow Prometheus conventions: a ``tollstream_`` prefix, ``_total`` on
counters, ``_seconds`` on durations, and label sets bounded by code (stage,
reason, kind, group, topic, partition), never by article or event ids.
"""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Stage work is CPU-bound string processing: micro- to milliseconds.
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
# End-to-end latency crosses Kafka twice or three times and a commit interval: up to seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass(frozen=True)
class Metrics:
    articles_received: Counter
    duplicates_dropped: Counter
    dead_letters: Counter
    claims_extracted: Counter
    figures_extracted: Counter
    events_opened: Counter
    events_revised: Counter
    events_finalised: Counter
    late_reports: Counter
    open_events: Gauge
    stage_seconds: Histogram
    end_to_end_latency: Histogram
    consumer_lag: Gauge
    last_article_timestamp: Gauge
    claims_reread: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry, prefix: str = "tollstream") -> "Metrics":
        p = prefix
        return cls(
            articles_received=Counter(
                f"{p}_articles_received", "Articles read from the input topic.", registry=registry
            ),
            duplicates_dropped=Counter(
                f"{p}_duplicates_dropped", "Articles folded into an earlier copy.", ["match"], registry=registry
            ),
            dead_letters=Counter(
                f"{p}_dead_letters", "Messages sent to the dead-letter topic.", ["stage", "reason"], registry=registry
            ),
            claims_extracted=Counter(
                f"{p}_claims_extracted", "Claims extracted from articles.", ["background"], registry=registry
            ),
            figures_extracted=Counter(
                f"{p}_figures_extracted", "Casualty figures extracted.", ["kind", "group"], registry=registry
            ),
            events_opened=Counter(f"{p}_events_opened", "Events opened by a first claim.", registry=registry),
            events_revised=Counter(f"{p}_events_revised", "Revisions published for open events.", registry=registry),
            events_finalised=Counter(
                f"{p}_events_finalised", "Events closed and published as final.", registry=registry
            ),
            late_reports=Counter(
                f"{p}_late_reports", "Claims that matched an event after it had closed.", registry=registry
            ),
            open_events=Gauge(f"{p}_open_events", "Events currently open in the event table.", registry=registry),
            stage_seconds=Histogram(
                f"{p}_stage_duration_seconds",
                "Time one stage spent on one message.",
                ["stage"],
                buckets=STAGE_BUCKETS,
                registry=registry,
            ),
            end_to_end_latency=Histogram(
                f"{p}_end_to_end_latency_seconds",
                "From an article entering the input topic to the event update it caused.",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            consumer_lag=Gauge(
                f"{p}_consumer_lag_messages",
                "Messages behind the end of each input partition.",
                ["topic", "partition"],
                registry=registry,
            ),
            last_article_timestamp=Gauge(
                f"{p}_last_article_timestamp_seconds",
                "Epoch seconds when the last article was received.",
                registry=registry,
            ),
            claims_reread=Counter(
                f"{p}_claims_reread",
                "Times a claims partition was read again from a claim the consumer had passed unmerged.",
                ["partition"],
                registry=registry,
            ),
        )
