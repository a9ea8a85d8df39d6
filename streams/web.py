"""HTTP endpoints on the worker's Faust web server: metrics, health and readiness."""

from typing import Any

import faust
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from tollstream.metrics import Metrics
from tollstream.settings import Settings

LAG_INTERVAL_SECONDS = 5.0


def install_web(app: faust.App, settings: Settings, registry: CollectorRegistry, inputs: list[Any]) -> None:
    metrics: Metrics = app.tollstream_metrics  # type: ignore[attr-defined]
    input_names = {topic.get_topic_name() for topic in inputs}

    @app.page("/metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> Response:
            return self.bytes(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

    @app.page("/healthz")
    class Health(View):
        async def get(self, request: Request) -> Response:
            agents = {name: not agent.should_stop for name, agent in app.agents.items()}
            producer_ok = app.producer is not None and not app.producer.should_stop
            healthy = producer_ok and all(agents.values())
            return self.json({"healthy": healthy, "broker": settings.broker, "agents": agents},
                             status=200 if healthy else 503)

    @app.page("/readyz")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            assigned = bool(app.consumer and app.consumer.assignment())
            ready = assigned and not app.rebalancing and app.tables.recovery.completed.is_set()
            return self.json({"ready": ready}, status=200 if ready else 503)

    @app.timer(LAG_INTERVAL_SECONDS)
    async def measure_lag() -> None:
        consumer = app.consumer
        for tp in consumer.assignment():
            if tp.topic not in input_names:
                continue
            end = consumer.highwater(tp)
            position = await consumer.position(tp)
            if end is not None and position is not None:
                metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, end - position))
