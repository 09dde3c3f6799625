"""Near-duplicate siblings among the first results (catalog/search/siblings.py): the one whose
own clause the query says goes first; otherwise the scores' order stays."""

import numpy as np

from catalog.search import tokens
from catalog.search.index import name_word_sets
from catalog.search.siblings import clause_asked_first, negates

GUARANTEED = "Thay đổi khoản phát hành trái phiếu quốc tế được Chính phủ bảo lãnh"
NOT_GUARANTEED = "Thay đổi khoản phát hành trái phiếu quốc tế không được Chính phủ bảo lãnh"
OTHER = "Đăng ký khoản vay nước ngoài của doanh nghiệp"
CLOSING = "Công bố đóng cảng, bến thủy nội địa"
CLOSING_FOR_DEFENCE = "Công bố đóng cảng, bến thủy nội địa vì lý do bảo đảm quốc phòng, an ninh"
CARRYING = ("Tàu biển nội địa vào cảng có chở hàng nhập khẩu, hàng quá cảnh hoặc hành khách, "
            "thuyền viên nước ngoài")
NOT_CARRYING = ("Tàu biển vào cảng mà không chở hàng nhập khẩu, hàng quá cảnh hoặc hành khách, "
                "thuyền viên nước ngoài")


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
    moved = clause_asked_first(index, candidates, np.array(scores), order, said,
                               negates(list(tokens.words(query))))
    return [names[i] for i in moved]


def test_the_sibling_whose_clause_the_query_says_goes_first():
    names = [GUARANTEED, NOT_GUARANTEED, OTHER]
    assert _order(names, [10.0, 9.0, 8.0], "thay doi trai phieu quoc te khong bao lanh") == [
        NOT_GUARANTEED, GUARANTEED, OTHER]


def test_the_scores_order_stays_when_the_query_says_neither_clause_or_they_are_not_close():
    names = [CLOSING_FOR_DEFENCE, CLOSING, OTHER]
    assert _order(names, [10.0, 9.0, 8.0], "cong bo dong cang ben thuy noi dia") == names
    names = [GUARANTEED, NOT_GUARANTEED, OTHER]
    assert _order(names, [10.0, 7.0, 6.0], "trai phieu khong bao lanh") == names


def test_names_that_are_not_siblings_keep_their_order():
    names = [OTHER, NOT_GUARANTEED]
    assert _order(names, [10.0, 9.5], "khoan vay khong bao lanh nuoc ngoai") == names


def test_of_two_siblings_one_negated_the_one_of_the_querys_polarity_goes_first():
    # the negated one ("mà không chở hàng") for a query that negates, though the other name
    # says more of the query's words ("nội địa"); the other one for a query that does not,
    # "được bảo lãnh" being what "không được bảo lãnh" is not
    names = [CARRYING, NOT_CARRYING, OTHER]
    assert _order(names, [10.0, 9.0, 8.0], "tau bien noi dia khong cho hang nhap khau") == [
        NOT_CARRYING, CARRYING, OTHER]
    assert _order(names, [10.0, 9.0, 8.0], "tàu biển nội địa chở hàng nhập khẩu") == names
    names = [NOT_GUARANTEED, GUARANTEED, OTHER]
    assert _order(names, [10.0, 9.0, 8.0], "trai phieu quoc te duoc bao lanh") == [
        GUARANTEED, NOT_GUARANTEED, OTHER]


def test_the_khong_of_a_compound_is_no_negation():
    assert negates("tau bien khong cho hang".split())
    assert not negates("cap giay chung nhan dang ky cang hang khong".split())
    assert not negates("quan ly khong gian bien".split())
