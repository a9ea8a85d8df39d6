"""Armed groups named in news text, and whether the text says they claimed the attack.

Aliases live in ``tollstream/data/perpetrators.toml``. A claim of responsibility is
credited to the group named nearest before the claim phrase in the same sentence
("the al Qaeda affiliate al-Shabab claimed ..." credits al-Shabab), or right after a
passive "claimed by". A negation in the sentence ("No group has claimed ...") cancels
the claim; a group named beside a negated claim or a word of suspicion is only
``suspected``.
"""

import re
from dataclasses import dataclass

from tollstream.core.phrases import alternatives, casings, trie
from tollstream.core.rules import load_rules

_RULES = load_rules("perpetrators")
_CLAIMS = _RULES["claims"]


@dataclass(frozen=True, slots=True)
class PerpetratorMention:
    start: int
    end: int
    name: str
    claimed: bool
    suspected: bool = False


_ALIAS: dict[str, str] = {}
for _name, _group in _RULES["groups"].items():
    for _alias in _group["aliases"]:
        # Lower case only for names written so ('al-Shabaab'): "Hamas" in lower case is no name.
        for _form in casings(_alias, lower=_alias[:1].islower()):
            _ALIAS[" ".join(_form.split())] = _name
_PARENT = {name: group.get("part_of") for name, group in _RULES["groups"].items()}

# A prefix trie of the spellings; a word character just before a match ("xBLA") is
# rejected in code, one after ("BLAST") here.
_GROUP = re.compile(trie(_ALIAS, name="group names", as_written=True) + r"(?![\w-])")
_ACTS = alternatives(_CLAIMS["acts"], name="acts")


def _claim_pattern(phrase: str) -> str:
    return r"\s+".join(_ACTS if word == "{act}" else re.escape(word) for word in phrase.lower().split())


_CLAIM = re.compile(r"\b(?i:" + "|".join(map(_claim_pattern, _CLAIMS["phrases"])) + r")\b")
_PASSIVE = re.compile(r"\b(?i:" + alternatives(_CLAIMS["passive"], name="passive") + r")\s+(?:the\s+)?")
_NEGATION = re.compile(r"\b(?i:" + alternatives(_CLAIMS["negations"]) + r")\b")
_SUSPICION = re.compile(r"\b(?i:" + alternatives(_CLAIMS["suspicions"]) + r")\b")
# Each branch opens with a literal, so the engine skips to the next candidate character at C speed;
# the look-behind after the mark keeps "U.S." and "Gen." from ending a sentence.
_SENTENCE_END = re.compile(r"\.(?<!\b[A-Z]\.)(?=\s)|!(?<!\b[A-Z]!)(?=\s)|\?(?<!\b[A-Z]\?)(?=\s)|\n|•")


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _claimers(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes into ``spans`` of the groups a (non-negated) claim in this sentence credits."""
    credited: set[int] = set()
    for claim in _PASSIVE.finditer(text, start, end):
        after = [i for i, (s, _) in enumerate(spans) if s >= claim.end()]
        if after and spans[after[0]][0] - claim.end() < 40:
            credited.add(after[0])
    for claim in _CLAIM.finditer(text, start, end):
        before = [i for i, (s, _) in enumerate(spans) if s < claim.start()]
        if before:
            credited.add(before[-1])
    return credited


def _has_claim_words(text: str, start: int, end: int) -> bool:
    return _CLAIM.search(text, start, end) is not None or _PASSIVE.search(text, start, end) is not None


def _judge(text: str, start: int, end: int, found: list[tuple[int, int, str]]) -> list[PerpetratorMention]:
    """Claimed / suspected for the groups named in one sentence."""
    negated = _NEGATION.search(text, start, end) is not None
    credited = set() if negated else _claimers(text, start, end, [(s, e) for s, e, _ in found])
    # "The Baloch Liberation Army (BLA) ... took responsibility": every naming of the claimer claims.
    claimers = {found[i][2] for i in credited}
    credited = {i for i, (_, _, name) in enumerate(found) if name in claimers}
    # Claim words matter only beside a negation ("no group has claimed"): look for them only then.
    doubt = (negated and _has_claim_words(text, start, end)) or _SUSPICION.search(text, start, end) is not None
    return [
        PerpetratorMention(s, e, name, i in credited, i not in credited and doubt)
        for i, (s, e, name) in enumerate(found)
    ]


def find_perpetrators(text: str) -> list[PerpetratorMention]:
    """Every armed group named in ``text``, in order, with whether the text says it claimed the attack."""
    found = [
        (m.start(), m.end(), _ALIAS[" ".join(m[0].split())])
        for m in _GROUP.finditer(text)
        if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_")
    ]
    if not found:
        return []
    mentions: list[PerpetratorMention] = []
    for start, end in _sentences(text):
        inside = [f for f in found if start <= f[0] < end]
        if inside:
            mentions += _judge(text, start, end, inside)
    return mentions


def parent(name: str) -> str | None:
    """The wider group a group belongs to: 'Islamic State Khorasan' -> 'Islamic State'."""
    return _PARENT.get(name)


def related(a: str | None, b: str | None) -> bool:
    """True when two group names may stand for the same perpetrator: equal, or one a branch of the other."""
    if a is None or b is None or a == b:
        return True
    return parent(a) == b or parent(b) == a


def primary_perpetrator(mentions: list[PerpetratorMention]) -> PerpetratorMention | None:
    """The group the text holds responsible: the first claimer, else the most named, earliest first."""
    if not mentions:
        return None
    claimed = [m for m in mentions if m.claimed]
    if claimed:
        return claimed[0]
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.name] = counts.get(m.name, 0) + 1
    return max(mentions, key=lambda m: (counts[m.name], -m.start))
