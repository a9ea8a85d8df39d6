"""One settings object for every tollstream process: broker, worker, produce, watch, demo and tests.

Each field reads the environment variable ``TOLLSTREAM_<FIELD>`` (``TOLLSTREAM_BROKER_PORT``,
``TOLLSTREAM_WEB_PORT`` ...); command-line flags override them. The object is frozen and
validated once, so a typo in a value fails at start-up with the variable's name, and
every process that reads the same environment agrees on every port, name and path.
The defaults describe the embedded set-up: a single-node broker that
``tollstream broker start`` runs on 127.0.0.1.
"""

import ssl
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
ENV_PREFIX = "TOLLSTREAM_"
# Node n of the embedded cluster listens on broker_port + NODE_PORT_STEP * (n - 1), its controller likewise.
NODE_PORT_STEP = 10
SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class SettingsError(ValueError):
    """The environment or the command line holds a value tollstream cannot use."""


class Topics:
    """Topic names; the prefix lets several pipelines share one cluster."""

    ROLES = ("articles", "claims", "events", "events-latest", "duplicates", "deadletter")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def name(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    @property
    def articles(self) -> str:
        return self.name("articles")

    @property
    def claims(self) -> str:
        return self.name("claims")

    @property
    def events(self) -> str:
        return self.name("events")

    @property
    def latest(self) -> str:
        return self.name("events-latest")

    @property
    def duplicates(self) -> str:
        return self.name("duplicates")

    @property
    def deadletter(self) -> str:
        return self.name("deadletter")


LogLevel = Literal["debug", "info", "warning", "error"]


class Settings(BaseSettings):
    """One process's configuration; every field is also ``TOLLSTREAM_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    broker_port: int = Field(19092, ge=1, le=65535, description="Client port of the embedded broker.")
    controller_port: int = Field(19093, ge=1, le=65535, description="KRaft controller port of the embedded broker.")
    broker_heap: str = Field("512m", pattern=r"^\d+[kmg]$", description="JVM heap of each embedded broker node.")
    broker_nodes: int = Field(
        1, ge=1, le=5, description="Nodes of the embedded cluster; node n adds 10 * (n - 1) to both ports."
    )
    broker_users: SecretStr | None = Field(
        None,
        description="name:password pairs, comma-separated: when set, the embedded broker's client listener is "
        "SASL_PLAINTEXT with these PLAIN users (the first one is the brokers' own).",
    )
    broker: str = Field(
        "", description="Bootstrap servers (host:port,...); empty means the embedded broker on broker_port."
    )
    replication_factor: int = Field(
        0, ge=0, le=5, description="Replicas of every topic tollstream creates; 0: up to 3, one per embedded node."
    )
    kafka_security_protocol: SecurityProtocol = Field(
        "PLAINTEXT", description="How clients talk to Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."
    )
    kafka_sasl_mechanism: SaslMechanism = Field(
        "PLAIN", description="SASL mechanism for SASL_* protocols: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512."
    )
    kafka_username: str = Field("", description="SASL user name.")
    kafka_password: SecretStr | None = Field(None, description="SASL password.")
    kafka_ssl_cafile: Path | None = Field(
        None, description="CA bundle that signs the brokers' certificates (SSL, SASL_SSL); default: the system's."
    )
    topic_prefix: str = Field("tollstream", pattern=r"^[A-Za-z0-9._-]+$", description="Prefix of every topic name.")
    app_id: str = Field("tollstream", pattern=r"^[A-Za-z0-9._-]+$", description="Faust app id and consumer group.")
    article_partitions: int = Field(
        4, ge=1, description="Partitions of the input topic: extraction runs on as many workers at once."
    )
    claim_partitions: int = Field(4, ge=1, description="Partitions of the claims topic and the event table.")
    horizon_days: float = Field(14.0, gt=0, description="Days after its incident day an event stays open.")
    retention_days: float = Field(180.0, gt=0, description="Days a closed event stays known for late reports.")
    web_port: int = Field(6066, ge=1, le=65535, description="Port of the worker's web server.")
    web_host: str = Field(LOOPBACK, description="Host name the web server advertises.")
    web_bind: str = Field(LOOPBACK, description="Address the web server binds.")
    state_dir: Path = Field(REPO_ROOT / ".state", description="Broker data, worker tables and logs.")
    max_article_bytes: int = Field(
        500_000,
        ge=1024,
        le=900_000,
        description="Largest article accepted, in bytes; the broker caps a message at 1 MB.",
    )
    extract_timeout_seconds: float = Field(
        5.0, gt=0, description="Time one article may take in extraction before it is dead-lettered (extract_timeout)."
    )
    future_date_allowance_seconds: float = Field(
        86400.0,
        ge=0,
        description="How far past its arrival in Kafka a publication date may lie (time zones) before it is refused.",
    )
    instance_id: str = Field(
        "",
        pattern=r"^[A-Za-z0-9._-]*$",
        description="Static group membership id of this worker; empty: the app id, host name and web port.",
    )
    session_timeout_seconds: float = Field(
        10.0, ge=6, le=300, description="Seconds the group waits for a silent worker before moving its partitions."
    )
    log_level: LogLevel = Field("warning", description="Level of tollstream's own log lines.")
    api_token: SecretStr | None = Field(
        None, description="Bearer token the HTTP API requires when set; required when web_bind is not loopback."
    )
    view_max_events: int = Field(10_000, ge=1, description="Events the HTTP API keeps in memory, most recent first.")
    view_max_revisions: int = Field(
        200, ge=2, description="Revisions kept per event by the HTTP API (the first and the latest ones)."
    )
    view_max_bytes: int = Field(
        64 * 2**20, ge=2**20, description="Bytes of revision JSON the HTTP API keeps in memory, all events together."
    )
    sse_max_clients: int = Field(100, ge=1, description="Live stream connections served at once.")
    sse_backlog: int = Field(
        1_000, ge=1, description="Revisions a live stream client may fall behind before it is told and disconnected."
    )

    @model_validator(mode="after")
    def _embedded_default(self) -> Self:
        if not self.broker:
            # Frozen: the derived default is written once, at validation.
            object.__setattr__(self, "broker", self.embedded_bootstrap)
        if self.kafka_security_protocol.startswith("SASL_") and not (self.kafka_username and self.kafka_password):
            raise ValueError(
                f"kafka_security_protocol {self.kafka_security_protocol} needs TOLLSTREAM_KAFKA_USERNAME "
                "and TOLLSTREAM_KAFKA_PASSWORD"
            )
        return self

    @classmethod
    def load(cls, **overrides: Any) -> "Settings":
        """Settings from the environment, with the given (non-None) overrides; clear errors otherwise."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            raise SettingsError(_explain(exc)) from None

    def with_overrides(self, **changes: Any) -> "Settings":
        """A copy with some fields changed (None leaves a field as it is), validated again."""
        current = self.model_dump()
        if {"broker_port", "broker_nodes"} & changes.keys() and self.embedded:
            current["broker"] = ""  # the embedded address follows its port
        try:
            return type(self)(**{**current, **{k: v for k, v in changes.items() if v is not None}})
        except ValidationError as exc:
            raise SettingsError(_explain(exc)) from None

    @property
    def topics(self) -> Topics:
        return Topics(self.topic_prefix)

    def node_ports(self, node: int) -> tuple[int, int]:
        """Client and controller port of node ``node`` (1-based) of the embedded cluster."""
        step = NODE_PORT_STEP * (node - 1)
        return self.broker_port + step, self.controller_port + step

    @property
    def embedded_bootstrap(self) -> str:
        """Every node of the embedded cluster: a client still bootstraps while one node is down."""
        return ",".join(f"{LOOPBACK}:{self.node_ports(n)[0]}" for n in range(1, self.broker_nodes + 1))

    @property
    def embedded(self) -> bool:
        """True when the broker is the project's own one on loopback."""
        return self.broker == self.embedded_bootstrap

    @property
    def replicas(self) -> int:
        """Replication factor of the topics tollstream creates."""
        return self.replication_factor or min(3, self.broker_nodes)

    @property
    def min_insync_replicas(self) -> int:
        """Replicas a write must reach: two once there are three, so losing one broker loses no write."""
        return max(1, min(2, self.replicas - 1))

    def kafka_security(self) -> dict[str, Any]:
        """aiokafka client options for the configured protocol and credentials (none for PLAINTEXT)."""
        options: dict[str, Any] = {"security_protocol": self.kafka_security_protocol}
        if self.kafka_security_protocol.endswith("SSL"):
            options["ssl_context"] = self.ssl_context()
        if self.kafka_security_protocol.startswith("SASL_"):
            assert self.kafka_password is not None  # the validator requires it with SASL
            options["sasl_mechanism"] = self.kafka_sasl_mechanism
            options["sasl_plain_username"] = self.kafka_username
            options["sasl_plain_password"] = self.kafka_password.get_secret_value()
        return options

    def ssl_context(self) -> ssl.SSLContext:
        """A client TLS context that verifies the brokers' certificates and host names."""
        return ssl.create_default_context(cafile=str(self.kafka_ssl_cafile) if self.kafka_ssl_cafile else None)

    def env(self) -> dict[str, str]:
        """The environment that gives a child process these same settings."""
        values = self.model_dump()
        return {f"{ENV_PREFIX}{name.upper()}": _env_value(value) for name, value in values.items() if value is not None}

    def masked(self) -> dict[str, str]:
        """Every effective setting as text, with secrets hidden, for ``tollstream config``."""
        shown = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            shown[name] = "********" if isinstance(value, SecretStr) else ("" if value is None else str(value))
        return shown


def _env_value(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value)


def _explain(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "settings"
        lines.append(f"{ENV_PREFIX}{field.upper()}: {error['msg']} (got {error.get('input')!r})")
    return "invalid settings:\n  " + "\n  ".join(lines)
