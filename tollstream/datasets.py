"""Where evaluation data lives: the team's shared gold sets beside the repository, and the project's examples.

The shared sets (``../shared/data/<name>/{articles.jsonl,gold.json}``) are not part of the
repository; code that reads them asks here and copes with their absence (tests skip,
benchmarks fall back to the examples or take paths as arguments).
"""

from pathlib import Path

from tollstream.settings import REPO_ROOT

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
EXAMPLES_DIR = REPO_ROOT / "examples"
EXAMPLES = EXAMPLES_DIR / "articles.jsonl"
GOLD_SETS = ("seeds", "dev", "dev2", "semeval5")


def shared_set(name: str) -> Path | None:
    """The folder of a shared gold set, or None when this checkout has no such set beside it."""
    folder = SHARED_DATA / name
    return folder if (folder / "articles.jsonl").is_file() and (folder / "gold.json").is_file() else None


def available_sets(names: tuple[str, ...] = GOLD_SETS) -> list[Path]:
    """The shared gold sets present, in the order named."""
    return [folder for name in names if (folder := shared_set(name)) is not None]
