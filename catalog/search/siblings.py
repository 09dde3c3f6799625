"""Near-duplicate siblings: the catalogue has many procedures whose names differ only by a
clause ("Thay đổi khoản phát hành trái phiếu quốc tế được Chính phủ bảo lãnh" / "… không được
Chính phủ bảo lãnh", "Công bố đóng cảng, bến thủy nội địa" / "… vì lý do bảo đảm quốc phòng,
an ninh"). BM25 weighs the clause's words by how rare they are in the whole catalogue, so a
frequent word that is the whole difference ("không", "bến") counts little, and the shorter
sibling wins on its length. Between two such siblings scored close together among the first
results, the one whose own words (those the other's name lacks) the query says goes first.

Where one of two such siblings is negated and the other not ("… mà không chở hàng nhập khẩu" /
"… có chở hàng nhập khẩu", "… không được Chính phủ bảo lãnh" / "… được …"), the polarity of
the query decides (fifteenth round): a query that says "không" wants the negated one, one that
does not the other, whatever else either name repeats of the query.

Only the order of the first SIBLING_TOP changes, and only between siblings; a query that says
the words of neither clause, or of both, keeps the order of the scores (the sixth round tried
preferring the sibling with the lighter clause then: it traded one development part for the
other, docs/search.md).
"""

import numpy as np

from catalog.search.index import Index

SIBLING_TOP = 3
# Close in score: within this share of the better one.
SIBLING_RATIO = 0.8
# Siblings: the words the two names share weigh (by idf) at least this share of all their words.
SIBLING_SHARE = 0.7


def _weight(index: Index, words: frozenset[str]) -> float:
    return sum(index.idf(w) for w in words)


# "không" of a compound ("hàng không", "không gian", "không khí" …) is not a negation.
_NOT_NEGATING_BEFORE = {"hang"}
_NOT_NEGATING_AFTER = {"gian", "khi", "quan", "anh", "luu", "phan", "lo", "hang"}


def negates(words: list[str]) -> bool:
    """Whether folded `words` hold a "không" that negates ("… mà không chở hàng nhập khẩu",
    "… không được Chính phủ bảo lãnh"), not one of a compound ("cảng hàng không")."""
    return any(w == "khong" and (i == 0 or words[i - 1] not in _NOT_NEGATING_BEFORE)
               and (i + 1 == len(words) or words[i + 1] not in _NOT_NEGATING_AFTER)
               for i, w in enumerate(words))


def _asked_first(index: Index, a: int, b: int, said: set[str], negated: bool) -> bool:
    """Whether document b, a sibling of a, has a clause the query says and a's does not; or,
    where one of the two names is negated ("… mà không chở hàng …" / "… có chở hàng …") and
    the other is not, whether b's polarity is the query's (`negated`)."""
    # each name's words, function words and "thủ tục" left out (index.NAME_NEUTRAL)
    wa, wb = index.name_words(a), index.name_words(b)
    union = _weight(index, wa | wb)
    if not union or _weight(index, wa & wb) < SIBLING_SHARE * union:
        return False
    # most names say no "không": the substring test spares them the pass over their words
    na, nb = (("khong" in index.names[d] and negates(index.names[d].split())) for d in (a, b))
    if na != nb:
        return nb == negated
    return _weight(index, (wb - wa) & said) > _weight(index, (wa - wb) & said)


def clause_asked_first(index: Index, candidates: np.ndarray, final: np.ndarray,
                       order: np.ndarray, said: set[str], negated: bool = False) -> np.ndarray:
    """`order` (positions in `candidates`, best first) with, among its first SIBLING_TOP, a
    sibling whose clause the query says (`said`: its words and their thesaurus wordings)
    moved before a close sibling whose clause it does not say."""
    top = [int(x) for x in order[:SIBLING_TOP]]
    # Each pass moves one sibling up; bounded, since three names could move in a circle (each
    # saying what the next does not), and then the scores' order stays.
    for _ in range(SIBLING_TOP * SIBLING_TOP):
        moved = next(((i, j) for i in range(len(top)) for j in range(i + 1, len(top))
                      if final[top[j]] >= SIBLING_RATIO * final[top[i]]
                      and _asked_first(index, int(candidates[top[i]]),
                                       int(candidates[top[j]]), said, negated)), None)
        if moved is None:
            break
        i, j = moved
        top.insert(i, top.pop(j))
    else:
        return order
    return np.concatenate([np.array(top, dtype=order.dtype), order[SIBLING_TOP:]])
