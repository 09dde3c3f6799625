"""Import of the whole national file: nothing dropped, parse rates, versions."""

import gzip
import json
import time

import pytest

from catalog.importer import import_catalog
from catalog.models import Channel, Fee, Procedure, RequiredDocument, TimeLimit, Variant
from catalog.selectors import procedure_get, variant_fees, variant_time_limit
from catalog.tests.conftest import NATIONAL_FILE

pytestmark = pytest.mark.django_db

# Measured on the file of mid-2026: 2,526 of 2,642 procedures have a time limit (95.6%; 2,167
# from the time cells, 359 more read from the rest of the record and marked inferred), 7,099 of
# 7,120 fee cells are read (99.7%), 2,591 of 2,642 document lists are read whole (98.1%). The
# bounds sit just below so that a parser change that loses data fails here.
MIN_TIME_LIMIT_RATE = 0.95
MIN_FEE_RATE = 0.995
MIN_DOCUMENTS_RATE = 0.975


def _records() -> list[dict]:
    with gzip.open(NATIONAL_FILE, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_every_record_is_imported(national_import):
    records = _records()
    assert len(records) == 2642
    assert national_import.read == 2642 and national_import.rejected == []
    assert national_import.created == 2642
    assert Procedure.objects.count() == 2642
    stored = dict(Procedure.objects.values_list("code", "source_record"))
    assert stored == {r["ma_thu_tuc"]: r for r in records}


def test_parse_rates(national_import):
    assert national_import.time_limit_rate >= MIN_TIME_LIMIT_RATE
    # inferred limits are counted apart, by where they were read
    assert national_import.only_inferred >= 350
    assert set(national_import.inferred_by_source) == set(TimeLimit.Inferred.values)
    assert (TimeLimit.objects.exclude(inferred="").count()
            == national_import.inferred_time_limits)
    assert national_import.fee_rate >= MIN_FEE_RATE
    assert national_import.documents_rate >= MIN_DOCUMENTS_RATE
    assert (Procedure.objects.filter(variants__time_limits__isnull=False).distinct().count()
            == national_import.with_time_limit)


def test_search_text_and_issues_are_filled(national_import):
    assert not Procedure.objects.filter(search_text="").exists()
    khai_sinh = Procedure.objects.get(code="1.001193")
    assert khai_sinh.search_text == "thu tuc dang ky khai sinh"
    problems = {i["problem"] for i in khai_sinh.parse_issues}
    # its time cells hold a bare "1": one working day, inferred and reported for review
    assert any("là suy ra" in p and "đơn vị mặc định" in p for p in problems)
    assert all(set(i) == {"field", "fragment", "problem"} for i in khai_sinh.parse_issues)
    assert national_import.with_issues == Procedure.objects.exclude(parse_issues=[]).count()


def test_stored_rows_of_a_known_procedure(national_import):
    procedure = procedure_get("1.004222")  # Đăng ký thường trú
    assert procedure.level == Procedure.Level.COMMUNE
    assert procedure.online_level == Procedure.OnlineLevel.PARTIAL
    assert procedure.field.name == "Đăng ký, quản lý cư trú"
    (variant,) = procedure.variants.all()
    counter = variant_time_limit(variant, Channel.COUNTER)
    assert (counter.amount, counter.unit) == (7, "working_days")
    assert [f.amount for f in variant_fees(variant, Channel.COUNTER)] == [20000]
    assert [f.amount for f in variant_fees(variant, Channel.ONLINE)] == [10000]
    assert variant.documents.count() > 5
    assert procedure.legal_bases.exists()


def test_fallback_to_counter_limit(national_import):
    variant = procedure_get("1.004222").variants.get()
    post = variant_time_limit(variant, Channel.POST)  # no postal row published
    assert post is not None and post.channel == Channel.COUNTER


def test_reimport_is_idempotent(national_import):
    counts = [m.objects.count() for m in (Procedure, Variant, TimeLimit, Fee, RequiredDocument)]
    started = time.monotonic()
    report = import_catalog(NATIONAL_FILE)
    assert time.monotonic() - started < 30
    assert (report.unchanged, report.created, report.new_versions) == (2642, 0, 0)
    assert counts == [m.objects.count() for m in
                      (Procedure, Variant, TimeLimit, Fee, RequiredDocument)]


def test_changed_record_creates_version_two(national_import):
    record = next(r for r in _records() if r["ma_thu_tuc"] == "3.000333")
    record["cach_thuc_thuc_hien"] = record["cach_thuc_thuc_hien"].replace("10 Ngày", "12 Ngày")
    report = import_catalog([json.dumps(record, ensure_ascii=False)])
    assert (report.new_versions, report.created, report.unchanged) == (1, 0, 0)
    v1, v2 = Procedure.objects.filter(code="3.000333").order_by("version")
    assert (v1.version, v1.is_active, v2.version, v2.is_active) == (1, False, 2, True)
    assert procedure_get("3.000333").pk == v2.pk
    limit = variant_time_limit(v2.variants.get(), Channel.COUNTER)
    assert limit.amount == 12
    # the retired version keeps its rows for the dossiers pinned to it
    assert variant_time_limit(v1.variants.get(), Channel.COUNTER).amount == 10
    again = import_catalog([json.dumps(record, ensure_ascii=False)])
    assert again.unchanged == 1 and Procedure.objects.filter(code="3.000333").count() == 2


def test_bad_lines_are_reported_not_fatal(national_import):
    before = Procedure.objects.count()
    report = import_catalog(["{not json", json.dumps({"ten_thu_tuc": "Không mã"}), ""])
    assert [line for line, _ in report.rejected] == [1, 2]
    assert Procedure.objects.count() == before
