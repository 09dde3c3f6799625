"""The query's words weighed by how much more they belong to everyday speech than to the
catalogue, an evaluation tool (catalog/evaluation/everyday.py, `manage.py search_everyday`):
docs/search.md, fourteenth round."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.evaluation import everyday
from catalog.search import query, ranking
from catalog.tests.test_search import catalog  # noqa: F401 (a fixture)
from catalog.tests.test_search_fit import _search_tools, more  # noqa: F401

FREQUENCIES = "đăng\t0.001\nký\t0.0005\nkhai\t0.0004\nsinh\t0.002\nbão\t0.0003\nbáo\t0.0004\n"


def test_the_frequencies_are_folded_and_words_folding_alike_summed(tmp_path):
    path = tmp_path / "vi.tsv"
    path.write_text(FREQUENCIES + "\nCon\t0.004\n", encoding="utf-8")
    found = everyday.load_frequencies(path)
    assert found["bao"] == pytest.approx(0.0007)
    assert found["con"] == pytest.approx(0.004) and found["dang"] == pytest.approx(0.001)
    path.write_text("sông 0.001\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Dòng 1"):
        everyday.load_frequencies(path)


@pytest.mark.django_db
def test_an_everyday_word_the_catalogue_seldom_writes_weighs_less(more):  # noqa: F811
    index, lexicon = _search_tools()
    # "em bé" is common speech no name writes; "khai sinh" the catalogue's own word
    frequencies = {"em": 0.05, "be": 0.02, "khai": 0.0004, "sinh": 0.002}
    scale = everyday.Scale(a=-2.0, b=1.0, lam=0.6)
    assert scale.level(index, frequencies, "em") == 1.0
    assert scale.level(index, frequencies, "khai") == 0.0
    # a pair is as everyday as the less everyday of its words
    assert scale.factor(index, frequencies, ("em", "be")) == pytest.approx(0.4)
    assert scale.factor(index, frequencies, ("khai", "em")) == 1.0
    plain = ranking.analyse

    def weights(text):
        return {c.typed: c.weight for c in ranking.analyse(text, index, lexicon).concepts}

    before = weights("khai sinh em be")
    with everyday.scaled(index, frequencies, scale):
        after = weights("khai sinh em be")
        assert ranking.analyse is not plain
    assert ranking.analyse is plain and query.analyse is plain
    assert after[("em",)] == pytest.approx(0.4 * before[("em",)])
    assert after[("khai", "sinh")] == before[("khai", "sinh")]


@pytest.mark.django_db
def test_search_everyday_prints_each_choice_measured_on_the_other_part(more, tmp_path):  # noqa: F811
    (tmp_path / "vi.tsv").write_text(FREQUENCIES, encoding="utf-8")
    for name, lines in (("a", [("thuong tru", "1.004222"), ("ho chieu", "1.001456")]),
                        ("b", [("dang ky khai sinh", "1.001193")])):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(
            json.dumps({"query": q, "acceptable": [c]}) for q, c in lines), encoding="utf-8")
    out = StringIO()
    call_command("search_everyday", tmp_path / "vi.tsv", tmp_path / "a.jsonl",
                 tmp_path / "b.jsonl", "--a", "-2", "--b", "1", "--lam", "0.5", stdout=out)
    text = out.getvalue()
    assert "hôm nay, a: 2 / 2 / 0 (of 2)" in text
    assert "a=-2 b=1 lam=0.5: a 2 / 2 / 0 (of 2); b 1 / 1 / 0 (of 1)" in text
    assert "chọn trên b: không tổ hợp nào tăng top-1" in text
    with pytest.raises(CommandError):
        call_command("search_everyday", tmp_path / "vi.tsv", tmp_path / "a.jsonl",
                     "--lam", "2", stdout=StringIO())
