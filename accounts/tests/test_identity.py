"""accounts/services/identity.py and the desk page: an officer proves who holds an account."""

import pytest
from django.test import Client

from accounts.models import IdentityProof, Membership, PersonalDataAccess, Role, Unit, User
from accounts.selectors import proven_ids
from accounts.services.identity import (
    identity_prove_at_desk,
    identity_prove_vneid,
    identity_revoke,
)
from motcua.errors import DomainError

PID = "056185004321"
PAPER = "Thẻ căn cước số 056185004321, cấp ngày 01/07/2024"


@pytest.fixture
def desk(db):
    centre = Unit.objects.create(code="000.00.12.H99", name="Trung tâm PVHCC",
                                 kind=Unit.Kind.CENTRE, receives_dossiers=True)
    officer = User.objects.create_user(username="tiepnhan", password="x-Test-2026",
                                       kind=User.Kind.STAFF, full_name="Nguyễn Thị Lan")
    Membership.objects.create(user=officer, unit=centre, role=Role.RECEIVING)
    return officer, centre


def _citizen(username="an@example.vn", **fields) -> User:
    return User.objects.create_user(username=username, password="x-Test-2026",
                                    kind=User.Kind.CITIZEN, email=username, **fields)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_desk_page_finds_the_account_then_proves_it_on_confirmation(desk):
    officer, centre = desk
    citizen = _citizen(personal_id="001099000001")  # typed wrong at sign-up
    page = _client(officer)
    body = {"account": "AN@example.vn", "kind": "personal", "number": PID, "paper": PAPER,
            "unit": centre.pk}
    shown = page.post("/tai-khoan/xac-thuc-tai-quay/", body)
    assert shown.status_code == 200 and "Xác nhận xác thực" in shown.content.decode()
    assert not IdentityProof.objects.exists()  # nothing before the officer confirms
    done = page.post("/tai-khoan/xac-thuc-tai-quay/", body | {"confirmed": "True"})
    assert done.status_code == 302
    proof = IdentityProof.objects.get()
    assert (proof.user, proof.number, proof.officer, proof.unit, proof.paper) == (
        citizen, PID, officer, centre, PAPER)
    citizen.refresh_from_db()
    assert citizen.personal_id == PID and proven_ids(citizen) == {PID}


def test_the_desk_page_refuses_with_the_reason_on_the_field(desk):
    officer, centre = desk
    _citizen()
    page = _client(officer)
    base = {"kind": "personal", "paper": PAPER, "unit": centre.pk, "confirmed": "True"}
    r = page.post("/tai-khoan/xac-thuc-tai-quay/", base | {"account": "khong@co.vn",
                                                            "number": PID})
    assert r.status_code == 422 and "Không tìm thấy tài khoản" in r.content.decode()
    r = page.post("/tai-khoan/xac-thuc-tai-quay/", base | {"account": "an@example.vn",
                                                            "number": "123"})
    assert r.status_code == 422 and "12 chữ số" in r.content.decode()
    # What was typed stays in the form.
    assert 'value="an@example.vn"' in r.content.decode()
    assert not IdentityProof.objects.exists()


def test_only_a_desk_officer_proves_and_never_a_staff_account(desk):
    officer, centre = desk
    citizen = _citizen()
    specialist = User.objects.create_user(username="cv", password="x-Test-2026",
                                          kind=User.Kind.STAFF)
    Membership.objects.create(user=specialist, unit=centre, role=Role.SPECIALIST)
    assert _client(specialist).get("/tai-khoan/xac-thuc-tai-quay/").status_code == 403
    assert _client(citizen).get("/tai-khoan/xac-thuc-tai-quay/").status_code == 403
    with pytest.raises(DomainError):
        identity_prove_at_desk(officer=specialist, unit=centre, account=citizen,
                               kind="personal", number=PID, paper=PAPER)
    with pytest.raises(DomainError):
        identity_prove_at_desk(officer=officer, unit=centre, account=specialist,
                               kind="personal", number=PID, paper=PAPER)


def test_a_number_proven_elsewhere_needs_a_revocation_first(desk):
    officer, centre = desk
    first, second = _citizen(), _citizen("binh@example.vn")
    proof = identity_prove_at_desk(officer=officer, unit=centre, account=first,
                                   kind="personal", number=PID, paper=PAPER).proof
    with pytest.raises(DomainError) as err:
        identity_prove_at_desk(officer=officer, unit=centre, account=second,
                               kind="personal", number=PID, paper=PAPER)
    assert err.value.http_status == 409 and "thu hồi" in err.value.message
    with pytest.raises(DomainError, match="lý do"):
        identity_revoke(proof=proof, by=officer, reason=" ")
    identity_revoke(proof=proof, by=officer, reason="Xác thực nhầm tài khoản")
    moved = identity_prove_at_desk(officer=officer, unit=centre, account=second,
                                   kind="personal", number=PID, paper=PAPER)
    assert moved.account == second and moved.released_from == [first]
    first.refresh_from_db()
    assert first.personal_id is None and proven_ids(first) == frozenset()
    # Both proofs are kept: the revoked one says who, when and why.
    assert IdentityProof.objects.filter(revoked_at__isnull=False,
                                        revoke_reason="Xác thực nhầm tài khoản").count() == 1
    assert PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.IDENTITY_PROOF).count() == 2


def test_a_business_account_proves_its_enterprise_code(desk):
    officer, centre = desk
    business = _citizen("ketoan@congty.vn", tax_code="0100109106")
    business.kind = User.Kind.BUSINESS
    business.save()
    assert proven_ids(business) == frozenset()
    done = identity_prove_at_desk(officer=officer, unit=centre, account=business,
                                  kind="enterprise", number="0100109106",
                                  paper="Giấy chứng nhận đăng ký doanh nghiệp; giấy giới thiệu")
    assert proven_ids(done.account) == {"0100109106"}
    with pytest.raises(DomainError, match="doanh nghiệp"):
        identity_prove_at_desk(officer=officer, unit=centre, account=_citizen("x@y.vn"),
                               kind="enterprise", number="0100109106", paper=PAPER)


def test_a_proven_number_is_locked_on_the_profile(desk):
    officer, centre = desk
    citizen = identity_prove_at_desk(officer=officer, unit=centre, account=_citizen(),
                                     kind="personal", number=PID, paper=PAPER).account
    page = _client(citizen)
    html = page.get("/tai-khoan/thong-tin-ca-nhan/").content.decode()
    assert "Đã xác thực tại bộ phận một cửa" in html and "Trung tâm PVHCC" in html
    page.post("/tai-khoan/thong-tin-ca-nhan/", {"full_name": "An", "personal_id": "001099000001"})
    citizen.refresh_from_db()
    assert citizen.personal_id == PID


def test_vneid_proof_is_recorded_once_however_often_one_logs_in(db):
    citizen = _citizen(personal_id=PID)
    identity_prove_vneid(user=citizen, personal_id=PID)
    identity_prove_vneid(user=citizen, personal_id=PID)
    assert IdentityProof.objects.get().method == IdentityProof.Method.VNEID


def test_the_find_step_that_shows_an_accounts_declared_number_is_logged(desk):
    """audit10: the first screen shows the account's declared name and ID number to the officer
    before any confirmation; it logged nothing, so a desk officer could learn anyone's declared
    number from their e-mail or phone, unlogged (Decree 13/2023 art. 9)."""
    officer, centre = desk
    citizen = _citizen(personal_id="001099000001", full_name="Trần Văn An")
    page = _client(officer)
    shown = page.post("/tai-khoan/xac-thuc-tai-quay/", {
        "account": "an@example.vn", "kind": "personal", "number": PID, "paper": PAPER,
        "unit": centre.pk})
    assert "001099000001" in shown.content.decode()
    (read,) = PersonalDataAccess.objects.all()
    assert (read.user, read.unit, read.subject, read.subject_name, read.action,
            read.reference) == (officer, centre, "001099000001", "Trần Văn An",
                                PersonalDataAccess.Action.IDENTITY_PROOF, citizen.username)
    assert read.outcome == "Hiển thị, chưa xác nhận"
    # An account that declared no number: the number typed from the paper is the subject.
    _citizen(username="binh@example.vn", full_name="Lê Bình")
    page.post("/tai-khoan/xac-thuc-tai-quay/", {
        "account": "binh@example.vn", "kind": "personal", "number": PID, "paper": PAPER,
        "unit": centre.pk})
    assert PersonalDataAccess.objects.filter(subject=PID, subject_name="Lê Bình").exists()
    # No account found: nothing shown, nothing logged.
    page.post("/tai-khoan/xac-thuc-tai-quay/", {
        "account": "khong@co.vn", "kind": "personal", "number": PID, "paper": PAPER,
        "unit": centre.pk})
    assert PersonalDataAccess.objects.count() == 2
