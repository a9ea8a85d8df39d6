"""The README's commands are copy-paste correct: every command line parses, every topic and file exists.

The shell snippets are checked, not run: each ``tollstream`` line is parsed by the command's own
argument parser, each ``make`` target exists, each topic a ``kcat`` line names is one of the
pipeline's, each path it reads is in the repository, and each ``curl`` URL with a query string
is quoted so the shell does not cut it at the first ``&``.
"""

import re
import shlex
from pathlib import Path

import pytest

from tollstream.cli import build_parser
from tollstream.settings import Topics

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
BLOCKS = [block for block in re.findall(r"```sh\n(.*?)```", README, re.S)]
LINES = [line.split(" #")[0].strip() for block in BLOCKS for line in block.splitlines() if line.strip()]
LINES = [line for line in LINES if line and not line.startswith("#")]
INLINE = re.findall(r"`((?:curl|kcat|tollstream|\.venv/bin/tollstream) [^`]+)`", README)
TOPICS = {Topics("tollstream").name(role) for role in (*Topics.ROLES, "articles-accepted", "reports")}


def _lines(program: str) -> list[str]:
    return [line for line in [*LINES, *INLINE] if line.split()[0].endswith(program)]


@pytest.mark.parametrize("line", _lines("tollstream"))
def test_readme_tollstream_command_parses(line: str) -> None:
    argv = shlex.split(line.replace("EVENT_ID", "ev-1"))[1:]
    build_parser().parse_args(argv)


@pytest.mark.parametrize("line", [line for line in LINES if line.startswith("make ")])
def test_readme_make_target_exists(line: str) -> None:
    target = line.split()[1]
    assert re.search(rf"^{re.escape(target)}:", (REPO / "Makefile").read_text(), re.M), target


@pytest.mark.parametrize("line", _lines("kcat"))
def test_readme_kcat_line_names_a_pipeline_topic_and_a_real_file(line: str) -> None:
    words = shlex.split(line)
    topic = words[words.index("-t") + 1]
    assert topic in TOPICS, topic
    if "-l" in words:
        assert (REPO / words[words.index("-l") + 1]).is_file()


@pytest.mark.parametrize("line", _lines("curl"))
def test_readme_curl_url_with_a_query_is_quoted(line: str) -> None:
    url = next(word for word in line.split()[1:] if not word.startswith("-"))
    if "?" in url or "&" in url:
        assert url.startswith("'") and url.endswith("'"), line
