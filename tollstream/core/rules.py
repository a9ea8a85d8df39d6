"""Loading rule data files and turning word lists into patterns.

Vocabularies, number words, aliases and gazetteers live in TOML files under
``tollstream/data``; code reads them once per process through ``load_rules``.
"""

import re
import tomllib
from collections.abc import Iterable
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


def alternation(words: Iterable[str], *, name: str = "words") -> str:
    """A regex alternation of literal phrases, longest first so 'shot dead' beats 'shot'.

    Spaces in a phrase match any run of whitespace. Raises instead of returning an
    empty group, which would match everywhere.
    """
    unique = sorted({w.strip().lower() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not unique:
        raise RuleError(f"empty word list for {name}")
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique) + ")"
