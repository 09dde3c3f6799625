"""Importing a criteria set: a good file gives the whole tree; a bad file names every problem
and leaves nothing behind."""

import pytest

from reform.models import ParCriteriaSet, ParCriterion
from reform.par.importer import CriteriaImportError, criteria_import
from reform.par.live import live_choices
from reform.tests.par.conftest import CRITERIA_FILE

GOOD = CRITERIA_FILE.read_text(encoding="utf-8")


def test_the_shipped_department_set_imports_whole(db):
    s = criteria_import(GOOD, source_name="x.yaml")
    assert (s.year, s.level) == (2026, "department")
    areas = ParCriterion.objects.filter(criteria_set=s, depth=0)
    assert areas.count() == 8
    leaves = [c for c in s.criteria.all() if c.is_leaf]
    assert sum(c.max_points for c in leaves) == 100
    assert sum(a.max_points for a in areas) == 100
    live = [c for c in leaves if c.live_metric]
    assert len(live) >= 8 and all(c.live_metric in live_choices() for c in live)
    sub = ParCriterion.objects.get(criteria_set=s, code="3.2.1")
    assert sub.depth == 2 and sub.parent.code == "3.2" and sub.parent.parent.code == "3"
    assert sub.parent.max_points == 7
    assert sub.scale[0] == {"from": 100.0, "points": 4.0}


BAD = """
year: 2026
level: department
name: Bộ lỗi
areas:
  - code: "1"
    title: Lĩnh vực một
    criteria:
      - code: "1.1"
        title: Tiêu chí không có điểm
        answer: yes_no
      - code: "1.2"
        title: Tỷ lệ không có thang
        max_points: 3
        answer: percent
      - code: "1.3"
        title: Chỉ số không tồn tại
        max_points: 2
        answer: percent
        live: ty_le_bia
        scale: [{from: 0, points: 0}]
      - code: "1.3"
        title: Mã trùng
        max_points: 95
        answer: maybe
"""


def test_a_bad_file_names_each_problem_and_imports_nothing(db):
    with pytest.raises(CriteriaImportError) as caught:
        criteria_import(BAD)
    text = " | ".join(caught.value.problems)
    assert "1.1: max_points phải là số dương" in text
    assert "1.2: câu trả lời dạng số hoặc tỷ lệ cần thang điểm" in text
    assert "ty_le_bia" in text
    assert "mã 1.3 bị trùng" in text
    assert "answer phải là một trong" in text
    assert caught.value.message.startswith("Tệp bộ tiêu chí có lỗi, chưa nhập gì")
    assert ParCriteriaSet.objects.count() == 0 and ParCriterion.objects.count() == 0


@pytest.mark.parametrize("text, problem", [
    ("year: [", "không đọc được YAML"),
    ("- 1\n- 2\n", "tệp phải bắt đầu bằng"),
    (GOOD.replace("max_points: 18", "max_points: 5").replace(
        "title: Chỉ số hài lòng SIPAS chung\n        max_points: 10",
        "title: Chỉ số hài lòng SIPAS chung\n        max_points: 11"), "phải bằng 100"),
    (GOOD.replace("level: department", "level: thon"), "level phải là một trong"),
])
def test_bad_files(db, text, problem):
    with pytest.raises(CriteriaImportError) as caught:
        criteria_import(text)
    assert problem in caught.value.message
    assert ParCriteriaSet.objects.count() == 0


def test_a_second_set_for_the_same_year_and_level_is_refused_not_merged(db):
    first = criteria_import(GOOD)
    with pytest.raises(CriteriaImportError):
        criteria_import(GOOD)
    assert ParCriteriaSet.objects.get() == first
    replaced = criteria_import(GOOD, replace=True)
    assert ParCriteriaSet.objects.get() == replaced


def test_a_text_longer_than_its_column_is_named_not_a_500(db):
    """Codes (20), the set's name and decision (300) went to their columns unchecked: one long
    value made PostgreSQL refuse the import (a 500)."""
    text = GOOD.replace('code: "1.1"', f'code: "1.1{"9" * 20}"', 1)
    text = text.replace("\nname: ", "\nname: " + "Bộ tiêu chí " * 30, 1)
    with pytest.raises(CriteriaImportError) as caught:
        criteria_import(text)
    problems = " | ".join(caught.value.problems)
    assert f"mã 1.1{'9' * 20} dài 23 ký tự, tối đa 20" in problems
    assert "name dài" in problems and "tối đa 300" in problems
    assert ParCriteriaSet.objects.count() == 0


def test_a_file_of_aliases_is_refused_before_it_is_expanded(db):
    """audit9: three nested lists of 100 YAML aliases (1.5 KB) stand for a million criteria;
    checking them took a worker 30 s and 2.2 GB. Aliases are refused from the parser's events."""
    import time

    n = 100
    text = (f"year: 2026\nlevel: department\nname: x\n"
            f"s1: &S {{code: '1.1.1', title: t, max_points: 1}}\n"
            f"s2: &SL [{', '.join(['*S'] * n)}]\n"
            f"c1: &C {{code: '1.1', title: t, max_points: 1, sub: *SL}}\n"
            f"c2: &CL [{', '.join(['*C'] * n)}]\n"
            f"a1: &A {{code: '1', title: t, max_points: 1, criteria: *CL}}\n"
            f"areas: [{', '.join(['*A'] * n)}]\n")
    started = time.monotonic()
    with pytest.raises(CriteriaImportError) as caught:
        criteria_import(text.encode())
    assert time.monotonic() - started < 5
    assert caught.value.problems == ["tệp YAML không được dùng bí danh (*tên): hãy viết đầy đủ "
                                     "từng mục"]
    assert ParCriteriaSet.objects.count() == 0
