"""Toll arithmetic: from every observation of an event to low / best / high per category.

The rules, in the order they apply:

1. Perpetrator figures (a group's own claim) are kept apart as ``perpetrator_claim``.
2. Partial figures (one site, one day) never stand for the whole; they only
   raise the low bound, since the whole is at least any of its parts.
3. Whole figures are read in publication order. A figure at least as large as the
   current one replaces it: tolls grow as bodies are found and counted.
4. A smaller figure replaces the current one only when another, later report
   states it as a correction ("only 137", "clarified", "revised") or an authority
   (officials, police, military, a hospital) gives it as a correction. A lower
   figure without such words is an older or partial count and is kept only as an
   observation. The basis says "revised down from N".
   Either way, a value already superseded never comes back: it is a stale repeat
   of an old toll (a late copy of Sunday's figure, an article recalling the first count).
5. A total is never below the sum of its groups: where groups are known, the
   total's best is at least their sum of bests and its low at least their sum of lows.
   Without a stated total, the sum of the groups is the total.
"""

from collections.abc import Iterable

from schemas.event import Observation, Toll

GROUPS = ("civilians", "security", "militants")


def _ordered(observations: Iterable[Observation], order: dict[str, int]) -> list[Observation]:
    return sorted(observations, key=lambda o: order.get(o.article_id, 0))


def _may_revise_down(new: Observation, current: Observation) -> bool:
    return new.correction and new.article_id != current.article_id


def category_toll(observations: list[Observation], order: dict[str, int]) -> Toll | None:
    """Derive one category's toll; ``order`` ranks articles by arrival (publication order)."""
    whole = [o for o in observations if not o.partial and o.authority != "perpetrator"]
    parts = [o for o in observations if o.partial and o.authority != "perpetrator"]
    claimed = [o.best for o in observations if o.authority == "perpetrator"]
    current: Observation | None = None
    basis = ""
    superseded: set[int] = set()
    for obs in _ordered(whole, order):
        if obs.best in superseded:
            continue
        if current is None or obs.best >= current.best:
            if current is not None and obs.best > current.best:
                superseded.add(current.best)
            current, basis = obs, _describe(obs, "latest and largest figure")
        elif _may_revise_down(obs, current):
            superseded.add(current.best)
            basis = _describe(obs, f"revised down from {current.best}")
            current = obs
    if current is None and not parts:
        return None
    part_low = max((p.low for p in parts), default=0)
    if current is None:
        best_part = max(parts, key=lambda p: p.low)
        return Toll(
            low=part_low,
            best=part_low,
            high=None,
            basis=_describe(best_part, "partial figure, a lower bound"),
            observations=list(observations),
            perpetrator_claim=max(claimed, default=None),
        )
    low = max(current.low, part_low)
    best = max(current.best, low)
    high = None if current.high is None else max(current.high, best)
    return Toll(
        low=low,
        best=best,
        high=high,
        basis=basis,
        observations=list(observations),
        perpetrator_claim=max(claimed, default=None),
    )


def _describe(obs: Observation, rule: str) -> str:
    who = obs.attribution or obs.source or "an unattributed report"
    return f"{rule}: {obs.best} ({obs.qualifier.replace('_', ' ')}) from {who} in {obs.article_id}"


def reconcile_totals(tolls: dict[str, Toll]) -> dict[str, Toll]:
    """Make each kind's total consistent with its groups (rule 5)."""
    out = dict(tolls)
    kinds = {category.split("_", 1)[0] for category in tolls}
    for kind in sorted(kinds):
        groups = [tolls[f"{kind}_{g}"] for g in GROUPS if f"{kind}_{g}" in tolls]
        if not groups:
            continue
        sum_best = sum(t.best for t in groups)
        sum_low = sum(t.low for t in groups)
        highs = [t.high for t in groups]
        sum_high = None if None in highs else sum(h for h in highs if h is not None)
        total = tolls.get(f"{kind}_total")
        if total is None:
            out[f"{kind}_total"] = Toll(
                low=sum_low, best=sum_best, high=sum_high, basis=f"sum of the groups' figures: {sum_best}"
            )
        elif total.best < sum_best or total.low < sum_low:
            out[f"{kind}_total"] = _raised(total, sum_low, sum_best)
    return out


def _raised(total: Toll, sum_low: int, sum_best: int) -> Toll:
    """A stated total lifted to what its groups add up to, saying which bound moved."""
    best = max(total.best, sum_best)
    high = None if total.high is None else max(total.high, best)
    if total.best < sum_best:
        basis = f"raised to the sum of the groups ({sum_best}); the stated total was {total.best}"
    else:
        basis = f"{total.basis}; low bound raised to the sum of the groups ({sum_low})"
    return total.model_copy(update={"low": max(total.low, sum_low), "best": best, "high": high, "basis": basis})


def derive_tolls(observations: dict[str, list[Observation]], order: dict[str, int]) -> dict[str, Toll]:
    """All categories' tolls of one event."""
    tolls = {}
    for category in sorted(observations):
        toll = category_toll(observations[category], order)
        if toll is not None:
            tolls[category] = toll
    return reconcile_totals(tolls)
