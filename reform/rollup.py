"""Progress of a plan, rolled up from its tasks: pure functions, no database.

A leaf task's progress is what its lead unit reported (0–100 %), or 100 % once the officer has
accepted it. A task with sub-tasks takes the weighted mean of its sub-tasks (its own figure is
ignored: the sub-tasks are the work). An area takes the weighted mean of its top-level tasks; the
plan takes the weighted mean of all top-level tasks, which is the areas' mean weighted by the sum
of their tasks' weights. Weights are the annex's "trọng số" (1 where the annex gives none).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    area: str
    weight: Decimal
    progress: int  # 0–100, as reported
    accepted: bool = False


@dataclass
class Rollup:
    tasks: dict[int, Decimal] = field(default_factory=dict)
    areas: dict[str, Decimal] = field(default_factory=dict)
    plan: Decimal = Decimal(0)


def _mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Weighted mean of (weight, value) pairs; 0 when there is no weight at all."""
    total = sum((w for w, _ in pairs), Decimal(0))
    if total <= 0:
        return Decimal(0)
    return sum((w * v for w, v in pairs), Decimal(0)) / total


def round_percent(value: Decimal | int) -> Decimal:
    """One decimal place, half up, as reports print it."""
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rollup(nodes: Iterable[Node]) -> Rollup:
    """Every task's, every area's and the plan's progress (unrounded percentages)."""
    nodes = list(nodes)
    by_id = {n.id: n for n in nodes}
    children: dict[int, list[Node]] = defaultdict(list)
    for n in nodes:
        if n.parent_id is not None and n.parent_id in by_id:
            children[n.parent_id].append(n)
    result = Rollup()

    def value(n: Node) -> Decimal:
        if n.id in result.tasks:
            return result.tasks[n.id]
        kids = children.get(n.id)
        if n.accepted:
            v = HUNDRED
        elif kids:
            v = _mean([(k.weight, value(k)) for k in kids])
        else:
            v = Decimal(max(0, min(100, n.progress)))
        result.tasks[n.id] = v
        return v

    tops = [n for n in nodes if n.parent_id is None or n.parent_id not in by_id]
    per_area: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for n in tops:
        per_area[n.area].append((n.weight, value(n)))
    for n in nodes:
        value(n)
    result.areas = {area: _mean(pairs) for area, pairs in per_area.items()}
    result.plan = _mean([pair for pairs in per_area.values() for pair in pairs])
    return result
