"""Duplicate records: articles dropped by the dedupe stage, with their original."""

from typing import Literal

from pydantic import Field

from schemas.base import Message


class DuplicateRecord(Message):
    """An article folded into an earlier one instead of being read again."""

    article_id: str
    duplicate_of: str
    match: Literal["exact", "near", "edited", "resent"] = Field(
        description=(
            "'exact': same text; 'near': same story with other boilerplate; 'edited': wire copy rewritten in"
            " part, whose figures still count as the outlet's own; 'resent': the same article again."
        )
    )
    similarity: float = Field(ge=0, le=1, description="Estimated Jaccard similarity of the two texts' shingles.")
    source: str | None = None
    original_source: str | None = None
