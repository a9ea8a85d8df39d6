"""Hostile and broken messages an operator may meet on the input topic, each with what must become of it.

``reason`` is the dead letter's reason code, or None for a message that is accepted and
harmless: it is read as an article that reports no incident. Accepted messages carry the
date of the earliest sample report, so none of them moves stream time.
"""

from dataclasses import dataclass

import orjson

DATE = "2024-08-26"


@dataclass(frozen=True)
class BadInput:
    name: str
    value: bytes | None
    reason: str | None
    key: bytes | None = None


def _json(**fields: object) -> bytes:
    return orjson.dumps(fields)


def _harmless(text: str, **fields: object) -> bytes:
    return _json(text=text, published_at=DATE, **fields)


HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Markets</title>"
    "<script>var headline = 'Bombing in Karachi, 500 killed';</script>"
    "<style>.banner::after { content: '300 people were killed in Lahore'; }</style></head>"
    "<body><!-- Bombing in Karachi, 500 killed --><article><h1>Markets open</h1>"
    "<p>Traders in Karachi opened their stalls early on Tuesday, and the markets were busy until the evening.</p>"
    "<p>The weather stayed mild and dry, and the city's buses ran on time.</p></article></body></html>"
)

BAD_INPUTS = [
    BadInput("non-JSON bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not_utf8"),
    BadInput("invalid UTF-8", b'{"text": "A bomb killed caf\xe9 owners in Quetta."}', "not_utf8"),
    BadInput("JSON number", b"42", "not_an_object"),
    BadInput("JSON null", b"null", "not_an_object"),
    BadInput("JSON string", b'"text"', "not_an_object"),
    BadInput("JSON array", b'[{"text": "Gunmen killed four people in Quetta."}]', "not_an_object"),
    BadInput("text of the wrong type", _json(text=123), "invalid_text"),
    BadInput("id of the wrong type", _json(text="Gunmen killed four people in Quetta.", id=7), "invalid_id"),
    BadInput("missing text", _json(id="no-text", source="Wire"), "invalid_text"),
    BadInput("empty text", _json(text=""), "invalid_text"),
    BadInput("blank text", _json(text="  \n\t "), "empty_text"),
    BadInput("boilerplate only", _harmless("Sponsored\nAdvertisement\nYour support helps us\nRead more\nShare"), None),
    BadInput("filler words only", _harmless("the of and a in to " * 200), None),
    BadInput(
        "unparseable date",
        _json(text="A bomb killed nine people in Quetta.", published_at="last Tuesday"),
        "invalid_published_at",
    ),
    BadInput(
        "date in the future",
        _json(text="A bomb killed 500 people in Karachi on Monday.", published_at="2999-01-01"),
        "future_date",
    ),
    BadInput(
        "ancient date",
        _json(text="A bomb killed 500 people in Karachi on Monday.", published_at="1066-10-14"),
        "implausible_date",
    ),
    BadInput("unknown fields", _harmless("The weather was mild.", byline="staff", extra={"a": [1, 2]}), None),
    BadInput("10,000-deep nesting", b'{"text": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "invalid_json"),
    BadInput("10,000-deep array", b"[" * 10_000 + b"]" * 10_000, "invalid_json"),
    BadInput("article over the size limit", _harmless("words " * 100_000), "too_large"),
    BadInput("5 MB single line", b"The markets were busy. " * (5 * 2**20 // 23), "too_large"),
    BadInput("HTML page", _harmless(HTML_PAGE), None),
    BadInput("NUL characters only", b"\x00" * 170_000, "empty_text"),
    BadInput("NUL characters in a text", _harmless("The weather\u0000 was mild\u0000 and dry."), None),
    BadInput("tombstone", None, "empty_message", key=b"ex-01"),
    BadInput("huge key", _harmless("The buses ran on time."), None, key=b"k" * 400_000),
    BadInput("100,000 digits", _harmless("Traders counted " + "1" * 100_000 + " boxes."), None),
    BadInput("100,000 grouped digits", _harmless("Traders counted " + "123," * 25_000 + "456 boxes."), None),
    BadInput("number words", _harmless("Traders counted " + "one " * 50_000 + "boxes."), None),
    BadInput("qualifiers", _harmless("Traders counted " + "at least more than nearly about " * 6_000 + "boxes."), None),
    BadInput("run of dots", _harmless("Traders counted boxes" + "." * 200_000 + " The end."), None),
    BadInput("runs of .!?", _harmless("Traders counted boxes" + ".!?" * 60_000 + " The end."), None),
]
