"""Toll arithmetic: from every observation of an event to low / best / high per category.

Fusion is a small table of named rules; every toll's ``basis`` starts with the name
of the rule that chose it, so an analyst can see why a number moved.

Per category (``killed_civilians``, ``injured_total`` ...):

1. **One figure per report.** Each report counts once: its first whole, current
   figure (the headline or lead; later paragraphs recall older counts).
2. **Firm figures first.** Current figures from the reports drive the toll; earlier,
   feared or unofficial figures and a perpetrator's own claim do only when no firm
   figure exists (``only_soft``), and partial ones only bound it from below.
3. **Reports in publication order**, each against the current figure (``TRANSITIONS``):
   a figure that repeats one already superseded is a stale repeat and changes nothing
   (``stale_repeat``), even when larger than a figure revised down; a larger figure
   replaces it (``latest_and_largest``);
   a smaller one worded as a correction, or stated by an authority (officials, police,
   military, a hospital) in a later report, revises it down (``revised_down``); any
   other smaller figure is an older or looser count (``lower_kept``).
4. **A sub-count bounds the whole from below** only when it comes from a report as
   recent as the whole figure: once a later whole figure exists, an early partial
   count ("three women in Gwadar") no longer holds the low bound.

Across categories (``reconcile``):

5. **Totals count attackers.** A total stated as the victims' ("five people were
   killed") plus the attackers reported apart ("one attacker was shot dead") is 6; a
   total that already covers every group stays, and one that says it excludes the
   attackers is kept as stated and says so.
6. **A total is never below the sum of its groups**; without a stated total the sum is
   the total; an approximate total ("almost 200") around an exact sum (193) takes the sum.
7. **Only civilians reported dead**: the civilians' count is the whole toll.
8. **Complements**: "18 of the 26 killed were soldiers" makes the other 8 civilians.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from schemas.event import Observation, Toll

GROUPS = ("civilians", "security", "militants")
VICTIMS = ("civilians", "security")
_AUTHORITIES = frozenset({"official", "medical"})
_APPROXIMATE = frozenset({"about", "up_to", "range"})


def _describe(obs: Observation, rule: str) -> str:
    who = obs.attribution or obs.source or "an unattributed report"
    return f"{rule}: {obs.best} ({obs.qualifier.replace('_', ' ')}) from {who} in {obs.article_id}"


def _firm(obs: Observation) -> bool:
    return not obs.partial and obs.standing == "current" and obs.authority != "perpetrator"


def _soft(obs: Observation) -> bool:
    return not obs.partial and not _firm(obs)


def per_report(observations: Iterable[Observation], order: dict[str, int]) -> list[Observation]:
    """Each report's own figure (its first in text order: the headline or lead), reports in publication order."""
    first: dict[str, Observation] = {}
    for obs in observations:
        first.setdefault(obs.article_id, obs)
    return sorted(first.values(), key=lambda o: order.get(o.article_id, 0))


@dataclass
class _Fold:
    """The state of one category's toll while reports are read in order."""

    current: Observation | None = None
    basis: str = ""
    superseded: frozenset[int] = frozenset()

    def replace(self, obs: Observation, rule: str) -> None:
        if self.current is not None and self.current.best != obs.best:
            self.superseded |= {self.current.best}
        self.current, self.basis = obs, _describe(obs, rule)


def _larger(fold: _Fold, obs: Observation) -> bool:
    return fold.current is None or obs.best > fold.current.best


def _equal(fold: _Fold, obs: Observation) -> bool:
    return fold.current is not None and obs.best == fold.current.best


def _stale(fold: _Fold, obs: Observation) -> bool:
    return obs.best in fold.superseded


def _corrects(fold: _Fold, obs: Observation) -> bool:
    assert fold.current is not None
    later = obs.article_id != fold.current.article_id
    return later and (obs.correction or obs.authority in _AUTHORITIES)


def _grow(fold: _Fold, obs: Observation) -> None:
    fold.replace(obs, "latest_and_largest")


def _keep(fold: _Fold, obs: Observation) -> None:
    return None


def _revise_down(fold: _Fold, obs: Observation) -> None:
    assert fold.current is not None
    worded = "a correction" if obs.correction else "a later authority's figure"
    previous = fold.current.best
    fold.replace(obs, "revised_down")
    fold.basis += f" (revised down from {previous}: {worded})"


# Each report against the current figure: the first rule that applies decides.
# A superseded figure never comes back, even larger than the current one after a revision down.
TRANSITIONS: tuple[tuple[str, Callable[[_Fold, Observation], bool], Callable[[_Fold, Observation], None]], ...] = (
    ("stale_repeat", _stale, _keep),
    ("latest_and_largest", _larger, _grow),
    ("same_figure", _equal, _keep),
    ("revised_down", _corrects, _revise_down),
    ("lower_kept", lambda fold, obs: True, _keep),
)


def _fold(reports: list[Observation]) -> _Fold:
    fold = _Fold()
    for obs in reports:
        for _, applies, act in TRANSITIONS:
            if applies(fold, obs):
                act(fold, obs)
                break
    return fold


def category_toll(observations: list[Observation], order: dict[str, int]) -> Toll | None:
    """Derive one category's toll; ``order`` ranks articles by arrival (publication order)."""
    claimed = [o.best for o in observations if o.authority == "perpetrator"]
    parts = [o for o in observations if o.partial and o.authority != "perpetrator"]
    fold = _fold(per_report([o for o in observations if _firm(o)], order))
    if fold.current is None:
        # Nothing firm: an earlier, feared or unofficial figure, or a perpetrator's own, stands in.
        fold = _fold(per_report([o for o in observations if _soft(o)], order))
        if fold.current is not None:
            fold.basis = f"only_soft ({fold.current.standing}): " + fold.basis
    if fold.current is None and not parts:
        return None
    if fold.current is None:
        best_part = max(parts, key=lambda p: p.low)
        return Toll(
            low=best_part.low,
            best=best_part.low,
            high=None,
            basis=_describe(best_part, "partial_lower_bound"),
            observations=list(observations),
            perpetrator_claim=max(claimed, default=None),
        )
    current = fold.current
    since = order.get(current.article_id, 0)
    recent_parts = [p.low for p in parts if order.get(p.article_id, 0) >= since]
    low = max([current.low, *recent_parts])
    best = max(current.best, low)
    high = None if current.high is None else max(current.high, best)
    basis = fold.basis
    if low > current.low:
        basis += f"; low bound raised by a sub-count to {low}"
    return Toll(
        low=low,
        best=best,
        high=high,
        basis=basis,
        observations=list(observations),
        perpetrator_claim=max(claimed, default=None),
    )


def _derived(low: int, best: int, high: int | None, basis: str) -> Toll:
    return Toll(low=low, best=best, high=high, basis=basis)


def _sum(tolls: list[Toll]) -> tuple[int, int, int | None]:
    highs = [t.high for t in tolls]
    return (
        sum(t.low for t in tolls),
        sum(t.best for t in tolls),
        None if None in highs else sum(h for h in highs if h is not None),
    )


def _excludes_attackers(total: Toll) -> bool:
    return any(o.excludes_attackers for o in total.observations if o.best == total.best)


def _reconcile_total(kind: str, tolls: dict[str, Toll]) -> None:
    """Rules 5 and 6 for one kind of harm: the total counts every group, attackers too."""
    groups = [tolls[f"{kind}_{g}"] for g in GROUPS if f"{kind}_{g}" in tolls]
    if not groups:
        return
    low, best, high = _sum(groups)
    total = tolls.get(f"{kind}_total")
    if total is None:
        tolls[f"{kind}_total"] = _derived(low, best, high, f"sum_of_groups: {best}")
        return
    militants = tolls.get(f"{kind}_militants")
    victims = [tolls[f"{kind}_{g}"] for g in VICTIMS if f"{kind}_{g}" in tolls]
    victims_best = sum(t.best for t in victims)
    if militants is not None and not _excludes_attackers(total):
        # A stated total that counts the victims (no victims' groups to compare it with, or
        # about their sum) leaves out the attackers reported apart: they are added to it.
        counts_victims = not victims or abs(total.best - victims_best) <= max(1, victims_best // 10)
        if counts_victims:
            added = _added(total, militants)
            tolls[f"{kind}_total"] = added
            total = added
    if total.low != total.high and total.low <= best <= (total.high if total.high is not None else best):
        # "About 200" around groups that add up to exactly 193: the sum is the precise reading
        # of the same count, and the stated figure stays as the range's top.
        tolls[f"{kind}_total"] = total.model_copy(
            update={
                "best": best,
                "low": max(total.low, low),
                "basis": f"exact_sum_in_approximate_total: {best}, within {total.basis}",
            }
        )
    elif total.best < best or total.low < low:
        tolls[f"{kind}_total"] = _raised(total, low, best)
    elif _excludes_attackers(total) and militants is not None:
        tolls[f"{kind}_total"] = total.model_copy(
            update={"basis": f"{total.basis}; stated without the {militants.best} attackers, kept as stated"}
        )


def _added(total: Toll, militants: Toll) -> Toll:
    high = None if total.high is None or militants.high is None else total.high + militants.high
    return total.model_copy(
        update={
            "low": total.low + militants.low,
            "best": total.best + militants.best,
            "high": high,
            "basis": f"total_with_attackers: {total.best} victims + {militants.best} attackers; {total.basis}",
        }
    )


def _raised(total: Toll, sum_low: int, sum_best: int) -> Toll:
    """A stated total lifted to what its groups add up to, saying which bound moved."""
    best = max(total.best, sum_best)
    high = None if total.high is None else max(total.high, best)
    if total.best < sum_best:
        basis = f"raised_to_sum_of_groups: {sum_best}; the stated total was {total.best}"
    else:
        basis = f"{total.basis}; low bound raised to the sum of the groups ({sum_low})"
    return total.model_copy(update={"low": max(total.low, sum_low), "best": best, "high": high, "basis": basis})


def _civilians_only(kind: str, tolls: dict[str, Toll]) -> None:
    """Rule 7: with only civilians reported dead, the civilians' count is the whole toll."""
    civilians, total = tolls.get(f"{kind}_civilians"), tolls.get(f"{kind}_total")
    others = [g for g in GROUPS if g != "civilians" and f"{kind}_{g}" in tolls]
    if civilians is None or total is None or others or total.best <= civilians.best:
        return
    tolls[f"{kind}_civilians"] = civilians.model_copy(
        update={
            "low": max(civilians.low, total.low),
            "best": total.best,
            "high": total.high,
            "basis": f"civilians_only: no other group reported dead, so the whole toll ({total.best}); "
            f"{civilians.basis}",
        }
    )


def _complement(kind: str, tolls: dict[str, Toll]) -> None:
    """Rule 8: a group counted as part of the whole ("18 of the 26 killed were soldiers") leaves the rest civilians."""
    total = tolls.get(f"{kind}_total")
    counted = [g for g in ("security", "militants") if f"{kind}_{g}" in tolls]
    if total is None or f"{kind}_civilians" in tolls or len(counted) != 1:
        return
    group = tolls[f"{kind}_{counted[0]}"]
    of_whole = any(o.partial and o.best == group.best for o in group.observations)
    if of_whole and total.best > group.best:
        rest = total.best - group.best
        tolls[f"{kind}_civilians"] = _derived(
            rest, rest, rest, f"complement: {total.best} in all less {group.best} {counted[0]} (derived)"
        )


def reconcile(tolls: dict[str, Toll]) -> dict[str, Toll]:
    """Rules 5 to 8, per kind of harm, in that order."""
    out = dict(tolls)
    for kind in sorted({category.split("_", 1)[0] for category in tolls}):
        _complement(kind, out)
        _civilians_only(kind, out)
        _reconcile_total(kind, out)
    return out


def derive_tolls(observations: dict[str, list[Observation]], order: dict[str, int]) -> dict[str, Toll]:
    """All categories' tolls of one event."""
    tolls = {}
    for category in sorted(observations):
        toll = category_toll(observations[category], order)
        if toll is not None:
            tolls[category] = toll
    return reconcile(tolls)
