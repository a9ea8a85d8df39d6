"""Loading rule data files.

Vocabularies, number words, aliases and gazetteers live in TOML files under
``tollstream/data``; code reads them once per process through ``load_rules``.
"""

import tomllib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class RuleError(ValueError):
    """A rule file is missing, malformed or contradicts itself."""


@cache
def load_rules(name: str) -> dict:
    """Parse ``tollstream/data/{name}.toml`` once; later calls return the same dict."""
    path = DATA_DIR / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path}: {exc}") from exc
