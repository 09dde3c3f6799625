"""Procedure versions over time (catalog/versions.py)."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Fee, Procedure, RequiredDocument, Step, TimeLimit, Variant
from catalog.versions import (
    REMOVE_DOCUMENT,
    REMOVE_STEP,
    SET_FEE,
    SET_LEVEL,
    SET_TIME_LIMIT,
    VersionChange,
    procedure_version_create,
    procedure_version_for,
    procedure_versions_bring_into_force,
    variant_in_force,
)
from motcua.errors import DomainError

D = date(2026, 7, 1)


@pytest.fixture
def proc(db):
    p = Procedure.objects.create(code="2.000100", name="Cấp giấy phép thử nghiệm",
                                 level=Procedure.Level.PROVINCE,
                                 requirements="Có trụ sở. Có xác nhận của UBND xã.")
    v = Variant.objects.create(procedure=p, name="Trường hợp chung")
    TimeLimit.objects.create(variant=v, channel=1, amount=Decimal(15), unit="working_days")
    TimeLimit.objects.create(variant=v, channel=2, amount=Decimal(15), unit="working_days")
    RequiredDocument.objects.create(variant=v, name="Đơn đề nghị", order=1)
    RequiredDocument.objects.create(variant=v, name="Giấy xác nhận của UBND xã", order=2)
    Fee.objects.create(variant=v, channel=1, name="Lệ phí cấp phép", amount=200000)
    for i, share in enumerate([10, 40, 40, 10], start=1):
        Step.objects.create(variant=v, order=i, name=f"Bước {i}", role="specialist",
                            share_percent=Decimal(share))
    return p


def _doc(procedure: Procedure, name: str) -> RequiredDocument:
    return RequiredDocument.objects.get(variant__procedure=procedure, name=name)


def test_next_version_applies_changes_and_waits_for_its_date(proc):
    v = proc.variants.get()
    limit = v.time_limits.get(channel=1)
    changes = [VersionChange(REMOVE_DOCUMENT, _doc(proc, "Giấy xác nhận của UBND xã").pk),
               VersionChange(SET_TIME_LIMIT, limit.pk, Decimal(10)),
               VersionChange(SET_FEE, v.fees.get().pk, 100000),
               VersionChange(SET_LEVEL, None, Procedure.Level.COMMUNE),
               VersionChange(REMOVE_STEP, v.steps.get(order=2).pk)]
    new = procedure_version_create(code=proc.code, effective_from=D, changes=changes,
                                   note="QĐ 1/QĐ-UBND", today=date(2026, 6, 1))
    assert (new.version, new.effective_from, new.is_active) == (2, D, False)
    assert new.level == Procedure.Level.COMMUNE and new.change_note == "QĐ 1/QĐ-UBND"
    nv = new.variants.get()
    assert [d.name for d in nv.documents.all()] == ["Đơn đề nghị"]
    assert sorted(t.amount for t in nv.time_limits.all()) == [10, 10]
    assert nv.fees.get().amount == 100000
    steps = list(nv.steps.order_by("order"))
    assert [s.name for s in steps] == ["Bước 1", "Bước 3", "Bước 4"]
    assert sum(s.share_percent for s in steps) == pytest.approx(Decimal(100), abs=Decimal("0.05"))
    # The version reviewed is untouched: its dossiers keep it.
    proc.refresh_from_db()
    assert proc.is_active and v.documents.count() == 2 and limit.amount == 15
    assert v.fees.get().amount == 200000 and v.steps.count() == 4
    # In force by date, public from its date.
    assert procedure_version_for(proc, date(2026, 6, 30)).pk == proc.pk
    assert procedure_version_for(proc.code, D).pk == new.pk
    assert variant_in_force(v, D).pk == nv.pk
    assert variant_in_force(v, date(2026, 6, 30)).pk == v.pk
    assert procedure_versions_bring_into_force(today=date(2026, 6, 30)) == 0
    assert procedure_versions_bring_into_force(today=D) == 1
    proc.refresh_from_db()
    new.refresh_from_db()
    assert not proc.is_active and new.is_active
    # After the switch the dates still tell which version was in force.
    assert procedure_version_for(proc, date(2026, 6, 30)).pk == proc.pk
    assert procedure_version_for(proc, D).pk == new.pk


def test_version_due_today_is_public_at_once(proc):
    new = procedure_version_create(code=proc.code, effective_from=D, changes=[], note="x",
                                   today=D)
    assert new.is_active
    proc.refresh_from_db()
    assert not proc.is_active


def test_two_changes_of_one_date_make_one_version(proc):
    doc = _doc(proc, "Giấy xác nhận của UBND xã")
    limit = proc.variants.get().time_limits.get(channel=1)
    first = procedure_version_create(code=proc.code, effective_from=D, note="a", today=D.replace(
        month=1), changes=[VersionChange(REMOVE_DOCUMENT, doc.pk)])
    second = procedure_version_create(code=proc.code, effective_from=D, note="b", today=D.replace(
        month=1), changes=[VersionChange(SET_TIME_LIMIT, limit.pk, Decimal(7))])
    assert first.pk == second.pk and second.change_note == "a\nb"
    assert Procedure.objects.filter(code=proc.code).count() == 2
    assert [d.name for d in second.variants.get().documents.all()] == ["Đơn đề nghị"]


def test_a_date_before_the_latest_version_is_refused(proc):
    procedure_version_create(code=proc.code, effective_from=D, changes=[], note="a",
                             today=date(2026, 1, 1))
    with pytest.raises(DomainError) as error:
        procedure_version_create(code=proc.code, effective_from=date(2026, 6, 1), changes=[],
                                 note="b", today=date(2026, 1, 1))
    assert error.value.fields == {"effective_date": [
        "Ngày có hiệu lực sớm hơn phiên bản mới nhất."]}


def test_removed_paper_missing_in_latest_version_is_named(proc):
    doc = _doc(proc, "Giấy xác nhận của UBND xã")
    procedure_version_create(code=proc.code, effective_from=D, note="a", today=D,
                             changes=[VersionChange(REMOVE_DOCUMENT, doc.pk)])
    with pytest.raises(DomainError) as error:
        procedure_version_create(code=proc.code, effective_from=date(2026, 8, 1), note="b",
                                 today=D, changes=[VersionChange(REMOVE_DOCUMENT, doc.pk)])
    assert error.value.code == "version_target_missing"


def test_withdrawn_procedure_has_no_version_in_force(proc):
    Procedure.objects.filter(pk=proc.pk).update(is_active=False)
    assert procedure_version_for(proc, D) is None


def test_daily_command_switches_due_versions(proc, capsys):
    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    new = procedure_version_create(code=proc.code, effective_from=today, changes=[],
                                   note="x", today=date(2000, 1, 1))
    assert not Procedure.objects.get(pk=new.pk).is_active
    call_command("catalog_versions_due")
    assert Procedure.objects.get(pk=new.pk).is_active
    assert "1 phiên bản" in capsys.readouterr().out
