"""Duplicate records: articles dropped by the dedupe stage, with their original."""

from typing import Literal

from pydantic import Field

from schemas.base import Message


class DuplicateRecord(Message):
    """An article folded into an earlier one instead of being read again."""

    article_id: str
    duplicate_of: str
    match: Literal["exact", "near", "edited", "extended", "resent"] = Field(
        description=(
            "'exact': same text; 'near': same story with other boilerplate; 'edited': wire copy rewritten in"
            " part, whose figures still count as the outlet's own; 'extended': the earlier story filled out"
            " with more paragraphs, read for what it adds; 'resent': the same article again."
        )
    )
    similarity: float = Field(
        ge=0,
        le=1,
        description=(
            "Estimated share of the copy's word shingles found in the original (for 'extended', of the"
            " original's found in the copy)."
        ),
    )
    source: str | None = None
    original_source: str | None = None
