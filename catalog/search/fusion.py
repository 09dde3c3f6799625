"""Two more models of the query, built differently from the BM25F score, fused with it over the
search's candidates (docs/search.md, seventeenth round).

The ranking's score (ranking.py) is one model: BM25F over words and word pairs, with what a
desk officer knows on top. Sixteen rounds tuned it; what it gets wrong on queries nobody tuned
for is where its one view of the text is wrong. Fusing models that are wrong in different
places is the classic robust gain, so two are added, each built from another view of the
catalogue and scoring only the `RERANK` candidates the first model chose:

- *characters*: the cosine of TF-IDF vectors of character n-grams (3 to 5 characters of the
  folded name, within a syllable and across the space between two) of the name and of the
  query's words with their thesaurus wordings. It matches parts of words and of compounds
  ("thanh vien" in "thanh vien gop von"), whatever the syllable pairs of the index say;
- *query likelihood*: the likelihood that the procedure's own text (its name, counted
  `NAME_REPEAT` times, and its result) generates the query's concepts, each by its best
  wording, under a Dirichlet-smoothed language model (Zhai & Lafferty 2001). No saturation, no
  length normalisation by field, no pairs: a probability, where BM25F is a weight.

Each candidate's final score is multiplied by 1 + `CHAR_WEIGHT` · its cosine over the best
candidate's + `LIKELIHOOD_WEIGHT` · its likelihood over the best candidate's: both in [0, 1],
so the fusion can lift a candidate by at most a half and never reorders what both extra models
see alike. The procedures of a life event the query describes take the best candidate's lift.
The vectors are built with the index (index.build) and stored with it.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np

GRAMS = (3, 5)
NAME_REPEAT = 3
# Dirichlet smoothing: the prior's weight in words (a procedure's name × 3 and result run 84
# words at the median). μ 5 and 20, each model's weight 0.1 to 0.3: all 18 settings gained on
# dev, dev2 and dev3 together at top-1, top-3 and in sentences; these are the best together
# where no part lost at top-1 (docs/search.md, seventeenth round).
MU = 20.0
CHAR_WEIGHT = 0.3
LIKELIHOOD_WEIGHT = 0.2


def grams(text: str) -> Counter:
    """Character n-grams (GRAMS) of folded `text`, clauses (" | ") apart, each clause padded
    with a space so that a word's start and end are n-grams of their own."""
    found: Counter = Counter()
    low, high = GRAMS
    for clause in text.split("|"):
        padded = " " + " ".join(clause.split()) + " "
        for n in range(low, high + 1):
            for i in range(len(padded) - n + 1):
                found[padded[i:i + n]] += 1
    return found


def _rows(counted: list[Counter], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """A documents × terms matrix in rows (offsets, ids sorted within a row, counts)."""
    offsets = np.zeros(len(counted) + 1, dtype=np.int64)
    ids, counts = [], []
    for d, c in enumerate(counted):
        row = sorted((vocab.setdefault(t, len(vocab)), n) for t, n in c.items())
        ids += [i for i, _ in row]
        counts += [n for _, n in row]
        offsets[d + 1] = len(ids)
    return offsets, np.array(ids, dtype=np.int32), np.array(counts, dtype=np.float32)


@dataclass
class Models:
    """The two extra models of every document (stored with the index)."""
    gram_vocab: dict[str, int]
    gram_offsets: np.ndarray   # int64: document d's n-grams are [offsets[d], offsets[d + 1])
    gram_ids: np.ndarray       # int32, ascending within a document
    gram_counts: np.ndarray    # float32: how often the name writes it
    word_vocab: dict[str, int]
    word_offsets: np.ndarray
    word_ids: np.ndarray
    word_counts: np.ndarray    # float32: in the name × NAME_REPEAT, plus in the result
    # derived when built or read
    gram_idf: np.ndarray = None        # type: ignore[assignment]
    gram_weights: np.ndarray = None    # type: ignore[assignment]  # tf-idf, each row of norm 1
    word_p: np.ndarray = None          # type: ignore[assignment]  # collection probability
    lengths: np.ndarray = None         # type: ignore[assignment]
    unseen_p: float = 0.0

    def __post_init__(self) -> None:
        size = self.gram_offsets.size - 1
        rows = np.repeat(np.arange(size), np.diff(self.gram_offsets))
        df = np.bincount(self.gram_ids, minlength=len(self.gram_vocab)).astype(np.float64)
        self.gram_idf = (np.log((size + 1) / (df + 1)) + 1).astype(np.float32)
        w = ((1 + np.log(self.gram_counts)) * self.gram_idf[self.gram_ids]).astype(np.float64)
        norms = np.sqrt(np.bincount(rows, weights=w * w, minlength=size))
        self.gram_weights = (w / np.where(norms > 0, norms, 1)[rows]).astype(np.float32)
        words_rows = np.repeat(np.arange(size), np.diff(self.word_offsets))
        self.lengths = np.bincount(words_rows, weights=self.word_counts,
                                   minlength=size).astype(np.float32)
        total = float(self.word_counts.sum()) or 1.0
        self.word_p = (np.bincount(self.word_ids, weights=self.word_counts,
                                   minlength=len(self.word_vocab)) / total).astype(np.float32)
        self.unseen_p = 0.5 / total


def build(names: list[str], results: list[list[str]]) -> Models:
    """The models of documents whose folded names (clauses joined " | ") and result words are
    given."""
    gram_vocab: dict[str, int] = {}
    word_vocab: dict[str, int] = {}
    gram_rows = _rows([grams(n) for n in names], gram_vocab)
    written = []
    for name, result in zip(names, results, strict=True):
        counted = Counter({w: NAME_REPEAT * n
                           for w, n in Counter(name.replace("|", " ").split()).items()})
        counted.update(result)
        written.append(counted)
    word_rows = _rows(written, word_vocab)
    return Models(gram_vocab, *gram_rows, word_vocab, *word_rows)


def arrays(models: Models) -> dict[str, np.ndarray]:
    return {"gram_offsets": models.gram_offsets, "gram_ids": models.gram_ids,
            "gram_counts": models.gram_counts.astype(np.uint8 if models.gram_counts.max(
                initial=0) < 256 else np.float32),
            "word_offsets": models.word_offsets, "word_ids": models.word_ids,
            "word_counts": models.word_counts}


def vocabularies(models: Models) -> dict[str, list[str]]:
    return {"gram_vocab": sorted(models.gram_vocab, key=models.gram_vocab.get),
            "word_vocab": sorted(models.word_vocab, key=models.word_vocab.get)}


def loaded(stored, meta: dict) -> Models:
    return Models({t: i for i, t in enumerate(meta["gram_vocab"])}, stored["gram_offsets"],
                  stored["gram_ids"], stored["gram_counts"].astype(np.float32),
                  {t: i for i, t in enumerate(meta["word_vocab"])}, stored["word_offsets"],
                  stored["word_ids"], stored["word_counts"])


def _gathered(offsets: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the rows of `docs` in a row matrix, and the row (0 … len(docs) − 1) of each."""
    starts, ends = offsets[docs], offsets[docs + 1]
    lengths = ends - starts
    rows = np.repeat(np.arange(docs.size), lengths)
    first = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - first, lengths), rows


def query_grams(models: Models, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The query's n-grams the catalogue writes (ids ascending) and their tf-idf, norm 1."""
    found = sorted((models.gram_vocab[g], n) for g, n in grams(text).items()
                   if g in models.gram_vocab)
    if not found:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    ids = np.array([i for i, _ in found], dtype=np.int32)
    w = (1 + np.log(np.array([n for _, n in found], dtype=np.float64))) * models.gram_idf[ids]
    return ids, (w / np.sqrt((w * w).sum())).astype(np.float32)


def cosines(models: Models, docs: np.ndarray, ids: np.ndarray, weights: np.ndarray
            ) -> np.ndarray:
    """Cosine of each of `docs`' name n-grams with the query's (`query_grams`)."""
    if not ids.size or not docs.size:
        return np.zeros(docs.size, dtype=np.float64)
    # The query's weights spread over the whole n-gram vocabulary: each of the candidates'
    # n-grams is then one lookup (against a binary search of the query's, 1.8 → 0.5 ms a
    # query over 200 candidates).
    spread = np.zeros(len(models.gram_vocab), dtype=np.float32)
    spread[ids] = weights
    at, rows = _gathered(models.gram_offsets, docs)
    return np.bincount(rows, weights=models.gram_weights[at] * spread[models.gram_ids[at]],
                       minlength=docs.size)


def likelihoods(models: Models, docs: np.ndarray,
                concepts: list[tuple[float, list[tuple[str, ...]]]]) -> np.ndarray:
    """Per document, the mean over the query's concepts of the log-likelihood of its best
    wording (a wording's: the mean over its words), each × the concept's weight: `concepts` is
    [(weight, [wording's words, …]), …]."""
    words = sorted({w for _, wordings in concepts for ws in wordings for w in ws})
    if not words or not docs.size:
        return np.zeros(docs.size, dtype=np.float64)
    column = {w: j for j, w in enumerate(words)}
    ids = np.array([models.word_vocab.get(w, -1) for w in words], dtype=np.int64)
    known = ids >= 0
    p = np.where(known, models.word_p[np.maximum(ids, 0)], models.unseen_p).astype(np.float64)
    tf = np.zeros((docs.size, len(words)), dtype=np.float64)
    columns = np.full(len(models.word_vocab), -1, dtype=np.int64)
    columns[ids[known]] = np.flatnonzero(known)
    at, rows = _gathered(models.word_offsets, docs)
    found = columns[models.word_ids[at]]
    hit = found >= 0
    tf[rows[hit], found[hit]] = models.word_counts[at[hit]]
    lengths = models.lengths[docs].astype(np.float64)[:, None]
    logs = np.log((tf + MU * p) / (lengths + MU))
    total = np.zeros(docs.size, dtype=np.float64)
    counted = 0
    for weight, wordings in concepts:
        best = None
        for ws in wordings:
            if not ws:
                continue
            v = weight * logs[:, [column[w] for w in ws]].mean(axis=1)
            best = v if best is None else np.maximum(best, v)
        if best is not None:
            total += best
            counted += 1
    return total / max(counted, 1)


@dataclass
class Query:
    """What the two models read of a query: its words with their thesaurus wordings (for the
    n-grams), and its concepts' weights and wordings (for the likelihood)."""
    text: str
    concepts: list[tuple[float, list[tuple[str, ...]]]]


def query_of(analysis) -> Query:
    """The two models' view of a query.Analysis: its words, then each thesaurus wording as a
    clause of its own."""
    clauses = [" ".join(analysis.words)] + [" ".join(alt.words) for c in analysis.concepts
                                            for alt in c.alternatives[1:]]
    return Query(" | ".join(clauses),
                 [(c.weight, [alt.words for alt in c.alternatives]) for c in analysis.concepts])


def evidence(models: Models, docs: np.ndarray, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """(cosine of n-grams, log-likelihood) of each of `docs` for `query`."""
    ids, weights = query_grams(models, query.text)
    return cosines(models, docs, ids, weights), likelihoods(models, docs, query.concepts)


def factor(cosine: np.ndarray, likelihood: np.ndarray, event: np.ndarray | None = None
           ) -> np.ndarray:
    """What the candidates' final scores are multiplied by: each model's score over the best
    candidate's (the likelihood as a ratio of probabilities), weighted. A procedure of a life
    event the query describes (`event`, true for those) has the best candidate's lift: the
    event's phrase is a third model that found it, and the one the citizen's words least
    share ("vợ tôi vừa sinh con" → "Đăng ký khai sinh") must not lose to the others' lift."""
    out = np.ones(cosine.size, dtype=np.float64)
    if not cosine.size:
        return out
    top = float(cosine.max())
    if top > 0 and CHAR_WEIGHT:
        out += CHAR_WEIGHT * cosine / top
    if LIKELIHOOD_WEIGHT:
        out += LIKELIHOOD_WEIGHT * np.exp(likelihood - likelihood.max())
    if event is not None and event.any():
        out[event] = out.max()
    return out
