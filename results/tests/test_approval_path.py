"""The approval's share of the results app, lean (issue #18): the result stored unnumbered and
numbered after the commit in the order of issue, gap-free under concurrency; the signature
block read once per worker and reference version; the draft versions and the hand-over's read
skipped when the dossier's lock statement says there is nothing to read
(results/lock_reads.py)."""

from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from motcua.testing import at_once
from results.lock_reads import results_lock_reads
from results.models import ResultCounter, SignatureBlock, StoredDocument
from results.numbering import result_numbered, results_number_all
from results.rendering import dossier_results_hand_over, results_render_pending


def _at_head(org, make_dossier) -> Dossier:
    d = dossier_act(dossier=make_dossier(), actor=org.desk, action="forward",
                    data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
    return dossier_act(dossier=d, actor=org.specialist, action="forward",
                       data={"assignee": org.head.pk}, at=at("2026-03-03 09:00"))


def _approve(org, dossier: Dossier) -> Dossier:
    return dossier_act(dossier=dossier, actor=org.head, action="approve",
                       at=at("2026-03-03 15:00"))


def _sql(q: CaptureQueriesContext) -> list[str]:
    return [x["sql"] for x in q.captured_queries]


def _numbers() -> list[str]:
    """The results' numbers in the order of their issue (`issued_at`, id)."""
    return list(StoredDocument.objects.filter(kind=StoredDocument.Kind.RESULT)
                .order_by("issued_at", "pk").values_list("document_number", flat=True))


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_and_gap_free_under_concurrent_approvals_and_numberers(
        org, make_dossier):
    waiting = [_at_head(org, make_dossier) for _ in range(6)]
    errors = at_once([partial(_approve, org, d) for d in waiting])
    assert errors == []
    # The approvals left their unit's yearly counter alone: stored unnumbered (issue #18).
    assert not ResultCounter.objects.exists()
    stored = list(StoredDocument.objects.filter(kind=StoredDocument.Kind.RESULT)
                  .order_by("issued_at", "pk"))
    assert [s.document_number for s in stored] == [""] * 6
    # Six first readers at once, each of another result, the latest first: each numbers its
    # own and every earlier one of the series, under the counter row's lock.
    errors = at_once([partial(result_numbered, s) for s in reversed(stored)])
    assert errors == []
    assert _numbers() == [f"{n}/KQ-STPTTN" for n in range(1, 7)]
    assert ResultCounter.objects.get().last == 6
    for s in StoredDocument.objects.all():
        # What the row keeps to render the result carries the same number, and no longer the
        # series it waited in.
        assert s.facts["document_number"] == s.document_number
        assert "number_pending" not in s.facts


@pytest.mark.django_db
def test_a_rolled_back_approval_gives_its_number_back(org, make_dossier):
    first, second = _at_head(org, make_dossier), _at_head(org, make_dossier)
    with pytest.raises(RuntimeError), transaction.atomic():
        _approve(org, first)
        raise RuntimeError("the request failed after the approval")
    assert not StoredDocument.objects.exists()
    _approve(org, second)
    assert results_number_all() == 1
    assert StoredDocument.objects.get().document_number == "1/KQ-STPTTN"


@pytest.mark.django_db
def test_a_rolled_back_numbering_gives_its_numbers_back(org, make_dossier):
    for d in (_at_head(org, make_dossier), _at_head(org, make_dossier)):
        _approve(org, d)
    stored = StoredDocument.objects.order_by("pk")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert results_number_all() == 2
        assert _numbers() == ["1/KQ-STPTTN", "2/KQ-STPTTN"]
        raise RuntimeError("the numbering failed before its commit")
    assert _numbers() == ["", ""]
    assert not ResultCounter.objects.exists()  # made by the numbering: rolled back with it
    # The next numbering gives the same numbers, the first only to the first one asked.
    assert result_numbered(stored[0]).document_number == "1/KQ-STPTTN"
    assert _numbers() == ["1/KQ-STPTTN", ""]
    assert result_numbered(stored[1]).document_number == "2/KQ-STPTTN"


@pytest.mark.django_db
def test_numbers_follow_the_order_of_issue_whoever_is_numbered_first(org, make_dossier):
    """The later approval's reader comes first: the earlier result takes 1 all the same, and
    the version the later one was issued from carries its number."""
    d1, d2 = _at_head(org, make_dossier), _at_head(org, make_dossier)
    dossier_act(dossier=d1, actor=org.head, action="approve", at=at("2026-03-03 15:00"))
    dossier_act(dossier=d2, actor=org.head, action="approve", at=at("2026-03-03 14:00"))
    later = StoredDocument.objects.get(dossier=d1)
    earlier = StoredDocument.objects.get(dossier=d2)
    with CaptureQueriesContext(connection) as q:
        assert result_numbered(later).document_number == "2/KQ-STPTTN"
    # Both in one transaction: the counter's lock, the read, the two rows, the versions, the
    # counter's last number.
    writes = [s for s in _sql(q) if s.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 4
    earlier.refresh_from_db()
    assert earlier.document_number == "1/KQ-STPTTN"
    # Numbered once: asking again sends nothing.
    with CaptureQueriesContext(connection) as q:
        result_numbered(later)
    assert q.captured_queries == []


@pytest.mark.django_db
def test_the_year_is_the_issues_not_the_numberings(org, make_dossier):
    """Approved on 31 December (Asia/Ho_Chi_Minh; 16:30 UTC) and on 1 January, numbered in
    January, the later one first: each in its own year's series (Decree 30/2020, Article 15)."""
    d1, d2 = _at_head(org, make_dossier), _at_head(org, make_dossier)
    dossier_act(dossier=d1, actor=org.head, action="approve", at=at("2026-12-31 23:30"))
    dossier_act(dossier=d2, actor=org.head, action="approve", at=at("2027-01-01 00:30"))
    new_year = StoredDocument.objects.get(dossier=d2)
    old_year = StoredDocument.objects.get(dossier=d1)
    assert result_numbered(new_year).document_number == "1/KQ-STPTTN"
    # The new year's numbering left the old year's result alone.
    old_year.refresh_from_db()
    assert old_year.document_number == ""
    assert result_numbered(old_year).document_number == "1/KQ-STPTTN"
    assert dict(ResultCounter.objects.values_list("year", "last")) == {2026: 1, 2027: 1}


@pytest.mark.django_db
def test_the_signature_block_is_read_once_per_worker_until_a_block_changes(org, make_dossier):
    block = SignatureBlock.objects.create(unit=org.dept, signer=org.head, authority="KT",
                                          on_behalf_of="Giám đốc", signer_title="Phó Giám đốc")
    dossiers = [_at_head(org, make_dossier) for _ in range(3)]
    _approve(org, dossiers[0])
    with CaptureQueriesContext(connection) as q:
        _approve(org, dossiers[1])
    sql = _sql(q)
    assert not [s for s in sql if s.startswith('SELECT "results_signatureblock"')]
    # None of these dossiers has a draft version: the lock statement said so, none is read.
    assert not [s for s in sql if s.startswith('SELECT "results_resultdraft"')]
    block.signer_title = "Phó Giám đốc thường trực"
    block.save()
    with CaptureQueriesContext(connection) as q:
        _approve(org, dossiers[2])
    assert [s for s in _sql(q) if s.startswith('SELECT "results_signatureblock"')]
    titles = dict(StoredDocument.objects.values_list("dossier_id", "signer_title"))
    assert [titles[d.pk] for d in dossiers] == ["Phó Giám đốc", "Phó Giám đốc",
                                                "Phó Giám đốc thường trực"]
    # The signer's name is the approving head's as it is now, never a copy kept with the block.
    org.head.first_name = "Tên Mới"
    org.head.save()
    fourth = _at_head(org, make_dossier)
    _approve(org, fourth)
    assert StoredDocument.objects.get(dossier=fourth).signer_name == org.head.display_name


@pytest.mark.django_db
def test_the_issue_is_said_after_the_commit_only_where_the_level_lets_it_through(
        org, make_dossier, monkeypatch, django_capture_on_commit_callbacks):
    """The approval says "Result … issued" once committed, at INFO; where the level drops it (an
    installation's default, WARNING) it registers nothing with the transaction (issue #18)."""
    import logging

    from results import services

    said = []
    monkeypatch.setattr(services.log, "info", lambda *args: said.append(args))
    quiet, told = _at_head(org, make_dossier), _at_head(org, make_dossier)
    monkeypatch.setattr(services.log, "isEnabledFor", lambda level: level >= logging.WARNING)
    with django_capture_on_commit_callbacks(execute=True):
        _approve(org, quiet)
    assert said == []
    monkeypatch.setattr(services.log, "isEnabledFor", lambda level: level >= logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        _approve(org, told)
        assert said == []
    assert [args[2] for args in said] == [told.code]


def _as_locked(dossier: Dossier) -> Dossier:
    """The dossier with what the action's lock statement reads for results."""
    return Dossier.objects.annotate(**results_lock_reads()).get(pk=dossier.pk)


@pytest.mark.django_db
def test_the_hand_over_reads_nothing_once_the_result_is_rendered(org, make_dossier):
    approved = _approve(org, _at_head(org, make_dossier))
    pending = _as_locked(approved)
    with CaptureQueriesContext(connection) as q:
        # Still pending: read and rendered now, since it is handed over.
        assert dossier_results_hand_over(dossier_id=approved.pk, dossier=pending) is False
    assert len(q) >= 2 and StoredDocument.objects.get().file
    rendered = _as_locked(approved)
    with CaptureQueriesContext(connection) as q:
        # Unsigned here (no certificates): not a valid electronic result.
        assert dossier_results_hand_over(dossier_id=approved.pk, dossier=rendered) is False
    assert len(q) == 0
    StoredDocument.objects.update(signatures=[{"role": "seal", "name": "Sở", "at": ""}])
    with CaptureQueriesContext(connection) as q:
        assert dossier_results_hand_over(dossier_id=approved.pk,
                                         dossier=_as_locked(approved)) is True
    assert len(q) == 1  # the dossier's own read, in _as_locked
    assert results_render_pending() == 0


@pytest.mark.django_db
def test_what_the_lock_statement_read_for_results_is_not_kept_past_the_action(org, make_dossier):
    from results.lock_reads import NAMES

    forwarded = _at_head(org, make_dossier)
    approved = _approve(org, forwarded)
    for dossier in (forwarded, approved):
        assert not [name for name in NAMES if name in dossier.__dict__]


@pytest.mark.django_db
def test_the_admin_list_numbers_the_results_it_shows(org, make_dossier, client):
    """The administrator's list of stored results shows none without its number: the waiting
    ones are numbered as the list is built (its guarded read left as it is)."""
    from django.contrib.auth import get_user_model

    _approve(org, _at_head(org, make_dossier))
    assert _numbers() == [""]
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "x-Pass-123")
    client.force_login(admin)
    page = client.get("/admin/results/storeddocument/")
    assert page.status_code == 200
    assert _numbers() == ["1/KQ-STPTTN"]
    assert "1/KQ-STPTTN" in page.content.decode()
