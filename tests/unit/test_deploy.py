"""Checks of the deployment files: compose stack, image, Prometheus and Grafana.

No container engine runs here, so the compose file and Dockerfile are checked
for structure and for every cross-reference between the files (mounted paths,
service names, ports, metric names). The Prometheus configuration and rules go
through the real promtool: config and rule syntax, and the alert unit tests.
Metric names are taken from a live registry built by tollstream.metrics, so a
renamed metric breaks these tests instead of silently emptying a panel.
"""

import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from tollstream.metrics import Metrics

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
LOCAL_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
COMPOSE_CONFIG = PROMETHEUS_DIR / "prometheus.compose.yml"
ALERTS = PROMETHEUS_DIR / "alerts.yml"
ALERTS_TEST = PROMETHEUS_DIR / "alerts_test.yml"
GRAFANA_DIR = REPO / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "tollstream.json"
DATASOURCE_PROVISIONING = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVISIONING = GRAFANA_DIR / "provisioning" / "dashboards" / "tollstream.yml"

REQUIRED_ALERTS = {
    "TollstreamWorkerDown",
    "TollstreamConsumerLagGrowing",
    "TollstreamDeadLetterRate",
    "TollstreamNoArticles",
    "TollstreamLatencyP99High",
}
# Series Prometheus itself attaches to every scrape, usable in any expression.
PROMETHEUS_SERIES = {"up"}


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def exposed_metric_names() -> set[str]:
    """Every sample name the project's registry can expose.

    Labelled metrics have no samples until a child is created, so names are
    derived from each family's type the way the exposition format does.
    """
    registry = CollectorRegistry()
    Metrics.create(registry)
    names: set[str] = set()
    for family in registry.collect():
        if family.type == "counter":
            names |= {f"{family.name}_total", f"{family.name}_created"}
        elif family.type == "histogram":
            names |= {f"{family.name}_{suffix}" for suffix in ("bucket", "count", "sum", "created")}
        elif family.type == "gauge":
            names.add(family.name)
        else:
            raise AssertionError(f"unexpected metric type {family.type} for {family.name}")
    return names


def metric_families() -> set[str]:
    registry = CollectorRegistry()
    Metrics.create(registry)
    return {family.name for family in registry.collect()}


_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_OFFSET = re.compile(r"\boffset\s+-?[\w$]+")
# A whole identifier (not part of a number, a $variable or a longer name) that
# is not a function call.
_IDENTIFIER = re.compile(r"(?<![\w.$:])([A-Za-z_:][A-Za-z0-9_:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = {"and", "or", "unless", "bool", "inf", "nan"}


def promql_metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression selects (label values and names aside)."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub("", text)
    text = _RANGE.sub("", text)
    text = _GROUPING.sub("", text)
    text = _OFFSET.sub("", text)
    return {name for name in _IDENTIFIER.findall(text) if name.lower() not in _KEYWORDS}


def require_promtool() -> str:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail(
            "promtool is not installed; it comes with Debian's prometheus package (apt-get install -y prometheus)"
        )
    return promtool


def run_promtool(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [require_promtool(), *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, (
        f"promtool {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


def container_port(mapping: str | int | dict[str, Any]) -> int:
    """The container side of a compose port mapping, short or long syntax."""
    if isinstance(mapping, dict):
        return int(mapping["target"])
    return int(str(mapping).split(":")[-1].split("/")[0])


def host_ip(mapping: str | int | dict[str, Any]) -> str | None:
    if isinstance(mapping, dict):
        return mapping.get("host_ip")
    parts = str(mapping).split(":")
    return parts[0] if len(parts) == 3 else None


def bind_mounts(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of the service's bind mounts; named volumes are skipped."""
    mounts = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type") == "bind":
                mounts.append((volume["source"], volume["target"]))
            continue
        source, target = volume.split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append((source, target))
    return mounts


def named_volumes(service: dict[str, Any]) -> list[str]:
    names = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type") == "volume":
                names.append(volume["source"])
            continue
        source = volume.split(":")[0]
        if not source.startswith((".", "/")):
            names.append(source)
    return names


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def dashboard_panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from dashboard_panels(panel.get("panels", []))


def dashboard_expressions(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, PromQL) for every panel query and every query variable."""
    found = []
    for panel in dashboard_panels(dashboard["panels"]):
        for target in panel.get("targets", []):
            found.append((f"panel {panel['title']!r} query {target['refId']}", target["expr"]))
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        query = variable["query"]
        query = query["query"] if isinstance(query, dict) else query
        # label_values(<series selector>, <label>) runs the selector.
        match = re.fullmatch(r"\s*label_values\((.*),\s*\w+\s*\)\s*", query)
        found.append((f"variable {variable['name']!r}", match.group(1) if match else query))
    return found


# Grafana's built-in interval variables, replaced by durations so that
# promtool can parse the queries.
GRAFANA_INTERVALS = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h"}


def as_plain_promql(expr: str) -> str:
    for variable, duration in GRAFANA_INTERVALS.items():
        expr = expr.replace(variable, duration)
    return expr


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def alert_rules() -> list[dict[str, Any]]:
    return [rule for group in load_yaml(ALERTS)["groups"] for rule in group["rules"] if "alert" in rule]


# --------------------------------------------------------------------------
# The helpers themselves
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('up{job="tollstream"} == 0 or absent(up{job="tollstream"})', {"up"}),
        (
            'histogram_quantile(0.99, sum by (stage, le) (rate(a_seconds_bucket{x=~"$instance"}[$__rate_interval])))',
            {"a_seconds_bucket"},
        ),
        ("time() - max(b_seconds > 0) > 1800 and on () sum(increase(c_total[30m])) == 0", {"b_seconds", "c_total"}),
        ("rate(d_total[5m] offset 1h) * 60 > 1e3", {"d_total"}),
    ],
)
def test_promql_metric_names_finds_selected_metrics_only(expr: str, names: set[str]) -> None:
    assert promql_metric_names(expr) == names


def test_exposed_metric_names_come_from_the_registry() -> None:
    names = exposed_metric_names()
    assert "tollstream_articles_received_total" in names
    assert "tollstream_end_to_end_latency_seconds_bucket" in names
    assert "tollstream_consumer_lag_messages" in names
    assert all(name.startswith("tollstream_") for name in names)


# --------------------------------------------------------------------------
# docker-compose.yml
# --------------------------------------------------------------------------


def test_compose_has_the_four_services(services: dict[str, Any]) -> None:
    assert {"kafka", "worker", "prometheus", "grafana"} <= set(services)


@pytest.mark.parametrize(
    ("service", "repository"),
    [("kafka", "apache/kafka"), ("prometheus", "prom/prometheus"), ("grafana", "grafana/grafana")],
)
def test_services_use_pinned_official_images(services: dict[str, Any], service: str, repository: str) -> None:
    image = services[service]["image"]
    name, _, tag = image.partition(":")
    assert name == repository
    assert tag and tag != "latest", f"{service} image {image} must pin a version"


def test_kafka_is_a_4x_single_node_kraft_broker(services: dict[str, Any], compose: dict[str, Any]) -> None:
    kafka = services["kafka"]
    assert kafka["image"].split(":")[1].startswith("4.")
    env = environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    node_id = env["KAFKA_NODE_ID"]
    controller_port = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].rsplit(":", 1)[1]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{node_id}@kafka:{controller_port}"
    assert f"CONTROLLER://:{controller_port}" in env["KAFKA_LISTENERS"].split(",")
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] == "CONTROLLER"
    # Internal topics must be creatable on one broker.
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "1"
    # Every listener name has a security protocol.
    protocols = dict(item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    for listener in env["KAFKA_LISTENERS"].split(","):
        assert listener.split("://")[0] in protocols
    # Data on a named volume at the log dir.
    volumes = named_volumes(kafka)
    assert volumes and all(volume in compose["volumes"] for volume in volumes)
    assert any(v.endswith(f":{env['KAFKA_LOG_DIRS']}") for v in kafka["volumes"])
    assert kafka["healthcheck"]["test"]


def test_worker_reaches_kafka_through_its_advertised_listener(services: dict[str, Any]) -> None:
    broker = environment(services["worker"])["TOLLSTREAM_BROKER"]
    assert broker == "kafka:9092"
    advertised = environment(services["kafka"])["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert any(listener.split("://")[1] == broker for listener in advertised), advertised
    host = broker.split(":")[0]
    assert host in services


def test_worker_waits_for_a_healthy_broker(services: dict[str, Any]) -> None:
    depends_on = services["worker"]["depends_on"]
    assert depends_on["kafka"]["condition"] == "service_healthy"
    assert services["kafka"].get("healthcheck")


def test_worker_is_built_from_the_dockerfile_and_serves_metrics(services: dict[str, Any]) -> None:
    worker = services["worker"]
    build = worker["build"]
    context = REPO / (build if isinstance(build, str) else build.get("context", "."))
    dockerfile = context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
    assert dockerfile.resolve() == DOCKERFILE
    assert worker.get("command") in (None, ["worker"], "worker")
    assert 6066 in {container_port(port) for port in worker["ports"]}
    # Faust must listen on all interfaces for Prometheus in another container.
    assert environment(worker)["TOLLSTREAM_WEB_BIND"] == "0.0.0.0"


def test_worker_shows_how_to_scale(services: dict[str, Any]) -> None:
    replicas = services["worker"].get("deploy", {}).get("replicas", 1)
    assert replicas >= 2 or "worker-2" in services


def test_published_ports(services: dict[str, Any]) -> None:
    expected = {"kafka": 29092, "worker": 6066, "prometheus": 9090, "grafana": 3000}
    for service, port in expected.items():
        mappings = services[service]["ports"]
        assert port in {container_port(mapping) for mapping in mappings}, service
        # Plaintext Kafka and an admin UI: reachable from this host only.
        assert all(host_ip(mapping) == "127.0.0.1" for mapping in mappings), service


def test_every_bind_mount_source_exists(services: dict[str, Any]) -> None:
    mounts = [(name, source) for name, service in services.items() for source, _ in bind_mounts(service)]
    assert mounts
    for name, source in mounts:
        assert (REPO / source).exists(), f"{name} mounts {source}, which is not in the repository"


def test_every_named_volume_is_declared(services: dict[str, Any], compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in named_volumes(service):
            assert volume in declared, f"{name} uses undeclared volume {volume}"


def test_prometheus_mounts_the_compose_config_with_its_rules(services: dict[str, Any]) -> None:
    mounts = {target: (REPO / source).resolve() for source, target in bind_mounts(services["prometheus"])}
    config_file = "/etc/prometheus/prometheus.yml"
    command = services["prometheus"].get("command", [])
    assert f"--config.file={config_file}" in command or not command
    assert mounts[config_file] == COMPOSE_CONFIG
    # rule_files are resolved against the config file's directory.
    for rule_file in load_yaml(COMPOSE_CONFIG)["rule_files"]:
        target = str(Path(config_file).parent / rule_file)
        assert target in mounts, f"{rule_file} is not mounted beside the config"
        assert mounts[target] == (PROMETHEUS_DIR / rule_file).resolve()


def test_prometheus_compose_config_scrapes_every_worker(services: dict[str, Any]) -> None:
    config = load_yaml(COMPOSE_CONFIG)
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "tollstream"]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    targets = [target for static in job.get("static_configs", []) for target in static["targets"]]
    for dns in job.get("dns_sd_configs", []):
        targets += [f"{name}:{dns['port']}" for name in dns["names"]]
    assert targets
    for target in targets:
        host, port = target.rsplit(":", 1)
        assert host in services and int(port) == 6066, target


def test_grafana_mounts_provisioning_and_dashboards(services: dict[str, Any]) -> None:
    mounts = {target: (REPO / source).resolve() for source, target in bind_mounts(services["grafana"])}
    assert mounts["/etc/grafana/provisioning"] == (GRAFANA_DIR / "provisioning").resolve()
    (provider,) = load_yaml(DASHBOARD_PROVISIONING)["providers"]
    dashboards_path = provider["options"]["path"]
    assert mounts[dashboards_path] == DASHBOARD.parent.resolve()
    home = environment(services["grafana"]).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home:
        assert home == f"{dashboards_path}/{DASHBOARD.name}"


def test_grafana_datasource_points_at_the_prometheus_service(services: dict[str, Any]) -> None:
    (datasource,) = load_yaml(DATASOURCE_PROVISIONING)["datasources"]
    assert datasource["type"] == "prometheus"
    assert datasource["uid"] == "prometheus"
    assert datasource["url"] == "http://prometheus:9090"
    assert 9090 in {container_port(port) for port in services["prometheus"]["ports"]}


# --------------------------------------------------------------------------
# Dockerfile and .dockerignore
# --------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def test_image_runs_the_worker_as_a_non_root_user() -> None:
    stage = final_stage()
    assert stage[0][1].split()[0] == "python:3.11-slim"
    values = {keyword: value for keyword, value in stage}
    assert json.loads(values["ENTRYPOINT"]) == ["tollstream"]
    assert json.loads(values["CMD"]) == ["worker"]
    assert "6066" in values["EXPOSE"].split()
    user = values["USER"]
    assert user not in {"root", "0"}


def test_image_installs_the_package_and_its_console_script() -> None:
    instructions = dockerfile_instructions()
    assert any(keyword == "RUN" and re.search(r"\bpip install \.(\s|$)", value) for keyword, value in instructions)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "tollstream" in pyproject["project"]["scripts"]


def test_image_copies_every_package_the_build_finds() -> None:
    copied: set[str] = set()
    for keyword, value in dockerfile_instructions():
        if keyword == "COPY" and "--from=" not in value:
            copied |= {source.rstrip("/") for source in value.split()[:-1]}
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages <= copied
    assert {"pyproject.toml", pyproject["project"]["readme"]} <= copied
    for source in copied:
        assert (REPO / source).exists(), f"the Dockerfile copies {source}, which is not in the repository"


def test_dockerignore_lets_in_what_the_dockerfile_copies() -> None:
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # An allowlist: everything is excluded first, then sources are let back in.
    assert lines[0] == "*"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    for keyword, value in dockerfile_instructions():
        if keyword == "COPY" and "--from=" not in value:
            for source in value.split()[:-1]:
                assert source.rstrip("/") in allowed, f"{source} is excluded from the build context"


# --------------------------------------------------------------------------
# Prometheus configuration and rules
# --------------------------------------------------------------------------


def test_local_config_scrapes_the_worker_every_5s() -> None:
    config = load_yaml(LOCAL_CONFIG)
    assert config["global"]["evaluation_interval"] == "15s"
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "tollstream"]
    assert job.get("scrape_interval", config["global"].get("scrape_interval")) == "5s"
    assert job.get("metrics_path", "/metrics") == "/metrics"
    assert [target for static in job["static_configs"] for target in static["targets"]] == ["127.0.0.1:6066"]
    assert config["rule_files"] == ["alerts.yml"]


@pytest.mark.parametrize("config", [LOCAL_CONFIG, COMPOSE_CONFIG], ids=lambda path: path.name)
def test_promtool_accepts_the_config(config: Path) -> None:
    result = run_promtool("check", "config", str(config.relative_to(REPO)))
    assert "SUCCESS" in result.stdout + result.stderr


def test_promtool_accepts_the_rules() -> None:
    result = run_promtool("check", "rules", str(ALERTS.relative_to(REPO)))
    assert f"SUCCESS: {len(REQUIRED_ALERTS)} rules found" in result.stdout + result.stderr


def test_promtool_unit_tests_of_the_alerts_pass() -> None:
    result = run_promtool("test", "rules", str(ALERTS_TEST.relative_to(REPO)))
    assert "SUCCESS" in result.stdout + result.stderr


def test_alert_rules_are_complete_and_documented(alert_rules: list[dict[str, Any]]) -> None:
    assert {rule["alert"] for rule in alert_rules} >= REQUIRED_ALERTS
    for rule in alert_rules:
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert rule["annotations"]["summary"].strip(), rule["alert"]
        assert len(rule["annotations"]["description"]) > 80, rule["alert"]
        assert "for" in rule, rule["alert"]
        assert 'job="tollstream"' in rule["expr"], f"{rule['alert']} must select the tollstream job"


def test_alert_rules_use_only_exposed_metrics(alert_rules: list[dict[str, Any]]) -> None:
    known = exposed_metric_names() | PROMETHEUS_SERIES
    for rule in alert_rules:
        names = promql_metric_names(rule["expr"])
        assert names, rule["alert"]
        assert names <= known, f"{rule['alert']} uses unknown metrics {sorted(names - known)}"


def test_alert_unit_tests_cover_every_alert_with_real_series(alert_rules: list[dict[str, Any]]) -> None:
    tests = load_yaml(ALERTS_TEST)
    assert tests["rule_files"] == [ALERTS.name]
    firing = set()
    known = exposed_metric_names() | PROMETHEUS_SERIES
    for case in tests["tests"]:
        for series in case["input_series"]:
            name = series["series"].split("{")[0].strip()
            assert name in known, f"synthetic series {name} is not a metric the workers expose"
        for check in case["alert_rule_test"]:
            if check.get("exp_alerts"):
                firing.add(check["alertname"])
    assert {rule["alert"] for rule in alert_rules} <= firing


# --------------------------------------------------------------------------
# Grafana dashboard
# --------------------------------------------------------------------------


def test_dashboard_is_a_provisionable_grafana_dashboard(dashboard: dict[str, Any]) -> None:
    assert dashboard["uid"] == "tollstream"
    assert 36 <= dashboard["schemaVersion"] <= 41
    variables = {variable["name"]: variable for variable in dashboard["templating"]["list"]}
    assert variables["DS_PROMETHEUS"]["type"] == "datasource"
    assert variables["DS_PROMETHEUS"]["query"] == "prometheus"


def test_dashboard_queries_use_the_datasource_variable(dashboard: dict[str, Any]) -> None:
    for panel in dashboard_panels(dashboard["panels"]):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${DS_PROMETHEUS}", panel["title"]


def test_dashboard_layout_has_unique_ids_and_no_overlaps(dashboard: dict[str, Any]) -> None:
    panels = list(dashboard_panels(dashboard["panels"]))
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    occupied: dict[tuple[int, int], str] = {}
    for panel in panels:
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24, panel["title"]
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in occupied, f"{panel['title']!r} overlaps {occupied[(x, y)]!r}"
                occupied[(x, y)] = panel["title"]


def test_dashboard_uses_only_exposed_metrics(dashboard: dict[str, Any]) -> None:
    known = exposed_metric_names() | PROMETHEUS_SERIES
    for where, expr in dashboard_expressions(dashboard):
        names = promql_metric_names(expr)
        assert names, f"{where} selects no metric: {expr}"
        assert names <= known, f"{where} uses unknown metrics {sorted(names - known)}"


def test_dashboard_charts_every_metric_and_worker_health(dashboard: dict[str, Any]) -> None:
    used = set()
    for _, expr in dashboard_expressions(dashboard):
        used |= promql_metric_names(expr)
    assert "up" in used
    for family in metric_families():
        assert any(name == family or name.startswith(f"{family}_") for name in used), f"metric {family} has no panel"


def test_dashboard_has_the_latency_quantiles(dashboard: dict[str, Any]) -> None:
    exprs = [expr for _, expr in dashboard_expressions(dashboard)]

    def has(quantile: str, metric: str) -> bool:
        return any(f"histogram_quantile({quantile}," in e and metric in e for e in exprs)

    for quantile in ("0.5", "0.95", "0.99"):
        assert has(quantile, "tollstream_stage_duration_seconds_bucket")
    for quantile in ("0.5", "0.99"):
        assert has(quantile, "tollstream_end_to_end_latency_seconds_bucket")
    assert any("by (stage, le)" in e for e in exprs), "stage quantiles must be per stage"


def test_promtool_parses_every_dashboard_query(dashboard: dict[str, Any], tmp_path: Path) -> None:
    # promtool has no command for a bare expression, so each query becomes a
    # recording rule and `check rules` parses it.
    rules = [
        {"record": f"dashboard:query_{n}", "expr": as_plain_promql(expr)}
        for n, (_, expr) in enumerate(dashboard_expressions(dashboard))
    ]
    rules_file = tmp_path / "dashboard_rules.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}), encoding="utf-8")
    result = run_promtool("check", "rules", str(rules_file))
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout + result.stderr
