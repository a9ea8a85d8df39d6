"""What `tollstream produce` sends: one message value per article, whatever the file format."""

from pathlib import Path

import orjson
import pytest

from tollstream.kafka_io import ProduceError, article_values

LIMIT = 10_000


def values(path: Path) -> list[bytes]:
    return list(article_values([str(path)], LIMIT))


def test_text_file_is_one_article(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Gunmen killed four guards.\n\nPolice said two others were hurt.\n")
    assert list(values(story)) == [b"Gunmen killed four guards.\n\nPolice said two others were hurt."]


def test_jsonl_file_is_one_article_per_line(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"text": "One"}\n\n{"text": "Two"}\n')
    assert [orjson.loads(v)["text"] for v in values(batch)] == ["One", "Two"]


def test_json_file_with_a_list_is_one_article_per_item(tmp_path: Path) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text('[{"text": "One"}, {"text": "Two", "id": "b"}]')
    assert [orjson.loads(v).get("id") for v in values(batch)] == [None, "b"]


def test_empty_file_sends_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    assert list(values(empty)) == []


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProduceError, match=r"nowhere\.jsonl: no such file"):
        values(tmp_path / "nowhere.jsonl")


def test_binary_file_is_refused_as_not_text(tmp_path: Path) -> None:
    blob = tmp_path / "photo.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01")
    with pytest.raises(ProduceError, match="not UTF-8 text"):
        values(blob)


def test_article_over_the_size_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"text": "short"}\n' + '{"text": "' + "x" * LIMIT + '"}\n')
    with pytest.raises(ProduceError, match=r"batch\.jsonl:2: article of \d+ bytes is over the limit"):
        values(batch)


def test_text_file_over_the_size_limit_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    story = tmp_path / "huge.txt"
    story.write_bytes(b"word " * LIMIT)
    with pytest.raises(ProduceError, match="larger than"):
        values(story)


def test_jsonl_file_is_read_line_by_line(tmp_path: Path) -> None:
    """A year of archives in one file must not be read into memory at once."""
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"text": "One"}\n{"text": "Two"}\n')
    stream = article_values([str(batch)], LIMIT)
    assert orjson.loads(next(stream))["text"] == "One"
