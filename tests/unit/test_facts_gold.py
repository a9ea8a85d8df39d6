"""Gold-backed checks of places and perpetrators on the shared seed and dev reports."""

import json

import pytest

from schemas.claim import Place
from tollstream.core.perpetrators import find_perpetrators, related
from tollstream.core.places import compatible, find_places, place_for
from tollstream.datasets import shared_set

SETS = ("seeds", "dev")


def _events() -> list[tuple[str, dict, list[str]]]:
    """(event id, gold event, texts of its articles) for every gold event in the shared sets."""
    found = []
    for name in SETS:
        folder = shared_set(name)
        if folder is None:
            continue
        gold = json.loads((folder / "gold.json").read_text())
        with (folder / "articles.jsonl").open() as handle:
            texts = {a["id"]: a["text"] for a in map(json.loads, handle)}
        for event_id, event in gold["events"].items():
            ids = [a for a, entry in gold["articles"].items() if entry.get("event") == event_id]
            found.append((event_id, event, [texts[a] for a in ids]))
    return found


EVENTS = _events()
pytestmark = pytest.mark.skipif(not EVENTS, reason="shared gold data not available")


def _gold_place(event: dict) -> Place:
    first = find_places(event["location"])[0]
    return Place(name=first.name, admin1=first.admin1, country=first.country)


@pytest.mark.parametrize(("event_id", "event", "texts"), EVENTS, ids=[e[0] for e in EVENTS])
def test_every_report_places_the_incident_compatibly_with_gold(event_id, event, texts):
    gold = _gold_place(event)
    assert gold.country == event["country"]
    for text in texts:
        place = place_for(find_places(text))
        assert place is not None and place.country == event["country"] and compatible(place, gold), place


PERPETRATED = [e for e in EVENTS if e[1].get("perpetrator")]


@pytest.mark.parametrize(("event_id", "event", "texts"), PERPETRATED, ids=[e[0] for e in PERPETRATED])
def test_gold_perpetrator_is_found_in_the_reports(event_id, event, texts):
    expected = find_perpetrators(event["perpetrator"])[0].name
    named = {m.name for text in texts for m in find_perpetrators(text)}
    assert any(related(expected, name) for name in named), named
