"""Log lines an operator can grep: one line per record, the message's origin as key=value fields."""

import io

from tollstream import logs
from tollstream.stages import Origin, dead_letter


def test_dead_letter_is_logged_at_warning_with_stage_reason_and_origin() -> None:
    stream = io.StringIO()
    logs.configure("warning", stream)
    dead_letter("intake", "invalid_json", "unexpected end of data", "{", Origin("tollstream-articles", 2, 41))
    line = stream.getvalue().splitlines()[0]
    assert " WARNING " in line
    assert "stage=intake reason=invalid_json topic=tollstream-articles partition=2 offset=41" in line


def test_dead_letter_of_an_exception_keeps_its_traceback_in_the_log_and_the_message() -> None:
    stream = io.StringIO()
    logs.configure("warning", stream)
    try:
        raise ValueError("bad figure")
    except ValueError as exc:
        emit = dead_letter("extract", "extractor_error", repr(exc), "text", Origin(), exc)
    assert "Traceback" in stream.getvalue() and "ValueError: bad figure" in stream.getvalue()
    assert "ValueError: bad figure" in (emit.value.traceback or "")


def test_level_filters_lines_below_it() -> None:
    stream = io.StringIO()
    logs.configure("error", stream)
    logs.get("tollstream.stages").warning("not shown")
    assert stream.getvalue() == ""
