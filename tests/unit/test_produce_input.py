"""What `tollstream produce` sends: one message value per article, whatever the file format."""

from pathlib import Path

import orjson

from tollstream.kafka_io import article_values


def test_text_file_is_one_article(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Gunmen killed four guards.\n\nPolice said two others were hurt.\n")
    assert list(article_values([str(story)])) == [b"Gunmen killed four guards.\n\nPolice said two others were hurt."]


def test_jsonl_file_is_one_article_per_line(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"text": "One"}\n\n{"text": "Two"}\n')
    assert [orjson.loads(v)["text"] for v in article_values([str(batch)])] == ["One", "Two"]


def test_json_file_with_a_list_is_one_article_per_item(tmp_path: Path) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text('[{"text": "One"}, {"text": "Two", "id": "b"}]')
    assert [orjson.loads(v).get("id") for v in article_values([str(batch)])] == [None, "b"]


def test_empty_file_sends_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    assert list(article_values([str(empty)])) == []
