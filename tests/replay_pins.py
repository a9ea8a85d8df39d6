"""Digests of what replay emits on the shared gold sets, to prove a change leaves the output alone.

Speed work must not change a single claim, duplicate or event revision, so the
replay output of each shared set is reduced to digests and compared with the
ones stored in ``tests/replay_digests.json``. ``produced_at`` is left out: it
is the time a message entered the input topic, not something the stages decide.

Refresh the stored digests only together with a change whose effect on the
scores has been measured and is meant (a rule, a weight, a gazetteer entry):

    .venv/bin/python -m tests.replay_pins --refresh
"""

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import orjson

from schemas.base import Message
from tollstream.datasets import GOLD_SETS, available_sets, shared_set
from tollstream.replay import read_lines, replay
from tollstream.settings import Settings

DIGESTS = Path(__file__).resolve().parent / "replay_digests.json"
MIXED = "mixed"
NAMES = (*GOLD_SETS, MIXED)


def _digest(messages: Iterable[Message]) -> str:
    sha = hashlib.sha256()
    for message in messages:
        row = message.to_dict()
        row.pop("produced_at", None)
        sha.update(orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + b"\n")
    return sha.hexdigest()


def mixed_values(folders: list[Path]) -> list[bytes]:
    """The articles of several sets as one stream in publication order: many events open at once."""
    rows = [orjson.loads(line) for folder in folders for line in read_lines(folder / "articles.jsonl")]
    rows.sort(key=lambda row: (row["published_at"], row["id"]))
    return [orjson.dumps(row) for row in rows]


def pins_of(values: Iterable[bytes]) -> dict[str, object]:
    """Counts and digests of every output topic of a replay, with the default settings."""
    result = replay(values, Settings())
    return {
        "claims": len(result.claims),
        "events": len(result.events),
        "duplicates": len(result.duplicates),
        "dead_letters": len(result.dead_letters),
        "claims_sha256": _digest(result.claims),
        "events_sha256": _digest(result.events),
        "duplicates_sha256": _digest(result.duplicates),
        "dead_letters_sha256": _digest(result.dead_letters),
    }


def pins(name: str) -> dict[str, object] | None:
    """The pins of one shared set, or of ``mixed`` (all of them in one stream); None when absent."""
    if name == MIXED:
        folders = available_sets()
        return pins_of(mixed_values(folders)) if len(folders) == len(GOLD_SETS) else None
    folder = shared_set(name)
    return None if folder is None else pins_of(read_lines(folder / "articles.jsonl"))


def stored() -> dict[str, dict[str, object]]:
    return json.loads(DIGESTS.read_text())


def refresh() -> int:
    found = {name: value for name in NAMES if (value := pins(name)) is not None}
    missing = sorted(set(NAMES) - set(found))
    if missing:
        print(f"not beside this checkout: {', '.join(missing)}; refusing to write partial digests", file=sys.stderr)
        return 1
    DIGESTS.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")
    print(f"wrote {DIGESTS}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="rewrite the stored digests from this checkout")
    args = parser.parse_args()
    if args.refresh:
        return refresh()
    for name in NAMES:
        value = pins(name)
        if value is None:
            print(f"{name:10} not beside this checkout")
            continue
        same = value == stored().get(name)
        print(f"{name:10} {'same' if same else 'CHANGED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
