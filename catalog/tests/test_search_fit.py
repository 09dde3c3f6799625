"""The ranking's score as its parts (ranking.parts / compose) and the fit of its weights
(fit.py, `manage.py search_fit`): docs/search.md, thirteenth round."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from catalog.search import fit, ranking
from catalog.search.index import current_index, index_rebuild, signatures
from catalog.search.lexicon import current_lexicon
from catalog.tests.test_search import _procedure, catalog  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Queries that take every part: an undo and a change action not asked, a life event, the prior
# of use, long names (the prior toward short names), a thesaurus line, a list of cases.
QUERIES = ["thuong tru", "xoa thuong tru", "dang ky khai sinh", "vợ tôi vừa sinh em bé",
           "làm lại sổ đỏ bị mất", "cấp lại sổ bhxh", "giấy chứng nhận quyền sử dụng đất",
           "cong ty 1 thanh vien", "ho chieu", "khai sinh luu dong cho con"]


@pytest.fixture
def more(catalog):  # noqa: F811
    _procedure("9.000101", "Cấp lại giấy chứng nhận đăng ký thường trú do bị mất, hư hỏng hoặc "
                           "thay đổi thông tin trên giấy chứng nhận đối với trường hợp đặc biệt")
    _procedure("9.000102", "Đăng ký khai sinh; đăng ký khai sinh cho trẻ em bị bỏ rơi; đăng ký "
                           "khai sinh lưu động")
    index_rebuild(prior_of={"1.001193": 1.0, "1.004222": 0.5, "9.000101": 0.2})
    return catalog


def _search_tools():
    catalog_signature, lexicon_signature = signatures()
    index = current_index(catalog_signature)
    ranking.prepare(index)
    return index, current_lexicon(lexicon_signature)


def _same(index, lexicon, weights):
    for query in QUERIES:
        ranked = ranking.rank(query, index, lexicon)
        docs, scores = ranking.compose(index, ranking.parts(query, index, lexicon), weights)
        assert ranked.docs, query
        assert docs.tolist() == ranked.docs, query
        assert scores.tolist() == ranked.scores, query   # the same floats, not close ones


def test_the_parts_compose_to_the_ranking_score_exactly(more, monkeypatch):
    index, lexicon = _search_tools()
    _same(index, lexicon, ranking.weights())
    # and under other weights, the name's head counted too (computed only when it weighs)
    other = {**ranking.weights(), "HEAD_COVERAGE": 0.3, "NAME_COVERAGE": 0.9,
             "EVENT_BOOST": 0.6, "CHANGE_PENALTY": 0.3, "PRIOR_BOOST": 0.5,
             "GENERAL_PRIOR": 0.2, "GENERAL_FROM": 3}
    for name, value in other.items():
        monkeypatch.setattr(ranking, name, value)
    assert ranking.weights() == other
    _same(index, lexicon, other)


def _case(index, raw: list[float], changed: list[bool], acceptable: int) -> fit.Case:
    n = len(raw)
    parts = ranking.Parts(
        docs=np.arange(n), raw=np.array(raw, dtype=np.float32),
        in_name=np.zeros(n, dtype=np.float32), in_head=np.zeros(n, dtype=np.float32),
        possible=1.0, event=np.full(n, -1), undone=np.zeros(n, dtype=bool),
        changed=np.array(changed), prior=np.zeros(n), name_words=np.zeros(n), said=set())
    return fit.Case("q", parts, frozenset({acceptable}), False)


def test_the_fit_moves_a_weight_only_as_far_as_the_queries_it_gains_pay_for(more):
    index, _ = _search_tools()
    today = ranking.weights()
    # The acceptable document 1 changes a paper and scores 5 % above document 0 before the
    # change penalty (0.1): a penalty of 0.04 puts it first, three steps of 0.02 away.
    near = [_case(index, [1.0, 1.05], [False, True], 1)]
    assert fit.measure(index, near, today).top1 == 0
    weights, score = fit.fit(index, near, today)
    assert score.top1 == 1
    assert fit.changed(weights, today) == {"CHANGE_PENALTY": pytest.approx(0.04)}
    # 3 % above needs 0.02, four steps: 0.1 × 4² = 1.6 is more than the one query it turns
    far = [_case(index, [1.0, 1.03], [False, True], 1)]
    weights, score = fit.fit(index, far, today)
    assert score.top1 == 0 and fit.changed(weights, today) == {}
    # with a tenth of the penalty it would
    assert fit.fit(index, far, today, penalty=0.01)[1].top1 == 1


def test_search_fit_prints_each_fit_measured_on_the_other_part(more, tmp_path):
    for name, lines in (("a", [("thuong tru", "1.004222"), ("ho chieu", "1.001456")]),
                        ("b", [("dang ky khai sinh", "1.001193")])):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(
            json.dumps({"query": q, "acceptable": [c]}) for q, c in lines), encoding="utf-8")
    out = StringIO()
    call_command("search_fit", tmp_path / "a.jsonl", tmp_path / "b.jsonl", stdout=out)
    text = out.getvalue()
    assert "hôm nay, a: 2 / 2 / 0 (of 2)" in text
    assert "khớp trên a:" in text and "khớp trên b:" in text and "khớp trên a+b:" in text
    assert "→ b: 1 / 1 / 0 (of 1)" in text
    for method in (["--pairwise"], ["--directions", "5"], ["--query-weights"]):
        out = StringIO()
        call_command("search_fit", tmp_path / "a.jsonl", tmp_path / "b.jsonl", *method,
                     stdout=out)
        # nothing to gain on queries already first: every method leaves the weights
        assert out.getvalue().count("trọng số đổi: không") == 3, method


def test_the_query_weights_are_tried_by_analysing_again_and_restored(more, monkeypatch):
    index, lexicon = _search_tools()
    from catalog.search import query

    def factors(text: str) -> set[float]:
        return {a.factor for c in query.analyse(text, index, lexicon).concepts
                for a in c.alternatives}

    # the last word unknown, maybe unfinished: the words starting with it, at PREFIX_FACTOR
    assert factors("dang ky thuong chu") == {1.0, 0.7}
    with pytest.raises(RuntimeError), fit.analysed_with({"PREFIX_FACTOR": 0.55,
                                                         "ABSENT_IDF": 0.2}):
        assert query.PREFIX_FACTOR == 0.55 and ranking.ABSENT_IDF == 0.2
        assert factors("dang ky thuong chu") == {1.0, 0.55}
        raise RuntimeError
    assert query.PREFIX_FACTOR == 0.7 and ranking.ABSENT_IDF == 0.5
    # The fit of a query weight analyses the queries again under each value it tries: here
    # an analysis whose acceptable document gains with TYPO_FACTOR (one step, 0.05, turns it).
    monkeypatch.setattr(fit, "cases", lambda items, index, lexicon: [
        _case(index, [1.0, 0.19 + query.TYPO_FACTOR], [False, False], 1)])
    items = [{"query": "q", "acceptable": []}]
    found = fit.cases(items, index, lexicon)
    assert fit.measure(index, found, ranking.weights()).top1 == 0
    weights, score = fit.fit(index, found, items=items, lexicon=lexicon)
    assert score.top1 == 1
    assert fit.changed(weights, {**fit.query_weights(), **ranking.weights()}) == {
        "TYPO_FACTOR": pytest.approx(0.85)}
    assert query.TYPO_FACTOR == 0.8
