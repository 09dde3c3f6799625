"""Topic vectors learned from the catalogue's own text, measured as a re-ranking signal of the
search's candidates (docs/search.md, fourteenth round). An evaluation tool, not used by the
ranking: the signal gained on the part tuned on and never on the other.

The vectors are latent semantic analysis of the stored index itself: X is the documents × terms
matrix of the index's BM25F weights times idf (words and the catalogue's pairs, every field),
left out the terms of one procedure only and those of more than `MAX_SHARE` of them; the
eigenvectors of X·Xᵀ (documents × documents) with the `k` largest eigenvalues are the
documents' coordinates. A query's topic is the sum of its RERANK candidates' coordinates
weighted by their scores (X·q, the score vector, projected: no term vectors needed), and each
candidate's final score is raised by `boost` × the cosine of its coordinates with that topic,
in queries of at least `min_words` words. Numpy only (dense X·Xᵀ, then `eigh`): 2,642
procedures take about 7 s of CPU; at 20,000 the Gram matrix alone would be 3.2 GB, so shipping
it would need a randomized SVD over the postings.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from catalog.search import fusion, ranking
from catalog.search.fit import Case, Score
from catalog.search.index import Index

MAX_SHARE = 0.3
CHUNK = 3000


def vectors(index: Index, k: int) -> np.ndarray:
    """The documents' coordinates (documents × k, float32) on the `k` main topics."""
    n = index.size
    terms = [t for t in index.vocab if 2 <= index.df(t) <= MAX_SHARE * n]
    gram = np.zeros((n, n), dtype=np.float64)
    for start in range(0, len(terms), CHUNK):
        chunk = terms[start:start + CHUNK]
        x = np.zeros((n, len(chunk)), dtype=np.float32)
        for j, term in enumerate(chunk):
            docs, weights = index.postings(term)
            x[docs, j] = weights * index.idf(term)
        gram += x @ x.T
    values, found = np.linalg.eigh(gram)
    return found[:, np.argsort(-values)[:k]].astype(np.float32)


def composed(index: Index, p: ranking.Parts, w: dict[str, float], coords: np.ndarray,
             boost: float) -> np.ndarray:
    """Documents best first: `ranking.compose`, each candidate's final score raised by `boost`
    × the cosine of its coordinates with the query's topic (its candidates' coordinates
    weighted by their scores before the second stage)."""
    first = ranking._first_stage(p.raw.copy(), p.in_name, p.in_head, p.possible, p.event, w)
    chosen = ranking._chosen(first)
    if chosen.size == 0:
        return np.zeros(0, dtype=np.int64)
    final = ranking._second_stage(first[chosen], p.in_name[chosen], p.undone[chosen],
                                  p.changed[chosen], p.prior[chosen], p.name_words[chosen], w)
    if p.cosine is not None:  # the fused models, as compose (seventeenth round)
        final = final * fusion.factor(p.cosine[chosen], p.likelihood[chosen],
                                      p.event[chosen] >= 0)
    docs = p.docs[chosen]
    if boost:
        mine = coords[docs]
        topic = mine.T @ p.raw[chosen]
        norms = np.linalg.norm(mine, axis=1) * float(np.linalg.norm(topic))
        cosine = np.divide(mine @ topic, norms, out=np.zeros(docs.size, dtype=np.float32),
                           where=norms > 0)
        final = final * (1 + boost * np.clip(cosine, 0, None))
    return docs[ranking._ordered(index, docs, final, p.said, p.negated)]


@dataclass(frozen=True)
class Trial:
    k: int
    boost: float
    min_words: int


def measure(index: Index, found: list[Case], coords: np.ndarray, trial: Trial) -> Score:
    """top-1 / top-3 / sentences' top-3 of `found` under the signal of `trial`."""
    w = ranking.weights()
    top1 = top3 = sentences3 = 0
    for case in found:
        boost = trial.boost if len(case.query.split()) >= trial.min_words else 0.0
        first = [int(d) for d in composed(index, case.parts, w, coords[:, :trial.k], boost)[:3]]
        hit3 = any(d in case.acceptable for d in first)
        top1 += bool(first) and first[0] in case.acceptable
        top3 += hit3
        sentences3 += hit3 and case.sentence
    return Score(top1, top3, sentences3, len(found))


def grid(ks: Iterable[int], boosts: Iterable[float], min_words: Iterable[int]) -> list[Trial]:
    return [Trial(k, b, m) for k in ks for b in boosts for m in min_words]


def best(scores: dict[Trial, Score], floor: Score) -> Trial | None:
    """The trial of best top-1 that keeps top-3 and the sentences' top-3 at `floor` or above
    (the smallest boost, then the fewest topics, among equals), None if none gains."""
    kept = [(s.top1, -t.boost, -t.k, t) for t, s in scores.items()
            if s.top1 > floor.top1 and s.top3 >= floor.top3 and s.sentences3 >= floor.sentences3]
    return max(kept, key=lambda row: row[:3])[3] if kept else None
