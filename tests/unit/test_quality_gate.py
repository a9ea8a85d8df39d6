"""Scores on the gold sets never fall below their floors (``tests/quality_floors.json``).

The project's own examples are scored in every clone; the team's shared sets beside the
repository are scored where they are present and skipped otherwise. A floor is raised when
a change lifts a score, and never lowered to let a change pass. Two measures are ceilings
rather than floors: distractors that became events, and events made beyond the real incidents
(a report whose one incident is read as two publishes a second, wrong toll).
"""

import json
from pathlib import Path
from typing import Any

import pytest

from tollstream.datasets import EXAMPLES_DIR, shared_set
from tollstream.evaluate import run_eval

FLOORS: dict[str, dict[str, float]] = {
    name: floors
    for name, floors in json.loads((Path(__file__).resolve().parents[1] / "quality_floors.json").read_text()).items()
    if not name.startswith("_")
}


def _folder(name: str) -> Path | None:
    return EXAMPLES_DIR if name == "examples" else shared_set(name)


CEILINGS = ("distractors", "extra_events")


def _scores(report: dict[str, Any], incidents: int) -> dict[str, float]:
    scores = {
        "bcubed_f1": report["clustering"]["f1"],
        "duplicates_f1": report["duplicates"]["f1"],
        "tolls": report["tolls"]["rate"],
        "distractors": float(len(report["clustering"]["distractors_in_events"])),
        "extra_events": float(max(0, report["emitted"]["events"] - incidents)),
    }
    if report["claims"] is not None:
        scores["claims_f1"] = report["claims"]["overall"]["f1"]
    return scores


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_gold_set_scores_stay_at_or_above_their_floors(name: str) -> None:
    folder = _folder(name)
    if folder is None:
        pytest.skip(f"../shared/data/{name} is not beside this checkout")
    incidents = len(json.loads((folder / "gold.json").read_text())["events"])
    scores = _scores(run_eval(folder), incidents)
    for measure, floor in FLOORS[name].items():
        if measure in CEILINGS:
            assert scores[measure] <= floor, f"{name}: {scores[measure]:.0f} {measure}, at most {floor:.0f}"
        else:
            assert scores[measure] >= floor, f"{name} {measure}: {scores[measure]:.3f} is below its floor {floor}"
