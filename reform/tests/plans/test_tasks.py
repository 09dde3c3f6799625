"""reform/services/tasks.py and reform/selectors/plans.py: a unit reports on its own tasks only;
the officer accepts or returns them; the history is appended to, never rewritten."""

from datetime import date

import pytest
from django.http import Http404

from dossiers.tests import files
from dossiers.uploads import UploadRejected
from motcua.errors import DomainError, NotAllowed
from reform.models import Area, Evidence, Task, TaskEvent
from reform.selectors.plans import plan_rollup, plans_visible, task_get, tasks_visible
from reform.services.tasks import (
    evidence_add_file,
    evidence_add_url,
    task_accept,
    task_progress_update,
    task_return,
    task_submit,
)


def test_a_unit_sees_only_its_own_tasks_and_the_officer_and_leader_all(world):
    assert set(tasks_visible(world.justice_staff)) == {world.justice_task}
    assert set(tasks_visible(world.finance_staff, world.plan)) == {world.finance_task}
    assert set(tasks_visible(world.officer, world.plan)) == {world.justice_task,
                                                             world.finance_task}
    assert set(tasks_visible(world.leader)) == {world.justice_task, world.finance_task}
    with pytest.raises(Http404):
        task_get(user=world.justice_staff, pk=world.finance_task.pk)
    assert list(plans_visible(world.finance_staff)) == [world.plan]


def test_a_unit_cannot_update_another_units_task(world):
    with pytest.raises(NotAllowed):
        task_progress_update(actor=world.finance_staff, task=world.justice_task, progress=50,
                             note="Không phải việc của tôi")
    with pytest.raises(NotAllowed):
        evidence_add_url(actor=world.finance_staff, task=world.justice_task, title="x",
                         url="https://example.vn/x")
    # Neither may the officer or a leader report on a unit's behalf.
    with pytest.raises(NotAllowed):
        task_progress_update(actor=world.officer, task=world.justice_task, progress=50,
                             note="Thay đơn vị")
    world.justice_task.refresh_from_db()
    assert world.justice_task.progress == 0
    assert not TaskEvent.objects.filter(task=world.justice_task,
                                        kind=TaskEvent.Kind.PROGRESS).exists()


def test_progress_needs_a_note_and_stays_below_100(world):
    with pytest.raises(DomainError) as caught:
        task_progress_update(actor=world.justice_staff, task=world.justice_task, progress=40,
                             note=" ")
    assert caught.value.fields == {"note": ["Vui lòng ghi nội dung đã thực hiện."]}
    for bad in (100, -1, "50"):
        with pytest.raises(DomainError) as caught:
            task_progress_update(actor=world.justice_staff, task=world.justice_task,
                                 progress=bad, note="x")
        assert "progress" in caught.value.fields


def test_report_evidence_submit_accept_and_the_history(world):
    task = task_progress_update(actor=world.justice_staff, task=world.justice_task,
                                progress=30, note="Đã rà soát 10 thủ tục")
    task = task_progress_update(actor=world.justice_staff, task=task, progress=60,
                                note="Đã rà soát 20 thủ tục")
    assert (task.status, task.progress) == (Task.Status.IN_PROGRESS, 60)
    with pytest.raises(DomainError) as caught:  # done needs evidence
        task_submit(actor=world.justice_staff, task=task, note="Xong")
    assert "evidence" in caught.value.fields
    with pytest.raises(UploadRejected):
        evidence_add_file(actor=world.justice_staff, task=task, title="Tệp lạ", name="a.pdf",
                          data=b"MZ\x90\x00")
    evidence = evidence_add_file(actor=world.justice_staff, task=task, title="Quyết định",
                                 name="qd.pdf", data=files.PDF)
    assert evidence.content_type == "application/pdf" and evidence.file.read() == files.PDF
    task = task_submit(actor=world.justice_staff, task=task, note="Đã ban hành quyết định")
    assert (task.status, task.progress) == (Task.Status.SUBMITTED, 100)
    assert task.done_on is not None
    with pytest.raises(NotAllowed):  # closed to the unit while it waits
        task_progress_update(actor=world.justice_staff, task=task, progress=10, note="x")
    with pytest.raises(NotAllowed):  # only the officer accepts
        task_accept(actor=world.justice_head, task=task)
    task = task_accept(actor=world.officer, task=task, note="Đạt")
    assert task.status == Task.Status.ACCEPTED
    kinds = list(task.events.values_list("kind", "progress"))
    assert kinds == [("create", 0), ("progress", 30), ("progress", 60), ("evidence", 60),
                     ("submit", 100), ("accept", 100)]
    with pytest.raises(NotAllowed):  # accepted is final
        task_return(actor=world.officer, task=task, reason="Đổi ý")


def test_return_needs_a_reason_and_puts_back_the_last_reported_progress(world):
    task = task_progress_update(actor=world.justice_staff, task=world.justice_task,
                                progress=70, note="Gần xong")
    evidence_add_url(actor=world.justice_staff, task=task, title="Cổng thông tin",
                     url="https://tuphap.example.vn/tin/1")
    task = task_submit(actor=world.justice_staff, task=task, note="Xong")
    with pytest.raises(DomainError) as caught:
        task_return(actor=world.officer, task=task, reason="")
    assert "reason" in caught.value.fields
    task = task_return(actor=world.officer, task=task, reason="Minh chứng chưa đủ")
    assert (task.status, task.progress, task.done_on) == (Task.Status.RETURNED, 70, None)
    last = task.events.last()
    assert (last.kind, last.note, last.status_from) == ("return", "Minh chứng chưa đủ",
                                                        "submitted")
    # The unit works on and reports again.
    task = task_progress_update(actor=world.justice_staff, task=task, progress=90, note="Bổ sung")
    assert task.status == Task.Status.IN_PROGRESS


def test_a_bad_url_is_refused_naming_the_field(world):
    with pytest.raises(DomainError) as caught:
        evidence_add_url(actor=world.justice_staff, task=world.justice_task, title="x",
                         url="javascript:alert(1)")
    assert "url" in caught.value.fields
    assert not Evidence.objects.exists()


def test_the_plan_rolls_up_from_reported_progress(world):
    task_progress_update(actor=world.justice_staff, task=world.justice_task, progress=50,
                         note="Một nửa")
    roll = plan_rollup(world.plan)
    assert roll.tasks[world.justice_task.pk] == 50
    assert roll.areas == {"procedures": 50, "public_finance": 0}
    assert roll.plan == 25


def test_due_is_the_deadline_or_the_end_of_the_plan_year(world):
    assert world.justice_task.due == date(2026, 6, 30)
    world.justice_task.deadline = None
    assert world.justice_task.due == date(2026, 12, 31)


def test_a_signed_document_of_the_lead_unit_is_evidence_another_units_is_not(world):
    from django.utils import timezone

    from results.models import StoredDocument

    def stored(unit):
        return StoredDocument.objects.create(
            kind=StoredDocument.Kind.RESULT, title="Quyết định công bố thủ tục",
            document_number="15/QĐ-STP", issuer_unit=unit, issued_at=timezone.now(),
            owner_id_number="056185004321", owner_name="Trần Thị Bích", file="results/x.pdf",
            sha256="0" * 64)

    own, other = stored(world.justice), stored(world.finance)
    evidence = evidence_add_result_call(world, str(own.uid))
    assert evidence.stored_document == own
    assert evidence.title == "15/QĐ-STP Quyết định công bố thủ tục"
    for uid in (str(other.uid), "khong-phai-uuid"):
        with pytest.raises(DomainError) as caught:
            evidence_add_result_call(world, uid)
        assert "uid" in caught.value.fields
    # The owner's name never becomes part of the evidence.
    assert "Trần Thị Bích" not in evidence.title


def evidence_add_result_call(world, uid):
    from reform.services.tasks import evidence_add_result

    return evidence_add_result(actor=world.justice_staff, task=world.justice_task, uid=uid)


def test_the_lead_unit_hears_of_a_return_and_an_acceptance(world):
    from notifications.models import Notification

    evidence_add_url(actor=world.justice_staff, task=world.justice_task, title="Tin",
                     url="https://tuphap.example.vn/2")
    task = task_submit(actor=world.justice_staff, task=world.justice_task, note="Xong")
    task = task_return(actor=world.officer, task=task, reason="Thiếu quyết định")
    told = Notification.objects.filter(channel="web", subject__startswith="Nhiệm vụ CCHC bị trả")
    assert {n.recipient_user for n in told} == {world.justice_staff, world.justice_head}
    assert "Lý do: Thiếu quyết định" in told.first().body
    task = task_submit(actor=world.justice_staff, task=task, note="Đã bổ sung")
    task_accept(actor=world.officer, task=task)
    assert Notification.objects.filter(channel="web", recipient_user=world.justice_head,
                                       subject__startswith="Nhiệm vụ CCHC đã được").count() == 1
    assert not Notification.objects.filter(recipient_user=world.finance_staff).exists()


def test_a_departments_own_cchc_officer_is_not_the_plans_officer(world):
    """Role.REFORM in a department (its PAR Index self-assessment) gives no power over the
    province's plan: it reports on the department's tasks only."""
    from reform.services.plans import plan_create, task_add

    cchc = world.justice_cchc
    assert set(tasks_visible(cchc, world.plan)) == {world.justice_task}
    with pytest.raises(Http404):
        task_get(user=cchc, pk=world.finance_task.pk)
    task = task_progress_update(actor=cchc, task=world.justice_task, progress=20, note="Bắt đầu")
    evidence_add_url(actor=cchc, task=task, title="Tin", url="https://tuphap.example.vn/3")
    task = task_submit(actor=cchc, task=task, note="Xong")
    with pytest.raises(NotAllowed):
        task_accept(actor=cchc, task=task)
    with pytest.raises(NotAllowed):
        task_add(actor=cchc, plan=world.plan, title="X", area="digital", lead_unit=world.justice)
    with pytest.raises(NotAllowed):
        plan_create(actor=cchc, unit=world.province, year=2030, title="X", decision_number="1",
                    decision_date=date(2030, 1, 1))
    from reform.services.directives import directive_create

    with pytest.raises(NotAllowed):
        directive_create(actor=cchc, number="1", date_issued=date(2026, 1, 1), issuer="X",
                         kind="plan", summary="X")


def test_a_url_longer_than_its_column_is_refused_naming_the_field(world):
    """URLValidator takes 2,048 characters; the column 1,000: PostgreSQL refused the insert."""
    with pytest.raises(DomainError) as caught:
        evidence_add_url(actor=world.justice_staff, task=world.justice_task, title="x",
                         url="https://example.vn/" + "a" * 1000)
    assert "url" in caught.value.fields
    assert not Evidence.objects.exists()


def test_a_sub_tasks_parent_links_only_for_who_may_open_it(world):
    """A unit leads a sub-task of a task another unit leads: the parent is named for context
    and linked only when task_get opens it to the officer (task_parent_openable)."""
    from reform.selectors.plans import task_parent_openable
    from reform.services.plans import task_add

    sub = task_add(actor=world.officer, plan=world.plan, area=Area.PUBLIC_FINANCE,
                   title="Hướng dẫn đơn vị sự nghiệp tư pháp", lead_unit=world.justice,
                   parent=world.finance_task, number="2.1")
    assert task_parent_openable(world.officer, sub)
    assert task_get(user=world.justice_staff, pk=sub.pk) == sub
    assert not task_parent_openable(world.justice_staff, sub)
    assert not task_parent_openable(world.officer, world.justice_task)
