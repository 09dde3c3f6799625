"""The evaluation screen facing the applicant at the desk, and the officer's "send to the screen".

The screen is a device (a tablet on the desk) logged in with an account whose only membership is
the role "Màn hình đánh giá tại quầy" of the desk's unit. It waits, asking the server every few
seconds (htmx) whether an officer has sent it a dossier; then it shows the evaluation form, and
after the applicant answers (or declines) it waits again. The applicant never holds the officer's
session, and the screen's account opens nothing else (evaluations/middleware.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.selectors import unit_screens, user_screen_unit_ids, user_unit_ids
from dossiers.selectors import dossier_visible
from evaluations.forms import EvaluationForm
from evaluations.selectors import screen_call_open
from evaluations.services import screen_answer, screen_call, screen_decline
from motcua.errors import DomainError
from motcua.inputs import id_parse

POLL_SECONDS = 3


def _screen_user(request: HttpRequest) -> User:
    if not user_screen_unit_ids(request.user):
        raise PermissionDenied(_("Trang này dành cho màn hình đánh giá tại quầy."))
    return request.user


def _render(request: HttpRequest, template: str, *, form=None, call=None, status: int = 200,
            thanks: str = "") -> HttpResponse:
    """The screen's page or block: `form` of `call` as answered, or else the screen's open call
    with an empty form, or the waiting block."""
    if form is None:
        call = screen_call_open(request.user)
        form = EvaluationForm() if call is not None else None
    return render(request, template, {"call": call, "form": form, "thanks": thanks,
                                      "poll_seconds": POLL_SECONDS}, status=status)


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The whole page of the screen: waiting, or the form of the dossier sent to it."""
    user = _screen_user(request)
    if request.method == "POST":
        call_id = id_parse(request.POST.get("luot", ""))
        if call_id is None:
            raise Http404
        try:
            if request.POST.get("tu-choi"):
                screen_decline(screen=user, call_id=call_id)
                return redirect(f"{reverse('evaluations:screen')}?{urlencode({'xong': 'bo-qua'})}")
            form = EvaluationForm(request.POST)
            if form.is_valid():
                screen_answer(screen=user, call_id=call_id, answers=form.cleaned_data)
                return redirect(f"{reverse('evaluations:screen')}?"
                                f"{urlencode({'xong': 'cam-on'})}")
        except DomainError as error:
            if error.code != "invalid":
                messages.error(request, error.localized_message)
                return redirect("evaluations:screen")
            form.add_domain_error(error)
        call = screen_call_open(user)
        if call is None or call.pk != call_id:
            return redirect("evaluations:screen")
        return _render(request, "evaluations/screen.html", form=form, call=call, status=422)
    return _render(request, "evaluations/screen.html", thanks=request.GET.get("xong", ""))


@login_required
def screen_poll(request: HttpRequest) -> HttpResponse:
    """What the waiting screen asks for every few seconds: the same waiting block, or the form
    (which replaces the block, and so stops the asking)."""
    _screen_user(request)
    return _render(request, "evaluations/_screen_body.html")


@login_required
@require_POST
def screen_send(request: HttpRequest) -> HttpResponse:
    """The desk officer sends a returned dossier to the unit's evaluation screen."""
    code = request.POST.get("ma", "").strip()
    dossier = dossier_visible(request.user).filter(code=code).first()
    screens = {m.user_id: m.user for m in unit_screens(user_unit_ids(request.user,
                                                                       role=Role.RECEIVING))}
    screen_id = id_parse(request.POST.get("man-hinh", ""))
    if screen_id is None:
        screen_id = next(iter(screens), 0) if len(screens) == 1 else 0
    if dossier is None or screen_id not in screens:
        raise Http404
    try:
        screen_call(officer=request.user, screen=screens[screen_id], dossier=dossier)
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(request, _("Đã mời người nộp hồ sơ %(code)s đánh giá trên %(screen)s.")
                         % {"code": dossier.code, "screen": screens[screen_id].display_name})
    return redirect("evaluations:kiosk")
