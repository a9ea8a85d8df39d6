"""Dead letters: messages a stage could not process, with the reason."""

from pydantic import Field

from schemas.base import Message


class DeadLetter(Message):
    """A message that was set aside instead of stopping the stream."""

    stage: str = Field(description="Which stage gave up: intake, dedupe, extract, merge.")
    reason: str = Field(description="Short, bounded reason code, e.g. 'invalid_json', 'empty_text'.")
    detail: str = Field(description="Human-readable error message.")
    traceback: str | None = Field(default=None, description="Where the error was raised, for an unexpected one.")
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    payload: str = Field(description="The message value as text, cut to 64 KiB.")
