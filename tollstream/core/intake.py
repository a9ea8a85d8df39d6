"""Intake: turning a raw message value into an ``Article`` or a reason to set it aside.

What is not a report is set aside here, with a reason code, before it costs any later
stage anything: values over the size limit, bytes that are not UTF-8, JSON that is not
an object, texts that are empty once control characters are gone, publication dates
later than the message's arrival or before any plausible report. HTML is read as the
page's text (its scripts, styles and comments never become report text), and a message
is only accepted if the accepted article can be forwarded within the broker's cap.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

import orjson
import trafilatura
from pydantic import ValidationError

from schemas.article import Article
from tollstream.core.dedupe import article_id_for

MAX_PAYLOAD_ECHO = 64 * 1024
# The settings' default (TOLLSTREAM_MAX_ARTICLE_BYTES); the worker passes its own.
MAX_ARTICLE_BYTES = 500_000
# The broker refuses a message over about 1 MB (message.max.bytes); the forwarded article must fit.
MAX_FORWARD_BYTES = 950_000
MAX_ID_CHARS = 256
# A date a day after the message entered Kafka is still today somewhere on Earth.
EARLIEST_REPORT = date(1900, 1, 1)
# Control characters a text never needs (tab, newline and carriage return stay; form feed and
# vertical tab are spaces to cleaning). NUL, six bytes once JSON-escaped, would also swell a message.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")
_HTML = re.compile(r"<(?:!doctype|html|head|body|div|p|span|script|style|article|section|table|br)\b|<!--", re.I)
_HTML_PROBE = 4096


@dataclass(frozen=True)
class Rejected:
    """Why a message could not become an article."""

    reason: str
    detail: str


def parse_article(
    value: bytes | None, produced_at: float | None = None, max_bytes: int = MAX_ARTICLE_BYTES
) -> Article | Rejected:
    """JSON objects are validated as articles; any other text (plain or HTML) is the text of an article."""
    if not value:
        return Rejected("empty_message", "the message has no value")
    if len(value) > max_bytes:
        return Rejected("too_large", f"the message has {len(value)} bytes, over the limit of {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected("not_utf8", str(exc))
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _from_json(text, produced_at)
    if _is_json_scalar(stripped):
        return Rejected("not_an_object", f"expected a JSON object or plain text, got the JSON value {stripped[:40]!r}")
    return _accepted(Article(text=text, produced_at=produced_at), produced_at)


def _is_json_scalar(text: str) -> bool:
    """``42``, ``null``, ``"text"``: JSON values a producer sent by mistake, not report texts."""
    if not text or text[0] not in '-0123456789"tfn':
        return False
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    return True


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
    if article.id is not None and len(article.id) > MAX_ID_CHARS:
        return Rejected("invalid_id", f"the id has {len(article.id)} characters, over {MAX_ID_CHARS}")
    return _accepted(article, produced_at)


def _accepted(article: Article, produced_at: float | None) -> Article | Rejected:
    """The article with its text made plain, or why it is no report after all."""
    if not article.text.strip():
        return Rejected("empty_text", "the article text is only whitespace")
    text = _CONTROL.sub(" ", article.text)
    if _looks_like_html(text):
        text = _page_text(text)
    if not text.strip():
        return Rejected("empty_text", "the article has no text once markup and control characters are gone")
    dated = _date_fault(article.published_at)
    if dated is not None:
        return dated
    if text != article.text:
        article = article.model_copy(update={"text": text})
    article = _named(article)
    size = len(article.to_bytes())
    if size > MAX_FORWARD_BYTES:
        return Rejected("too_large", f"as JSON the article takes {size} bytes, over the {MAX_FORWARD_BYTES} it may")
    return article


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:_HTML_PROBE]
    return head.startswith("<") and _HTML.search(head) is not None


def _page_text(html: str) -> str:
    """The readable text of a page: the main content if the extractor finds one, else all visible text."""
    main = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    return main if main else trafilatura.html2txt(html)


def _date_fault(published: date | datetime | None) -> Rejected | None:
    """A publication date before 1900 is an error in the report (one after its arrival is the clock's to judge)."""
    if published is None:
        return None
    day = published.date() if isinstance(published, datetime) else published
    if day < EARLIEST_REPORT:
        return Rejected("implausible_date", f"published {published.isoformat()}, before {EARLIEST_REPORT.isoformat()}")
    return None


def _named(article: Article) -> Article:
    if article.id:
        return article
    return article.model_copy(update={"id": article_id_for(article.text)})


def echo(value: bytes | None) -> str:
    """The payload as text for a dead letter, cut so one bad message can't bloat the topic."""
    return (value or b"")[:MAX_PAYLOAD_ECHO].decode("utf-8", errors="replace")
