"""Many distinct reports from the project's examples: each copy of the set is a new story.

A copy has new article ids and every year, in its dates and in its text, moved
back by two years per copy still to come, so the copies follow each other in
time, the last is the examples themselves, no two describe one incident, and each
keeps the examples' order and relations (a wire copy, a revision).
"""

import re
from pathlib import Path

import orjson

from tollstream.datasets import EXAMPLES

YEARS_PER_COPY = 2
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def shifted(article: dict, copy: int, years: int) -> dict:
    """One example report as the ``copy``-th story: new id, every year moved back by ``years``."""

    def back(text: str) -> str:
        return _YEAR.sub(lambda m: str(int(m.group(0)) - years), text)

    moved = {key: back(value) if isinstance(value, str) and key != "id" else value for key, value in article.items()}
    moved["id"] = f"c{copy:02d}-{article['id']}"
    return moved


def story_copies(copies: int) -> list[list[bytes]]:
    """``copies`` stories, each the example reports in their order, as message values."""
    examples = [orjson.loads(line) for line in EXAMPLES.read_bytes().splitlines() if line.strip()]
    return [
        [orjson.dumps(shifted(article, copy, YEARS_PER_COPY * (copies - 1 - copy))) for article in examples]
        for copy in range(copies)
    ]


def write_lines(path: Path, values: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(values) + b"\n")
    return path
