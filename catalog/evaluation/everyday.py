"""How much more a word belongs to everyday speech than to the catalogue, measured as a
weight of the query's words (docs/search.md, fourteenth round). An evaluation tool, not used
by the ranking: the only general-language frequency list of Vietnamese found in a registry
package (wordfreq's) is data under CC BY-SA 4.0, which this Apache-2.0 project does not ship.

A word's everyday-ness is log10(its frequency in general Vietnamese / the share of the
catalogue's procedures that write it): "sông", "làm", "con" are common words the catalogue
seldom writes, "thuế", "giấy", "khai" are the catalogue's own. In a query, each concept of
words (not a thesaurus phrase: its line says what it means) weighs
× (1 − λ · clip((everyday-ness − a) / b, 0, 1)), a pair by the less everyday of its words: a
word of the citizen's situation told in everyday words counts less than the words the
catalogue uses for the need.
"""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from catalog.search import query, ranking
from catalog.search.fit import Score
from catalog.search.index import Index
from catalog.text import fold

# A word the list does not know is rare in general speech.
UNKNOWN = 1e-7


def load_frequencies(path: Path) -> dict[str, float]:
    """Word → frequency (a share of all words) from a UTF-8 file of "word<TAB>frequency"
    lines; words folded as the index folds them, the frequencies of words that fold alike
    summed ("bão", "báo", "bào" are all "bao" to the index)."""
    found: dict[str, float] = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            word, _, value = line.rstrip("\n").partition("\t")
            try:
                frequency = float(value)
            except ValueError:
                raise ValueError(f"Dòng {number}: cần \"từ<TAB>tần suất\".") from None
            folded = fold(word.strip().lower())
            if folded:
                found[folded] = found.get(folded, 0.0) + frequency
    return found


@dataclass(frozen=True)
class Scale:
    a: float      # everyday-ness from which a word starts counting less
    b: float      # … and over which it reaches the full λ
    lam: float    # the most a word loses

    def factor(self, index: Index, frequencies: dict[str, float], words: tuple[str, ...]
               ) -> float:
        share = min(self.level(index, frequencies, w) for w in words)
        return 1 - self.lam * share

    def level(self, index: Index, frequencies: dict[str, float], word: str) -> float:
        general = frequencies.get(word, UNKNOWN)
        catalogue = (index.df(word) + 0.5) / index.size
        return min(1.0, max(0.0, (math.log10(general / catalogue) - self.a) / self.b))


@contextmanager
def scaled(index: Index, frequencies: dict[str, float], scale: Scale) -> Iterator[None]:
    """`ranking.parts` analyses queries with their words weighed by `scale` for the time of
    the block (one thread: a command, never a server's worker)."""
    plain = ranking.analyse

    def analyse(text: str, idx: Index, lexicon, *, live: bool = True) -> query.Analysis:
        analysis = plain(text, idx, lexicon, live=live)
        for concept in analysis.concepts:
            if not concept.phrase and concept.typed:
                concept.weight *= scale.factor(index, frequencies, concept.typed)
        return analysis

    ranking.analyse = analyse
    try:
        yield
    finally:
        ranking.analyse = plain


def grid(starts: list[float], spans: list[float], lams: list[float]) -> list[Scale]:
    return [Scale(a, b, lam) for a in starts for b in spans for lam in lams]


def best(scores: dict[Scale, Score], floor: Score) -> Scale | None:
    """The scale of best top-1 that keeps top-3 and the sentences' top-3 at `floor` or above
    (the smallest λ, then the highest start, among equals), None if none gains."""
    kept = [(s.top1, -t.lam, t.a, t) for t, s in scores.items()
            if s.top1 > floor.top1 and s.top3 >= floor.top3 and s.sentences3 >= floor.sentences3]
    return max(kept, key=lambda row: row[:3])[3] if kept else None
