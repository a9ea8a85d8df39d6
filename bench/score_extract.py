"""Score extract_claims against gold claims and time it.

Per article, the predicted set is {(category, number as written)} over the
figures of its main claims, the gold set is {(category, value)} of its gold
claims. Prints precision, recall and F1 overall and per category for each
data set, background figures leaked into main claims (gold background mention
numbers found among main figures), and articles per second.

    python bench/score_extract.py [DATA_DIR ...]
"""

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from schemas.article import Article
from schemas.claim import Figure
from tollstream.core.extract import extract_claims
from tollstream.core.numbers import find_numbers

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [ROOT.parent / "shared" / "data" / name for name in ("seeds", "dev")]


def written_value(figure: Figure) -> int:
    """The number as the report wrote it, recovered from the bounds and the qualifier."""
    if figure.qualifier == "more_than":
        return figure.low - 1
    if figure.qualifier in ("range", "at_least"):
        return figure.low
    return figure.best


def load(directory: Path) -> tuple[list[Article], dict]:
    with (directory / "articles.jsonl").open() as handle:
        articles = [Article.model_validate(json.loads(line)) for line in handle if line.strip()]
    gold = json.loads((directory / "gold.json").read_text())["articles"]
    return articles, gold


def predicted(article: Article) -> set[tuple[str, int]]:
    claims = extract_claims(article, article.id)
    return {(f.category, written_value(f)) for c in claims if not c.background for f in c.figures}


def score(directory: Path, *, verbose: bool = False) -> dict:
    articles, gold = load(directory)
    counts: dict[str, Counter] = {}
    leaks = []
    for article in articles:
        entry = gold.get(article.id, {})
        want = {(c["category"], c["value"]) for c in entry.get("claims", [])}
        got = predicted(article)
        for category in {c for c, _ in want | got} | {"ALL"}:
            tally = counts.setdefault(category, Counter())
            keep = (lambda pair: True) if category == "ALL" else (lambda pair, c=category: pair[0] == c)
            tally["tp"] += len({p for p in got & want if keep(p)})
            tally["fp"] += len({p for p in got - want if keep(p)})
            tally["fn"] += len({p for p in want - got if keep(p)})
        background_numbers = {n.value for m in entry.get("background_mentions", []) for n in find_numbers(m)}
        main_numbers = {v for _, v in got} - {v for _, v in want}
        leaks += [(article.id, v) for v in sorted(background_numbers & main_numbers)]
        if verbose and got != want:
            print(f"  {article.id}: missing {sorted(want - got)} extra {sorted(got - want)}")
    return {"counts": counts, "leaks": leaks}


def throughput(directory: Path, rounds: int = 20) -> float:
    articles, _ = load(directory)
    for article in articles:
        extract_claims(article, article.id)
    began = time.perf_counter()
    for _ in range(rounds):
        for article in articles:
            extract_claims(article, article.id)
    return rounds * len(articles) / (time.perf_counter() - began)


def _f1(tally: Counter) -> tuple[float, float, float]:
    p = tally["tp"] / (tally["tp"] + tally["fp"]) if tally["tp"] + tally["fp"] else 1.0
    r = tally["tp"] / (tally["tp"] + tally["fn"]) if tally["tp"] + tally["fn"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    sets = [Path(a) for a in argv if not a.startswith("-")] or DEFAULT_SETS
    for directory in sets:
        result = score(directory, verbose=verbose)
        print(f"\n{directory.name}")
        print(f"{'category':<18}{'gold':>5}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}")
        for category, tally in sorted(result["counts"].items(), key=lambda kv: (kv[0] != "ALL", kv[0])):
            p, r, f = _f1(tally)
            gold = tally["tp"] + tally["fn"]
            print(f"{category:<18}{gold:>5}{tally['tp']:>5}{tally['fp']:>5}{tally['fn']:>5}{p:>7.2f}{r:>7.2f}{f:>7.2f}")
        print(f"background numbers in main claims: {result['leaks'] or 'none'}")
        print(f"throughput: {throughput(directory):,.0f} articles/s")


if __name__ == "__main__":
    main(sys.argv[1:])
