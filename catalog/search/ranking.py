"""Scoring procedures for a query: BM25F over words and word pairs, then what a desk officer
knows besides the words.

1. Each concept of the query (query.py) scores every procedure by its best alternative:
   Σ idf(t) · w(t, d) over the alternative's words and pairs, scaled so that a perfect match of
   any alternative is worth what a perfect match of the typed words would be (a long official
   wording must not outweigh the rest of the query), times the alternative's factor
   (corrections and unfinished words count a little less). The procedure's score is the sum,
   raised by the share of the query its name says (for a name listing cases, its best case).
2. The best `RERANK` are then adjusted:
   - names starting with "xóa / thu hồi / chấm dứt / hủy / đóng …" (after "Công bố /
     Thông báo / Đề nghị / Quyết định", index.ANNOUNCING), or ending with such an action
     alone ("… (điều chỉnh)"), go down unless the query says so: someone naming a paper
     wants it issued, not struck off;
   - a procedure of a life event the query describes ("vợ tôi vừa sinh con") goes up;
   - how often the procedure is used (popularity.py) breaks near-ties among the names that
     say as much of the query as any does;
   - two more models of the query, built differently (character n-grams of the name, the
     likelihood of the query under the name's and result's words), lift the candidates they
     find closest, by at most a half (fusion.py, seventeenth round);
   - among the first three, a near-duplicate sibling whose own clause the query says goes
     before the one whose clause it does not (siblings.py).
3. Procedures scoring under `FLOOR` of the best are not listed: they share a word, not a need.
"""

from dataclasses import dataclass

import numpy as np

from catalog.search import fusion, tokens
from catalog.search.index import Index
from catalog.search.lexicon import Event, Lexicon
from catalog.search.query import Analysis, Concept, analyse
from catalog.search.siblings import clause_asked_first, negates

RERANK = 200
# How much a name that says everything the query says outranks one that says part of it.
NAME_COVERAGE = 0.5
HEAD_COVERAGE = 0.0
# Weight of a word or pair the catalogue never uses, as a share of the rarest word's.
ABSENT_IDF = 0.5
FLOOR = 0.3
MAX_RESULTS = 200
# "đóng" closes a port, an anchorage, a mine, an account (16 names in force, all "đóng" where
# a name's action starts with "dong": none starts with "động" or "đồng").
UNDO = {("xoa",), ("thu", "hoi"), ("cham", "dut"), ("huy",), ("dinh", "chi"), ("tam", "ngung"),
        ("dung",), ("huy", "bo"), ("mien", "nhiem"), ("tra", "lai"), ("dong",)}
UNDO_PENALTY = 0.15
# Names starting with these change a paper already issued; someone who only names the paper
# most often wants it issued, so they go slightly down unless the query says so.
CHANGE = {("cap", "lai"), ("cap", "doi"), ("gia", "han"), ("dieu", "chinh"), ("sua", "doi"),
          ("thay", "doi"), ("bo", "sung"), ("dang", "ky", "lai"), ("cap", "dieu", "chinh"),
          ("cap", "gia", "han"), ("dinh", "chinh"), ("hieu", "dinh")}
CHANGE_PENALTY = 0.1
EVENT_BOOST = 0.35
EVENT_ORDER = 0.04
# At most this share of a score for the most used procedure (popularity.py), among the names
# that say as much of the query as any (_second_stage). On the two development parts no query
# needs it at any weight (0 to 0.04 give the same figures; 0.05 put the much used "liên thông …
# thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi" before "cấp thẻ bảo hiểm y tế" asked for a police
# officer's family, 0.1 loses two more); 0.02 leaves it the tie-break it is for.
PRIOR_BOOST = 0.02
GENERAL_PRIOR = 0.06
GENERAL_FROM = 6
GENERAL_SPAN = 30
# A score under this share of the query's best possible score is a poor match: the page then
# also offers life events and the most used procedures (views).
GOOD_MATCH = 0.2


def prepare(index: Index) -> None:
    """Number the names' first phrases of UNDO and CHANGE (index.starts) once, when a worker
    takes a new index, rather than in its first search; the index builds the other per-index
    arrays the ranking reads when it is built or read."""
    index.starts(UNDO | CHANGE)


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


def _term_weight(index: Index, term: str) -> float:
    # A word or pair the catalogue never uses weighs like a rare one, not like the rarest
    # possible: a pair such as "làm sai" is often just two words side by side.
    return index.idf(term) if term in index.vocab else ABSENT_IDF * index.idf("")


def _typed_weight(index: Index, concept: Concept) -> float:
    """What the citizen's words are worth: the idf of the words and pairs typed. A thesaurus
    phrase stands for the catalogue's wording, so it weighs halfway between the two: "HTX" is
    worth more than one rare word, "sổ đỏ" less than seven."""
    typed = sum(_term_weight(index, t) for t in concept.alternatives[0].terms())
    if not concept.phrase:
        return typed * concept.weight
    official = max(sum(_term_weight(index, t) for t in alt.terms())
                   for alt in concept.alternatives[1:])
    return concept.weight * (typed + official) / 2


def _alt_in_names(index: Index, alt, where) -> np.ndarray | None:
    words = list(alt.words)
    terms = [" ".join(words)] if alt.pair or len(words) == 1 else tokens.pairs(words)
    docs = None
    for term in terms:
        found = where(term)
        if found is None:
            return None
        docs = found if docs is None else np.intersect1d(docs, found, assume_unique=True)
    return docs


def _name_vector(index: Index, concept: Concept, where) -> np.ndarray:
    """True where some alternative of the concept is in the procedure's name (or its head)."""
    found = np.zeros(index.size, dtype=bool)
    for alt in concept.alternatives:
        docs = _alt_in_names(index, alt, where)
        if docs is not None:
            found[docs] = True
    return found


def _best_case(index: Index, in_name: np.ndarray, in_case: np.ndarray) -> None:
    """A name listing cases apart ("…; cô, cậu, dì, chú, bác ruột nhận cháu làm con nuôi")
    says of the query what its best case says (`in_case`, per case of index.list_cases), not
    the words of all its cases together: its in_name becomes that case's."""
    if not index.case_docs.size:
        return
    best = np.zeros(index.size, dtype=np.float32)
    np.maximum.at(best, index.case_docs, in_case)
    listed = index.case_docs
    in_name[listed] = np.minimum(in_name[listed], best[listed])


def _case_vector(index: Index, concept: Concept) -> np.ndarray:
    """True where some alternative of the concept is in the case (index.list_cases)."""
    found = np.zeros(index.case_docs.size, dtype=bool)
    for alt in concept.alternatives:
        cases = _alt_in_names(index, alt, index.in_cases)
        if cases is not None:
            found[cases] = True
    return found


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


def _starting(index: Index, docs: np.ndarray, phrases: set[tuple[str, ...]]) -> np.ndarray:
    """True for each of `docs` whose name starts with one of `phrases` (of UNDO or CHANGE):
    the phrases each name starts with are numbered once per index (index.starts)."""
    numbers, starts = index.starts(UNDO | CHANGE)
    wanted = [numbers[p] for p in phrases if p in numbers]
    if not wanted:
        return np.zeros(docs.size, dtype=bool)
    return np.isin(starts[docs], wanted).any(axis=1)


def actions_asked(typed: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The undo and change actions the query names: "cấp gia hạn" or "cấp điều chỉnh" too when
    it says "gia hạn" or "điều chỉnh" (names put the "cấp" of issuing before the action), and
    "hủy bỏ" when it says "hủy" (an action that starts with an action the query says)."""
    return {p for p in UNDO | CHANGE
            if p in typed or (p[0] == "cap" and len(p) == 3 and p[1:] in typed)
            or (p[:1] in UNDO | CHANGE and p[:1] in typed)}


def _events(lexicon: Lexicon, words: list[str]) -> list[Event]:
    text = f" {' '.join(words)} "
    return [e for e in lexicon.events
            if any(f" {' '.join(p)} " in text for p in e.phrases)]


# The weights of the score that apply to what `parts` computes per document (so that a fit,
# catalog/search/fit.py, can try others without analysing the queries again). The query's own
# weights (query.py: typos, purpose and context clauses, everyday words; ABSENT_IDF) shape the
# concepts' scores before these: the fit tries them by analysing the queries again.
FITTED = ("NAME_COVERAGE", "HEAD_COVERAGE", "UNDO_PENALTY", "CHANGE_PENALTY", "EVENT_BOOST",
          "EVENT_ORDER", "PRIOR_BOOST", "GENERAL_PRIOR", "GENERAL_FROM", "GENERAL_SPAN")


def weights() -> dict[str, float]:
    """The FITTED weights the ranking uses now (read at each call, so a test may change one)."""
    return {name: float(globals()[name]) for name in FITTED}


@dataclass
class Parts:
    """What a query's score is made of for each of `docs`, before any of the FITTED weights:
    the score is `compose(parts, weights())`. `docs` are every allowed document that scores
    anything (`parts`), or in a search only the RERANK best (`rank`)."""
    docs: np.ndarray             # document numbers, ascending
    raw: np.ndarray              # Σ over the query's concepts of their BM25F scores (float32)
    in_name: np.ndarray          # weight of the concepts the name says (a list name: best case)
    in_head: np.ndarray | None   # the same for the name's head (only when HEAD_COVERAGE counts)
    possible: float              # weight of all the query's concepts
    event: np.ndarray            # position among its life event's procedures, -1 if none
    undone: np.ndarray           # the name starts with an undo action the query does not ask
    changed: np.ndarray          # … with a change action the query does not ask (not undone)
    prior: np.ndarray            # how often it is used (popularity.py), 0 to 1
    name_words: np.ndarray       # words of its name (the prior toward short names)
    said: set[str]               # the query's words and their thesaurus wordings (siblings.py)
    negated: bool = False        # the query negates something ("… không chở hàng …")
    cosine: np.ndarray | None = None      # the two models of fusion.py (None: not fused)
    likelihood: np.ndarray | None = None


def _first_stage(scores: np.ndarray, in_name: np.ndarray, in_head: np.ndarray | None,
                 possible: float, event: np.ndarray | None,
                 w: dict[str, float]) -> np.ndarray:
    """The score before the candidates are chosen, in place of the words' `scores`: the name's
    coverage, the life events' bonus (`event`: None when the query describes none)."""
    if possible > 0:
        coverage = w["NAME_COVERAGE"] * in_name
        if in_head is not None and w["HEAD_COVERAGE"]:
            coverage += w["HEAD_COVERAGE"] * in_head
        scores *= 1 + coverage / possible
    hit = None if event is None else np.flatnonzero(event >= 0)
    if hit is not None and hit.size:
        # The event's procedures go up, its first ones (the most used) a little more.
        top = float(scores.max()) if scores.size else 0.0
        bonus = w["EVENT_BOOST"] * max(top, possible * GOOD_MATCH)
        scores[hit] += (bonus * (1 - w["EVENT_ORDER"] * event[hit].astype(np.float64))
                        ).astype(np.float32)
    return scores


def _chosen(first: np.ndarray) -> np.ndarray:
    """Positions in `first` of the RERANK best that score anything."""
    candidates = np.flatnonzero(first > 0)
    if candidates.size > RERANK:
        part = np.argpartition(-first[candidates], RERANK)[:RERANK]
        candidates = candidates[part]
    return candidates


def _second_stage(first: np.ndarray, in_name: np.ndarray, undone: np.ndarray,
                  changed: np.ndarray, prior: np.ndarray, name_words: np.ndarray,
                  w: dict[str, float]) -> np.ndarray:
    """The candidates' final scores (float64): undo and change actions not asked go down, the
    prior of use among the names saying most, the prior toward short names."""
    final = first.astype(np.float64)
    final[undone] *= 1 - w["UNDO_PENALTY"]
    final[changed] *= 1 - w["CHANGE_PENALTY"]
    # How often a procedure is used says which of two that match the query alike is meant,
    # so it counts only for the names saying as much of the query as any candidate's: it does
    # not say that "HTX tạm ngừng kinh doanh" means the much used "Tạm ngừng kinh doanh … của
    # hộ kinh doanh", whose name lacks what the query says of "hợp tác xã".
    gated = np.where(in_name >= in_name.max() - 1e-6, prior, 0.0)
    final *= 1 + w["PRIOR_BOOST"] * gated
    # Near-duplicate siblings ("… đối với trường hợp …", "… tại khu kinh tế") share the words
    # the citizen typed; the general procedure is the one most people mean, so the longer a
    # name beyond GENERAL_FROM words, the lower it goes, by at most GENERAL_PRIOR.
    final *= 1 - w["GENERAL_PRIOR"] * np.clip((name_words - w["GENERAL_FROM"])
                                              / w["GENERAL_SPAN"], 0, 1)
    return final


def _ordered(index: Index, docs: np.ndarray, final: np.ndarray,
             said: set[str], negated: bool = False) -> np.ndarray:
    """Positions in `docs` best first: by score, then the shorter name, then the code; a
    sibling whose clause the query says first; none under FLOOR of the best."""
    name_length, code_order, _ = index.tie_breaks()
    order = np.lexsort((code_order[docs], name_length[docs], -final))
    order = clause_asked_first(index, docs, final, order, said, negated)
    best = float(final[order[0]])
    return order[final[order] >= FLOOR * best][:MAX_RESULTS]


def _concepts(index: Index, analysis: Analysis, *, head: bool
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, float]:
    scores = np.zeros(index.size, dtype=np.float32)
    in_name = np.zeros(index.size, dtype=np.float32)
    in_case = np.zeros(index.case_docs.size, dtype=np.float32)
    in_head = np.zeros(index.size, dtype=np.float32) if head else None
    possible = 0.0
    for concept in analysis.concepts:
        vector = _concept_vector(index, concept)
        weight = _typed_weight(index, concept)
        possible += weight
        if vector is not None:
            scores += vector
            in_name += weight * _name_vector(index, concept, index.in_names)
            in_case += weight * _case_vector(index, concept)
            if in_head is not None:
                in_head += weight * _name_vector(index, concept, index.in_heads)
    _best_case(index, in_name, in_case)
    return scores, in_name, in_head, possible


def _event_positions(index: Index, events: list[Event], allowed: np.ndarray) -> np.ndarray:
    """Each allowed document's position among the procedures of the life events the query
    describes (the first position where several name it), -1 where none does."""
    positions = np.full(index.size, -1, dtype=np.int64)
    wanted: dict[str, int] = {}
    for event in events:
        for position, code in enumerate(event.codes):
            wanted[code] = min(wanted.get(code, position), position)
    for code, position in wanted.items():
        for d in index.docs_of(code):
            if allowed[d]:
                positions[d] = position
    return positions


def _asked(analysis: Analysis) -> list[list[str]]:
    return [analysis.words] + [list(a.words) for c in analysis.concepts
                               for a in c.alternatives[1:]]


def _actions(index: Index, asked: list[list[str]], docs: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    typed = {tuple(w[i:i + n]) for w in asked for n in (1, 2, 3) for i in range(len(w))}
    undone = _starting(index, docs, UNDO - actions_asked(typed))
    changed = ~undone & _starting(index, docs, CHANGE - actions_asked(typed))
    return undone, changed


def _said(asked: list[list[str]]) -> set[str]:
    return {w for words in asked for w in words}


def parts(query: str, index: Index, lexicon: Lexicon, *, mask: np.ndarray | None = None,
          live: bool = True) -> Parts:
    """What the score of `query` is made of, for every document of `mask` (the procedures in
    force) that scores anything, whatever the weights: for fitting them (fit.py)."""
    analysis = analyse(query, index, lexicon, live=live)
    allowed = index.active if mask is None else mask
    raw, in_name, in_head, possible = _concepts(index, analysis, head=True)
    raw = np.where(allowed, raw, np.float32(0))
    event = _event_positions(index, _events(lexicon, analysis.typed), allowed)
    docs = np.flatnonzero((raw > 0) | (event >= 0))
    asked = _asked(analysis)
    undone, changed = _actions(index, asked, docs)
    cosine = likelihood = None
    if index.models is not None:
        cosine, likelihood = fusion.evidence(index.models, docs, fusion.query_of(analysis))
    return Parts(docs, raw[docs], in_name[docs], in_head[docs], possible, event[docs],
                 undone, changed, index.prior[docs].astype(np.float64),
                 index.tie_breaks()[2][docs], _said(asked), negates(analysis.typed),
                 cosine, likelihood)


def compose(index: Index, p: Parts, w: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(documents best first, their scores) of a query's `parts` under weights `w`: what
    `rank` lists when `w` are its weights and `p.docs` all that score anything."""
    first = _first_stage(p.raw.copy(), p.in_name, p.in_head, p.possible, p.event, w)
    chosen = _chosen(first)
    if chosen.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    final = _second_stage(first[chosen], p.in_name[chosen], p.undone[chosen],
                          p.changed[chosen], p.prior[chosen], p.name_words[chosen], w)
    if p.cosine is not None:
        final = final * fusion.factor(p.cosine[chosen], p.likelihood[chosen],
                                      p.event[chosen] >= 0)
    docs = p.docs[chosen]
    order = _ordered(index, docs, final, p.said, p.negated)
    return docs[order], final[order]


def rank(query: str, index: Index, lexicon: Lexicon, *, mask: np.ndarray | None = None,
         live: bool = True) -> Ranking:
    """Procedures of `index` (those where `mask` is true) best matching `query`: `compose`
    of its `parts`, the parts after the words computed only for the RERANK best."""
    w = weights()
    analysis: Analysis = analyse(query, index, lexicon, live=live)
    events = _events(lexicon, analysis.typed)
    allowed = index.active if mask is None else mask
    # The name's head counts apart only when HEAD_COVERAGE weighs it (0 now: not computed).
    raw, in_name, in_head, possible = _concepts(index, analysis, head=bool(w["HEAD_COVERAGE"]))
    raw = np.where(allowed, raw, np.float32(0))
    event = _event_positions(index, events, allowed) if events else None
    first = _first_stage(raw, in_name, in_head, possible, event, w)
    candidates = _chosen(first)
    if candidates.size == 0:
        return Ranking([], [], events, False, analysis.words)
    # Vectorised over the candidates: the per-index arrays (names' first phrases, name lengths,
    # code order) are computed once per index, not per request.
    asked = _asked(analysis)
    undone, changed = _actions(index, asked, candidates)
    final = _second_stage(first[candidates], in_name[candidates], undone, changed,
                          index.prior[candidates].astype(np.float64),
                          index.tie_breaks()[2][candidates], w)
    words = final
    if index.models is not None:
        final = final * fusion.factor(
            *fusion.evidence(index.models, candidates, fusion.query_of(analysis)),
            None if event is None else event[candidates] >= 0)
    order = _ordered(index, candidates, final, _said(asked), negates(analysis.typed))
    # A good match is one the words make (GOOD_MATCH of what they could score): the two
    # models' lift says which candidate is closer, not how good the best one is.
    best = float(words[order[0]])
    good = possible > 0 and best >= GOOD_MATCH * possible
    return Ranking(candidates[order].tolist(), final[order].tolist(), events, good,
                   analysis.words)
