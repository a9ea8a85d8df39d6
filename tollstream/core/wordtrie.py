"""Regex alternations of many literal phrases, nested by shared prefixes.

A flat alternation of a few hundred phrases makes the regex engine try every branch
at every position of the text. Nested by prefix ("b(?:last|omb(?:ing)?)"), a position
that starts no phrase fails after one character, which keeps long word lists fast.
"""

import re
from collections.abc import Iterable


def trie_pattern(phrases: Iterable[str]) -> str:
    """A non-capturing regex matching any of ``phrases``, longest first; a space matches any whitespace run."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for ch in " ".join(phrase.split()):
            node = node.setdefault(ch, {})
        node[""] = {}
    if not root:
        raise ValueError("no phrases to match")
    return "(?:" + _emit(root) + ")"


def _emit(node: dict) -> str:
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    if "" in node:
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
