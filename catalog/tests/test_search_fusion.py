"""The two models fused with the words' score over the candidates (catalog/search/fusion.py,
docs/search.md seventeenth round)."""

import math

import numpy as np
import pytest

from catalog.models import Field
from catalog.search import find, fusion
from catalog.search.index import current_index, dumps, index_rebuild, loads
from catalog.tests.test_search import _procedure

pytestmark = pytest.mark.django_db

NAMES = [
    "cap giay phep lai xe",
    "dang ky thanh lap cong ty tnhh mot thanh vien",
    "dang ky thay doi thanh vien gop von | cong ty tnhh hai thanh vien tro len",
    "cap lai giay chung nhan quyen su dung dat do bi mat",
]
RESULTS = [["giay", "phep", "lai", "xe"], ["giay", "chung", "nhan"], [], ["giay"]]


def _cosine(a: dict, b: dict) -> float:
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _reference(names: list[str], text: str) -> list[float]:
    """The n-grams' cosine computed the long way, from the definition in fusion.py."""
    counted = [fusion.grams(n) for n in names]
    df: dict[str, int] = {}
    for c in counted:
        for g in c:
            df[g] = df.get(g, 0) + 1
    idf = {g: math.log((len(names) + 1) / (n + 1)) + 1 for g, n in df.items()}

    def vector(c) -> dict:
        v = {g: (1 + math.log(n)) * idf[g] for g, n in c.items() if g in idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    query = vector(fusion.grams(text))
    return [_cosine(query, vector(c)) for c in counted]


def test_the_ngram_cosine_is_the_definitions():
    models = fusion.build(NAMES, RESULTS)
    docs = np.array([3, 0, 2, 1])
    for text in ("cong ty mot thanh vien", "thanhvien", "lai xe | giay phep lai xe", "zzz"):
        ids, weights = fusion.query_grams(models, text)
        found = fusion.cosines(models, docs, ids, weights)
        expected = _reference(NAMES, text)
        assert found == pytest.approx([expected[d] for d in docs], abs=1e-6)


def test_ngrams_match_a_compound_typed_without_its_space():
    # the words' index has no "thanhvien"; its n-grams ("thanh", "hvien") are the name's
    models = fusion.build(NAMES, RESULTS)
    ids, weights = fusion.query_grams(models, "cong ty thanhvien")
    cosine = fusion.cosines(models, np.arange(4), ids, weights)
    assert cosine.argmax() == 1
    assert cosine[1] > 2 * cosine[0]


def test_the_likelihood_reads_each_concept_by_its_best_wording():
    models = fusion.build(NAMES, RESULTS)
    docs = np.arange(4)
    # "sổ đỏ" has the catalogue's wording "giấy chứng nhận quyền sử dụng đất" (thesaurus)
    concepts = [(1.0, [("so", "do"), ("giay", "chung", "nhan", "quyen", "su", "dung", "dat")]),
                (1.0, [("bi",), ("mat",)])]
    scores = fusion.likelihoods(models, docs, concepts)
    assert scores.argmax() == 3
    typed_only = fusion.likelihoods(models, docs, [(1.0, [("so", "do")]), (1.0, [("bi",)])])
    assert scores[3] > typed_only[3]
    # a word the name writes counts NAME_REPEAT times its result's
    name_word = fusion.likelihoods(models, docs, [(1.0, [("xe",)])])
    assert name_word.argmax() == 0


def test_the_lift_is_bounded_and_a_life_events_procedure_takes_the_best():
    cosine = np.array([0.9, 0.3, 0.0, 0.1])
    likelihood = np.array([-2.0, -1.0, -6.0, -9.0])
    lift = fusion.factor(cosine, likelihood)
    assert lift.min() >= 1.0
    assert lift.max() <= 1 + fusion.CHAR_WEIGHT + fusion.LIKELIHOOD_WEIGHT + 1e-9
    assert lift[2] < lift[1] < lift[0]
    event = np.array([False, False, True, False])
    with_event = fusion.factor(cosine, likelihood, event)
    assert with_event[2] == lift.max()
    assert list(with_event[~event]) == list(lift[~event])


@pytest.fixture
def civil():
    justice = {"field": Field.objects.create(name="Hộ tịch"), "level": "xa", "levels": "xa"}
    _procedure("1.004859", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định "
               "lại dân tộc", **justice)
    _procedure("2.000748", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định "
               "lại dân tộc có yếu tố nước ngoài", **justice)
    _procedure("1.001193", "Thủ tục đăng ký khai sinh", **justice)
    _procedure("1.000894", "Thủ tục đăng ký kết hôn", **justice)
    _procedure("1.004222", "Đăng ký thường trú", level="xa", levels="xa")


def test_the_models_are_stored_with_the_index_and_read_back_alike(civil):
    built = index_rebuild()
    read = loads(dumps(built), built.signature)
    docs = np.arange(built.size)
    query = fusion.Query("xac dinh lai dan toc | cai chinh", [(1.0, [("dan", "toc")])])
    for a, b in zip(fusion.evidence(built.models, docs, query),
                    fusion.evidence(read.models, docs, query), strict=True):
        assert a == pytest.approx(b)
    assert current_index(built.signature).models is not None


def test_a_good_match_is_still_what_the_words_make(civil, monkeypatch):
    # the lift says which candidate is closer, not whether the best is a good match: the
    # page's "no good match" help shows for the same queries whatever the lift
    queries = ["sửa lại dân tộc", "xyz abc def ghi jkl mno khai", "con mèo đi lạc",
               "đăng ký kết hôn"]
    words = [find(q).good for q in queries]
    assert words == [True, False, False, True]
    monkeypatch.setattr(fusion, "factor", lambda cosine, *args: np.full(cosine.size, 10.0))
    assert [find(q).good for q in queries] == words
