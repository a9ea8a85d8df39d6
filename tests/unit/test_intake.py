"""Intake: any Kafka client can produce an article; what isn't one is set aside with a reason."""

import orjson
import pytest

from schemas.article import Article
from tollstream.core.intake import Rejected, parse_article


def test_json_object_with_text_is_an_article() -> None:
    value = orjson.dumps({"id": "r1", "text": "Gunmen killed four guards at a toll plaza.", "source": "Wire"})
    article = parse_article(value)
    assert isinstance(article, Article)
    assert (article.id, article.source) == ("r1", "Wire")


def test_plain_text_message_is_the_article_text() -> None:
    article = parse_article(b"A bomb near a market in Quetta killed nine people on Tuesday.\n")
    assert isinstance(article, Article)
    assert article.text.startswith("A bomb near a market")


def test_article_without_id_is_named_by_its_words() -> None:
    first = parse_article(b'{"text": "Two soldiers died in an ambush."}')
    again = parse_article(b'{"text": "Two  soldiers died in an ambush!"}')
    assert isinstance(first, Article) and isinstance(again, Article)
    assert first.id == again.id and first.id.startswith("a-")


def test_kafka_timestamp_becomes_produced_at() -> None:
    article = parse_article(b'{"text": "Police said three people were hurt."}', produced_at=1700000000.5)
    assert isinstance(article, Article) and article.produced_at == 1700000000.5


def test_unknown_fields_from_producers_are_ignored() -> None:
    article = parse_article(b'{"text": "Five miners were abducted.", "byline": "staff"}')
    assert isinstance(article, Article)


def test_broken_json_is_rejected_as_invalid_json() -> None:
    rejected = parse_article(b'{"text": "unterminated')
    assert isinstance(rejected, Rejected) and rejected.reason == "invalid_json"


def test_json_without_text_is_rejected_naming_the_field() -> None:
    rejected = parse_article(b'{"id": "x", "source": "Wire"}')
    assert isinstance(rejected, Rejected) and rejected.reason == "invalid_text"


def test_json_that_is_not_an_object_is_rejected() -> None:
    rejected = parse_article(b'["a list", "of strings"]')
    assert isinstance(rejected, Rejected) and rejected.reason == "not_an_object"


def test_blank_text_is_rejected() -> None:
    assert parse_article(b'{"text": "   "}') == Rejected("empty_text", "the article text is only whitespace")
    assert isinstance(parse_article(b"  \n "), Rejected)


def test_empty_message_is_rejected() -> None:
    assert isinstance(parse_article(b""), Rejected)
    assert isinstance(parse_article(None), Rejected)


def test_bytes_that_are_not_utf8_are_rejected() -> None:
    rejected = parse_article(b"\xff\xfe killed")
    assert isinstance(rejected, Rejected) and rejected.reason == "not_utf8"


def test_unparseable_publication_date_is_rejected() -> None:
    rejected = parse_article(b'{"text": "Six killed.", "published_at": "last Tuesday"}')
    assert isinstance(rejected, Rejected) and rejected.reason == "invalid_published_at"


@pytest.mark.parametrize("value", [b"42", b"null", b'"text"', b"true", b"-1.5e3"])
def test_a_json_scalar_is_no_report_text(value: bytes) -> None:
    """A producer that sends 42 or null sent no report; taking it as text would make an article of it."""
    rejected = parse_article(value)
    assert isinstance(rejected, Rejected) and rejected.reason == "not_an_object"


def test_plain_text_that_starts_like_json_stays_a_report() -> None:
    article = parse_article(b"42 people were killed in a blast in Quetta on Tuesday.")
    assert isinstance(article, Article) and article.text.startswith("42 people")


def test_a_message_over_the_size_limit_is_too_large() -> None:
    rejected = parse_article(b"word " * 300, max_bytes=1024)
    assert isinstance(rejected, Rejected) and rejected.reason == "too_large"


def test_an_article_that_could_not_be_forwarded_is_too_large() -> None:
    """Quotes double once JSON-escaped: the article sent on must still fit under the broker's cap."""
    rejected = parse_article(b'"' * 600_000, max_bytes=900_000)
    assert isinstance(rejected, Rejected) and rejected.reason == "too_large"


def test_control_characters_are_not_text() -> None:
    """170 KB of NUL once took a megabyte as JSON; they carry nothing, so a text of only them is empty."""
    assert parse_article(b"\x00" * 1000) == Rejected(
        "empty_text", "the article has no text once markup and control characters are gone"
    )
    article = parse_article(b'{"text": "Nine\\u0000 people were hurt."}')
    assert isinstance(article, Article) and "\x00" not in article.text and "people were hurt" in article.text


def test_a_date_before_any_plausible_report_is_rejected() -> None:
    value = b'{"text": "A bomb killed nine people.", "published_at": "1066-10-14"}'
    rejected = parse_article(value)
    assert isinstance(rejected, Rejected) and rejected.reason == "implausible_date"


def test_html_is_read_as_its_visible_text_without_scripts_styles_or_comments() -> None:
    """A page sent as text once opened a fake 'Bombing in Karachi, 500 killed' from a script and a comment."""
    page = (
        "<html><head><script>var s = 'Bombing in Karachi, 500 killed';</script>"
        "<style>p::after { content: '300 killed'; }</style></head><body><!-- 500 killed -->"
        "<p>Traders in Karachi opened their stalls early on Tuesday, and the markets were busy.</p></body></html>"
    )
    article = parse_article(page.encode())
    assert isinstance(article, Article)
    assert "Traders in Karachi opened their stalls" in article.text and "killed" not in article.text


def test_an_overlong_id_is_rejected() -> None:
    rejected = parse_article(orjson.dumps({"text": "Nine people were hurt.", "id": "x" * 1000}))
    assert isinstance(rejected, Rejected) and rejected.reason == "invalid_id"
