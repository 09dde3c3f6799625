"""The (unit, dossier) rows the staff lists read (DossierAccess, dossiers/services/access.py):
after every kind of hand-off they are exactly what the row-level rule answered before the table
existed, the staff see through them what that rule showed them, and the rebuild command
reproduces them."""

import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, Role, Unit, User
from catalog.models import Step
from dossiers.models import Dossier, DossierAccess, DossierStep, State
from dossiers.selectors import _own, dossier_inbox, dossier_visible
from dossiers.services import dossier_act
from dossiers.tests.conftest import at

REASON = "Lý do ghi rõ theo quy định"


def previous_rule(units: set[int]):
    """The staff branch of the row-level rule as it was before the table: received, decided or
    held by one of `units`, or a step of one of them in the plan."""
    touched = DossierStep.objects.filter(dossier=OuterRef("pk"), unit_id__in=units)
    return Dossier.objects.filter(Q(receiving_unit_id__in=units) | Q(competent_unit_id__in=units)
                                  | Q(current_unit_id__in=units) | Exists(touched))


def previous_pairs() -> set[tuple[int, int]]:
    """Every (unit, dossier) the previous rule lets see, unit by unit."""
    return {(unit, pk) for unit in Unit.objects.values_list("pk", flat=True)
            for pk in previous_rule({unit}).values_list("pk", flat=True)}


def rows() -> set[tuple[int, int]]:
    return set(DossierAccess.objects.values_list("unit_id", "dossier_id"))


def assert_rows_are_the_rule(*users: User) -> None:
    assert rows() == previous_pairs()
    for user in users:
        units = {m.unit_id for m in Membership.objects.filter(user=user)}
        expected = set(Dossier.objects.filter(
            Q(pk__in=previous_rule(units).values("pk")) | _own(user)).values_list("pk",
                                                                                  flat=True))
        assert set(dossier_visible(user).values_list("pk", flat=True)) == expected, user


def _act(dossier, actor, action, when, **kw):
    return dossier_act(dossier=dossier, actor=actor, action=action, at=at(when), **kw)


@pytest.fixture
def coordinated(org):
    """A case whose plan sends the dossier to a second department for its opinion between the
    specialist and the head (an inter-unit step), with that department's officer."""
    partner = Unit.objects.create(code="000.00.16.H99", name="Sở Xây dựng tỉnh Thử nghiệm",
                                  kind=Unit.Kind.DEPARTMENT, parent=org.province)
    officer = User.objects.create_user(username="phoihop", password="x-Test-2026",
                                       kind=User.Kind.STAFF, full_name="Phoi Hop")
    Membership.objects.create(user=officer, unit=partner, role=Role.SPECIALIST)
    plan = [("Tiếp nhận", Step.Role.RECEIVING, None, 10), ("Thẩm định", Step.Role.SPECIALIST,
                                                          None, 40),
            ("Lấy ý kiến phối hợp", Step.Role.COORDINATING, partner, 20),
            ("Phê duyệt", Step.Role.HEAD, None, 20), ("Trả kết quả", Step.Role.RETURNING,
                                                      None, 10)]
    for order, (name, role, unit, share) in enumerate(plan, start=1):
        Step.objects.create(variant=org.variant, order=order, name=name, role=role, unit=unit,
                            share_percent=Decimal(share))
    return partner, officer


def everyone(org):
    return (org.desk, org.specialist, org.head, org.other_desk, org.citizen)


def test_filing_and_every_hand_off_write_the_rule(org, make_dossier):
    staff = everyone(org)
    waiting = make_dossier(accept=False)  # filed at the counter, not received yet
    assert rows() == {(org.centre.pk, waiting.pk), (org.dept.pk, waiting.pk)}
    assert_rows_are_the_rule(*staff)
    received = make_dossier()  # filed and received at once
    assert_rows_are_the_rule(*staff)
    _act(waiting, org.desk, "accept", "2026-03-02 09:20")
    assert_rows_are_the_rule(*staff)
    d = _act(received, org.desk, "forward", "2026-03-02 09:30",
             data={"assignee": org.specialist.pk})
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.specialist, "request_supplement", "2026-03-02 10:00", reason=REASON,
             data={"missing_documents": ["Bản chụp CCCD"]})
    d = _act(d, org.desk, "supplement", "2026-03-02 11:00")
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.specialist, "forward", "2026-03-02 15:00", data={"assignee": org.head.pk})
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.head, "return_step", "2026-03-02 16:00", reason="Cần xác minh thêm")
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.specialist, "forward", "2026-03-03 08:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", "2026-03-03 09:00")
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.desk, "mark_result_ready", "2026-03-04 08:00")
    d = _act(d, org.desk, "return_result", "2026-03-04 09:00",
             data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    assert d.state == State.RETURNED
    assert_rows_are_the_rule(*staff)
    refused = make_dossier(accept=False)
    _act(refused, org.desk, "refuse", "2026-03-04 10:00", reason=REASON)
    online = make_dossier(accept=False, actor=org.citizen, channel=2)
    _act(online, org.citizen, "withdraw", "2026-03-04 11:00", reason=REASON)
    assert_rows_are_the_rule(*staff)
    # The other commune's desk sees none of these; the department all of them.
    assert not dossier_visible(org.other_desk).exists()
    assert dossier_visible(org.head).count() == Dossier.objects.count()


def test_an_inter_unit_step_lets_its_unit_see_the_dossier_from_acceptance(
        org, make_dossier, coordinated):
    partner, officer = coordinated
    staff = (*everyone(org), officer)
    waiting = make_dossier(accept=False)
    assert not dossier_visible(officer).exists()
    assert_rows_are_the_rule(*staff)
    # Acceptance plans the partner's step: the partner sees the dossier, as the rule said.
    d = _act(waiting, org.desk, "accept", "2026-03-02 09:10")
    assert (partner.pk, d.pk) in rows()
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    d = _act(d, org.specialist, "forward", "2026-03-02 14:00", data={"assignee": officer.pk})
    assert d.current_unit == partner
    assert_rows_are_the_rule(*staff)
    assert list(dossier_inbox(user=officer, box="process")) == [d]
    # Back from the partner to the specialist, then on to the head: the partner keeps its sight.
    d = _act(d, officer, "return_step", "2026-03-03 09:00", reason="Thiếu số liệu")
    assert d.current_unit == org.dept
    assert_rows_are_the_rule(*staff)
    d = _act(d, org.specialist, "forward", "2026-03-03 10:00", data={"assignee": officer.pk})
    d = _act(d, officer, "forward", "2026-03-03 11:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", "2026-03-03 15:00")
    assert_rows_are_the_rule(*staff)
    assert dossier_visible(officer).filter(pk=d.pk).exists()
    # Filed and received at once: the partner's row is written with the filing.
    at_once = make_dossier()
    assert (partner.pk, at_once.pk) in rows()
    assert_rows_are_the_rule(*staff)


def test_a_hand_off_among_units_that_see_the_dossier_writes_no_row(org, make_dossier):
    from django.test.utils import CaptureQueriesContext

    d = make_dossier()
    with CaptureQueriesContext(connection) as q:
        _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    assert not [x for x in q.captured_queries if "dossiers_dossieraccess" in x["sql"]]


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_reproduces_the_rows_the_hand_offs_wrote(org, make_dossier, coordinated):
    partner, officer = coordinated
    d = make_dossier(accept=False)
    d = _act(d, org.desk, "accept", "2026-03-02 09:10")
    d = _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    make_dossier()
    make_dossier(accept=False, actor=org.citizen, channel=2)
    written = rows()
    assert (partner.pk, d.pk) in written

    out = StringIO()
    call_command("dossiers_rebuild_access", stdout=out)
    assert rows() == written
    assert "Đã thêm 0 và xóa 0 dòng" in out.getvalue()

    # Lost rows come back and a row the rule does not give goes, as the hand-offs wrote them.
    DossierAccess.objects.filter(dossier=d).delete()
    DossierAccess.objects.create(unit=org.other, dossier=d)
    call_command("dossiers_rebuild_access", stdout=out)
    assert rows() == written == previous_pairs()
    assert f"Đã thêm {len([p for p in written if p[1] == d.pk])} và xóa 1 dòng" in out.getvalue()

    # The migration's fill of the dossiers there were gives the same rows.
    DossierAccess.objects.all().delete()
    fill = importlib.import_module("dossiers.migrations.0015_dossier_access").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert rows() == written


def test_a_staff_member_with_a_proven_id_sees_their_own_dossier_of_another_unit(
        org, make_dossier):
    from accounts.models import IdentityProof

    mine = make_dossier()  # filed at the centre under APPLICANT's ID, decided by the department
    commune = org.other_desk
    assert not dossier_visible(commune).filter(pk=mine.pk).exists()
    commune.personal_id = mine.applicant_id_number
    commune.save(update_fields=["personal_id"])
    IdentityProof.objects.create(user=commune, kind=IdentityProof.Kind.PERSONAL,
                                 number=mine.applicant_id_number,
                                 method=IdentityProof.Method.VNEID, at=at("2026-03-02 10:00"))
    other_number = User.objects.get(pk=org.specialist.pk)
    other_number.personal_id = "079200001234"  # proven, but nothing filed under it
    other_number.save(update_fields=["personal_id"])
    IdentityProof.objects.create(user=other_number, kind=IdentityProof.Kind.PERSONAL,
                                 number="079200001234", method=IdentityProof.Method.VNEID,
                                 at=at("2026-03-02 10:00"))
    assert_rows_are_the_rule(other_number)
    commune = User.objects.get(pk=commune.pk)  # a new request: proofs read afresh
    assert list(dossier_visible(commune)) == [mine]
    assert list(dossier_inbox(user=commune, box="all")) == [mine]
    assert_rows_are_the_rule(commune)
