"""Intake: turning a raw message value into an ``Article`` or a reason to set it aside."""

from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from schemas.article import Article
from tollstream.core.dedupe import article_id_for

MAX_PAYLOAD_ECHO = 64 * 1024


@dataclass(frozen=True)
class Rejected:
    """Why a message could not become an article."""

    reason: str
    detail: str


def parse_article(value: bytes | None, produced_at: float | None = None) -> Article | Rejected:
    """JSON objects are validated as articles; any other text is the text of an article."""
    if not value:
        return Rejected("empty_message", "the message has no value")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected("not_utf8", str(exc))
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _from_json(text, produced_at)
    if not stripped:
        return Rejected("empty_text", "the message is only whitespace")
    return _named(Article(text=text, produced_at=produced_at))


def _from_json(text: str, produced_at: float | None) -> Article | Rejected:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Rejected("invalid_json", str(exc))
    if not isinstance(data, dict):
        return Rejected("not_an_object", f"expected a JSON object, got {type(data).__name__}")
    if produced_at is not None:
        data["produced_at"] = produced_at
    try:
        article = Article.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "article"
        return Rejected(f"invalid_{field}" if field in {"text", "id", "published_at"} else "invalid_article", str(exc))
    if not article.text.strip():
        return Rejected("empty_text", "the article text is only whitespace")
    return _named(article)


def _named(article: Article) -> Article:
    if article.id:
        return article
    return article.model_copy(update={"id": article_id_for(article.text)})


def echo(value: bytes | None) -> str:
    """The payload as text for a dead letter, cut so one bad message can't bloat the topic."""
    return (value or b"")[:MAX_PAYLOAD_ECHO].decode("utf-8", errors="replace")
