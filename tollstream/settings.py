"""Settings of a tollstream process, read once from the environment.

Every field has an environment variable; command-line flags override them.
The defaults describe the embedded setup: a single-node broker that
``tollstream broker start`` runs on 127.0.0.1.
"""

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_BROKER = "127.0.0.1:19092"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"TOLLSTREAM_{name}", default)


@dataclass(frozen=True)
class Topics:
    """Topic names; the prefix lets several pipelines share one cluster."""

    prefix: str = "tollstream"

    def name(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    @property
    def articles(self) -> str:
        return self.name("articles")

    @property
    def accepted(self) -> str:
        return self.name("articles-accepted")

    @property
    def reports(self) -> str:
        return self.name("reports")

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


@dataclass(frozen=True)
class Settings:
    """One process's configuration (env var in brackets)."""

    broker: str = field(default_factory=lambda: _env("BROKER", EMBEDDED_BROKER))  # TOLLSTREAM_BROKER
    app_id: str = field(default_factory=lambda: _env("APP_ID", "tollstream"))  # TOLLSTREAM_APP_ID
    topics: Topics = field(default_factory=lambda: Topics(_env("TOPIC_PREFIX", "tollstream")))
    # Articles and reports keep one partition by default: publication order is the
    # order revisions are made in, and dedupe needs every article in one place.
    article_partitions: int = field(default_factory=lambda: int(_env("ARTICLE_PARTITIONS", "1")))
    claim_partitions: int = field(default_factory=lambda: int(_env("CLAIM_PARTITIONS", "4")))
    horizon_days: float = field(default_factory=lambda: float(_env("HORIZON_DAYS", "14")))
    web_port: int = field(default_factory=lambda: int(_env("WEB_PORT", "6066")))
    web_host: str = field(default_factory=lambda: _env("WEB_HOST", "127.0.0.1"))  # advertised host name
    web_bind: str = field(default_factory=lambda: _env("WEB_BIND", _env("WEB_HOST", "127.0.0.1")))
    state_dir: Path = field(default_factory=lambda: Path(_env("STATE_DIR", str(REPO_ROOT / ".state"))))

    def with_overrides(self, **changes: object) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def embedded(self) -> bool:
        return self.broker == EMBEDDED_BROKER
