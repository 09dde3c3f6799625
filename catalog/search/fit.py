"""Fitting the ranking's weights together (docs/search.md, thirteenth round).

Twelve rounds moved one weight at a time. Here the FITTED weights of ranking.py move in one
search: each query of a development set is analysed once (`ranking.parts`: what its score is
made of, per document), and any set of weights is then measured by composing those parts
again (`ranking.compose`, the very arithmetic `rank` does), without analysing anything. The
query's own weights (QUERY_STEPS) are fitted by analysing the queries again for each value.

Three deterministic searches, each from today's weights and held near them: `fit`, a
coordinate ascent on a grid (each weight tries up to `REACH` steps of STEPS either way, the
others held; the best move is kept if it raises the objective; passes repeat until one keeps
nothing); `pairwise`, a gradient descent of a logistic loss on pairs (acceptable procedure
against the best others); `directions`, every weight at once along directions drawn once. The
objective is top-1, less `PENALTY` × the squared distance from today's weights counted in
steps, so that a weight moves far only for many queries, not to turn one; a move may not lower
top-3 nor the sentences' top-3 below where they started.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from catalog.search import fusion, query, ranking
from catalog.search.index import Index
from catalog.search.lexicon import Lexicon

# One step of each weight, and the bounds it stays within.
STEPS = {
    "NAME_COVERAGE": (0.05, 0.0, 2.0),
    "HEAD_COVERAGE": (0.05, 0.0, 1.0),
    "UNDO_PENALTY": (0.025, 0.0, 0.5),
    "CHANGE_PENALTY": (0.02, 0.0, 0.4),
    "EVENT_BOOST": (0.05, 0.0, 1.0),
    "EVENT_ORDER": (0.01, 0.0, 0.2),
    "PRIOR_BOOST": (0.01, 0.0, 0.2),
    "GENERAL_PRIOR": (0.01, 0.0, 0.2),
    "GENERAL_FROM": (1.0, 0.0, 20.0),
    "GENERAL_SPAN": (5.0, 5.0, 80.0),
}
# The query's weights (query.py, and ranking.ABSENT_IDF): they shape each concept's score, so
# each trial of one analyses the queries again (about a second for 352, against a tenth for
# the weights above); fitted only when the queries are given (`fit(…, items=…)`).
QUERY_STEPS = {
    "TYPO_FACTOR": (0.05, 0.3, 1.0),
    "PREFIX_FACTOR": (0.05, 0.3, 1.0),
    "SKIP_FACTOR": (0.05, 0.3, 1.0),
    "EVERYDAY_FACTOR": (0.05, 0.0, 1.0),
    "PURPOSE_WEIGHT": (0.05, 0.2, 1.0),
    "CONTEXT_WEIGHT": (0.05, 0.2, 1.0),
    "ABSENT_IDF": (0.05, 0.1, 1.0),
}
REACH = 4
# A query at top-1 is worth three steps of one weight from today's (1 > 0.1 × 3²), not four.
PENALTY = 0.1
MAX_PASSES = 12
SENTENCE = "cau_nhu_cau"


@dataclass
class Case:
    query: str
    parts: ranking.Parts
    acceptable: frozenset[int]   # document numbers of the acceptable procedures
    sentence: bool               # a need said in a sentence (the kind issue #15 counts apart)


@dataclass(frozen=True)
class Score:
    top1: int
    top3: int
    sentences3: int
    queries: int

    def row(self) -> str:
        return f"{self.top1} / {self.top3} / {self.sentences3} (of {self.queries})"


def _module(name: str):
    return ranking if name == "ABSENT_IDF" else query


def query_weights() -> dict[str, float]:
    """The QUERY_STEPS weights as the modules have them now."""
    return {name: float(getattr(_module(name), name)) for name in QUERY_STEPS}


@contextmanager
def analysed_with(values: dict[str, float]) -> Iterator[None]:
    """The query's weights set to `values` for the time of the block (one thread: the fit's
    command, never a server's worker)."""
    saved = query_weights()
    try:
        for name, value in values.items():
            setattr(_module(name), name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(_module(name), name, value)


def cases(items: Iterable[dict], index: Index, lexicon: Lexicon) -> list[Case]:
    """Each query of a set (measure.load_queries) analysed once, among the procedures in force."""
    found = []
    for item in items:
        docs = frozenset(d for code in item["acceptable"] for d in index.docs_of(code))
        found.append(Case(item["query"], ranking.parts(item["query"], index, lexicon), docs,
                          item.get("kind") == SENTENCE))
    return found


def measure(index: Index, found: list[Case], weights: dict[str, float]) -> Score:
    top1 = top3 = sentences3 = 0
    for case in found:
        docs, _ = ranking.compose(index, case.parts, weights)
        first = [int(d) for d in docs[:3]]
        hit3 = any(d in case.acceptable for d in first)
        top1 += bool(first) and first[0] in case.acceptable
        top3 += hit3
        sentences3 += hit3 and case.sentence
    return Score(top1, top3, sentences3, len(found))


def distance(weights: dict[str, float], start: dict[str, float]) -> float:
    """Squared distance from `start`, in steps."""
    steps = {**STEPS, **QUERY_STEPS}
    return sum(((weights[n] - start[n]) / steps[n][0]) ** 2 for n in weights if n in steps)


def _grid(name: str, value: float, reach: int) -> list[float]:
    step, low, high = {**STEPS, **QUERY_STEPS}[name]
    values = [round(value + k * step, 6) for k in range(-reach, reach + 1) if k]
    return [v for v in values if low <= v <= high]


def fit(index: Index, found: list[Case], start: dict[str, float] | None = None, *,
        penalty: float = PENALTY, reach: int = REACH, items: list[dict] | None = None,
        lexicon: Lexicon | None = None,
        log: Callable[[str], None] = lambda line: None) -> tuple[dict[str, float], Score]:
    """The weights the coordinate ascent ends on for `found` (the queries `items` analysed,
    whose QUERY_STEPS weights are fitted too when `items` and `lexicon` are given), and their
    score on it."""
    start = dict(start or ranking.weights())
    names = list(STEPS)
    if items is not None and lexicon is not None:
        start = {**query_weights(), **start}
        names += list(QUERY_STEPS)
    floor = measure(index, found, start)
    current, score = dict(start), floor

    def objective(s: Score, w: dict[str, float]) -> float:
        return s.top1 - penalty * distance(w, start)

    def trial_cases(w: dict[str, float]) -> list[Case]:
        with analysed_with({n: w[n] for n in QUERY_STEPS}):
            return cases(items, index, lexicon)

    for number in range(1, MAX_PASSES + 1):
        moved = False
        for name in names:
            best = best_score = best_found = None
            for value in _grid(name, current[name], reach):
                trial = {**current, name: value}
                analysed = trial_cases(trial) if name in QUERY_STEPS else found
                s = measure(index, analysed, trial)
                if s.top3 < floor.top3 or s.sentences3 < floor.sentences3:
                    continue
                if objective(s, trial) > objective(best_score or score,
                                                   best or current) + 1e-9:
                    best, best_score, best_found = trial, s, analysed
            if best is not None:
                log(f"pass {number}: {name} {current[name]:g} → {best[name]:g}: "
                    f"{best_score.row()}")
                current, score, found, moved = best, best_score, best_found, True
        if not moved:
            break
    return current, score


def changed(weights: dict[str, float], start: dict[str, float]) -> dict[str, float]:
    return {n: v for n, v in weights.items() if not np.isclose(v, start[n])}


# The pairwise fit: each query's best scoring acceptable procedure against the PAIRS best others,
# a logistic loss on the log of their scores' ratio in units of TEMPERATURE (5 % of a score is
# one unit), plus RIDGE × the squared distance from today's weights in steps.
PAIRS = 5
TEMPERATURE = 0.05
RIDGE = 0.5
DESCENT = 60


def _all_scores(case: Case, weights: dict[str, float]) -> np.ndarray:
    """Final scores of every document of the case's parts (not only the RERANK best)."""
    p = case.parts
    first = ranking._first_stage(p.raw.copy(), p.in_name, p.in_head, p.possible, p.event, weights)
    final = ranking._second_stage(first, p.in_name, p.undone, p.changed, p.prior,
                                  p.name_words, weights)
    if p.cosine is not None:
        # the fused models (fusion.py), their evidence over the best of every document here
        # where `compose` takes it over the RERANK candidates': near enough for the loss
        final = final * fusion.factor(p.cosine, p.likelihood, p.event >= 0)
    return final


def pair_loss(found: list[Case], weights: dict[str, float], pairs: int = PAIRS) -> float:
    loss = 0.0
    for case in found:
        if not case.parts.docs.size:
            continue
        final = _all_scores(case, weights)
        acceptable = np.isin(case.parts.docs, list(case.acceptable))
        if not acceptable.any() or acceptable.all():
            continue
        best = final[acceptable].max()
        others = np.sort(final[~acceptable])[-pairs:]
        if best <= 0:
            continue
        margin = (np.log(best) - np.log(np.maximum(others, 1e-12))) / TEMPERATURE
        loss += float(np.logaddexp(0.0, -margin).sum())
    return loss


def pairwise(index: Index, found: list[Case], start: dict[str, float] | None = None, *,
             penalty: float = PENALTY, ridge: float = RIDGE, pairs: int = PAIRS,
             log: Callable[[str], None] = lambda line: None) -> tuple[dict[str, float], Score]:
    """Gradient descent of the pairwise loss from today's weights (every weight at once, in
    steps of STEPS, central differences); of the weights it passes through, the one of best
    top-1 less `penalty` × distance that loses nothing at top-3 nor in sentences."""
    start = dict(start or ranking.weights())
    names = list(STEPS)
    scale = np.array([STEPS[n][0] for n in names])
    low = np.array([STEPS[n][1] for n in names])
    high = np.array([STEPS[n][2] for n in names])
    origin = np.array([start[n] for n in names])

    def at(u: np.ndarray) -> dict[str, float]:
        return {**start, **dict(zip(names, np.clip(origin + u * scale, low, high).tolist(),
                                    strict=True))}

    def objective(u: np.ndarray) -> float:
        return pair_loss(found, at(u), pairs) + ridge * float(u @ u)

    floor = measure(index, found, start)
    best_w, best_s = start, floor
    best_value = float(floor.top1)
    u = np.zeros(len(names))
    rate = 0.5
    value = objective(u)
    for number in range(1, DESCENT + 1):
        gradient = np.array([(objective(u + 0.05 * e) - objective(u - 0.05 * e)) / 0.1
                             for e in np.eye(len(names))])
        norm = float(np.linalg.norm(gradient))
        if norm < 1e-9:
            break
        trial = u - rate * gradient / norm
        trial_value = objective(trial)
        if trial_value >= value:
            rate /= 2
            if rate < 0.01:
                break
            continue
        u, value = trial, trial_value
        w = at(u)
        s = measure(index, found, w)
        log(f"step {number}: loss {value:.2f}, {s.row()}, distance {distance(w, start):.2f}")
        if s.top3 >= floor.top3 and s.sentences3 >= floor.sentences3:
            candidate = s.top1 - penalty * distance(w, start)
            if candidate > best_value + 1e-9:
                best_w, best_s, best_value = w, s, candidate
    log(f"descent ends at {changed(at(u), start)}")
    return best_w, best_s


def directions(index: Index, found: list[Case], start: dict[str, float] | None = None, *,
               penalty: float = PENALTY, count: int = 200, radii: tuple[int, ...] = (1, 2, 3),
               log: Callable[[str], None] = lambda line: None) -> tuple[dict[str, float], Score]:
    """Every weight at once along `count` directions drawn once (seed 0: the same every run),
    each tried at `radii` steps from today's weights: what a move of several weights together
    does that no move of one does. The best by the objective of `fit`."""
    start = dict(start or ranking.weights())
    names = list(STEPS)
    scale = np.array([STEPS[n][0] for n in names])
    low = np.array([STEPS[n][1] for n in names])
    high = np.array([STEPS[n][2] for n in names])
    origin = np.array([start[n] for n in names])
    drawn = np.random.default_rng(0).normal(size=(count, len(names)))
    drawn /= np.linalg.norm(drawn, axis=1, keepdims=True)
    floor = measure(index, found, start)
    best_w, best_s, best_value = start, floor, float(floor.top1)
    for direction in drawn:
        for radius in radii:
            values = np.clip(origin + radius * direction * scale, low, high)
            w = {**start, **dict(zip(names, values.tolist(), strict=True))}
            s = measure(index, found, w)
            if s.top3 < floor.top3 or s.sentences3 < floor.sentences3:
                continue
            value = s.top1 - penalty * distance(w, start)
            if value > best_value + 1e-9:
                log(f"radius {radius}: {s.row()}, distance {distance(w, start):.2f}")
                best_w, best_s, best_value = w, s, value
    return best_w, best_s
