"""The demo procedures shipped with the product: real records that import cleanly."""

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from catalog import importer
from catalog.importer import import_catalog
from catalog.models import Channel, Fee, Procedure, TimeLimit
from catalog.tests.conftest import NATIONAL_FILE

pytestmark = pytest.mark.django_db

DEMO_FILE = Path(importer.__file__).parent / "demo" / "procedures.jsonl"
# Fields the demo province's land and environment department handles (accounts/demo.py).
NNMT_WORDS = ("đất đai", "môi trường", "tài nguyên", "nông nghiệp", "thủy lợi", "lâm nghiệp")


def _demo_lines() -> list[str]:
    return [line for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_demo_records_are_verbatim_national_records():
    lines = _demo_lines()
    assert 25 <= len(lines) <= 40
    if not NATIONAL_FILE.exists():
        pytest.skip("Không có tệp dữ liệu quốc gia để đối chiếu.")
    with gzip.open(NATIONAL_FILE, "rt", encoding="utf-8") as f:
        national = {line.rstrip("\n") for line in f}
    assert [line for line in lines if line not in national] == []


def test_demo_imports_without_time_limit_issues():
    report = import_catalog(DEMO_FILE)
    assert report.rejected == [] and report.created == len(_demo_lines())
    for procedure in Procedure.objects.all():
        assert [i for i in procedure.parse_issues if i["field"] == "cach_thuc_thuc_hien"] == []
        for variant in procedure.variants.all():
            assert variant.time_limits.exists(), procedure.code
    units = set(TimeLimit.objects.values_list("unit", flat=True))
    assert {"working_days", "calendar_days", "working_hours"} <= units
    assert Fee.objects.filter(amount__gt=0).exists()
    assert {"tinh", "xa"} <= set(Procedure.objects.values_list("level", flat=True))


def test_demo_gives_the_demo_dossiers_provincial_justice_procedures():
    import_catalog(DEMO_FILE)
    justice = [p for p in Procedure.objects.filter(
        level=Procedure.Level.PROVINCE, variants__time_limits__channel=Channel.COUNTER,
        variants__time_limits__unit="working_days", variants__time_limits__amount__gte=3,
    ).select_related("field").distinct()
        if not any(w in p.field.name.lower() for w in NNMT_WORDS)]
    assert len(justice) >= 3


def test_demo_reimport_changes_nothing():
    import_catalog(DEMO_FILE)
    report = import_catalog(DEMO_FILE)
    assert report.unchanged == len(_demo_lines()) and report.created == 0


def test_a_failing_batch_is_written_record_by_record(monkeypatch):
    def batch_fails(*, items):
        if len(items) > 1:
            raise DatabaseError("lỗi thử")
        return real(items=items)

    real = importer.procedures_import_versions
    monkeypatch.setattr(importer, "procedures_import_versions", batch_fails)
    monkeypatch.setattr("catalog.services.procedures_import_versions", batch_fails)
    report = import_catalog(DEMO_FILE)
    assert report.created == len(_demo_lines()) and report.rejected == []


def test_a_record_that_cannot_be_written_is_reported(monkeypatch):
    lines = _demo_lines()[:3]
    bad_code = json.loads(lines[1])["ma_thu_tuc"]

    def one_fails(*, item):
        if item.parsed.code == bad_code:
            raise DatabaseError("lỗi thử")
        return real(item=item)

    real = importer.procedure_import_version
    monkeypatch.setattr(importer, "procedures_import_versions",
                        lambda *, items: (_ for _ in ()).throw(DatabaseError("lỗi thử")))
    monkeypatch.setattr(importer, "procedure_import_version", one_fails)
    report = import_catalog(lines)
    assert report.created == 2 and [line for line, _ in report.rejected] == [2]
    assert not Procedure.objects.filter(code=bad_code).exists()


def test_command_prints_problems_and_summary(tmp_path):
    national_line = _demo_lines()[0]
    record = json.loads(national_line)
    record["ma_thu_tuc"] = "9.999999"
    record["cach_thuc_thuc_hien"] = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1Miễn phí"
    path = tmp_path / "procedures.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(national_line + "\n" + json.dumps(record, ensure_ascii=False) + "\n")
    out = io.StringIO()
    call_command("import_procedures", str(path), stdout=out)
    text = out.getvalue()
    # A bare "1" becomes one working day, marked inferred and reported for a person to check.
    assert "9.999999: " in text and "lấy đơn vị mặc định ngày làm việc" in text
    assert "Đã đọc 2 bản ghi, nhập 2 thủ tục" in text
    assert "Có ít nhất một thời hạn giải quyết: 100,0%" in text
    assert "1 thủ tục chỉ có thời hạn suy ra" in text
    assert "ô thời hạn chỉ có số, đơn vị mặc định ngày làm việc: 1" in text
    quiet = io.StringIO()
    call_command("import_procedures", str(path), "--quiet", stdout=quiet)
    assert "9.999999:" not in quiet.getvalue()
    assert "0 thủ tục mới, 0 phiên bản mới, 2 không đổi" in quiet.getvalue()
