"""``tollstream watch``: event revisions as readable text, or JSON lines for scripts."""

import sys

import orjson
from pydantic import ValidationError

from schemas.event import Change, EventUpdate
from tollstream.kafka_io import read_topic
from tollstream.settings import Settings

BOLD, DIM, CHANGED, RESET = "\033[1m", "\033[2m", "\033[33m", "\033[0m"


def _bounds(view: dict | None) -> str:
    if not view:
        return "-"
    high = "open" if view.get("high") is None else view["high"]
    return f"{view['best']} [{view['low']}..{high}]"


def _change_line(change: Change) -> str:
    if change.field.startswith("tolls."):
        return f"    {change.field[6:]:<18} {_bounds(change.before):>16} -> {_bounds(change.after):<16} {change.reason}"
    return f"    {change.field:<18} {change.before!s:>16} -> {change.after!s:<16} {change.reason}"


def _where(update: EventUpdate) -> str:
    where = update.location
    if where is None:
        return ""
    north, east = "N" if where.latitude >= 0 else "S", "E" if where.longitude >= 0 else "W"
    return f"; at {abs(where.latitude):.3f}{north} {abs(where.longitude):.3f}{east} ({where.precision})"


def render(update: EventUpdate, color: bool = False) -> str:
    """A revision as an analyst reads it: header, tolls, then what changed and why."""
    b, d, c, r = (BOLD, DIM, CHANGED, RESET) if color else ("", "", "", "")
    changed = {change.field.removeprefix("tolls.") for change in update.changes}
    head = (
        f"{b}{update.event_id} rev {update.revision} [{update.status}{', late' if update.late else ''}]{r} "
        f"{update.title} on {update.incident_date or 'unknown date'}"
        f"{f' by {update.perpetrator}' if update.perpetrator else ''}"
    )
    lines = [head]
    for category, toll in sorted(update.tolls.items()):
        high = "open" if toll.high is None else toll.high
        mark, on, off = ("*", c, r) if category in changed else (" ", "", "")
        lines.append(f"{on} {mark}{category:<18} {toll.best:>6}  (low {toll.low}, high {high}){off}")
    cause = f"caused by {update.caused_by}" if update.caused_by else "stream time"
    copies = f" + {len(update.copies)} republished" if update.copies else ""
    lines.append(
        f"  {d}{len(update.articles)} independent report(s){copies} from {len(update.sources)} outlet(s); {cause}"
        f"{_where(update)}{r}"
    )
    lines += [_change_line(c) for c in update.changes]
    return "\n".join(lines)


async def watch(
    settings: Settings, *, as_json: bool, from_beginning: bool, idle_timeout: float | None, topic: str = "events"
) -> int:
    name = settings.topics.events if topic == "events" else settings.topics.latest
    color = sys.stdout.isatty()
    async for value in read_topic(settings, name, from_beginning=from_beginning, idle_timeout=idle_timeout):
        try:
            update = EventUpdate.model_validate_json(value)
        except ValidationError as exc:
            print(f"unreadable event update: {exc.errors()[0]['msg']}", file=sys.stderr)
            continue
        if as_json:
            sys.stdout.write(orjson.dumps(update.to_dict()).decode() + "\n")
        else:
            print(render(update, color) + "\n")
        sys.stdout.flush()
    return 0
