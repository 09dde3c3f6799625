"""Finding the procedure a citizen means: the one search behind the public catalogue, the
counter's picker and `/api/v1/procedures/?q=` (docs/search.md has the method and the figures).

- tokens.py: folded syllables and syllable pairs (Vietnamese compounds);
- index.py: BM25F weights per field (name ≫ field, result ≫ who and where ≫ conditions and
  steps), built at import or edit, stored in the database for every worker;
- lexicon.py: the thesaurus (everyday words and abbreviations → the catalogue's words) and the
  life events, both data that administrators edit;
- query.py: what the query asks for, with spelling corrections and unfinished last words;
- ranking.py: the score, then undo verbs, life events and popularity;
- popularity.py: the installation's dossier counts, or a shipped prior on a fresh install.

The ranking runs in Python on the same stored data whatever the database, so SQLite and
PostgreSQL give the same order.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql.where import WhereNode

from catalog.models import Procedure
from catalog.search.index import current_index, signatures
from catalog.search.lexicon import Event, current_lexicon
from catalog.search.ranking import Ranking, prepare, rank

# Longer queries are cut here: no procedure name needs more, and the ranking's cost grows with
# the words (the page says so, the API refuses with a message).
MAX_QUERY_CHARS = 200
_CODE = re.compile(r"^\d+\.\d{3,}$")


@dataclass
class Found:
    pks: list[int]
    events: list[Event]
    good: bool


def is_code(query: str) -> bool:
    return bool(_CODE.match(query.strip()))


def find(query: str, *, active_only: bool = True, within: Iterable[int] | None = None,
         live: bool = True) -> Found:
    """Primary keys of the procedures best matching `query`, best first; `within` limits them
    to those keys (the page's filters)."""
    query = query.strip()[:MAX_QUERY_CHARS]
    catalog_signature, lexicon_signature = signatures()
    index = current_index(catalog_signature)
    prepare(index)
    lexicon = current_lexicon(lexicon_signature)
    mask = index.active if active_only else np.ones(index.size, dtype=bool)
    if within is not None:
        mask = mask & np.isin(index.pks, np.fromiter(within, dtype=np.int64))
    ranking: Ranking = rank(query, index, lexicon, mask=mask, live=live)
    return Found(pks=[int(index.pks[d]) for d in ranking.docs], events=ranking.events,
                 good=ranking.good)


class RankedQuerySet(QuerySet):
    """Procedures in the order the ranking gave. The keys and their order are known before
    any SQL, so counting them reads nothing and a page (a slice) reads only its own rows: at
    20,000 procedures reading the 200 ranked rows to sort them in SQL took 12–16 ms on SQLite,
    a page of 20 takes about 1 ms. Once narrowed by another filter it is an ordinary query."""

    def _ranked(self) -> list[int] | None:
        query = self.query
        pks = getattr(query, "ranked_pks", None)
        if (pks is None or len(query.where.children) != 1 or query.low_mark
                or query.high_mark is not None or tuple(query.order_by) != ("search_rank",)
                or query.distinct or query.combinator):
            return None
        return pks

    def count(self) -> int:
        pks = self._ranked()
        return len(pks) if pks is not None else super().count()

    def __getitem__(self, k):
        pks = self._ranked()
        if (pks is not None and isinstance(k, slice) and k.step is None
                and (k.start or 0) >= 0 and (k.stop is None or k.stop >= 0)):
            # The page's statement names only the page's keys: with the whole ranked list's
            # 200 keys in its IN and its CASE, building and running it took 2.35 ms at p50
            # for 20 rows at 20,000 procedures on SQLite; with the page's own, 1.7 ms.
            page = pks[k]
            if not page:
                return self.none()
            clone = self._chain()
            clone.query.where = WhereNode()
            clone = clone.filter(_keys_in(page))
            clone.query.annotations["search_rank"] = _rank_case(page)
            clone.query.ranked_pks = list(page)
            return clone
        return super().__getitem__(k)


_KEY = f"{Procedure._meta.db_table}.id"


# The keys are the ranking's integers, written into the SQL as numbers: `pk__in` prepared each
# of the 200 values through the field (0.6 ms a search at 20,000 procedures) for a list the
# page then replaced with its own.
def _keys_in(pks: list[int]) -> RawSQL:
    return RawSQL(f"{_KEY} IN ({', '.join(str(int(pk)) for pk in pks)})", (),
                  output_field=BooleanField())


def _rank_case(pks: list[int]) -> RawSQL:
    return RawSQL("CASE " + " ".join(f"WHEN {_KEY} = {int(pk)} THEN {i}"
                                     for i, pk in enumerate(pks)) + " END", ())


def in_order(pks: list[int]) -> QuerySet[Procedure]:
    """The procedures with these keys, in this order."""
    if not pks:
        return Procedure.objects.none()
    qs = (RankedQuerySet(Procedure).filter(_keys_in(pks))
          .annotate(search_rank=_rank_case(pks)).order_by("search_rank"))
    qs.query.ranked_pks = list(pks)
    return qs


def procedures_search(qs: QuerySet[Procedure], query: str, *,
                      narrowed: bool = True) -> QuerySet[Procedure]:
    """`qs` narrowed to the procedures matching `query`, best first. A procedure code finds
    that code; a query with no word changes nothing. `narrowed=False` says `qs` is every
    procedure in force, which spares reading its keys."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if is_code(query):
        return qs.filter(code=query).order_by("code", "-version")
    from catalog.search.tokens import words

    if not words(query):
        return qs
    found = find(query, active_only=not narrowed,
                 within=qs.values_list("pk", flat=True) if narrowed else None)
    return in_order(found.pks)
