"""The Django admin's reads of citizens' data are logged as the staff pages' are
(accounts/admin_reads.py, docs/security.md): opening a dossier, an account, an identity proof, a
stored paper or a message; a list searched by an ID or phone number. The lists show no numbers.
"""

import re
from datetime import UTC, datetime

from django.test import Client

from accounts.models import PersonalDataAccess, User
from accounts.services.identity import identity_prove_vneid
from dossiers.tests.conftest import APPLICANT
from notifications.models import Notification
from results.models import StoredDocument

ACTION = PersonalDataAccess.Action
OWNER_ID = APPLICANT["id_number"]
PHONE = APPLICANT["phone"]


def _searched(client: Client, url: str, q: str):
    """A search typed into the admin list's search box: its form carries the session's proof
    (accounts/admin_reads.py), read here from the list page as the browser submits it."""
    page = client.get(url).content.decode()
    proof = re.search(r'name="_tu_trang" value="([0-9a-f]+)"', page).group(1)
    return client.get(url, {"q": q, "_tu_trang": proof})


def _reads() -> list[tuple]:
    return list(PersonalDataAccess.objects.order_by("pk")
                .values_list("user__username", "subject", "action", "reference"))


def test_a_dossiers_admin_page_is_a_logged_read_of_its_applicant(org, make_dossier, root):
    dossier = make_dossier()
    PersonalDataAccess.objects.all().delete()
    page = root.get(f"/admin/dossiers/dossier/{dossier.pk}/change/")
    assert page.status_code == 200 and OWNER_ID in page.content.decode()
    assert _reads() == [("quantri", OWNER_ID, ACTION.DOSSIER_OPEN, dossier.code)]
    row = PersonalDataAccess.objects.get()
    assert row.purpose == "Xem hồ sơ trong trang quản trị"
    assert row.subject_name == APPLICANT["name"]


def test_the_admin_shows_no_lookup_secret_or_payment_link(org, make_dossier, root):
    """audit9: the secret (and the payment page's token) open the public lookup, the result's
    download and the payment page to whoever holds them, unlogged; the admin shows neither."""
    from payments.models import Payment

    dossier = make_dossier()
    payment = Payment.objects.create(dossier=dossier, reference="PAY-AUDIT9", amount=1000,
                                     public_token="tok-audit9-" + "x" * 32,
                                     created_at=dossier.submitted_at)
    page = root.get(f"/admin/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert dossier.code in page and dossier.lookup_secret not in page
    page = root.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert "PAY-AUDIT9" in page and payment.public_token not in page


def test_the_dossier_list_names_and_a_search_by_number_is_logged(org, make_dossier, root):
    dossier = make_dossier()
    PersonalDataAccess.objects.all().delete()
    url = "/admin/dossiers/dossier/"
    listing = root.get(url)
    assert listing.status_code == 200 and dossier.code in listing.content.decode()
    assert OWNER_ID not in listing.content.decode()
    # A name or a code is how work is routed: no read of anyone's number.
    assert root.get(url, {"q": "Bích"}).status_code == 200
    assert root.get(url, {"q": dossier.code}).status_code == 200
    assert _reads() == []
    found = _searched(root, url, OWNER_ID)
    assert dossier.code in found.content.decode()
    assert _reads() == [("quantri", OWNER_ID, ACTION.LIST_SEARCH, dossier.code)]
    # An ID that finds nothing was still asked about.
    _searched(root, url, "001099000001")
    assert _reads()[-1] == ("quantri", "001099000001", ACTION.LIST_SEARCH, "")


def test_an_accounts_page_and_a_search_by_phone_are_logged(org, root):
    citizen = User.objects.create_user("congdan.an", kind=User.Kind.CITIZEN, full_name="Lê An",
                                       personal_id="079190001234", phone="0987654321")
    listing = root.get("/admin/accounts/user/")
    assert listing.status_code == 200 and "congdan.an" in listing.content.decode()
    assert "079190001234" not in listing.content.decode()
    assert _reads() == []
    assert root.get(f"/admin/accounts/user/{citizen.pk}/change/").status_code == 200
    assert _reads() == [("quantri", "079190001234", ACTION.ADMIN_VIEW, "congdan.an")]
    # Typed with spaces, Django's search matches each group: a search by the number all the same.
    for typed in ("0987654321", "0987 654 321"):
        found = _searched(root, "/admin/accounts/user/", typed)
        assert "congdan.an" in found.content.decode()
        assert _reads()[-1] == ("quantri", "079190001234", ACTION.ADMIN_SEARCH, "congdan.an")
    assert PersonalDataAccess.objects.filter(action=ACTION.ADMIN_SEARCH).count() == 2
    assert "«0987654321»" in PersonalDataAccess.objects.order_by("pk").last().purpose
    # A phone number that finds nothing names no one: nothing to log.
    count = len(_reads())
    _searched(root, "/admin/accounts/user/", "0911000000")
    assert len(_reads()) == count


def test_identity_proofs_stored_papers_and_messages_are_logged_reads(org, make_dossier, root):
    dossier = make_dossier()
    citizen = User.objects.create_user("congdan.an", kind=User.Kind.CITIZEN, full_name="Lê An")
    proof = identity_prove_vneid(user=citizen, personal_id="079190001234")
    stored = StoredDocument.objects.create(
        kind=StoredDocument.Kind.RESULT, title="Phiếu lý lịch tư pháp số 1",
        document_number="12/PLLTP", issuer_unit=org.dept, owner_id_number=OWNER_ID,
        owner_name=APPLICANT["name"], issued_at=datetime(2026, 3, 5, tzinfo=UTC),
        file="results/x.pdf")
    message = Notification.objects.create(
        dossier=dossier, kind=Notification._meta.get_field("kind").choices[0][0],
        channel="sms", recipient=PHONE, body="Hồ sơ đã được tiếp nhận",
        next_try_at=datetime(2026, 3, 2, tzinfo=UTC))
    PersonalDataAccess.objects.all().delete()
    for url, number in (("/admin/accounts/identityproof/", "079190001234"),
                        ("/admin/results/storeddocument/", OWNER_ID),
                        ("/admin/notifications/notification/", PHONE)):
        listing = root.get(url)
        assert listing.status_code == 200 and number not in listing.content.decode(), url
    assert _reads() == []
    for url in (f"/admin/accounts/identityproof/{proof.pk}/change/",
                f"/admin/results/storeddocument/{stored.pk}/change/",
                f"/admin/notifications/notification/{message.pk}/change/"):
        assert root.get(url).status_code == 200, url
    assert _reads() == [("quantri", "079190001234", ACTION.ADMIN_VIEW, "congdan.an"),
                        ("quantri", OWNER_ID, ACTION.ADMIN_VIEW, "12/PLLTP"),
                        ("quantri", OWNER_ID, ACTION.ADMIN_VIEW, dossier.code)]
    _searched(root, "/admin/notifications/notification/", PHONE)
    assert _reads()[-1] == ("quantri", OWNER_ID, ACTION.ADMIN_SEARCH, dossier.code)


def test_an_outbox_messages_page_is_a_logged_read_of_the_dossiers_owner(org, make_dossier,
                                                                         root):
    """Its payload is the dossier's record for the national portal, applicant data included."""
    from sync.models import OutboxMessage

    dossier = make_dossier()
    message = OutboxMessage.objects.filter(dossier=dossier).order_by("seq").first()
    PersonalDataAccess.objects.all().delete()
    page = root.get(f"/admin/sync/outboxmessage/{message.pk}/change/")
    assert page.status_code == 200 and OWNER_ID in page.content.decode()
    assert _reads() == [("quantri", OWNER_ID, ACTION.ADMIN_VIEW, dossier.code)]


def test_national_records_evaluations_and_result_drafts_are_logged_reads(org, make_dossier,
                                                                         root):
    # Each page shows the owner's data (a national record's snapshot, a comment in the citizen's
    # words, a draft of the paper naming them): Decree 13/2023 art. 9, whatever the screen.
    from evaluations.models import Evaluation
    from evaluations.tests.conftest import answers
    from results.models import ResultDraft
    from sync.models import Installation, NationalDossier

    dossier = make_dossier()
    station = Installation.objects.create(unit_code="H99", name="Tỉnh thử", username="h99",
                                          password="!")
    record = NationalDossier.objects.create(
        code="000.00.12.H99-260302-0001", installation=station, status=2,
        data={"MaHoSo": "000.00.12.H99-260302-0001", "ChuHoSo": "Trần Thị Bích",
              "SoGiayToChuHoSo": "079190005678", "SoDienThoai": "0912345678"})
    evaluation = Evaluation.objects.create(
        dossier=dossier, unit=org.dept, channel="online",
        **answers(2, comment="Gọi tôi qua số 0912345678"))
    draft = ResultDraft.objects.create(
        dossier=dossier, version=1, title="Quyết định", subject="Cấp phiếu",
        body=f"Cấp cho {APPLICANT['name']}", recipients="Như trên",
        created_at=datetime(2026, 3, 3, tzinfo=UTC))
    PersonalDataAccess.objects.all().delete()
    for url in ("/admin/sync/nationaldossier/", "/admin/evaluations/evaluation/",
                "/admin/results/resultdraft/"):
        assert root.get(url).status_code == 200, url
    assert _reads() == []
    for url in (f"/admin/sync/nationaldossier/{record.pk}/change/",
                f"/admin/evaluations/evaluation/{evaluation.pk}/change/",
                f"/admin/results/resultdraft/{draft.pk}/change/"):
        assert root.get(url).status_code == 200, url
    assert _reads() == [("quantri", "079190005678", ACTION.ADMIN_VIEW, record.code),
                        ("quantri", OWNER_ID, ACTION.ADMIN_VIEW, dossier.code),
                        ("quantri", OWNER_ID, ACTION.ADMIN_VIEW, dossier.code)]
    # The evaluations' list is searched in the comments too: a search by a phone is logged.
    found = _searched(root, "/admin/evaluations/evaluation/", "0912345678")
    assert dossier.code in found.content.decode()
    assert _reads()[-1] == ("quantri", OWNER_ID, ACTION.ADMIN_SEARCH, dossier.code)


def test_the_admins_account_picker_finds_by_name_never_by_number(org, root):
    # A signature block's signer is picked from the accounts by the admin's autocomplete: by ID,
    # phone or e-mail it would tell who holds a number (or its first digits), unlogged.
    User.objects.create_user("congdan.binh", kind=User.Kind.CITIZEN, full_name="Trần Bình",
                             personal_id="079190005678", phone="0987000111",
                             email="binh@example.vn")

    def picked(term: str) -> list[str]:
        response = root.get("/admin/autocomplete/", {
            "app_label": "results", "model_name": "signatureblock", "field_name": "signer",
            "term": term})
        assert response.status_code == 200
        return [row["text"] for row in response.json()["results"]]

    assert picked("Trần Bình") == ["Trần Bình"] and picked("congdan.binh") == ["Trần Bình"]
    for number in ("079190005678", "0791900", "0987000111", "binh@example"):
        assert picked(number) == [], number
    assert _reads() == []
    # The accounts' own list still finds the person by the number, proven and logged.
    assert "congdan.binh" in _searched(root, "/admin/accounts/user/", "079190005678"
                                       ).content.decode()
    assert _reads()[-1][1] == "079190005678"
