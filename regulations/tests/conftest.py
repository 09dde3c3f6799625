"""A province with a reform office, a department that proposes, one procedure in force."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Membership, Role, Unit, User
from catalog.models import Fee, Procedure, RequiredDocument, TimeLimit, Variant

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT = {"kind": 1, "name": "Trần Thị Bích", "id_number": "056185004321"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _user(username: str, unit: Unit | None, *roles: str) -> User:
    user = User.objects.create_user(username=username, password="x-Test-2026",
                                    kind=User.Kind.STAFF, full_name=username)
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def org(db):
    province = Unit.objects.create(code="000.00.00.H99", name="UBND tỉnh Thử nghiệm",
                                   kind=Unit.Kind.PROVINCE)
    home = Unit.objects.create(code="000.00.10.H99", name="Sở Nội vụ tỉnh Thử nghiệm",
                               kind=Unit.Kind.DEPARTMENT, parent=province)
    centre = Unit.objects.create(code="000.00.12.H99", name="Trung tâm PVHCC",
                                 kind=Unit.Kind.CENTRE, parent=province, receives_dossiers=True)
    dept = Unit.objects.create(code="000.00.15.H99", name="Sở Tư pháp tỉnh Thử nghiệm",
                               kind=Unit.Kind.DEPARTMENT, parent=province)
    other = Unit.objects.create(code="000.00.16.H99", name="Sở Xây dựng tỉnh Thử nghiệm",
                                kind=Unit.Kind.DEPARTMENT, parent=province)
    elsewhere = Unit.objects.create(code="000.00.00.H98", name="UBND tỉnh Khác",
                                    kind=Unit.Kind.PROVINCE)

    class Org:
        pass

    o = Org()
    o.province, o.home, o.centre, o.dept, o.other = province, home, centre, dept, other
    o.reform = _user("caicach", province, Role.REFORM)
    o.reform_elsewhere = _user("caicach.khac", elsewhere, Role.REFORM)
    o.specialist = _user("chuyenvien", dept, Role.SPECIALIST)
    o.other_specialist = _user("chuyenvien.xd", other, Role.SPECIALIST)
    o.desk = _user("tiepnhan", centre, Role.RECEIVING)
    o.procedure = Procedure.objects.create(
        code="1.000001", name="Cấp Phiếu lý lịch tư pháp", level=Procedure.Level.PROVINCE,
        competent_unit=dept, online_level=Procedure.OnlineLevel.FULL,
        requirements="Người yêu cầu có năng lực hành vi dân sự. Có xác nhận của nơi cư trú.")
    o.variant = Variant.objects.create(procedure=o.procedure, name="Trường hợp chung")
    o.limit = TimeLimit.objects.create(variant=o.variant, channel=1, amount=Decimal(10),
                                       unit="working_days")
    o.fee = Fee.objects.create(variant=o.variant, channel=1, name="Phí cấp phiếu",
                               amount=200000)
    o.doc_form = RequiredDocument.objects.create(variant=o.variant, name="Tờ khai", order=1)
    o.doc_residence = RequiredDocument.objects.create(
        variant=o.variant, name="Giấy xác nhận cư trú", order=2)
    return o


@pytest.fixture
def file_dossier(org):
    """A dossier filed at the desk at `when`, naming the papers of the version it was opened
    on."""
    from dossiers.services import dossier_create

    def make(when: str, *, variant=None):
        variant = variant or org.variant
        docs = [{"required_document": d.pk} for d in variant.documents.all()]
        dossier, _ = dossier_create(actor=org.desk, variant=variant, channel=1,
                                    receiving_unit=org.centre, applicant=APPLICANT,
                                    documents=docs, accept=True, at=at(when))
        return dossier

    return make
