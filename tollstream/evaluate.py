"""Score a replay against a gold folder: claims, background leaks, clustering, duplicates and final tolls.

A gold folder holds ``articles.jsonl`` (what is replayed) and ``gold.json`` (see the data READMEs). Every
score is a pure function of the gold dict and what the topology emitted, so each can be tested on a handful
of hand-built messages.

Conventions where the gold leaves a choice:
- Ratios with an empty denominator are 1.0: nothing predicted has no false positive, nothing to find has
  nothing missed. F1 is 0.0 when precision and recall are both 0.
- Claims are compared as the number AS WRITTEN; a ``more_than`` figure stores ``low`` = written + 1.
- A gold set whose articles carry no claims at all (semeval5) has no claim or leak score.
- Duplicate pairs are unordered: a copy matched to an earlier copy of the same original is not a miss.
- A category missing from a predicted event's tolls counts as 0, as does a gold event no predicted event
  holds: the benchmarks read "reporting nothing" as 0, and a nonzero gold toll still disagrees.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import orjson

from schemas.claim import Claim, Figure
from schemas.duplicate import DuplicateRecord
from schemas.event import EventUpdate
from tollstream.core.dedupe import READ_MATCHES
from tollstream.core.numbers import find_numbers

Gold = Mapping[str, Any]
Pair = tuple[str, int]
ClusterKey = tuple[str, str]

# Matches that say "another article carried this story"; 'resent' is the same article delivered again.
# Copies of the first two are read for their outlet only; edited and extended copies are read as reports.
DROPPED_MATCHES = ("exact", "near")
COPY_MATCHES = (*DROPPED_MATCHES, *READ_MATCHES)


class Replayed(Protocol):
    """What scoring reads of a replay (``tollstream.replay.ReplayResult`` is one)."""

    claims: list[Claim]
    duplicates: list[DuplicateRecord]

    def final_events(self) -> dict[str, EventUpdate]: ...


def ratio(part: float, whole: int) -> float:
    return part / whole if whole else 1.0


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


# --- claims -----------------------------------------------------------------------------------------------


def written_value(figure: Figure) -> int:
    """The number as the article wrote it: 'more than 60' is stored as low 61 and written as 60."""
    value = getattr(figure, "value", None)
    if isinstance(value, int):
        return value
    return figure.low - 1 if figure.qualifier == "more_than" else figure.best


def predicted_claims(claims: Iterable[Claim]) -> dict[str, set[Pair]]:
    """Article id -> {(category, written value)} over the written figures of its main (non-background) claims.

    Implicit figures ("a policeman was killed") count in tolls but are no written
    number, and the gold annotates written numbers only. A range ("60 to 80 people")
    is two written numbers, as the gold annotates it.
    """
    pairs: dict[str, set[Pair]] = {}
    for claim in claims:
        if not claim.background:
            found = pairs.setdefault(claim.article_id, set())
            for figure in claim.figures:
                if figure.implicit:
                    continue
                found.add((figure.category, written_value(figure)))
                if figure.qualifier == "range" and figure.high is not None:
                    found.add((figure.category, figure.high))
    return pairs


def gold_claims(gold: Gold) -> dict[str, set[Pair]]:
    return {
        article_id: {(c["category"], c["value"]) for c in article["claims"]}
        for article_id, article in gold["articles"].items()
    }


def claims_annotated(gold: Gold) -> bool:
    return any(article["claims"] for article in gold["articles"].values())


def scored_articles(gold: Gold, dropped: set[str]) -> list[str]:
    """Gold articles whose claims count: a gold copy our dedupe dropped yields no claims on purpose."""
    return [
        article_id
        for article_id, article in gold["articles"].items()
        if not (article.get("duplicate_of") and article_id in dropped)
    ]


def score_claims(gold: Gold, result: Replayed) -> dict[str, Any]:
    dropped = {record.article_id for record in result.duplicates if record.match in DROPPED_MATCHES}
    predicted, expected = predicted_claims(result.claims), gold_claims(gold)
    counts: dict[str, Counter[str]] = {}
    for article_id in scored_articles(gold, dropped):
        ours, theirs = predicted.get(article_id, set()), expected[article_id]
        for outcome, pairs in (("tp", ours & theirs), ("fp", ours - theirs), ("fn", theirs - ours)):
            for category, _ in pairs:
                counts.setdefault(category, Counter())[outcome] += 1
    total = sum(counts.values(), Counter())
    per_category = {
        category: {**prf(c["tp"], c["fp"], c["fn"]), "gold": c["tp"] + c["fn"]}
        for category, c in sorted(counts.items())
    }
    return {
        "overall": {**prf(total["tp"], total["fp"], total["fn"]), "gold": total["tp"] + total["fn"]},
        "per_category": per_category,
    }


# --- background leaks -------------------------------------------------------------------------------------


def numbers_in(text: str) -> set[int]:
    """Digits ('1,256') and number words ('nine', 'twenty three', 'twenty-three') in a short string."""
    found: set[int] = set()
    for number in find_numbers(text):
        if not number.vague:
            found.add(number.value)
            if number.qualifier == "range" and number.high is not None:
                found.add(number.high)
    return found


def article_leaks(article: Gold, predicted: set[Pair]) -> list[Pair]:
    """Predicted main figures that match a background number and no gold claim of the same article."""
    background = set().union(*(numbers_in(m) for m in article.get("background_mentions", [])))
    claimed = {claim["value"] for claim in article["claims"]}
    return sorted(pair for pair in predicted if pair[1] in background and pair[1] not in claimed)


def background_leaks(gold: Gold, result: Replayed) -> dict[str, Any]:
    predicted = predicted_claims(result.claims)
    per_article = {
        article_id: leaks
        for article_id, article in gold["articles"].items()
        if (leaks := article_leaks(article, predicted.get(article_id, set())))
    }
    return {"total": sum(len(leaks) for leaks in per_article.values()), "per_article": per_article}


# --- clustering -------------------------------------------------------------------------------------------


def figures_from(event: EventUpdate, article_id: str) -> int:
    return sum(obs.article_id == article_id for toll in event.tolls.values() for obs in toll.observations)


def event_of(article_id: str, finals: Mapping[str, EventUpdate]) -> str | None:
    """The final event listing the article; if several do, the one with most of its figures, then the first."""
    holders = [event for event in finals.values() if article_id in event.articles]
    if not holders:
        return None
    return max(holders, key=lambda event: figures_from(event, article_id)).event_id


def copy_originals(duplicates: Iterable[DuplicateRecord]) -> dict[str, str]:
    return {record.article_id: record.duplicate_of for record in duplicates if record.article_id != record.duplicate_of}


def cluster_of(article_id: str, finals: Mapping[str, EventUpdate], originals: Mapping[str, str]) -> ClusterKey:
    """('event', id) when an event holds the article or its original; else ('alone', root article)."""
    seen: set[str] = set()
    while article_id not in seen:
        seen.add(article_id)
        if event_id := event_of(article_id, finals):
            return ("event", event_id)
        if article_id not in originals:
            break
        article_id = originals[article_id]
    return ("alone", article_id)


def predicted_clusters(article_ids: Iterable[str], result: Replayed) -> dict[str, ClusterKey]:
    finals, originals = result.final_events(), copy_originals(result.duplicates)
    return {article_id: cluster_of(article_id, finals, originals) for article_id in article_ids}


def bcubed(truth: Mapping[str, str], predicted: Mapping[str, ClusterKey]) -> dict[str, float]:
    """B-cubed precision and recall, averaged over the items of ``truth``."""
    gold_sizes, pred_sizes = Counter(truth.values()), Counter(predicted[item] for item in truth)
    both = Counter((truth[item], predicted[item]) for item in truth)
    precision = sum(both[truth[i], predicted[i]] / pred_sizes[predicted[i]] for i in truth)
    recall = sum(both[truth[i], predicted[i]] / gold_sizes[truth[i]] for i in truth)
    p, r = ratio(precision, len(truth)), ratio(recall, len(truth))
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def spread(truth: Mapping[str, str], predicted: Mapping[str, ClusterKey]) -> dict[str, dict[str, int]]:
    """Gold clusters whose items landed in more than one predicted cluster, with the count in each."""
    counts: dict[str, Counter[str]] = {}
    for item, label in truth.items():
        counts.setdefault(label, Counter())[":".join(predicted[item])] += 1
    return {label: dict(c) for label, c in counts.items() if len(c) > 1}


def score_clustering(gold: Gold, result: Replayed) -> dict[str, Any]:
    articles = gold["articles"]
    clusters = predicted_clusters(articles, result)
    truth = {article_id: article["event"] for article_id, article in articles.items() if article["event"]}
    # The same question the other way round: predicted events holding several gold events.
    merged = spread({a: ":".join(clusters[a]) for a in truth}, {a: ("gold", truth[a]) for a in truth})
    distractors = sorted(
        article_id
        for article_id, article in articles.items()
        if not article["event"] and clusters[article_id][0] == "event"
    )
    return {
        **bcubed(truth, clusters),
        "articles": len(truth),
        "split": spread(truth, clusters),
        "merged": merged,
        "distractors_in_events": distractors,
    }


# --- duplicates -------------------------------------------------------------------------------------------


def score_duplicates(gold: Gold, result: Replayed) -> dict[str, Any]:
    predicted = {frozenset((r.article_id, r.duplicate_of)) for r in result.duplicates if r.match in COPY_MATCHES}
    expected = {
        frozenset((article_id, article["duplicate_of"]))
        for article_id, article in gold["articles"].items()
        if article.get("duplicate_of")
    }
    return {
        **prf(len(predicted & expected), len(predicted - expected), len(expected - predicted)),
        "spurious": sorted(sorted(pair) for pair in predicted - expected),
        "missed": sorted(sorted(pair) for pair in expected - predicted),
    }


# --- final tolls ------------------------------------------------------------------------------------------


def matched_events(gold: Gold, clusters: Mapping[str, ClusterKey]) -> dict[str, str | None]:
    """Gold event -> the predicted event holding most of its articles (ties: the first met in gold order)."""
    votes: dict[str, Counter[str]] = {event_id: Counter() for event_id in gold["events"]}
    for article_id, article in gold["articles"].items():
        kind, key = clusters[article_id]
        if article["event"] in votes and kind == "event":
            votes[article["event"]][key] += 1
    return {event_id: (c.most_common(1)[0][0] if c else None) for event_id, c in votes.items()}


def agrees(event: Gold, category: str, best: int) -> bool:
    bounds = event.get("acceptable", {}).get(category)
    if bounds:
        return bounds[0] <= best <= bounds[1]
    return best == event["final"][category]


def predicted_best(event: EventUpdate | None, category: str) -> int | None:
    toll = event.tolls.get(category) if event else None
    return toll.best if toll else None


def score_tolls(gold: Gold, result: Replayed) -> dict[str, Any]:
    finals = result.final_events()
    matches = matched_events(gold, predicted_clusters(gold["articles"], result))
    scored, disagreements = 0, []
    for event_id, event in gold["events"].items():
        predicted = finals.get(matches[event_id] or "")
        for category, value in event["final"].items():
            best = predicted_best(predicted, category)
            scored += 1
            if not agrees(event, category, best or 0):
                disagreements.append(
                    {
                        "event": event_id,
                        "category": category,
                        "gold": value,
                        "acceptable": event.get("acceptable", {}).get(category),
                        "predicted": best,
                        "predicted_event": matches[event_id],
                    }
                )
    agreed = scored - len(disagreements)
    return {
        "agreed": agreed,
        "scored": scored,
        "rate": ratio(agreed, scored),
        "per_category": per_category_agreement(gold, disagreements),
        "disagreements": disagreements,
    }


def per_category_agreement(gold: Gold, disagreements: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    scored = Counter(category for event in gold["events"].values() for category in event["final"])
    missed = Counter(d["category"] for d in disagreements)
    return {category: {"agreed": n - missed[category], "scored": n} for category, n in sorted(scored.items())}


# --- report -----------------------------------------------------------------------------------------------


def score(gold: Gold, result: Replayed) -> dict[str, Any]:
    annotated = claims_annotated(gold)
    return {
        "claims": score_claims(gold, result) if annotated else None,
        "background_leaks": background_leaks(gold, result) if annotated else None,
        "clustering": score_clustering(gold, result),
        "duplicates": score_duplicates(gold, result),
        "tolls": score_tolls(gold, result),
    }


def run_eval(gold_dir: Path, track: Callable[[Iterable[bytes]], Iterable[bytes]] | None = None) -> dict[str, Any]:
    # The topology is imported here so that scoring stays importable (and testable) on its own.
    from tollstream.replay import replay_file

    gold = orjson.loads((gold_dir / "gold.json").read_bytes())
    result = replay_file(gold_dir / "articles.jsonl", track=track)
    emitted = {
        "articles": len(gold["articles"]),
        "claims": len(result.claims),
        "events": len(result.final_events()),
        "revisions": len(result.events),
        "duplicates": len(result.duplicates),
        "dead_letters": len(result.dead_letters),
    }
    return {"gold_dir": str(gold_dir), "emitted": emitted, **score(gold, result)}


def _prf_row(label: str, s: Mapping[str, Any], extra: str = "") -> str:
    return f"  {label:<22}{s['precision']:>6.2f}{s['recall']:>6.2f}{s['f1']:>6.2f}{extra}"


def _claims_lines(claims: Mapping[str, Any] | None) -> list[str]:
    if claims is None:
        return ["Claims: not annotated in this gold set"]
    header = f"  {'category':<22}{'P':>6}{'R':>6}{'F1':>6}{'tp':>5}{'fp':>5}{'fn':>5}{'gold':>6}"
    rows = [
        _prf_row(category, s, f"{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['gold']:>6}")
        for category, s in [*claims["per_category"].items(), ("ALL", claims["overall"])]
    ]
    return ["Claims (micro, value as written)", header, *rows]


def _leak_lines(leaks: Mapping[str, Any] | None) -> list[str]:
    if leaks is None:
        return []
    rows = [
        f"  {article_id}: " + ", ".join(f"{c}={v}" for c, v in pairs)
        for article_id, pairs in leaks["per_article"].items()
    ]
    return [f"Background leaks: {leaks['total']}", *rows, ""]


def _toll_lines(tolls: Mapping[str, Any]) -> list[str]:
    categories = [f"  {category:<22}{c['agreed']:>4}/{c['scored']}" for category, c in tolls["per_category"].items()]
    rows = [
        f"  {d['event']} {d['category']}: gold {d['gold']}{_range(d['acceptable'])}"
        f", predicted {d['predicted']} [{d['predicted_event']}]"
        for d in tolls["disagreements"]
    ]
    return [
        f"Final tolls: {tolls['agreed']}/{tolls['scored']} agree ({tolls['rate']:.2f})",
        *categories,
        "Disagreements:" if rows else "Disagreements: none",
        *rows,
    ]


def _range(bounds: list[int] | None) -> str:
    return f" (accept {bounds[0]}-{bounds[1]})" if bounds and bounds[0] != bounds[1] else ""


def _clustering_lines(clustering: Mapping[str, Any]) -> list[str]:
    def where(counts: Mapping[str, int]) -> str:
        return ", ".join(f"{label} x{n}" for label, n in counts.items())

    return [
        _prf_row("B-cubed clustering", clustering, f"  over {clustering['articles']} articles"),
        *(f"    split  {label}: {where(counts)}" for label, counts in clustering["split"].items()),
        *(f"    merged {label}: {where(counts)}" for label, counts in clustering["merged"].items()),
    ]


def format_table(report: Mapping[str, Any]) -> str:
    emitted = report.get("emitted", {})
    clustering, dupes = report["clustering"], report["duplicates"]
    lines = [
        f"Gold: {report.get('gold_dir', '')}",
        "Emitted: " + ", ".join(f"{k} {v}" for k, v in emitted.items()),
        "",
        *_claims_lines(report["claims"]),
        "",
        *_leak_lines(report["background_leaks"]),
        f"{'':<24}{'P':>6}{'R':>6}{'F1':>6}",
        *_clustering_lines(clustering),
        _prf_row("Duplicates", dupes, f"  tp {dupes['tp']} fp {dupes['fp']} fn {dupes['fn']}"),
        *(f"    {kind} {' = '.join(pair)}" for kind in ("missed", "spurious") for pair in dupes[kind]),
        " ".join(
            [f"Distractors in events: {len(clustering['distractors_in_events'])}", *clustering["distractors_in_events"]]
        ),
        "",
        *_toll_lines(report["tolls"]),
    ]
    return "\n".join(lines)


def main(gold_dir: Path, out: Path | None, track: Callable[[Iterable[bytes]], Iterable[bytes]] | None = None) -> int:
    report = run_eval(gold_dir, track)
    print(format_table(report))
    if out is not None:
        out.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return 0
