"""Claim-level F1 of extract_claims on the annotated seeds and dev sets, when they are present.

Per article the predicted set is {(category, number as written)} over main-claim
figures and the gold set {(category, value)} of its gold claims. Floors only rise.
"""

import json

import pytest

from schemas.article import Article
from schemas.claim import Figure
from tollstream.core.extract import extract_claims
from tollstream.core.numbers import find_numbers
from tollstream.datasets import shared_set

FLOORS = {"seeds": 0.90, "dev": 0.90}
CATEGORY_FLOOR = 0.85
MIN_GOLD_FOR_CATEGORY = 5

pytestmark = pytest.mark.skipif(
    any(shared_set(name) is None for name in FLOORS), reason="../shared/data gold sets absent"
)


def written(figure: Figure) -> int:
    """The number as written: 'more than 60' was written 60."""
    if figure.qualifier == "more_than":
        return figure.low - 1
    return figure.low if figure.qualifier in ("range", "at_least") else figure.best


def _load(name: str) -> tuple[list[Article], dict]:
    directory = shared_set(name)
    assert directory is not None
    with (directory / "articles.jsonl").open() as handle:
        articles = [Article.model_validate(json.loads(line)) for line in handle if line.strip()]
    return articles, json.loads((directory / "gold.json").read_text())["articles"]


def _sets(name: str) -> list[tuple[str, set, set, dict]]:
    articles, gold = _load(name)
    rows = []
    for article in articles:
        claims = extract_claims(article, article.id)
        got = {(f.category, written(f)) for c in claims if not c.background for f in c.figures}
        want = {(c["category"], c["value"]) for c in gold[article.id]["claims"]}
        rows.append((article.id, got, want, gold[article.id]))
    return rows


def _f1(rows, category: str | None = None) -> float:
    def keep(pairs):
        return {p for p in pairs if category is None or p[0] == category}

    tp = sum(len(keep(got & want)) for _, got, want, _ in rows)
    fp = sum(len(keep(got - want)) for _, got, want, _ in rows)
    fn = sum(len(keep(want - got)) for _, got, want, _ in rows)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_extract_gold_overall_f1_floor(name):
    assert _f1(_sets(name)) >= FLOORS[name]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_extract_gold_every_frequent_category_meets_its_floor(name):
    rows = _sets(name)
    counts: dict[str, int] = {}
    for _, _, want, _ in rows:
        for category, _ in want:
            counts[category] = counts.get(category, 0) + 1
    low = {c: _f1(rows, c) for c, n in counts.items() if n >= MIN_GOLD_FOR_CATEGORY}
    assert all(f1 >= CATEGORY_FLOOR for f1 in low.values()), low


def test_extract_gold_no_background_figure_reaches_a_seed_main_claim():
    leaks = []
    for article_id, got, want, entry in _sets("seeds"):
        background = {n.value for mention in entry["background_mentions"] for n in find_numbers(mention)}
        leaks += [(article_id, v) for _, v in got - want if v in background]
    assert leaks == []
