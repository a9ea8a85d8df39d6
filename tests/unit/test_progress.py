"""Progress on long runs: a line on a terminal, nothing at all elsewhere."""

import io
import subprocess
import sys
from pathlib import Path

from tollstream import progress
from tollstream.datasets import EXAMPLES
from tollstream.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_line_shows_share_count_and_rate(monkeypatch) -> None:
    """An operator replaying a large file sees how far it got and how fast it goes."""
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    screen = Terminal()
    values = [b"x" * 99] * 10
    assert list(Progress("replay", total_bytes=1000, stream=screen).track(values)) == values
    last = screen.getvalue().rstrip("\n").split("\r\033[K")[-1]
    assert last.startswith("replay") and "100%" in last and "10 articles" in last and "/s" in last
    assert screen.getvalue().endswith("\n")


def test_without_a_total_the_line_counts_articles() -> None:
    """Standard input has no size: the count and rate are still shown."""
    screen = Terminal()
    list(Progress.for_files("produce", ["-"], stream=screen).track([b"a", b"b"]))
    assert "2 articles" in screen.getvalue() and "%" not in screen.getvalue()


def test_off_a_terminal_nothing_is_written() -> None:
    """Logs and pipes stay clean: no carriage returns or escape codes in a CI log."""
    stream = io.StringIO()
    list(Progress("replay", total_bytes=10, stream=stream).track([b"a"] * 5))
    assert stream.getvalue() == ""


def test_the_total_is_the_size_of_the_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(b"x" * 10)
    b.write_bytes(b"y" * 5)
    assert Progress.for_files("produce", [a, b]).total == 15


def test_replay_into_a_pipe_prints_no_progress(tmp_path: Path) -> None:
    """The command itself stays quiet when its error stream is not a terminal."""
    done = subprocess.run(
        [sys.executable, "-m", "tollstream.cli", "replay", str(EXAMPLES), "--out", str(tmp_path), "--quiet"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "\r" not in done.stderr and "%" not in done.stderr
