"""Loading rule data files.

Vocabularies, number words, aliases and gazetteers live in TOML files under
``tollstream/data``; code reads them once per process through ``load_rules``, which
validates each file against its schema (``tollstream.core.rule_schemas``) and
reports every fault at once.
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tollstream.core.rule_schemas import SCHEMAS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class RuleError(ValueError):
    """A rule file is missing, malformed or contradicts itself."""


def _explain(path: Path, exc: ValidationError) -> str:
    faults = [f"  {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]
    return f"rule file {path} does not fit its schema:\n" + "\n".join(faults)


@cache
def load_rules(name: str) -> dict[str, Any]:
    """Parse and validate ``tollstream/data/{name}.toml`` once; later calls return the same dict."""
    path = DATA_DIR / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path}: {exc}") from exc
    schema = SCHEMAS.get(name)
    if schema is None:
        raise RuleError(f"rule file {path} has no schema in tollstream.core.rule_schemas")
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        raise RuleError(_explain(path, exc)) from None
    return data
