"""Scoring procedures for a query: BM25F over words and word pairs, then what a desk officer
knows besides the words.

1. Each concept of the query (query.py) scores every procedure by its best alternative:
   Σ idf(t) · w(t, d) over the alternative's words and pairs, scaled so that a perfect match of
   any alternative is worth what a perfect match of the typed words would be (a long official
   wording must not outweigh the rest of the query), times the alternative's factor
   (corrections and unfinished words count a little less). The procedure's score is the sum.
2. The best `RERANK` are then adjusted:
   - names starting with "xóa / thu hồi / chấm dứt / hủy …" go down unless the query says so:
     someone naming a paper wants it issued, not struck off;
   - a procedure of a life event the query describes ("vợ tôi vừa sinh con") goes up;
   - how often the procedure is used (popularity.py) breaks near-ties.
3. Procedures scoring under `FLOOR` of the best are not listed: they share a word, not a need.
"""

from dataclasses import dataclass

import numpy as np

from catalog.search import tokens
from catalog.search.index import Index
from catalog.search.lexicon import Event, Lexicon
from catalog.search.query import Analysis, Concept, analyse

RERANK = 200
FLOOR = 0.3
MAX_RESULTS = 200
UNDO = {("xoa",), ("thu", "hoi"), ("cham", "dut"), ("huy",), ("dinh", "chi"), ("tam", "ngung"),
        ("dung",), ("huy", "bo"), ("mien", "nhiem"), ("tra", "lai")}
UNDO_PENALTY = 0.15
EVENT_BOOST = 0.35
PRIOR_BOOST = 0.12
# A score under this share of the query's best possible score is a poor match: the page then
# also offers life events and the most used procedures (views).
GOOD_MATCH = 0.2


@dataclass
class Ranking:
    docs: list[int]           # document numbers in the index, best first
    scores: list[float]
    events: list[Event]       # life events the query describes
    good: bool                # the best match is a good one
    words: list[str]


def _alternative_vector(index: Index, terms: list[str]) -> tuple[np.ndarray | None, float]:
    vector, best = None, 0.0
    for term in terms:
        postings = index.postings(term)
        if postings is None:
            continue
        idf = index.idf(term)
        best += idf
        if vector is None:
            vector = np.zeros(index.size, dtype=np.float32)
        docs, weights = postings
        vector[docs] += idf * weights
    return vector, best


def _typed_weight(index: Index, concept: Concept) -> float:
    # What the citizen's words would be worth, had the catalogue used them; a word it never
    # uses weighs like the rarest word.
    terms = concept.alternatives[0].terms()
    return sum(index.idf(t) for t in terms)


def _concept_vector(index: Index, concept: Concept) -> np.ndarray | None:
    weight = _typed_weight(index, concept)
    best = None
    for alt in concept.alternatives:
        vector, top = _alternative_vector(index, alt.terms())
        if vector is None or top <= 0:
            continue
        vector *= alt.factor * weight / top
        best = vector if best is None else np.maximum(best, vector)
    return best


def _starts_with(name: str, phrases: set[tuple[str, ...]]) -> bool:
    words = name.replace("|", " ").split()
    if words[:2] == ["thu", "tuc"]:
        words = words[2:]
    return any(tuple(words[:len(p)]) == p for p in phrases)


def _events(lexicon: Lexicon, words: list[str]) -> list[Event]:
    text = f" {' '.join(words)} "
    return [e for e in lexicon.events
            if any(f" {' '.join(p)} " in text for p in e.phrases)]


def rank(query: str, index: Index, lexicon: Lexicon, *, mask: np.ndarray | None = None,
         live: bool = True) -> Ranking:
    """Procedures of `index` (those where `mask` is true) best matching `query`."""
    analysis: Analysis = analyse(query, index, lexicon, live=live)
    events = _events(lexicon, analysis.words)
    scores = np.zeros(index.size, dtype=np.float32)
    possible = 0.0
    for concept in analysis.concepts:
        vector = _concept_vector(index, concept)
        possible += _typed_weight(index, concept)
        if vector is not None:
            scores += vector
    allowed = index.active if mask is None else mask
    scores = np.where(allowed, scores, 0.0)
    if events:
        wanted = {c for e in events for c in e.codes}
        top = float(scores.max()) if scores.size else 0.0
        bonus = EVENT_BOOST * max(top, possible * GOOD_MATCH)
        for d, code in enumerate(index.codes):
            if code in wanted and allowed[d]:
                scores[d] += bonus
    candidates = np.flatnonzero(scores > 0)
    if candidates.size == 0:
        return Ranking([], [], events, False, analysis.words)
    if candidates.size > RERANK:
        part = np.argpartition(-scores[candidates], RERANK)[:RERANK]
        candidates = candidates[part]
    typed = {tuple(analysis.words[i:i + n]) for n in (1, 2) for i in range(len(analysis.words))}
    undo = UNDO - typed
    final = {}
    for d in candidates.tolist():
        score = float(scores[d])
        if _starts_with(index.names[d], undo):
            score *= 1 - UNDO_PENALTY
        score *= 1 + PRIOR_BOOST * float(index.prior[d])
        final[d] = score
    ordered = sorted(final, key=lambda d: (-final[d], len(index.names[d]), index.codes[d]))
    best = final[ordered[0]]
    kept = [d for d in ordered if final[d] >= FLOOR * best][:MAX_RESULTS]
    good = possible > 0 and best >= GOOD_MATCH * possible
    return Ranking(kept, [final[d] for d in kept], events, good, analysis.words)


def words_of(query: str) -> list[str]:
    return tokens.words(query)
