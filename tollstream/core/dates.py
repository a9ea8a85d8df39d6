"""Dates in news text, resolved against the article's publication date.

Reports rarely print the incident's date: they say "on Friday", "early Saturday",
"last week" or "in August". Each mention becomes a best-guess calendar date plus a
tolerance in days, so later stages can compare vague and exact dates fairly.
Vocabulary lives in ``tollstream/data/dates.toml``.

Every pattern starts with a literal word or a digit so the regex engine can skip
ahead cheaply; words that may precede a match ("early", "last", "in") are read
afterwards from the few characters before it.
"""

import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from tollstream.core.phrases import alternatives, casings, trie
from tollstream.core.rules import load_rules

_RULES = load_rules("dates")
_LOOKBACK = 28


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    date: date | None
    tolerance_days: int


def _cased(words: Iterable[str], *, lower: bool = False) -> str:
    """Alternation of each phrase capitalised and in capitals (and in lower case if asked): "may" is no month."""
    forms = set()
    for word in words:
        forms |= casings(word, written=False, lower=lower)
    return trie(forms, name="date words", as_written=True)


def _trailing(words: Iterable[str], name: str) -> re.Pattern[str]:
    """Matches one of ``words`` right before the end of a look-back window."""
    return re.compile(rf"\b({alternatives(words, name=name)})[\s-]+$", re.IGNORECASE)


_MONTH_NUMBER: dict[str, int] = {}
for _number, (_name, _short) in enumerate(_RULES["months"].items(), start=1):
    for _form in (_name, *_short):
        _MONTH_NUMBER[_form.lower()] = _number
_FULL_MONTHS = {name.lower() for name in _RULES["months"]}
_WEEKDAY_NUMBER = {name.lower(): i for i, name in enumerate(_RULES["weekdays"])}

_MON = _cased(_MONTH_NUMBER)
_WD = _cased(_WEEKDAY_NUMBER)
# "\d\d?" rather than "\d{1,2}": a pattern that opens with a character class is scanned for it at C speed.
_DAY = r"(\d\d?)(?:st|nd|rd|th)?(?!\d)"
_DAY2 = r"(?:\s*(?:and|&|-|–|to)\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d))?"
_YEAR = r"(?:,?\s+((?:19|20)\d\d)\b)?"
_COUNT = r"(\d+|" + _cased(_RULES["counts"], lower=True) + ")"
_UNIT = _cased(_RULES["spans"], lower=True)

# An abbreviation's dot belongs to the date only when a number follows ("Oct. 15"), not at a sentence end.
_DOT = r"(?:\.(?=\s+\d))?"
_MONTH = re.compile(rf"({_MON})\b{_DOT}(?:\s+{_DAY}{_DAY2}{_YEAR}|,?\s+((?:19|20)\d\d)\b)?")
_DMY = re.compile(rf"{_DAY}{_DAY2}\s+(?:of\s+)?({_MON})\b{_DOT}{_YEAR}")
_ISO = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_BARE_YEAR = re.compile(
    r"((?:19|20)\d\d)\b(?!\d|,\d)"
    rf"(?!\s+(?i:{alternatives(_RULES['year_not_before'], name='year_not_before')})\b)"
)
_WEEKDAY = re.compile(rf"({_WD})\b(?:['’]s)?(?:\s+(?i:morning|afternoon|evening|night)\b)?")
_RELATIVE_DAYS = re.compile(_cased(_RULES["relative_days"], lower=True) + r"\b")
_RELATIVE_YEARS = re.compile(_cased(_RULES["relative_years"], lower=True) + r"\b")
_SPAN = re.compile(rf"({_cased(['past', 'previous', 'preceding', 'last'], lower=True)})\s+(?:{_COUNT}\s+)?({_UNIT})\b")
_AGO = re.compile(_cased(["ago"], lower=True) + r"\b")

_MONTH_LEAD = _trailing(_RULES["month_lead"], "month_lead")
_YEAR_LEAD = _trailing(_RULES["year_lead"], "year_lead")
_WEEKDAY_LEAD = _trailing(_RULES["weekday_lead"], "weekday_lead")
_WEEKDAY_BEFORE = re.compile(rf"\b{_WD},?\s+(?:the\s+)?$")
_AGO_COUNT = re.compile(rf"\b{_COUNT}\s+({_UNIT})\s+$")

Found = tuple[int, date | None, int] | None
"""What a resolver returns: start of the mention (after look-back), date, tolerance; None drops it."""


def days_between(a: date, b: date) -> int:
    """Whole days between two dates, in either order."""
    return abs((a - b).days)


def is_distant(mention: DateMention, published: date | None, days: int = 21) -> bool:
    """True when even the most generous reading of the mention is over ``days`` from publication.

    Used to tell background incidents ("the 2017 truck bomb", "a blast on Nov 3" in a
    December report) from the reported one; three weeks leaves room for follow-up
    reports that date the incident itself.
    """
    if mention.date is None or published is None:
        return False
    return days_between(mention.date, published) - mention.tolerance_days > days


def _before(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    return pattern.search(text, max(0, start - _LOOKBACK), start)


def _glued(text: str, start: int) -> bool:
    """True when the match continues a longer word or number ("Omarch", "2,017")."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in ",.")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _period(first: date, last: date, published: date | None) -> tuple[date, int]:
    """Midpoint and half-width of a period, cut at publication when it runs past it."""
    if published is not None and first <= published < last:
        last = published
    half = (last - first).days / 2
    return first + timedelta(days=int(half)), max(1, round(half + 0.01))


def _with_year(month: int, day: int, year: str | None, published: date | None) -> date | None:
    """A dated day; a missing year is the one that puts the day on or before publication."""
    if year:
        return _safe_date(int(year), month, day)
    if published is None:
        return None
    found = _safe_date(published.year, month, day)
    # A week's grace: reports mention coming days too ("polling on 8 February").
    if found is not None and found > published + timedelta(days=7):
        found = _safe_date(published.year - 1, month, day)
    return found


def _day(text: str, m: re.Match[str], month: str, d1: str, d2: str | None, year: str | None, pub: date | None) -> Found:
    start = m.start()
    weekday = _before(_WEEKDAY_BEFORE, text, start)
    if weekday:
        start = weekday.start()
    found = _with_year(_MONTH_NUMBER[month.lower()], int(d1), year, pub)
    spread = int(d2) - int(d1) if d2 and int(d2) > int(d1) else 0
    if found is None and (year or pub):
        return None
    return start, found, spread


def _month_part(text: str, start: int) -> tuple[int, str | None, str | None]:
    lead = _before(_MONTH_LEAD, text, start)
    if lead is None:
        return start, None, None
    word = lead[1].lower()
    part = word.split()[0] if word.split()[0] in _RULES["month_parts"] else None
    return lead.start(), word, part


def _month_span(year: int, month: int, part: str | None, published: date | None) -> tuple[date, int]:
    if part:
        day, tolerance = _RULES["month_parts"][part]
        return date(year, month, min(day, monthrange(year, month)[1])), tolerance
    return _period(date(year, month, 1), date(year, month, monthrange(year, month)[1]), published)


def _month(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'October 15', 'Oct. 15, 2016', 'October 2017', 'in August'."""
    if _glued(text, m.start()):
        return None
    if m[2]:
        return _day(text, m, m[1], m[2], m[3], m[4], pub)
    start, lead, part = _month_part(text, m.start())
    month = _MONTH_NUMBER[m[1].lower()]
    if m[5]:
        return (start, *_month_span(int(m[5]), month, part, pub))
    if lead is None or m[1].lower() not in _FULL_MONTHS:
        return None
    if pub is None:
        return start, None, 16
    year = pub.year if month <= pub.month else pub.year - 1
    if lead == "last" and month == pub.month:
        year -= 1
    return (start, *_month_span(year, month, part, pub))


def _dmy(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'15 October', '4th Mar, 2022', '15 and 16 October'."""
    if _glued(text, m.start()):
        return None
    start = m.start()
    if text[max(0, start - 4) : start].lower() == "the ":
        start -= 4
    found = _day(text, m, m[3], m[1], m[2], m[4], pub)
    return found and (min(start, found[0]), found[1], found[2])


def _iso(text: str, m: re.Match[str], pub: date | None) -> Found:
    found = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return None if found is None or _glued(text, m.start()) else (m.start(), found, 0)


def _bare_year(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'in 2017', 'a 2023 blast': only after a word that introduces a year."""
    lead = _before(_YEAR_LEAD, text, m.start())
    year = int(m[1])
    if lead is None or _glued(text, m.start()) or (pub is not None and year > pub.year + 1):
        return None
    return (lead.start(), *_period(date(year, 1, 1), date(year, 12, 31), pub))


def _weekday(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'Friday', 'early Saturday', 'Sunday night', 'last Sunday's': the nearest such day."""
    if _glued(text, m.start()):
        return None
    lead = _before(_WEEKDAY_LEAD, text, m.start())
    start = lead.start() if lead else m.start()
    if pub is None:
        return start, None, 1
    word = lead[1].lower() if lead else ""
    back = (pub.weekday() - _WEEKDAY_NUMBER[m[1].lower()]) % 7
    if word == "last" and back <= 1:
        back += 7  # on a Saturday, "last Friday" is a week and a day ago; yesterday is "Friday"
    if word == "next":
        back = back - 7 if back else -7
    return start, pub - timedelta(days=back), 0


def _phrase(text: str) -> str:
    return " ".join(text.lower().split())


def _relative_days(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'yesterday', 'last week', 'earlier in the week'."""
    if _glued(text, m.start()):
        return None
    back, tolerance = _RULES["relative_days"][_phrase(m[0])]
    return m.start(), pub and pub - timedelta(days=back), tolerance


def _relative_years(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'last year', 'this year'."""
    if _glued(text, m.start()):
        return None
    if pub is None:
        return m.start(), None, 183
    year = pub.year - _RULES["relative_years"][_phrase(m[0])]
    return (m.start(), *_period(date(year, 1, 1), date(year, 12, 31), pub))


def _count(word: str | None) -> int:
    if not word:
        return 1
    return int(word) if word.isdigit() else _RULES["counts"][word.lower()]


def _span(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'past 48 hours', 'over the past year': a period that ends at publication."""
    if _glued(text, m.start()) or (m[1].lower() == "last" and not m[2]):
        return None
    length = max(1, round(_count(m[2]) * _RULES["spans"][m[3].lower()]))
    # One day of slack on top of the half-width: the period may be counted from the event.
    tolerance = (length + 1) // 2 + 1
    return m.start(), pub and pub - timedelta(days=length // 2), tolerance


def _ago(text: str, m: re.Match[str], pub: date | None) -> Found:
    """'three days ago', 'a year ago'."""
    counted = _before(_AGO_COUNT, text, m.start())
    if counted is None:
        return None
    length = round(_count(counted[1]) * _RULES["spans"][counted[2].lower()])
    return counted.start(), pub and pub - timedelta(days=length), max(1, length // 7)


Resolver = Callable[[str, re.Match[str], date | None], Found]

# Order breaks ties between equally long overlapping readings: explicit forms first.
_PATTERNS: tuple[tuple[re.Pattern[str], Resolver], ...] = (
    (_ISO, _iso),
    (_MONTH, _month),
    (_DMY, _dmy),
    (_BARE_YEAR, _bare_year),
    (_WEEKDAY, _weekday),
    (_RELATIVE_DAYS, _relative_days),
    (_RELATIVE_YEARS, _relative_years),
    (_SPAN, _span),
    (_AGO, _ago),
)


def _candidates(text: str, published: date | None) -> Iterator[tuple[int, int, int, DateMention]]:
    for rank, (pattern, resolve) in enumerate(_PATTERNS):
        for m in pattern.finditer(text):
            found = resolve(text, m, published)
            if found is not None:
                start, day, tolerance = found
                mention = DateMention(start, m.end(), text[start : m.end()], day, tolerance)
                yield start, start - m.end(), rank, mention


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text``, in order, the longest reading where they overlap.

    Without a publication date, relative expressions are kept with ``date=None``.
    """
    chosen: list[DateMention] = []
    end = -1
    for start, _, _, mention in sorted(_candidates(text, published), key=lambda c: c[:3]):
        if start >= end:
            chosen.append(mention)
            end = mention.end
    return chosen
