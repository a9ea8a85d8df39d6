"""Intake: any Kafka client can produce an article; what isn't one is set aside with a reason."""

import orjson

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
