"""Near-duplicate siblings among the first results (catalog/search/siblings.py): the one whose
own clause the query says goes first; otherwise the scores' order stays."""

import numpy as np

from catalog.search import tokens
from catalog.search.index import name_word_sets
from catalog.search.siblings import clause_asked_first

GUARANTEED = "Thay đổi khoản phát hành trái phiếu quốc tế được Chính phủ bảo lãnh"
NOT_GUARANTEED = "Thay đổi khoản phát hành trái phiếu quốc tế không được Chính phủ bảo lãnh"
OTHER = "Đăng ký khoản vay nước ngoài của doanh nghiệp"


class _Index:
    """What the reordering reads of an index: folded names, their words as the index build
    keeps them, and an idf (1 for every word)."""

    def __init__(self, names: list[str]) -> None:
        self.names = [" | ".join(" ".join(c) for c in tokens.clauses(n)) for n in names]

    def name_words(self, d: int) -> frozenset[str]:
        return name_word_sets([self.names[d]])[0]

    def idf(self, word: str) -> float:
        return 1.0


def _order(names: list[str], scores: list[float], query: str) -> list[str]:
    index = _Index(names)
    candidates = np.arange(len(names))
    order = np.argsort(-np.array(scores), kind="stable")
    said = set(tokens.words(query))
    moved = clause_asked_first(index, candidates, np.array(scores), order, said)
    return [names[i] for i in moved]


def test_the_sibling_whose_clause_the_query_says_goes_first():
    names = [GUARANTEED, NOT_GUARANTEED, OTHER]
    assert _order(names, [10.0, 9.0, 8.0], "thay doi trai phieu quoc te khong bao lanh") == [
        NOT_GUARANTEED, GUARANTEED, OTHER]


def test_the_scores_order_stays_when_the_query_says_neither_clause_or_they_are_not_close():
    names = [NOT_GUARANTEED, GUARANTEED, OTHER]
    # "được" is no clause of its own: a function word
    assert _order(names, [10.0, 9.0, 8.0], "trai phieu quoc te duoc bao lanh") == names
    names = [GUARANTEED, NOT_GUARANTEED, OTHER]
    assert _order(names, [10.0, 7.0, 6.0], "trai phieu khong bao lanh") == names


def test_names_that_are_not_siblings_keep_their_order():
    names = [OTHER, NOT_GUARANTEED]
    assert _order(names, [10.0, 9.5], "khoan vay khong bao lanh nuoc ngoai") == names
