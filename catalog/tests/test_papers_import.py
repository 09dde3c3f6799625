"""The importer stores how papers relate, and the national file's coverage is what docs say."""

import json

import pytest
from django.core.management import call_command

from catalog.evaluation import papers
from catalog.importer import import_catalog
from catalog.models import RequiredDocument
from catalog.tests.conftest import NATIONAL_FILE
from catalog.tests.test_papers_parsing import JUDICIAL_RECORD


def _line(**extra) -> str:
    record = {"ma_thu_tuc": "9.000330", "ten_thu_tuc": "Cấp Phiếu lý lịch tư pháp",
              "cap_thuc_hien": "Cấp tỉnh", "thanh_phan_ho_so": JUDICIAL_RECORD,
              "yeu_cau_dieu_kien": "Cơ quan khai thác Cơ sở dữ liệu quốc gia về dân cư."}
    record.update(extra)
    return json.dumps(record, ensure_ascii=False)


@pytest.mark.django_db
def test_groups_conditions_choices_and_lookups_are_stored_with_the_papers():
    import_catalog([_line()])
    docs = list(RequiredDocument.objects.filter(variant__procedure__code="9.000330"))
    assert [bool(d.alternative_group) for d in docs] == [True, True, True, False, True, False]
    assert docs[0].alternative_group == docs[1].alternative_group != docs[2].alternative_group
    assert docs[3].condition.startswith("Trường hợp ủy quyền")
    assert docs[5].choices[0] == "Thẻ Căn cước"
    assert docs[5].lookup == RequiredDocument.Lookup.POPULATION
    assert not any(d.optional for d in docs)


@pytest.mark.skipif(not NATIONAL_FILE.exists(), reason="no national file")
def test_coverage_on_the_national_file_is_the_documented_figure(capsys):
    # docs/papers.md gives these figures; a change of rule that moves them must update the doc.
    c = papers.coverage(papers.records(NATIONAL_FILE))
    assert c.procedures == 2642
    assert 0.42 <= c.share <= 0.44  # 43.0 % measured (docs/papers.md), ± 1 point
    assert c.with_choices > c.with_groups > 30


@pytest.mark.skipif(not NATIONAL_FILE.exists(), reason="no national file")
def test_the_report_command_prints_the_share_and_the_scores(capsys):
    call_command("papers_report", str(NATIONAL_FILE), "--part", "dev")
    out = capsys.readouterr().out
    assert "Thủ tục: 2642; đọc được nhóm/điều kiện/khai thác:" in out
    assert "Tập dev (" in out


def test_every_labelled_list_sits_in_the_part_its_code_decides():
    # The split is fixed by the code (docs/papers.md): a list moved by hand would let rules be
    # tuned on what is scored as unseen.
    for part in ("dev", "test"):
        codes = [label["code"] for label in papers.labels(part)]
        assert len(codes) == len(set(codes))
        assert {papers.part_of(code) for code in codes} == {part}
    assert not {lb["code"] for lb in papers.labels("dev")} & {
        lb["code"] for lb in papers.labels("test")}


@pytest.mark.skipif(not NATIONAL_FILE.exists(), reason="no national file")
def test_a_second_draw_leaves_out_the_lists_labelled_before():
    drawable = papers.population(papers.records(NATIONAL_FILE))
    first = {r["ma_thu_tuc"] for r in papers.draw(drawable, 80)}
    second = papers.draw(drawable, 110, seed=papers.SECOND_DRAW_SEED, exclude=frozenset(first))
    assert second and not first & {r["ma_thu_tuc"] for r in second}
    assert all(2 <= len(papers.papers_of(r)) <= 14 for r in second)


def test_the_parser_version_fits_its_column():
    # A longer version made PostgreSQL refuse every record of the national file on import.
    from catalog.models import Procedure
    from catalog.services import PARSER_VERSION
    assert len(PARSER_VERSION) <= Procedure._meta.get_field("parsed_with").max_length
