"""The desk in a real browser: Debian's headless Chromium against a live worker on the real broker.

The example reports are produced in two steps: the first five before the page opens (three events,
the Black Storm attacks at 11 civilians), the sixth while it is open (revised to 31). Set
``TOLLSTREAM_DESK_SCREENSHOT=path.png`` to keep the laptop-width picture (``make screenshot``).
"""

import csv
import io
import json
import os
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from geojson_pydantic import FeatureCollection

from schemas.event import EventUpdate
from tests.integration.chromium import Chromium
from tests.integration.conftest import Pipeline, Worker, free_port, start_worker
from tollstream.datasets import EXAMPLES
from tollstream.exports import COLUMNS
from tollstream.settings import Settings

pytestmark = pytest.mark.integration

ROWS = "document.querySelectorAll('#events .event').length"
CIVILIAN_STEPS = (
    "JSON.stringify([...document.querySelectorAll('figure.chart[data-category=killed_civilians] .step')]"
    ".map(g => Number(g.dataset.best)))"
)
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@dataclass
class Desk:
    pipeline: Pipeline
    browser: Chromium
    storm: str  # the Black Storm event's id
    revised: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.pipeline.settings.web_port}/"

    def open(self, fragment: str = "") -> None:
        self.browser.open(self.url + fragment)
        self.browser.wait_for(f"{ROWS} === 3")

    def revise(self, state: Path) -> None:
        """Produce the sixth report: the chief minister's revised figures."""
        sixth = state / "sixth.jsonl"
        sixth.write_bytes(EXAMPLES.read_bytes().splitlines(keepends=True)[5])
        self.pipeline.cli("produce", str(sixth))
        self.revised = True


def storm_id(updates: list[EventUpdate]) -> str | None:
    ids = {u.event_id for u in updates if "killed_militants" in u.tolls and u.tolls["killed_militants"].best == 67}
    return ids.pop() if len(ids) == 1 else None


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("desk")


@pytest.fixture(scope="module")
def desk(kafka: str, state: Path) -> Iterator[Desk]:
    name = f"desk{int(time.time() * 1000) % 10**8}"
    pipeline = Pipeline(
        Settings.load(
            broker=kafka, app_id=name, topic_prefix=name, web_port=free_port(), state_dir=state, log_level="info"
        )
    )
    started: list[Worker] = []
    browser = None
    try:
        # A worker's first start on fresh topics can subscribe before its own internal topics exist, and
        # then ignores them until its next metadata refresh, minutes later (aiokafka logs "Ignoring missing
        # topic"). That start-up race is the worker's, not the desk's: this module starts the worker once
        # to create its topics, and then again.
        start_worker(pipeline, "first-start", started).stop()
        start_worker(pipeline, "worker", started)
        first_five = state / "first-five.jsonl"
        first_five.write_bytes(b"".join(EXAMPLES.read_bytes().splitlines(keepends=True)[:5]))
        pipeline.cli("produce", str(first_five))
        updates = pipeline.wait_for_events(lambda ups: len({u.event_id for u in ups}) == 3 and storm_id(ups))
        browser = Chromium(state / "profile", state / "chromium.log")
        browser.viewport(1280, 800)
        yield Desk(pipeline, browser, storm_id(updates) or "")
    finally:
        if browser is not None:
            browser.close()
        for worker in started:
            worker.stop()


def test_the_page_lists_the_three_events(desk: Desk) -> None:
    """After the example reports, the desk lists the three incidents they tell, newest first.

    Black Storm struck a dozen sites across the province, so its event is placed in Balochistan.
    """
    desk.open()
    titles = desk.browser.evaluate("[...document.querySelectorAll('#events .event .title')].map(t => t.textContent)")
    assert [t.split(" in ")[1].split(",")[0] for t in titles] == ["Balochistan", "Duki", "Musakhail"]
    assert desk.browser.evaluate("document.getElementById('status').dataset.state") == "live"


def test_a_revision_appears_in_the_open_page_without_reload_or_layout_shift(desk: Desk, state: Path) -> None:
    """The Black Storm civilian chart shows 11, then 31 when the revision arrives, with nothing moving on the page."""
    desk.open(f"#/event/{desk.storm}")
    if not desk.revised:
        assert desk.browser.wait_for(f"{CIVILIAN_STEPS} === '[11]' && {CIVILIAN_STEPS}") == "[11]"
    desk.browser.evaluate(
        """(() => {
        window.notReloaded = true;
        window.shifts = [];
        new PerformanceObserver(list => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts.push(entry.value);
        }).observe({type: 'layout-shift'});
        return true;
    })()"""
    )
    if not desk.revised:
        desk.revise(state)
    assert desk.browser.wait_for(f"{CIVILIAN_STEPS} === '[11,31]' && {CIVILIAN_STEPS}", timeout=60) == "[11,31]"
    row = desk.browser.wait_for(
        f"[...document.querySelectorAll('#events .event')].find(r => r.dataset.eventId === {json.dumps(desk.storm)})"
        "?.textContent.includes('civilians 31') && true"
    )
    assert row and desk.browser.evaluate("window.notReloaded === true")
    time.sleep(0.5)  # let the observer report anything the update moved
    assert desk.browser.evaluate("window.shifts") == []


def test_each_step_names_the_report_that_caused_it(desk: Desk, state: Path) -> None:
    """Choosing a step shows its outlet, attribution and quote, and links to its row of observations."""
    if not desk.revised:
        desk.revise(state)
    desk.open(f"#/event/{desk.storm}")
    desk.browser.wait_for(f"{CIVILIAN_STEPS} === '[11,31]'", timeout=60)
    desk.browser.evaluate(
        "document.querySelector('figure.chart[data-category=killed_civilians] .step[data-index=\"1\"]').focus()"
    )
    cause = desk.browser.evaluate(
        "document.querySelector('figure.chart[data-category=killed_civilians] .cause').textContent"
    )
    assert "ex-06" in cause and "Gulf Observer" in cause and "chief minister" in cause and "31 civilians" in cause
    target = desk.browser.evaluate(
        "document.querySelector('figure.chart[data-category=killed_civilians] .cause a').dataset.observation"
    )
    assert desk.browser.evaluate(f"document.getElementById({json.dumps(target)}).textContent.includes('Gulf Observer')")


def test_every_observation_is_listed_with_the_rule_that_kept_or_set_it_apart(desk: Desk, state: Path) -> None:
    """The 'nearly 100 militants on Saturday alone' figure is partial: kept apart, and the table says so."""
    if not desk.revised:
        desk.revise(state)
    desk.open(f"#/event/{desk.storm}")
    desk.browser.wait_for(f"{CIVILIAN_STEPS} === '[11,31]'", timeout=60)
    rows = desk.browser.evaluate(
        "[...document.querySelectorAll('table.observations tbody tr')].map(r => [...r.cells].map(c => c.textContent))"
    )
    category, figure, report, rule = 0, 1, 2, 4
    partial = [r for r in rows if r[category] == "Militants killed" and "partial" in r[rule]]
    assert [r[figure] for r in partial] == ["about 100"]
    giver = [r for r in rows if r[category] == "Civilians killed" and r[rule].startswith("gives the toll")]
    assert [r[report].split("ex-")[0] for r in giver] == ["Gulf Observer"]
    assert [r[figure] for r in rows if r[category] == "Civilians killed" and "superseded" in r[rule]] == ["11"]


def test_the_desk_is_keyboard_navigable(desk: Desk) -> None:
    """Tab reaches the list, arrows move through it, Enter opens an event, Tab reaches its steps, Esc goes back."""
    desk.open()
    b = desk.browser
    for _ in range(20):
        b.press("Tab")
        if b.evaluate("document.activeElement.closest('#events') !== null"):
            break
    first = b.evaluate("document.activeElement.closest('.event').dataset.eventId")
    b.press("ArrowDown")
    second = b.evaluate("document.activeElement.closest('.event').dataset.eventId")
    assert first != second
    b.press("Enter")
    b.wait_for(f"location.hash === {json.dumps('#/event/' + second)} && document.querySelector('#detail h2') !== null")
    for _ in range(30):
        b.press("Tab")
        if b.evaluate("document.activeElement.classList.contains('step')"):
            break
    assert b.evaluate("document.activeElement.closest('figure.chart') !== null")
    b.press("Escape")
    b.wait_for(f"document.activeElement.closest('.event')?.dataset.eventId === {json.dumps(second)}")


def test_on_a_laptop_list_and_event_sit_side_by_side(desk: Desk) -> None:
    """At 1280 px the list and the event view share the screen, and nothing overflows sideways."""
    desk.browser.viewport(1280, 800)
    desk.open(f"#/event/{desk.storm}")
    desk.browser.wait_for("!!document.querySelector('figure.chart[data-category=killed_civilians] .step')")
    side_by_side = desk.browser.evaluate(
        "document.getElementById('list-pane').getBoundingClientRect().right"
        " <= document.getElementById('detail-pane').getBoundingClientRect().left"
    )
    assert side_by_side and desk.browser.evaluate(NO_OVERFLOW)
    if os.environ.get("TOLLSTREAM_DESK_SCREENSHOT"):
        desk.browser.wait_for(f"{CIVILIAN_STEPS} === '[11,31]'", timeout=60) if desk.revised else None
        desk.browser.evaluate("document.activeElement.blur(), window.scrollTo(0, 0), true")
        desk.browser.screenshot(Path(os.environ["TOLLSTREAM_DESK_SCREENSHOT"]))


def test_on_a_phone_one_pane_shows_at_a_time(desk: Desk, state: Path) -> None:
    """At 390 px the list fills the screen; opening an event shows it alone, with a way back."""
    desk.browser.viewport(390, 844, mobile=True)
    try:
        desk.open()
        assert desk.browser.evaluate(NO_OVERFLOW)
        assert desk.browser.evaluate("getComputedStyle(document.getElementById('detail-pane')).display") == "none"
        desk.browser.evaluate(f"location.hash = {json.dumps('#/event/' + desk.storm)}")
        desk.browser.wait_for("!!document.querySelector('figure.chart[data-category=killed_civilians] .step')")
        assert desk.browser.evaluate("getComputedStyle(document.getElementById('list-pane')).display") == "none"
        assert desk.browser.evaluate("getComputedStyle(document.getElementById('back')).display") != "none"
        assert desk.browser.evaluate(NO_OVERFLOW)
        desk.browser.screenshot(state / "desk-phone.png")
    finally:
        desk.browser.viewport(1280, 800)


def test_exports_read_the_live_state(desk: Desk) -> None:
    """tollstream export reads the latest-state topic; the API's GeoJSON is valid and has the same events."""
    table = desk.pipeline.cli("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(table)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 3
    with urllib.request.urlopen(desk.url + "export.geojson", timeout=10) as response:
        collection = FeatureCollection.model_validate_json(response.read())
    assert {f.id for f in collection.features} == {r["id"] for r in rows}
