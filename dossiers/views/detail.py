"""The dossier page and its action forms."""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dossiers.forms import ActionForm, needs_input
from dossiers.opened import BY_STAFF, dossier_opened
from dossiers.selectors import control_slip, dossier_events, dossier_get, dossier_issued_forms
from dossiers.services import dossier_act
from dossiers.services.papers import dossier_paper_checks
from dossiers.services.personal_data import ACTION, dossier_personal_read
from dossiers.services.transitions import allowed_actions
from dossiers.states import PORTAL_LABEL, Transition, portal_status, transition
from dossiers.views.common import fragment, is_htmx, page, redirect_after_post, staff_required
from dossiers.views.due import due_flags
from motcua.cross_site import staff_read_page
from motcua.errors import DomainError

# What the person reads after an action went through; %(code)s is the dossier code.
DONE = {
    "accept": gettext_lazy("Đã tiếp nhận hồ sơ %(code)s."),
    "request_supplement": gettext_lazy("Đã yêu cầu bổ sung hồ sơ %(code)s."),
    "supplement": gettext_lazy("Đã ghi nhận bổ sung hồ sơ %(code)s."),
    "refuse": gettext_lazy("Đã từ chối tiếp nhận hồ sơ %(code)s."),
    "forward": gettext_lazy("Đã chuyển hồ sơ %(code)s sang bước tiếp theo."),
    "return_step": gettext_lazy("Đã trả hồ sơ %(code)s về bước trước."),
    "approve": gettext_lazy("Đã phê duyệt kết quả hồ sơ %(code)s."),
    "request_payment": gettext_lazy("Đã yêu cầu thực hiện nghĩa vụ tài chính cho hồ sơ %(code)s."),
    "mark_paid": gettext_lazy("Đã xác nhận nộp phí, lệ phí cho hồ sơ %(code)s."),
    "apologize": gettext_lazy("Đã ghi nhận xin lỗi và hẹn lại ngày trả hồ sơ %(code)s."),
    "stop": gettext_lazy("Đã dừng xử lý hồ sơ %(code)s."),
    "withdraw": gettext_lazy("Đã ghi nhận rút hồ sơ %(code)s."),
    "mark_result_ready": gettext_lazy("Đã nhận kết quả hồ sơ %(code)s tại bộ phận một cửa."),
    "return_result": gettext_lazy("Đã trả kết quả hồ sơ %(code)s."),
}


def _status(dossier) -> dict:
    code = portal_status(dossier.state)
    return {"label": dossier.get_state_display(), "portal_code": code,
            "portal_label": PORTAL_LABEL[code]}


def _with_files(dossier) -> list:
    documents = list(dossier.documents.all())
    # Each paper's catalogue entry (its group of alternatives) in one read for all of them.
    prefetch_related_objects(documents, "files", "required_document")
    return documents


@staff_required
@staff_read_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get(user=request.user, code=code)
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.DOSSIER_OPEN,
                          purpose="Giải quyết hồ sơ")
    # The panels of the apps above (the fees panel's payment link, renewed when it has run out)
    # write here, not in the template.
    dossier_opened(dossier=dossier, by=BY_STAFF)
    actions = [{"t": t, "needs_input": needs_input(t)}
               for t in allowed_actions(dossier, request.user)]
    events = list(dossier_events(dossier=dossier))
    context = {
        "dossier": dossier,
        "status": _status(dossier),
        "due": due_flags([dossier], timezone.now()).get(dossier.pk, ""),
        # The steps and papers dossier_get loaded; the events read once for both lists.
        "documents": _with_files(dossier),
        "paper_checks": dossier_paper_checks(dossier=dossier, events=events),
        "show_files": True,
        "steps": dossier.steps.all(),
        "current_assignee": dossier.current_step.assignee if dossier.current_step else None,
        "slip": control_slip(dossier=dossier, events=events),
        "issued_forms": dossier_issued_forms(dossier=dossier, events=events),
        "actions": actions,
    }
    return page(request, "dossiers/detail.html", context)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """GET: the action's form. POST: perform it through dossier_act."""
    dossier = dossier_get(user=request.user, code=code)
    t = transition(action)
    if t is None:
        raise Http404(_("Không có thao tác này."))
    if action == "approve":
        # Never in one click: the head reads the draft's preview and signs through the
        # confirmation page of results/ (docs/results.md), which performs the approval.
        return redirect_after_post(request, reverse("results:draft", args=[dossier.code]))
    if request.method in ("GET", "HEAD"):
        form = ActionForm(dossier=dossier, transition=t)
        if action not in {a.action for a in allowed_actions(dossier, request.user)}:
            refusal = _("Thao tác “%(label)s” hiện không thực hiện được với hồ sơ này.") % {
                "label": t.label}
            return _render_form(request, dossier, t, form, refusal=refusal, status=409)
        return _render_form(request, dossier, t, form)
    form = ActionForm(request.POST, dossier=dossier, transition=t)
    if form.is_valid():
        try:
            dossier_act(dossier=dossier, actor=request.user, action=action,
                        **form.service_kwargs())
        except DomainError as err:
            form.add_domain_error(err)
        else:
            messages.success(request, DONE.get(action, t.label) % {"code": dossier.code})
            return redirect_after_post(request, reverse("dossiers:detail", args=[dossier.code]))
    return _render_form(request, dossier, t, form, status=422)


def _render_form(request: HttpRequest, dossier, t: Transition, form: ActionForm, *,
                 refusal: str = "", status: int = 200) -> HttpResponse:
    context = {"dossier": dossier, "status": _status(dossier), "t": t, "form": form,
               "refusal": refusal}
    if is_htmx(request):
        return fragment(request, "dossiers/_action_form.html", context, status=status)
    return page(request, "dossiers/act.html", context, status=status)
