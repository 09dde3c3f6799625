"""Every endpoint that takes a personal ID, a uid, a token or a code, walked with a second
principal (issue #17): another citizen, another unit's officer, and nobody signed in.

The table below must name every route of the project with a parameter in its path: a new one
makes `test_every_route_with_a_parameter_is_walked` fail until it is added here, either with
its cases or with the reason it is public. Each case also checks that the URL resolves to the
route it claims and that the rightful principal gets through, so a 404 cannot come from a typo.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.test import Client
from django.urls import get_resolver, resolve
from django.urls.resolvers import URLResolver
from rest_framework.test import APIClient

from accounts.services.identity import identity_prove_vneid
from dossiers.models import Dossier, DossierFile, OnlineDraft
from dossiers.services import dossier_act
from dossiers.services.files import CheckedFile, file_store
from dossiers.tests import files
from dossiers.tests.conftest import (  # noqa: F401 - fixtures, requested by name
    APPLICANT,
    _user,
    at,
    client_for,
    make_dossier,
    org,
)
from dossiers.uploads import file_type_detect
from evaluations.models import FollowUp
from evaluations.services import evaluation_submit
from evaluations.tests.conftest import answers
from payments.models import Payment
from payments.tests.conftest import account, awaiting, fees, paygate_settings  # noqa: F401
from reform.tests.par.authorization import par
from regulations.models import Provision, ReviewRound
from results.drafting import draft_save
from results.models import StoredDocument
from results.tests.conftest import pki, signing, uploaded_pdf  # noqa: F401

OWNER_ID = APPLICANT["id_number"]

# Routes with a parameter that are public by design, and why.
PUBLIC = {
    "api:procedure-detail": "the published catalogue",
    "catalog:detail": "the published catalogue",
    "catalog:template_file": "a form template of the published catalogue (mẫu đơn, tờ khai)",
    "dossiers:online_start": "a procedure code of the published catalogue",
    "dossiers:box": "the name of an inbox; its rows are the viewer's own",
    "results:verify_document": "the public registry entry a QR code names; the owner's number "
                               "is masked",
    "results:public_download": ("opens only in the session that proved code + second factor, "
                                "for one hour"),
    "payments:page": "a 43-character unguessable token sent to the applicant (capability URL)",
    "payments:gateway": "the same capability token",
    "payments:receipt": "the same capability token, and (audit9) a session that proved the "
                        "dossier's code and secret, its applicant or staff who see it "
                        "(payments/tests/test_receipt_and_reconciliation.py)",
    "feedback:send_procedure": "a procedure code of the published catalogue",
    "feedback:answer_detail": "a published answer: subject and answer only, no sender data",
    "reform:public_plan": "a CCHC plan's public progress page: agencies and figures only",
    "reform:directive_file": "a directive document of the province's register, open to all "
                             "its staff (a published administrative document)",
    "reform:sipas_answer": "a one-time 32-character unguessable survey token sent to a sampled "
                           "applicant (capability URL); the page shows no personal data",
}


@dataclass
class World:
    owner: object
    stranger: object
    desk: object
    other_desk: object
    counter: Dossier  # entered at the counter, owner proven by VNeID: theirs by number
    online: Dossier  # filed online from the owner's account
    returned: Dossier
    stored: StoredDocument
    file: DossierFile
    draft: OnlineDraft
    payment: Payment
    follow_up: FollowUp
    extra: dict = field(default_factory=dict)
    reform: object = None  # the province's reform officer (regulations/)


@pytest.fixture
def world(org, make_dossier, signing, awaiting, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_SMS_URL = ""
    owner = org.citizen
    owner.personal_id = OWNER_ID
    owner.save()
    identity_prove_vneid(user=owner, personal_id=OWNER_ID)
    stranger = _user("nguoi.khac", None)
    stranger.kind, stranger.personal_id = "citizen", "056088007654"
    stranger.save()
    identity_prove_vneid(user=stranger, personal_id="056088007654")

    def act(d, who, action, when, **kw):
        return dossier_act(dossier=d, actor=who, action=action, at=at(when), **kw)

    counter = make_dossier()
    returned = act(counter, org.desk, "forward", "2026-03-02 09:30",
                   data={"assignee": org.specialist.pk})
    returned = act(returned, org.specialist, "forward", "2026-03-02 10:00",
                   data={"assignee": org.head.pk})
    returned = act(returned, org.head, "approve", "2026-03-02 11:00")
    returned = act(returned, org.desk, "return_result", "2026-03-02 14:00",
                   data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    stored = StoredDocument.objects.get(dossier=returned)
    evaluation = evaluation_submit(dossier=returned, answers=answers(overall="unsatisfied"),
                                   channel="online", actor=owner)
    counter = make_dossier()
    online = make_dossier(channel=2, accept=False, actor=owner)
    Dossier.objects.filter(pk=online.pk).update(applicant_user=owner)
    online.refresh_from_db()
    checked = CheckedFile(org.doc_id, "cccd.pdf", files.PDF, file_type_detect(files.PDF))
    row = file_store(checked, actor=owner, purpose="submission", written=[], dossier=online,
                     document=online.documents.first())
    draft = OnlineDraft.objects.create(user=owner, variant=org.variant,
                                       receiving_unit=org.centre, data={})
    _, payment = awaiting()
    extra = _reform_world(org)
    # A review round of the province asking the department about its procedure (regulations/).
    reform = _user("caicach", org.province, "reform")
    review_round = ReviewRound.objects.create(name="Rà soát", unit=org.province,
                                              start_date="2026-01-01", end_date="2026-12-31")
    provision = Provision.objects.create(round=review_round, kind="procedure", unit=org.dept,
                                         procedure=org.procedure,
                                         procedure_code=org.procedure.code,
                                         content=org.procedure.name)
    extra.update({"round": review_round, "provision": provision})
    # A result drafted by the specialist, awaiting the head's signature (results/drafting.py).
    drafted = act(make_dossier(), org.desk, "forward", "2026-03-02 09:30",
                  data={"assignee": org.specialist.pk})
    draft_save(dossier=drafted, actor=org.specialist, upload_name="du-thao.pdf",
               upload_data=uploaded_pdf(), values={"title": "Phiếu lý lịch tư pháp",
                                                 "subject": "Về việc cấp phiếu",
                                                 "body": "Không có án tích."})
    drafted = act(drafted, org.specialist, "forward", "2026-03-02 10:00",
                  data={"assignee": org.head.pk})
    extra["drafted"] = drafted
    return World(owner=owner, stranger=stranger, desk=org.desk, other_desk=org.other_desk,
                 counter=counter, online=online, returned=returned, stored=stored, file=row,
                 draft=draft, payment=payment, follow_up=FollowUp.objects.get(
                     evaluation=evaluation), reform=reform, extra=extra)


def _reform_world(o) -> dict:
    """A CCHC plan of the province with a task led by the department (issue #13)."""
    from reform.models import Area
    from reform.services.plans import plan_create, task_add
    from reform.services.tasks import evidence_add_file

    officer = _user("noivu", o.province, "reform")
    plan = plan_create(actor=officer, unit=o.province, year=2026, title="Kế hoạch CCHC 2026",
                       decision_number="1/QĐ-UBND", decision_date=date(2026, 1, 5))
    task = task_add(actor=officer, plan=plan, area=Area.PROCEDURES, title="Rà soát TTHC",
                    lead_unit=o.dept)
    evidence = evidence_add_file(actor=o.specialist, task=task, title="Báo cáo",
                                 name="bc.pdf", data=files.PDF)
    return {"plan": plan, "task": task, "evidence": evidence, "officer": officer,
            "specialist": o.specialist}


@dataclass(frozen=True)
class Case:
    route: str  # namespace:name
    method: str
    url: Callable[[World], str]
    rightful: str  # the World attribute of who gets through
    api: bool = False
    body: Callable[[World], dict] = lambda w: {}
    ok: tuple[int, ...] = (200,)
    fmt: str = "json"


def _feedback_item(w: "World", sender=None):
    """An item received by the desk's unit, whose desk officer also handles feedback there;
    sent from the account `sender` when given."""
    if "feedback" not in w.extra:
        from accounts.models import Membership, Role
        from feedback.models import Channel
        from feedback.services import feedback_submit
        from feedback.services.submit import Upload

        unit = w.counter.receiving_unit
        Membership.objects.get_or_create(user=w.desk, unit=unit, role=Role.FEEDBACK)
        w.desk.__dict__.pop("_motcua_roles", None)  # the roles cached on the object are stale
        w.extra["feedback"] = feedback_submit(
            title="Phản ánh", content="Nội dung", sender_name="Trần Thị Bích",
            sender_phone="0914222333", channel=Channel.PORTAL, unit=unit, sender_user=sender,
            files=[Upload("don.pdf", files.PDF)])
    return w.extra["feedback"]


def _plan(w: World) -> str:
    return f"/cai-cach/ke-hoach/{w.extra['plan'].pk}/"


def _task(w: World) -> str:
    return f"/cai-cach/nhiem-vu/{w.extra['task'].pk}/"


REFORM_CASES = [
    Case("reform:plan", "get", _plan, "reform_officer"),
    Case("reform:plan_task_add", "post", lambda w: _plan(w) + "nhiem-vu/", "reform_officer",
         ok=(422,)),
    Case("reform:plan_import", "post", lambda w: _plan(w) + "nhap-excel/", "reform_officer",
         ok=(422,)),
    Case("reform:plan_report", "get", lambda w: _plan(w) + "bao-cao/", "reform_officer"),
    Case("reform:plan_report_xlsx", "get", lambda w: _plan(w) + "bao-cao.xlsx",
         "reform_officer"),
    Case("reform:plan_report_pdf", "get", lambda w: _plan(w) + "bao-cao.pdf", "reform_officer"),
    Case("reform:task", "get", _task, "lead_unit"),
    Case("reform:task_progress", "post", lambda w: _task(w) + "tien-do/", "lead_unit",
         ok=(303,), body=lambda w: {"progress": 10, "note": "Đã bắt đầu"}),
    Case("reform:task_evidence", "post", lambda w: _task(w) + "minh-chung/", "lead_unit",
         ok=(303,), body=lambda w: {"title": "Tin bài", "url": "https://example.vn/a"}),
    Case("reform:task_submit", "post", lambda w: _task(w) + "hoan-thanh/", "lead_unit",
         ok=(303,), body=lambda w: {"note": "Đã xong"}),
    Case("reform:task_accept", "post", lambda w: _task(w) + "nghiem-thu/", "reform_officer",
         ok=(422,)),
    Case("reform:task_return", "post", lambda w: _task(w) + "tra-lai/", "reform_officer",
         ok=(422,), body=lambda w: {"reason": "Thiếu"}),
    Case("reform:task_links", "post", lambda w: _task(w) + "lien-ket/", "reform_officer",
         ok=(303,)),
    Case("reform:evidence_file", "get",
         lambda w: f"/cai-cach/minh-chung/{w.extra['evidence'].pk}/tep/", "lead_unit"),
    Case("api:reform-plan", "get", lambda w: f"/api/v1/reform/plans/{w.extra['plan'].pk}/",
         "reform_officer", api=True),
    Case("api:reform-plan-tasks", "get",
         lambda w: f"/api/v1/reform/plans/{w.extra['plan'].pk}/tasks/", "lead_unit", api=True),
    Case("api:reform-task", "get", lambda w: f"/api/v1/reform/tasks/{w.extra['task'].pk}/",
         "lead_unit", api=True),
    Case("api:reform-task-progress", "post",
         lambda w: f"/api/v1/reform/tasks/{w.extra['task'].pk}/progress/", "lead_unit",
         api=True, body=lambda w: {"progress": 20, "note": "Đang làm"}),
    Case("api:reform-task-evidence", "post",
         lambda w: f"/api/v1/reform/tasks/{w.extra['task'].pk}/evidence/", "lead_unit",
         api=True, body=lambda w: {"url": "https://example.vn/b"}),
    Case("api:reform-task-submit", "post",
         lambda w: f"/api/v1/reform/tasks/{w.extra['task'].pk}/submit/", "lead_unit",
         api=True, body=lambda w: {"note": "Xong"}),
    Case("api:reform-task-accept", "post",
         lambda w: f"/api/v1/reform/tasks/{w.extra['task'].pk}/accept/", "reform_officer",
         api=True, ok=(409,)),
    Case("api:reform-task-return", "post",
         lambda w: f"/api/v1/reform/tasks/{w.extra['task'].pk}/return/", "reform_officer",
         api=True, ok=(409,), body=lambda w: {"reason": "Thiếu"}),
]

CASES = [
    # The citizen's side: their own dossiers, files, drafts and store.
    Case("dossiers:my_detail", "get", lambda w: f"/ho-so-cua-toi/{w.counter.code}/", "owner"),
    Case("dossiers:my_form_pdf", "get", lambda w: f"/ho-so-cua-toi/{w.counter.code}/mau-01.pdf",
         "owner"),
    Case("dossiers:my_supplement", "post",
         lambda w: f"/ho-so-cua-toi/{w.online.code}/bo-sung/", "owner", ok=(409,)),
    Case("dossiers:online_draft", "get", lambda w: f"/ho-so-nhap/{w.draft.pk}/", "owner"),
    Case("dossiers:online_draft_delete", "post", lambda w: f"/ho-so-nhap/{w.draft.pk}/xoa/",
         "owner", ok=(302, 303)),
    Case("dossiers:file_download", "get", lambda w: f"/tep/{w.file.token}/", "owner"),
    Case("api:file-download", "get", lambda w: f"/api/v1/files/{w.file.token}/", "owner",
         api=True),
    Case("api:my-dossier-supplement", "post",
         lambda w: f"/api/v1/my/dossiers/{w.online.code}/supplement/", "owner", api=True,
         ok=(409,), fmt="multipart"),
    Case("results:download", "get", lambda w: f"/kho-du-lieu/{w.stored.uid}/tai-ve/", "owner"),
    Case("api:results-download", "get",
         lambda w: f"/api/v1/kho-du-lieu/{w.stored.uid}/tai-ve/", "owner", api=True),
    Case("api:results-reuse", "post",
         lambda w: f"/api/v1/dossiers/{w.online.code}/documents/"
                   f"{w.online.documents.first().pk}/reuse/",
         "owner", api=True, body=lambda w: {"stored": str(w.stored.uid)}),
    Case("evaluations:online", "get", lambda w: f"/danh-gia/ho-so/{w.returned.code}/", "owner"),
    Case("api:dossier-evaluation", "post",
         lambda w: f"/api/v1/dossiers/{w.returned.code}/evaluation/", "owner", api=True,
         ok=(409,), body=lambda w: answers()),
    # The desk confirms an officer-entered evaluation; the world's is the owner's own (409).
    Case("api:dossier-evaluation-confirm", "post",
         lambda w: f"/api/v1/dossiers/{w.returned.code}/evaluation/confirm/", "desk",
         api=True, ok=(409,), body=lambda w: {"code": "123456"}),
    # The staff side: a dossier of the centre and its department.
    Case("dossiers:detail", "get", lambda w: f"/ho-so/{w.counter.code}/", "desk"),
    Case("dossiers:act", "get", lambda w: f"/ho-so/{w.counter.code}/thao-tac/forward/", "desk"),
    Case("dossiers:form_pdf", "get", lambda w: f"/ho-so/{w.counter.code}/mau-01.pdf", "desk"),
    Case("dossiers:slip", "get", lambda w: f"/ho-so/{w.counter.code}/phieu-kiem-soat/", "desk"),
    Case("dossiers:receipt", "get", lambda w: f"/ho-so/{w.counter.code}/giay-tiep-nhan/",
         "desk"),
    Case("results:digitise", "post",
         lambda w: f"/kho-du-lieu/so-hoa/{w.counter.code}/{w.counter.documents.first().pk}/",
         "desk", ok=(302,)),
    # The result's draft: the head reviewing it reads, previews, sends back and signs.
    Case("results:draft", "get", lambda w: f"/du-thao-ket-qua/{w.extra['drafted'].code}/",
         "head"),
    Case("results:draft_preview", "get",
         lambda w: f"/du-thao-ket-qua/{w.extra['drafted'].code}/1/xem-truoc.pdf", "head"),
    Case("results:draft_upload", "get",
         lambda w: f"/du-thao-ket-qua/{w.extra['drafted'].code}/1/tep/", "head"),
    Case("results:draft_return", "post",
         lambda w: f"/du-thao-ket-qua/{w.extra['drafted'].code}/1/tra-lai/", "head",
         ok=(422,)),
    Case("results:draft_sign", "get",
         lambda w: f"/du-thao-ket-qua/{w.extra['drafted'].code}/1/ky/", "head"),
    Case("api:dossier-detail", "get", lambda w: f"/api/v1/dossiers/{w.counter.code}/", "desk",
         api=True),
    Case("api:dossier-events", "get", lambda w: f"/api/v1/dossiers/{w.counter.code}/events/",
         "desk", api=True),
    Case("api:dossier-action", "post",
         lambda w: f"/api/v1/dossiers/{w.counter.code}/actions/forward/", "desk", api=True),
    Case("api:results-digitise", "post",
         lambda w: f"/api/v1/dossiers/{w.counter.code}/documents/"
                   f"{w.counter.documents.first().pk}/digitise/", "desk", api=True, ok=(400,),
         fmt="multipart"),
    Case("api:dossier-payments", "get",
         lambda w: f"/api/v1/dossiers/{w.payment.dossier.code}/payments/", "desk", api=True),
    Case("api:payment-confirm", "post",
         lambda w: f"/api/v1/payments/{w.payment.reference}/confirm/", "desk", api=True,
         body=lambda w: {"method": "cash"}),
    Case("api:payment-refund", "post",
         lambda w: f"/api/v1/payments/{w.payment.reference}/refund/", "desk", api=True,
         ok=(409,), body=lambda w: {"reason": "Nộp nhầm"}),
    Case("payments:confirm", "post",
         lambda w: f"/thanh-toan/ho-so/xac-nhan/{w.payment.reference}/", "desk",
         ok=(302, 303)),
    Case("payments:refund", "post",
         lambda w: f"/thanh-toan/ho-so/hoan-tien/{w.payment.reference}/", "desk",
         ok=(302, 303)),
    # Feedback (PAKN): one's own dossier, the unit's items.
    Case("feedback:send_dossier", "get", lambda w: f"/phan-anh/gui/ho-so/{w.counter.code}/",
         "owner"),
    Case("feedback:mine_detail", "get",
         lambda w: f"/phan-anh/cua-toi/{_feedback_item(w, sender=w.owner).code}/", "owner"),
    Case("feedback:staff_detail", "get",
         lambda w: f"/phan-anh/can-bo/{_feedback_item(w).code}/", "desk"),
    Case("feedback:staff_attachment", "get",
         lambda w: f"/phan-anh/can-bo/{_feedback_item(w).code}/tep/"
                   f"{_feedback_item(w).attachments.get().pk}/", "desk"),
    Case("feedback:staff_act", "post",
         lambda w: f"/phan-anh/can-bo/{_feedback_item(w).code}/thao-tac/accept/", "desk",
         ok=(302,), body=lambda w: {"kind": "within"}),
    Case("api:feedback-item", "get",
         lambda w: f"/api/v1/feedback/items/{_feedback_item(w).code}/", "desk", api=True),
    Case("api:feedback-item-action", "post",
         lambda w: f"/api/v1/feedback/items/{_feedback_item(w).code}/actions/accept/", "desk",
         api=True, body=lambda w: {"kind": "within"}),
    # The regulation review: the round's reform officer; another unit's staff see nothing.
    Case("regulations:round", "get", lambda w: f"/ra-soat/dot/{w.extra['round'].pk}/", "reform"),
    Case("regulations:provision_add", "post",
         lambda w: f"/ra-soat/dot/{w.extra['round'].pk}/them/", "reform", ok=(422,)),
    Case("regulations:round_close", "post",
         lambda w: f"/ra-soat/dot/{w.extra['round'].pk}/ket-thuc/", "reform", ok=(303,)),
    Case("regulations:provision", "get",
         lambda w: f"/ra-soat/quy-dinh/{w.extra['provision'].pk}/", "reform"),
    Case("regulations:proposal_save", "post",
         lambda w: f"/ra-soat/quy-dinh/{w.extra['provision'].pk}/phuong-an/", "reform",
         ok=(303,)),
    # The world's provision has no proposal yet: past the access check, the officer is told it
    # cannot be approved in that state (409), not shown a form the page does not hold.
    Case("regulations:provision_act", "post",
         lambda w: f"/ra-soat/quy-dinh/{w.extra['provision'].pk}/approve/", "reform",
         ok=(409,)),
    Case("api:regulation-round-detail", "get",
         lambda w: f"/api/v1/regulation-rounds/{w.extra['round'].pk}/", "reform", api=True),
    Case("api:regulation-round-provisions", "get",
         lambda w: f"/api/v1/regulation-rounds/{w.extra['round'].pk}/provisions/", "reform",
         api=True),
    Case("api:regulation-provision-detail", "get",
         lambda w: f"/api/v1/regulation-provisions/{w.extra['provision'].pk}/", "reform",
         api=True),
    Case("api:regulation-provision-events", "get",
         lambda w: f"/api/v1/regulation-provisions/{w.extra['provision'].pk}/events/",
         "reform", api=True),
    Case("api:regulation-provision-action", "post",
         lambda w: f"/api/v1/regulation-provisions/{w.extra['provision'].pk}/actions/approve/",
         "reform", api=True, ok=(409,)),
    Case("evaluations:follow_up_detail", "get",
         lambda w: f"/danh-gia/theo-doi/{w.follow_up.pk}/", "head"),
    Case("evaluations:follow_up_close", "post",
         lambda w: f"/danh-gia/theo-doi/{w.follow_up.pk}/dong/", "head", ok=(302, 303),
         body=lambda w: {"note": "Đã gọi điện xin lỗi"}),
    # The CCHC plan (reform/): the officer runs the plan, the lead unit reports on its task.
    *REFORM_CASES,
    # The PAR Index: the assessed unit's own assessment; SIPAS: the organiser's round.
    Case("reform:par_assessment", "get",
         lambda w: f"/cai-cach/chi-so-cchc/danh-gia/{par(w)['assessment'].pk}/", "par_officer"),
    Case("reform:par_score", "post",
         lambda w: f"/cai-cach/chi-so-cchc/danh-gia/{par(w)['assessment'].pk}/diem/"
                   f"{par(w)['score'].pk}/", "par_officer", ok=(303,),
         body=lambda w: {"value": "yes", "explanation": "Có kế hoạch"}),
    Case("reform:par_action", "post",
         lambda w: f"/cai-cach/chi-so-cchc/danh-gia/{par(w)['assessment'].pk}/cap-nhat-so-lieu/",
         "par_officer", ok=(303,)),
    Case("reform:par_evidence", "get",
         lambda w: f"/cai-cach/chi-so-cchc/danh-gia/{par(w)['assessment'].pk}/tep/"
                   f"{par(w)['evidence'].pk}/", "par_officer"),
    Case("reform:par_round", "get",
         lambda w: f"/cai-cach/chi-so-cchc/dot/{par(w)['round'].pk}/", "par_officer"),
    Case("api:reform-par-assessment", "get",
         lambda w: f"/api/v1/reform/par/assessments/{par(w)['assessment'].pk}/", "par_officer",
         api=True),
    Case("api:reform-par-score", "post",
         lambda w: f"/api/v1/reform/par/assessments/{par(w)['assessment'].pk}/scores/"
                   f"{par(w)['score'].pk}/", "par_officer", api=True,
         body=lambda w: {"value": "yes", "explanation": "Có kế hoạch"}),
    Case("api:reform-par-action", "post",
         lambda w: f"/api/v1/reform/par/assessments/{par(w)['assessment'].pk}/actions/refresh/",
         "par_officer", api=True),
    Case("api:reform-par-round", "get",
         lambda w: f"/api/v1/reform/par/rounds/{par(w)['round'].pk}/", "par_officer", api=True),
    # Publication: the organiser's; refused while the assessment is not appraised.
    Case("api:reform-par-round-publish", "post",
         lambda w: f"/api/v1/reform/par/rounds/{par(w)['round'].pk}/publish/", "organiser",
         api=True, ok=(409,)),
    Case("reform:sipas_detail", "get",
         lambda w: f"/cai-cach/sipas/dot/{par(w)['survey'].pk}/", "organiser"),
    Case("reform:sipas_print", "get",
         lambda w: f"/cai-cach/sipas/dot/{par(w)['survey'].pk}/in-ma-qr/", "organiser"),
    Case("api:reform-sipas-detail", "get",
         lambda w: f"/api/v1/reform/sipas/{par(w)['survey'].pk}/", "organiser", api=True),
]


def routes(*, with_parameter: bool, resolver=None, prefix="", namespace=""):
    """(namespace:name, pattern) of every named route with (or without) a path parameter."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else namespace
            yield from routes(with_parameter=with_parameter, resolver=p,
                              prefix=prefix + str(p.pattern), namespace=ns)
        elif ("<" in prefix + str(p.pattern)) == with_parameter and p.name:
            yield namespace + p.name, prefix + str(p.pattern)


def test_every_route_with_a_parameter_is_walked():
    walked = {c.route for c in CASES} | set(PUBLIC)
    missing = sorted(f"{name} ({route})" for name, route in routes(with_parameter=True)
                     if name not in walked and not route.startswith("admin/"))
    assert missing == [], "add these routes to CASES or PUBLIC"


def _principal(w: World, who: str):
    if who in ("reform_officer", "lead_unit"):
        return w.extra["officer" if who == "reform_officer" else "specialist"]
    return getattr(w, who)


def _client(w: World, who: str | None, api: bool):
    if api:
        c = APIClient()
        if who:
            c.force_authenticate(_principal(w, who))
        return c
    c = Client()
    if who:
        c.force_login(_principal(w, who))
    return c


def _call(w: World, case: Case, who: str | None):
    c = _client(w, who, case.api)
    url = case.url(w)
    if case.method == "get":
        return c.get(url)
    if case.api:
        return c.post(url, case.body(w), format=case.fmt)
    return c.post(url, case.body(w))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.route)
def test_a_second_principal_gets_nothing(world, case, org):  # noqa: F811
    world.head = org.head
    url = case.url(world)
    match = resolve(url.split("?")[0])
    assert f"{match.namespace}:{match.url_name}" == case.route, url
    for who in ("stranger", "other_desk"):
        if who == case.rightful:
            continue
        r = _call(world, case, who)
        assert r.status_code in (403, 404), (who, r.status_code, url)
    anonymous = _call(world, case, None)
    assert anonymous.status_code in (302, 401, 403, 404), (anonymous.status_code, url)
    if anonymous.status_code == 302:
        assert "/tai-khoan/dang-nhap/" in anonymous["Location"]
    # The rightful principal gets through: the refusals above came from the rule, not a typo.
    r = _call(world, case, case.rightful)
    assert r.status_code in case.ok, (case.rightful, r.status_code, url,
                                      getattr(r, "content", b"")[:300])


def test_query_and_body_keyed_lookups_refuse_a_second_principal(world):
    # The counter's applicant search by personal ID: staff of a desk only.
    search = "/tiep-nhan/nguoi-nop/"
    assert _client(world, "stranger", False).post(search, {"so_dinh_danh": OWNER_ID},
                                                  HTTP_HX_REQUEST="true").status_code == 403
    # The population database: one's own proven number only.
    body = {"so_dinh_danh": OWNER_ID, "muc_dich": "Tò mò"}
    api = _client(world, "stranger", True)
    assert api.post("/api/v1/cong-dan/tra-cuu/", body, format="json").status_code == 403
    # The dossier API's search finds nothing of another unit's or person's.
    for who in ("stranger", "other_desk"):
        found = _client(world, who, True).get("/api/v1/dossiers/", {"q": world.counter.code})
        assert world.counter.code not in found.content.decode(), who
        mine = _client(world, who, True).get("/api/v1/my/dossiers/")
        assert world.online.code not in mine.content.decode(), who
    # The public lookup without the second factor shows no applicant data.
    page = Client().get("/tra-cuu/", {"ma": world.counter.code, "bi-mat": "SAIMATMA"})
    assert APPLICANT["name"] not in page.content.decode()
    # The store lists only one's own documents.
    listing = _client(world, "stranger", True).get("/api/v1/kho-du-lieu/").json()
    assert listing["results"] == []
