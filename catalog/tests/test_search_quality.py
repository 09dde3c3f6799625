"""Search quality on the real national catalogue, measured on the development part of the
evaluation set (catalog/evaluation/dev.jsonl; docs/search.md says how it was written). The test
part is not run here: it is measured rarely, by hand, with `manage.py search_eval`, so that its
figure keeps meaning something.
"""

import pytest
from django.db import connection

from catalog.evaluation.measure import (
    DEV2_SET,
    DEV3_SET,
    DEV4_SET,
    DEV_SET,
    TEST_SET,
    evaluate,
    query_set,
)
from catalog.evaluation.sampling import part_of
from catalog.selectors import procedure_codes_ranked

# Measured on the 2,642-procedure file (docs/search.md), the same on SQLite and PostgreSQL:
# 202/232 top-1 (87.1 %), 224/232 top-3 (96.6 %), needs in a sentence 42/44 top-3 (95.5 %)
# after the eighth, the ninth, the tenth and the eleventh round (200 and 222 after the seventh).
# The floors sit just below, so that a change that loses quality fails here.
MIN_TOP1 = 0.86
MIN_TOP3 = 0.96
MIN_SENTENCE_TOP3 = 0.95
# The second development part: 101/120 top-1 (84.2 %), 114/120 top-3 (95.0 %) after the
# eleventh round (100 and 114 after the tenth, 98 and 114 after the ninth, 97 and 113 after the
# eighth, 95 and 113 after the seventh, 87 and 111 after the fifth).
MIN_TOP1_DEV2 = 0.83
MIN_TOP3_DEV2 = 0.945
# The third development part: 116/150 top-1 (77.3 %), 134/150 top-3 (89.3 %) when first measured
# (the fourteenth round's ranking, before anything was tuned on it); 118 and 135 after the
# fifteenth round.
MIN_TOP1_DEV3 = 0.78
MIN_TOP3_DEV3 = 0.895
# The fourth development part: 129/150 top-1 (86.0 %), 142/150 top-3 (94.7 %), sentences 29/29
# in the top three when first measured (the fifteenth round's ranking, before anything was tuned
# on it; docs/search.md, sixteenth round). It is measured, not tuned on.
MIN_TOP1_DEV4 = 0.85
MIN_TOP3_DEV4 = 0.94


def test_the_evaluation_set_is_large_split_once_and_covers_every_kind():
    dev, test = query_set(DEV_SET), query_set(TEST_SET)
    assert len(dev) + len(test) >= 400
    kinds = {"khong_dau", "tu_thuong_dung", "cau_nhu_cau", "ngan"}
    assert {q["kind"] for q in dev} == kinds and {q["kind"] for q in test} == kinds
    # split by the procedure a query was written for: no procedure on both sides
    assert not {q["written_for"] for q in dev} & {q["written_for"] for q in test}
    assert all(q["written_for"] in q["acceptable"] for q in dev + test)


@pytest.mark.parametrize(("part", "size", "earlier"), [
    (DEV2_SET, 120, (DEV_SET,)),
    (DEV3_SET, 150, (DEV_SET, DEV2_SET)),
    (DEV4_SET, 150, (DEV_SET, DEV2_SET, DEV3_SET)),
], ids=["second", "third", "fourth"])
def test_a_later_development_part_adds_procedures_of_the_development_side_only(part, size,
                                                                              earlier):
    # on the development side by the split itself (so never a test procedure), and none of the
    # earlier development parts' procedures
    before = {q["written_for"] for path in earlier for q in query_set(path)}
    queries = query_set(part)
    written = [q["written_for"] for q in queries]
    assert len(queries) >= size and len(set(written)) == len(written)
    assert {part_of(code) for code in written} == {"dev"}
    assert not set(written) & before
    assert {q["kind"] for q in queries} == {"khong_dau", "tu_thuong_dung", "cau_nhu_cau", "ngan"}
    assert all(q["written_for"] in q["acceptable"] for q in queries)


def _measured(path):
    """The ranking's figures on the query set at `path`, printed for the run's log."""
    report = evaluate(query_set(path), lambda q: procedure_codes_ranked(query=q, limit=10))
    print(f"\n[{connection.vendor}]")
    for line in report.lines():
        print(line)
    return report


@pytest.mark.django_db
def test_development_part_on_the_national_catalogue(national_import):
    report = _measured(DEV_SET)
    sentence = report.by_kind["cau_nhu_cau"]
    assert report.total.top1_rate >= MIN_TOP1
    assert report.total.top3_rate >= MIN_TOP3
    assert sentence.top3_rate >= MIN_SENTENCE_TOP3
    assert report.total.empty == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("part", "min_top1", "min_top3"), [
    (DEV2_SET, MIN_TOP1_DEV2, MIN_TOP3_DEV2),
    (DEV3_SET, MIN_TOP1_DEV3, MIN_TOP3_DEV3),
    (DEV4_SET, MIN_TOP1_DEV4, MIN_TOP3_DEV4),
], ids=["second", "third", "fourth"])
def test_later_development_parts_on_the_national_catalogue(national_import, part, min_top1,
                                                            min_top3):
    report = _measured(part)
    assert report.total.top1_rate >= min_top1
    assert report.total.top3_rate >= min_top3
    assert report.total.empty == 0


def test_the_report_does_not_round_a_rate_up_to_a_target():
    from catalog.evaluation.measure import Report, Tally

    report = Report(total=Tally(queries=218, top1=172, top3=207))
    line = report.lines()[-1]
    assert "94.95 %" in line and "95.0 %" not in line and "78.90 %" in line
