"""The JSON Schema files in schemas/json are the published contract: they must match the models."""

from pathlib import Path

import pytest

from schemas.__main__ import OUT
from schemas.export import TOPIC_MODELS, schema_bytes


@pytest.mark.parametrize("name", sorted(TOPIC_MODELS))
def test_exported_schema_matches_its_model(name: str) -> None:
    path = OUT / f"{name}.schema.json"
    assert path.exists(), f"{path.name} missing: run python -m schemas"
    assert path.read_bytes() == schema_bytes(TOPIC_MODELS[name]), f"{path.name} drifted: run python -m schemas"


def test_no_stale_schema_files_are_left_behind() -> None:
    assert {p.name for p in Path(OUT).glob("*.schema.json")} == {f"{n}.schema.json" for n in TOPIC_MODELS}
