"""Replay: the streaming topology over a file, without a broker, with one output file per topic."""

from pathlib import Path

import orjson

from tollstream.cli import main
from tollstream.replay import replay_file

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles.jsonl"
GROUPS = ("killed_civilians", "killed_security", "killed_militants")


def groups(update) -> tuple:
    return tuple(update.tolls[c].best for c in GROUPS if c in update.tolls)


def test_sample_reports_make_three_events() -> None:
    assert len(replay_file(EXAMPLES).final_events()) == 3


def test_black_storm_is_revised_from_the_first_figures_to_the_chief_ministers() -> None:
    result = replay_file(EXAMPLES)
    storm = [u for u in result.events if u.incident_date and u.incident_date.year == 2026]
    assert [groups(u) for u in storm] == [(11, 10, 67), (31, 17, 145)]
    assert storm[1].caused_by == "ex-06" and storm[1].tolls["killed_total"].low == 193


def test_raids_earlier_in_the_week_are_not_added_to_the_black_storm() -> None:
    storm = [u for u in replay_file(EXAMPLES).events if u.incident_date and u.incident_date.year == 2026]
    assert all(u.tolls["killed_militants"].best != 67 + 41 for u in storm)


def test_background_august_attacks_leave_the_duki_event_alone() -> None:
    duki = [u for u in replay_file(EXAMPLES).final_events().values() if u.place and u.place.name == "Duki"]
    assert [(u.tolls["killed_total"].best, u.tolls["injured_total"].best) for u in duki] == [(20, 7)]


def test_wire_copy_is_a_duplicate_and_an_outlet_of_its_event() -> None:
    result = replay_file(EXAMPLES)
    assert [(d.article_id, d.duplicate_of) for d in result.duplicates] == [("ex-02", "ex-01")]
    august = next(u for u in result.final_events().values() if "ex-01" in u.articles)
    assert august.copies == ["ex-02"] and "Evening Courier" in august.sources


def test_replay_command_writes_one_file_per_output_topic(tmp_path: Path) -> None:
    assert main(["replay", str(EXAMPLES), "--out", str(tmp_path), "--quiet"]) == 0
    files = {p.name: p.read_bytes().splitlines() for p in tmp_path.iterdir()}
    assert set(files) == {"claims.jsonl", "events.jsonl", "duplicates.jsonl", "deadletters.jsonl"}
    assert all(orjson.loads(line)["event_id"] for line in files["events.jsonl"])
    assert files["deadletters.jsonl"] == []
