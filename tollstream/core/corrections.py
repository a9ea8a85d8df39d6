"""Telling a corrected figure from a stale or partial one.

"Only 137 and not 287 pupils were taken", "the governor clarified the number
of deaths": such words make a smaller figure a correction, which may lower a
published toll. A smaller figure without them never does.
"""

import re
from functools import lru_cache

from tollstream.core.phrases import trie
from tollstream.core.rules import load_rules

_RULES = load_rules("corrections")
_BEFORE = re.compile(rf"\b{trie(_RULES['before_number'], name='correction words before a number')}\s+$")
_SENTENCE = re.compile(rf"\b{trie(_RULES['in_sentence'], name='correction words in a sentence')}\b")
_ARTICLE = re.compile(rf"\b{trie(_RULES['in_article'], name='correction words in an article')}\b")
_LOOKBACK = 12


def article_corrects(text: str) -> bool:
    """Does the report present itself as a correction of earlier figures?"""
    return _ARTICLE.search(text) is not None


def figure_corrects(text: str, sentence_start: int, sentence_end: int, number_start: int) -> bool:
    """Is the figure starting at ``number_start`` worded as a correction?"""
    if _BEFORE.search(text, max(sentence_start, number_start - _LOOKBACK), number_start):
        return True
    return _sentence_corrects(text, sentence_start, sentence_end)


@lru_cache(maxsize=16)
def _sentence_corrects(text: str, start: int, end: int) -> bool:
    # Asked once per figure: a sentence of many figures is searched once, not once per figure.
    return _SENTENCE.search(text, start, end) is not None
