"""Cleaning scraped article text before extraction.

Pages arrive with donation banners, photo captions, related-story links and
typographic variants of quotes and dashes. Cleaning folds characters to one
form, drops boilerplate lines, lifts a leading dateline ("QUETTA, Pakistan -")
into metadata and returns one paragraph per line. Every span the extractor
reports refers to the cleaned text, so cleaning runs once, first.
"""

import re
from dataclasses import dataclass

from tollstream.core.rules import load_rules

_RULES = load_rules("cleaning")
_LINES = _RULES["lines"]
_CHARACTERS: list[tuple[str, str]] = list(_RULES["characters"].items())
_MOJIBAKE = re.compile("|".join(re.escape(bad) for bad in sorted(_RULES["mojibake"], key=len, reverse=True)))
_FIXES: dict[str, str] = _RULES["mojibake"]

# Line tests are plain string operations: a regex per line costs more than the rest of cleaning.
_BANNER = tuple(_LINES["banner"] + _LINES["captions"])
_PREFIXES = tuple(_LINES["prefixes"])
_SUFFIXES = tuple(_LINES["suffixes"])
_DEBRIS = frozenset(line.lower() for line in _LINES["debris"])
_TAIL = frozenset(line.lower() for line in _LINES["tail"])
_URL_PREFIXES = ("http://", "https://", "www.")
_DATE_STAMP = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b\s*")
_SPACES = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
# Scrapers glue the blocks of a page together ("two woundedMarch 13, 2013", "the Gaza StripIt has"):
# a lower-case word run straight into a capitalised one is two words. Three lower-case letters
# before the join keep names such as McAllen, DeKalb and KwaZulu whole.
_GLUED = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
# A number of more than MAX_DIGITS digits counts nothing (phone numbers have 15 at most) and would
# overflow the integer reader; the cheap run test goes first, so ordinary text is never rescanned.
MAX_DIGITS = 18
_LONG_RUN = re.compile(rf"[\d,.]{{{MAX_DIGITS + 1},}}")
_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
# "QUETTA, Pakistan -", "D.I. KHAN:", "PESHAWAR, (Agency - 4th Mar, 2022 ) :", "Mogadishu, Somalia (AFP):"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{0,40}[A-Z.](?:,\s*[A-Z][\w.']*(?:\s+[\w.']+){0,2})?)\s*,?\s*(?:\([^()\n]{0,80}\)\s*)?"
    r"(?:--?\s+|:\s*)"
    r"|^(?P<titled>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s*"
    rf"\((?:{'|'.join(re.escape(agency) for agency in _RULES['agencies'])})\)\s*[:-]\s*"
)


@dataclass(frozen=True, slots=True)
class CleanText:
    """Cleaned article text: one paragraph per line, and the dateline lifted out of it."""

    text: str
    dateline: str | None = None

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) offsets of each paragraph in ``text``."""
        spans, start = [], 0
        for line in self.text.split("\n"):
            spans.append((start, start + len(line)))
            start += len(line) + 1
        return spans


def normalise(text: str) -> str:
    """Fold quotes, dashes and spaces to ASCII forms and repair common mojibake."""
    if text.isascii():
        return text
    text = _MOJIBAKE.sub(lambda match: _FIXES[match.group()], text)
    for character, replacement in _CHARACTERS:
        text = text.replace(character, replacement)
    return text


def _without_huge_numbers(text: str) -> str:
    """Runs of more than ``MAX_DIGITS`` digits (with or without separators) become a space."""
    if not _LONG_RUN.search(text):
        return text
    return _NUMBER.sub(lambda m: " " if sum(c.isdigit() for c in m.group()) > MAX_DIGITS else m.group(), text)


def _is_boilerplate(line: str) -> bool:
    lowered = line.lower()
    return (
        lowered in _DEBRIS
        or (lowered.startswith(_URL_PREFIXES) and " " not in lowered)
        or lowered.startswith(_PREFIXES)
        or lowered.rstrip(" .").endswith(_SUFFIXES)
        or any(phrase in lowered for phrase in _BANNER)
    )


def _single_spaced(line: str) -> str:
    # Most lines hold no run of spaces and no tab: four substring tests cost far less than a regex pass.
    if "  " in line or "\t" in line or "\f" in line or "\v" in line:
        return _SPACES.sub(" ", line)
    return line


def clean(text: str) -> CleanText:
    """Cleaned text and dateline of a raw article; offsets of later stages refer to the result."""
    text = _GLUED.sub(" ", _without_huge_numbers(_DATE_STAMP.sub("", normalise(text))))
    kept: list[str] = []
    seen: set[str] = set()
    dateline = None
    for raw in text.splitlines():
        line = _single_spaced(raw).strip() if raw else raw
        if line.lower().strip(" :") in _TAIL:
            break
        if not line or line in seen or _is_boilerplate(line):
            continue
        # Repeated headlines and captions add nothing but a second copy.
        seen.add(line)
        match = _DATELINE.match(line + " ") if line[:1].isupper() else None
        if match:
            dateline = dateline or (match["place"] or match["titled"]).strip()
            line = line[match.end() :]
        if line:
            kept.append(line)
    return CleanText("\n".join(kept), dateline)
