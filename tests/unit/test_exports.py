"""Exports: CSV with the documented UCDP-GED-like header, RFC 7946 GeoJSON, JSON lines; from replay or the API."""

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from geojson_pydantic import FeatureCollection

from schemas.claim import Place
from schemas.event import EventUpdate
from schemas.location import Location
from tollstream import exports
from tollstream.datasets import EXAMPLES
from tollstream.replay import replay_file
from tollstream.settings import REPO_ROOT

README = REPO_ROOT / "README.md"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replay")
    replay_file(EXAMPLES, out)
    return out


@pytest.fixture(scope="module")
def revisions(replayed: Path) -> list[EventUpdate]:
    return exports.from_replay(replayed)


def documented_columns() -> list[str]:
    """The column names of the README's export table, in order."""
    section = README.read_text(encoding="utf-8").split("### Export columns", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `([a-z_0-9]+)` \|", section, flags=re.MULTILINE)


def csv_rows(updates: list[EventUpdate]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(exports.render(updates, "csv").decode())))


def test_the_csv_header_is_the_documented_one() -> None:
    """Researchers map columns by name: the README documents each, and the header is exactly that list."""
    assert documented_columns() == list(exports.COLUMNS)


def test_one_csv_row_per_event_with_its_latest_figures(revisions: list[EventUpdate]) -> None:
    """Without history an event is one row: the Black Storm event shows its revised figures."""
    rows = csv_rows(exports.select(revisions, history=False))
    assert len(rows) == 3
    storm = next(r for r in rows if r["deaths_militants"] == "145")
    assert (storm["deaths_civilians"], storm["deaths_security"]) == ("31", "17")
    assert storm["country"] == "Pakistan" and storm["adm_1"] == "Balochistan"
    assert storm["source_first"] == "ex-05" and storm["source_latest"] == "ex-06"
    assert storm["date_start"] <= "2026-01-31" <= storm["date_end"]


def test_history_exports_every_revision_in_order(revisions: list[EventUpdate]) -> None:
    """With history the toll's movement is in the file: 11, then 31 civilians."""
    rows = csv_rows(exports.select(revisions, history=True))
    assert len(rows) == len(revisions)
    storm = [r["deaths_civilians"] for r in rows if r["id"].startswith("ev-2026-01-31")]
    assert storm == ["11", "31"]


def test_an_open_upper_bound_and_a_missing_figure_are_empty_cells(revisions: list[EventUpdate]) -> None:
    """'More than 60' has no upper bound, and a category no report gave is not a zero."""
    rows = csv_rows(exports.select(revisions, history=False))
    musakhail = next(r for r in rows if r["where_coordinates"] == "Musakhail")
    assert musakhail["deaths_total_low"] == "61" and musakhail["deaths_total_high"] == ""
    assert musakhail["abducted"] == ""


def test_coordinates_and_their_ucdp_precision_code_are_exported(revisions: list[EventUpdate]) -> None:
    rows = csv_rows(exports.select(revisions, history=False))
    by_place = {r["where_coordinates"]: r for r in rows}
    assert by_place["Musakhail"]["where_prec"] == "4" and by_place["Musakhail"]["where_precision"] == "province"
    assert float(by_place["Duki"]["latitude"]) == pytest.approx(30.153, abs=0.01)


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused() -> None:
    """Outlet names come from the reports; one named '=HYPERLINK(...)' must stay text when the file is opened."""
    update = EventUpdate(event_id="e", revision=1, title="Attack", sources=['=HYPERLINK("x")', "@SUM(1)", "Wire"])
    (row,) = csv_rows([update])
    assert row["source_outlets"] == '\'=HYPERLINK("x"); @SUM(1); Wire'


def test_the_geojson_is_a_valid_rfc_7946_feature_collection(revisions: list[EventUpdate]) -> None:
    """GIS tools load the file as it is: valid GeoJSON, positions as [longitude, latitude], within range."""
    document = orjson.loads(exports.render(exports.select(revisions, history=False), "geojson"))
    collection = FeatureCollection.model_validate(document)
    assert len(collection.features) == 3 and "crs" not in document
    for feature in document["features"]:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert (latitude, longitude) == (feature["properties"]["latitude"], feature["properties"]["longitude"])
        assert set(feature["properties"]) == set(exports.COLUMNS)


def test_an_event_without_coordinates_is_a_feature_without_geometry() -> None:
    """RFC 7946 allows a null geometry: the event is still in the file, just not on the map."""
    located = EventUpdate(
        event_id="a",
        revision=1,
        title="Attack",
        place=Place(name="Owo", country="NG"),
        location=Location(latitude=7.2, longitude=5.59, precision="place", basis="test"),
    )
    unlocated = EventUpdate(event_id="b", revision=1, title="Attack")
    document = orjson.loads(exports.render([located, unlocated], "geojson"))
    FeatureCollection.model_validate(document)
    assert [f["geometry"] for f in document["features"]][1] is None
    assert document["features"][0]["geometry"]["coordinates"] == [5.59, 7.2]


def test_history_features_have_one_id_per_revision(revisions: list[EventUpdate]) -> None:
    document = exports.geojson(exports.select(revisions, history=True), history=True)
    ids = [f["id"] for f in document["features"]]
    assert len(ids) == len(set(ids)) == len(revisions)


def test_jsonl_lines_are_the_topic_messages(revisions: list[EventUpdate]) -> None:
    """JSON lines carry the event updates exactly as the topic does, for tools that want the nested form."""
    chosen = exports.select(revisions, history=False)
    lines = exports.render(chosen, "jsonl").splitlines()
    assert [EventUpdate.model_validate_json(line) for line in lines] == chosen


def test_the_export_command_reads_a_replay_folder(replayed: Path, tmp_path: Path) -> None:
    """tollstream export --replay DIR works offline, on what tollstream replay wrote."""
    out = tmp_path / "events.geojson"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tollstream.cli",
            "export",
            "--replay",
            str(replayed),
            "--format",
            "geojson",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "exported 3 events as geojson" in done.stderr
    FeatureCollection.model_validate_json(out.read_bytes())


def test_the_export_command_says_when_the_folder_is_not_a_replay(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tollstream.cli", "export", "--replay", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "events.jsonl: no such file" in done.stderr
