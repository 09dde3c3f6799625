"""A small organisation and one procedure shared by the dossier tests."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Membership, Role, Unit, User
from catalog.models import Procedure, RequiredDocument, TimeLimit, Variant

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> datetime:
    """'2026-03-02 09:00' in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _user(username: str, unit: Unit | None, *roles: str, kind=User.Kind.STAFF) -> User:
    user = User.objects.create_user(username=username, password="x-Test-2026", kind=kind,
                                    full_name=username.replace(".", " ").title())
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def org(db):
    province = Unit.objects.create(code="000.00.00.H99", name="UBND tỉnh Thử nghiệm",
                                   kind=Unit.Kind.PROVINCE)
    centre = Unit.objects.create(code="000.00.12.H99", name="Trung tâm PVHCC tỉnh Thử nghiệm",
                                 kind=Unit.Kind.CENTRE, parent=province, receives_dossiers=True)
    dept = Unit.objects.create(code="000.00.15.H99", name="Sở Tư pháp tỉnh Thử nghiệm",
                               kind=Unit.Kind.DEPARTMENT, parent=province)
    other = Unit.objects.create(code="000.31.01.H99", name="UBND xã Khác",
                                kind=Unit.Kind.COMMUNE, parent=province, receives_dossiers=True)

    class Org:
        pass

    o = Org()
    o.province, o.centre, o.dept, o.other = province, centre, dept, other
    o.desk = _user("tiepnhan", centre, Role.RECEIVING)
    o.specialist = _user("chuyenvien", dept, Role.SPECIALIST)
    o.specialist2 = _user("chuyenvien2", dept, Role.SPECIALIST)
    o.head = _user("lanhdao", dept, Role.HEAD)
    o.other_desk = _user("tiepnhan.khac", other, Role.RECEIVING, Role.SPECIALIST, Role.HEAD)
    o.citizen = _user("congdan", None, kind=User.Kind.CITIZEN)
    o.procedure = Procedure.objects.create(
        code="1.000001", name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        search_text="cap phieu ly lich tu phap cho cong dan viet nam",
        level=Procedure.Level.PROVINCE, competent_unit=dept,
        online_level=Procedure.OnlineLevel.FULL)
    o.variant = Variant.objects.create(procedure=o.procedure, name="Trường hợp chung")
    TimeLimit.objects.create(variant=o.variant, channel=1, amount=Decimal(3),
                             unit="working_days")
    TimeLimit.objects.create(variant=o.variant, channel=2, amount=Decimal(2),
                             unit="working_days")
    o.doc_form = RequiredDocument.objects.create(variant=o.variant, name="Tờ khai yêu cầu",
                                                 copy_kind="original", count=1, order=1)
    o.doc_id = RequiredDocument.objects.create(variant=o.variant, name="Bản chụp CCCD",
                                               copy_kind="copy", count=1, order=2)
    return o


APPLICANT = {"kind": 1, "name": "Trần Thị Bích", "id_number": "056185004321",
             "address": "12 Trần Phú, Nha Trang", "phone": "0914222333"}


@pytest.fixture
def make_dossier(org):
    from dossiers.services import dossier_create

    def make(*, accept: bool = True, when: str = "2026-03-02 09:00", channel: int = 1,
             **kwargs):
        docs = [{"required_document": org.doc_form.pk}, {"required_document": org.doc_id.pk}]
        dossier, _ = dossier_create(actor=kwargs.pop("actor", org.desk), variant=org.variant,
                                    channel=channel, receiving_unit=org.centre,
                                    applicant=kwargs.pop("applicant", APPLICANT),
                                    documents=docs, accept=accept, at=at(when), **kwargs)
        return dossier

    return make


@pytest.fixture
def client_for(db):
    """A browser logged in as `user`."""
    from django.test import Client

    def make(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def root(db):
    """A browser logged in as a superuser with no unit: the Django admin's own reader, whose
    reads are logged like any officer's (the admin tests: its files, its personal data)."""
    from django.test import Client

    user = User.objects.create_superuser("quantri", "quantri@example.vn", "x-Test-2026")
    c = Client()
    c.force_login(user)
    return c


def list_url(client, url: str, params: dict) -> str:
    """The URL a staff list's search form leads to for `params`: the form is a POST, and a
    search by ID or phone number stands in the URL as the session's key (motcua/search_proof.py).
    A test that reads a list searched by number opens this URL as the officer's browser does."""
    response = client.post(url, params)
    assert response.status_code == 303, response.status_code
    return response["Location"]
