"""The admin's pages besides the list and the change page that show a citizen's data (audit4,
docs/security.md "Searches by number" and "Pages opened by another site"):

- an object's history and its delete confirmation name the object (an identity proof by its
  number before this change) and, for a delete, every row that goes with it: a read, logged as
  the change page's is, and not run when another site opened the page;
- an admin search holding a number cut into short pieces (`05609 00012`), each under the
  six digits a single piece needed, still finds the person: proven and logged as a number.
"""

import re

import pytest

from accounts.models import PersonalDataAccess, User
from accounts.services.identity import identity_prove_vneid
from dossiers.models import Dossier

LOG = PersonalDataAccess.objects
ACTION = PersonalDataAccess.Action
NUMBER = "079190001234"
CROSS_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site"}
AN = {"kind": 1, "name": "Nguyễn Văn Ấn", "id_number": "056090001234",
      "address": "5 Lê Lợi, Nha Trang", "phone": "0387654321"}


@pytest.fixture
def proven(db):
    citizen = User.objects.create_user("congdan.an", kind=User.Kind.CITIZEN, full_name="Lê An",
                                       personal_id=NUMBER)
    proof = identity_prove_vneid(user=citizen, personal_id=NUMBER)
    LOG.all().delete()
    return citizen, proof


def _reads() -> list[tuple]:
    return list(LOG.order_by("pk").values_list("user__username", "subject", "action"))


def test_an_identity_proof_is_named_without_its_number(proven):
    """Its name is what the admin's history, its messages and another row's delete
    confirmation print: the list names the account, not the proven number."""
    _citizen, proof = proven
    assert NUMBER not in str(proof)
    assert "Lê An" in str(proof)


def test_the_admin_log_entries_written_before_no_longer_name_the_number(proven, root):
    # Entries logged under the proof's old name (its number) are renamed by a data migration.
    import importlib

    from django.apps import apps
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    citizen, proof = proven
    admin_user = User.objects.get(username="quantri")
    kind = ContentType.objects.get_for_model(proof)
    old = LogEntry.objects.create(user=admin_user, content_type=kind, object_id=str(proof.pk),
                                  object_repr=f"VNeID — {NUMBER}", action_flag=CHANGE)
    other = LogEntry.objects.create(user=admin_user,
                                    content_type=ContentType.objects.get_for_model(citizen),
                                    object_id=str(citizen.pk), object_repr="congdan.an",
                                    action_flag=CHANGE)
    migration = importlib.import_module(
        "accounts.migrations.0011_admin_log_identity_proofs_unnamed")
    migration.log_entries_renamed(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.object_repr == f"Xác thực danh tính #{proof.pk}" and NUMBER not in old.object_repr
    assert other.object_repr == "congdan.an"


@pytest.mark.parametrize("page", ["history", "delete"])
def test_an_accounts_history_and_delete_pages_are_logged_reads(org, root, proven, page):
    citizen, _proof = proven
    url = f"/admin/accounts/user/{citizen.pk}/{page}/"
    answer = root.get(url)
    assert answer.status_code == 200 and "Lê An" in answer.content.decode()
    assert _reads() == [("quantri", NUMBER, ACTION.ADMIN_VIEW)]
    # Opened by another site: nothing read, nothing logged, a link to open it here.
    LOG.all().delete()
    for site in ("cross-site", "same-site"):
        refused = root.get(url, HTTP_SEC_FETCH_SITE=site)
        assert refused.status_code == 200
        assert "Lê An" not in refused.content.decode()
        assert f'href="{url}"' in refused.content.decode()
    assert _reads() == []


def test_an_identity_proofs_history_is_a_logged_read(org, root, proven):
    _citizen, proof = proven
    answer = root.get(f"/admin/accounts/identityproof/{proof.pk}/history/")
    assert answer.status_code == 200
    assert _reads() == [("quantri", NUMBER, ACTION.ADMIN_VIEW)]


def test_the_bulk_delete_confirmation_is_a_logged_read(org, root):
    # Without a proof: a proof is not deleted from the admin (the page would only refuse).
    citizen = User.objects.create_user("congdan.an", kind=User.Kind.CITIZEN, full_name="Lê An",
                                       personal_id=NUMBER)
    answer = root.post("/admin/accounts/user/", {"action": "delete_selected",
                                                 "_selected_action": [citizen.pk]})
    assert answer.status_code == 200 and "Lê An" in answer.content.decode()
    assert _reads() == [("quantri", NUMBER, ACTION.ADMIN_VIEW)]
    assert User.objects.filter(pk=citizen.pk).exists()
    # Confirmed, the deletion shows nothing more: no second read.
    root.post("/admin/accounts/user/", {"action": "delete_selected", "post": "yes",
                                        "_selected_action": [citizen.pk]})
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert len(_reads()) == 1


def test_a_dossiers_history_page_is_a_logged_read(org, root, make_dossier):
    dossier = make_dossier(applicant=AN)
    LOG.all().delete()
    url = f"/admin/dossiers/dossier/{dossier.pk}/history/"
    assert root.get(url, **CROSS_SITE).status_code == 200
    assert _reads() == []
    assert root.get(url).status_code == 200
    assert _reads() == [("quantri", AN["id_number"], ACTION.DOSSIER_OPEN)]


def _proof(html: str) -> str:
    return re.search(r'name="_tu_trang" value="([0-9a-f]+)"', html).group(1)


@pytest.mark.parametrize("typed", ['"05609" "00012"', "Văn 05609 00012", "Ấn 056 090 00"])
def test_an_admin_number_cut_into_short_pieces_is_proven_and_logged(org, root, make_dossier,
                                                                    typed):
    """Django's admin search matches each word on its own: pieces of a number, none of six
    digits, together find the person as the whole number does."""
    make_dossier()  # Trần Thị Bích, 056185004321
    an = make_dossier(applicant=AN, when="2026-03-03 09:00")
    LOG.all().delete()
    url = "/admin/dossiers/dossier/"
    forged = root.get(url, {"q": typed}, **CROSS_SITE)
    assert {d.code for d in Dossier.objects.all() if d.code in forged.content.decode()} == \
        set(Dossier.objects.values_list("code", flat=True))
    assert "Chưa tìm theo số" in forged.content.decode()
    assert not LOG.exists()
    found = root.get(url, {"q": typed, "_tu_trang": _proof(forged.content.decode())})
    html = found.content.decode()
    assert an.code in html
    assert [c for c in Dossier.objects.exclude(pk=an.pk).values_list("code", flat=True)
            if c in html] == []
    assert list(LOG.values_list("subject", "action", "reference")) == [
        (AN["id_number"], ACTION.LIST_SEARCH, an.code)]
