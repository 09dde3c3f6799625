"""Topic vectors of the catalogue's text as a re-ranking signal, an evaluation tool
(catalog/evaluation/topics.py, `manage.py search_topics`): docs/search.md, fourteenth round."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.evaluation import topics
from catalog.search import fit, ranking
from catalog.tests.test_search import catalog  # noqa: F401 (a fixture)
from catalog.tests.test_search_fit import QUERIES, _case, _search_tools, more  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_topics_are_orthonormal_and_without_boost_the_order_is_the_rankings(more):  # noqa: F811
    index, lexicon = _search_tools()
    coords = topics.vectors(index, 4)
    assert coords.shape == (index.size, 4)
    assert np.allclose(coords.T @ coords, np.eye(4), atol=1e-4)
    for query in QUERIES:
        p = ranking.parts(query, index, lexicon)
        expected, _ = ranking.compose(index, p, ranking.weights())
        assert topics.composed(index, p, ranking.weights(), coords, 0.0).tolist() == (
            expected.tolist()), query


def test_a_candidate_on_the_querys_topic_goes_up(more):  # noqa: F811
    index, _ = _search_tools()
    # Documents 1 and 2 are on one topic, 0 on another; together they outweigh 0, so the
    # query's topic is theirs and 1 (5 % behind 0 on its words) comes first with a boost.
    coords = np.zeros((index.size, 2), dtype=np.float32)
    coords[0] = [1, 0]
    coords[1] = coords[2] = [0, 1]
    case = _case(index, [1.0, 0.95, 0.9], [False, False, False], 1)
    assert topics.composed(index, case.parts, ranking.weights(), coords, 0.0)[0] == 0
    assert topics.composed(index, case.parts, ranking.weights(), coords, 0.2)[0] == 1
    trial = topics.Trial(k=2, boost=0.2, min_words=1)
    assert topics.measure(index, [case], coords, trial).top1 == 1
    # a query shorter than min_words is left as it is
    assert topics.measure(index, [case], coords, topics.Trial(2, 0.2, 2)).top1 == 0


def test_the_best_trial_gains_at_top1_without_losing_top3_or_sentences():
    floor = fit.Score(10, 20, 5, 30)
    a, b, c = topics.Trial(100, 0.2, 0), topics.Trial(200, 0.4, 0), topics.Trial(50, 0.2, 9)
    assert topics.best({a: fit.Score(12, 19, 5, 30), b: fit.Score(11, 20, 5, 30)}, floor) == b
    assert topics.best({a: fit.Score(11, 20, 5, 30), b: fit.Score(11, 20, 5, 30),
                        c: fit.Score(11, 21, 5, 30)}, floor) == c   # less boost, fewer topics
    assert topics.best({a: fit.Score(10, 22, 6, 30)}, floor) is None


def test_search_topics_prints_each_choice_measured_on_the_other_part(more, tmp_path):  # noqa: F811
    for name, lines in (("a", [("thuong tru", "1.004222"), ("ho chieu", "1.001456")]),
                        ("b", [("dang ky khai sinh", "1.001193")])):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(
            json.dumps({"query": q, "acceptable": [c]}) for q, c in lines), encoding="utf-8")
    out = StringIO()
    call_command("search_topics", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--k", "2,3",
                 "--boost", "0.2", "--min-words", "0", stdout=out)
    text = out.getvalue()
    assert "hôm nay, a: 2 / 2 / 0 (of 2)" in text
    assert "k=3 nâng=0.2 từ≥0: a 2 / 2 / 0 (of 2); b 1 / 1 / 0 (of 1)" in text
    assert "chọn trên a: không tổ hợp nào tăng top-1" in text
    with pytest.raises(CommandError):
        call_command("search_topics", tmp_path / "a.jsonl", "--k", "x", stdout=StringIO())
