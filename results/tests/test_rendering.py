"""A result no one signs is issued in the approval's transaction and rendered after it, once
(results/rendering.py): by the worker, or by the first download, verification or hand-over."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from reportlab import rl_config

from dossiers.models import DossierEvent, State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from results import rendering
from results.documents import result_render
from results.drafting import result_facts
from results.models import ResultCounter, StoredDocument
from results.services import signer_block, verify_url


class Renders(list):
    """The document numbers of every rendering of a result's PDF, in order; `delay` (seconds)
    makes each rendering last longer, to widen the window of a race."""

    delay = 0.0


@pytest.fixture
def renders(monkeypatch):
    calls = Renders()

    def counted(facts, kind):
        calls.append(facts.document_number)
        if calls.delay:
            threading.Event().wait(calls.delay)
        return result_render(facts, kind)

    monkeypatch.setattr(rendering, "result_render", counted)
    return calls


@pytest.fixture
def invariant(monkeypatch):
    # reportlab writes the moment of rendering and a random file identifier into every PDF;
    # its invariant mode leaves both out, so two renderings of the same facts compare byte for
    # byte and a test can tell "the same document" from "a document like it".
    monkeypatch.setattr(rl_config, "invariant", 1)


def _approved(org, make_dossier):
    d = dossier_act(dossier=make_dossier(), actor=org.desk, action="forward",
                    data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
    d = dossier_act(dossier=d, actor=org.specialist, action="forward",
                    data={"assignee": org.head.pk}, at=at("2026-03-03 09:00"))
    return dossier_act(dossier=d, actor=org.head, action="approve", at=at("2026-03-03 15:00"))


def _as_rendered_in_the_approval(dossier, stored, org, number: str = "1/KQ-STPTTN") -> bytes:
    """The PDF the approval rendered in its transaction until now, for the same result: the
    same facts from the dossier, the head's block, the code it was issued with and `number`
    (taken after the commit now: results/numbering.py)."""
    issuer = stored.issuer_unit
    planned = result_facts(dossier, at=stored.issued_at, uid=str(stored.uid),
                           number=number, verify_url=verify_url(stored.uid),
                           block=signer_block(issuer, org.head), draft=None, issuer=issuer)
    return result_render(planned.facts, planned.kind)


def _file(stored) -> bytes:
    with stored.file.open("rb") as f:
        return f.read()


def test_the_approval_issues_the_result_and_the_worker_renders_it_once(org, make_dossier,
                                                                       renders, invariant):
    dossier = _approved(org, make_dossier)
    assert dossier.state == State.DECIDED
    stored = StoredDocument.objects.get(dossier=dossier)
    # Issued in the approval's transaction: in the owner's store, nothing drawn yet, and not
    # numbered yet — the approval leaves its unit's counter alone (results/numbering.py).
    assert renders == []
    assert stored.document_number == "" and stored.owner_id_number == "056185004321"
    assert not stored.file and stored.facts and not stored.signed
    assert stored.facts["number_pending"] == ["KQ", "/KQ-STPTTN"]
    assert not ResultCounter.objects.exists()
    assert StoredDocument.objects.filter(file="").count() == 1

    call_command("results_render", verbosity=0)
    assert renders == ["1/KQ-STPTTN"]
    stored.refresh_from_db()
    assert stored.document_number == "1/KQ-STPTTN"
    assert ResultCounter.objects.get().last == 1
    content = _file(stored)
    assert content == _as_rendered_in_the_approval(dossier, stored, org)
    assert stored.size == len(content) and stored.facts == {}
    # Once: the next round, a download and the hand-over find the file.
    call_command("results_render", verbosity=0)
    web = Client()
    web.force_login(org.desk)
    r = web.get(_download_url(stored))
    assert r.status_code == 200 and b"".join(r.streaming_content) == content
    assert renders == ["1/KQ-STPTTN"]


def test_a_unit_renamed_before_the_rendering_keeps_the_name_it_issued_under(org, make_dossier,
                                                                             invariant):
    dossier = _approved(org, make_dossier)
    stored = StoredDocument.objects.select_related("issuer_unit__parent").get(dossier=dossier)
    issued = _as_rendered_in_the_approval(dossier, stored, org)
    issuer = stored.issuer_unit
    assert issuer.parent_id  # the header prints the parent's name too
    # A reorganisation renames the department and its parent before any worker ran.
    type(issuer).objects.filter(pk=issuer.pk).update(name="Sở Tư pháp và Nội vụ")
    type(issuer).objects.filter(pk=issuer.parent_id).update(name="UBND tỉnh mới")
    call_command("results_render", verbosity=0)
    stored.refresh_from_db()
    assert _file(stored) == issued


def _download_url(stored) -> str:
    from django.urls import reverse

    return reverse("api:results-download", args=[stored.uid])


def test_the_desk_hands_over_the_file_that_was_issued(org, make_dossier, renders, invariant):
    dossier = _approved(org, make_dossier)
    stored = StoredDocument.objects.get(dossier=dossier)
    issued = _as_rendered_in_the_approval(dossier, stored, org)
    d = dossier_act(dossier=dossier, actor=org.desk, action="mark_result_ready",
                    at=at("2026-03-03 16:00"))
    # No worker has run: returning the result is its first need, so it is rendered then.
    d = dossier_act(dossier=d, actor=org.desk, action="return_result",
                    data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}},
                    at=at("2026-03-04 08:00"))
    assert d.state == State.RETURNED
    assert renders == ["1/KQ-STPTTN"]
    stored.refresh_from_db()
    assert _file(stored) == issued
    event = DossierEvent.objects.get(dossier=d, action="return_result")
    assert event.data["result_electronic"] is False  # unsigned: not an electronic result
    # The verification page and the owner's store list read it without rendering again.
    assert Client().get(f"/xac-thuc/{stored.uid}/").status_code == 200
    assert renders == ["1/KQ-STPTTN"]


def test_the_owners_store_lists_the_files_digest(org, make_dossier, renders):
    import hashlib

    from accounts.models import User
    from accounts.services.identity import identity_prove_vneid
    from dossiers.tests.test_api import client_for

    stored = StoredDocument.objects.get(dossier=_approved(org, make_dossier))
    owner = User.objects.create_user(username="chu.so.huu", kind=User.Kind.CITIZEN,
                                     full_name="Trần Thị Bích", personal_id="056185004321")
    identity_prove_vneid(user=owner, personal_id="056185004321")
    listed = client_for(owner).get("/api/v1/kho-du-lieu/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["uid"] for row in rows] == [str(stored.uid)]
    stored.refresh_from_db()
    # The store's first read of it rendered it: the digest and size it lists are the file's.
    assert renders == ["1/KQ-STPTTN"]
    assert rows[0]["sha256"] == hashlib.sha256(_file(stored)).hexdigest() != ""
    assert rows[0]["size"] == stored.size > 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_downloads_render_it_once(org, make_dossier, renders):
    stored = StoredDocument.objects.get(dossier=_approved(org, make_dossier))
    assert not stored.file
    renders.delay = 0.5  # the first rendering is still running when the second asks
    barrier = threading.Barrier(2)
    bodies: list[bytes] = []
    errors: list[BaseException] = []

    def download(user):
        try:
            web = Client()
            web.force_login(user)
            barrier.wait()
            r = web.get(_download_url(stored))
            assert r.status_code == 200, r.status_code
            bodies.append(b"".join(r.streaming_content))
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)
        finally:
            connection.close()

    workers = [threading.Thread(target=download, args=(u,)) for u in (org.desk, org.head)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert renders == ["1/KQ-STPTTN"]
    stored.refresh_from_db()
    assert len(bodies) == 2 and bodies[0] == bodies[1] == _file(stored)


@pytest.mark.django_db
def test_the_kept_facts_are_dumped_without_asking_what_a_text_is(org, make_dossier,
                                                                  monkeypatch):
    """What a result prints is kept as JSON (rendering.facts_dump) as before: every field but
    the issuer, a moment and a date as ISO text, the signature lines as a list; a text field
    (most of them) is taken as it is, without `isinstance` asked of it (issue #18)."""
    from datetime import date, datetime

    from results.documents import ResultFacts

    dossier = make_dossier()
    facts = result_facts(dossier, at=at("2026-03-02 09:00"), uid="u-1", number="7/QĐ-STP",
                         verify_url="http://x/v/u-1", block=None, draft=None,
                         issuer=dossier.procedure.competent_unit)
    facts.facts.valid_until = date(2031, 3, 2)
    facts.facts.signature_lines = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    expected = {rendering.ISSUER_NAMES: [
        facts.facts.issuer.name,
        facts.facts.issuer.parent.name if facts.facts.issuer.parent_id else ""]}
    for name in ResultFacts.__dataclass_fields__:
        value = getattr(facts.facts, name)
        if name != "issuer":
            expected[name] = (value.isoformat() if isinstance(value, datetime | date)
                              else list(value) if isinstance(value, tuple) else value)
    asked = []
    monkeypatch.setattr(rendering, "isinstance",
                        lambda value, kinds: asked.append(value) or isinstance(value, kinds),
                        raising=False)
    dumped = rendering.facts_dump(facts.facts, uploaded=False)
    assert dumped == expected and list(dumped) == list(expected)
    assert expected["issued_at"].startswith("2026-03-02T")
    assert expected["valid_until"] == "2031-03-02"
    assert expected["signature_lines"] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert asked and not any(type(value) is str for value in asked)
    assert rendering.facts_dump(facts.facts, uploaded=True)[rendering.UPLOADED] is True
