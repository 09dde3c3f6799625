"""Public pages: send an item (from the site, a procedure's page or one's own dossier), follow it
with its code and a second factor, rate the answer, and read the published answers.

No page here shows a sender's personal data to anyone but the sender: the public answers are
built from `feedback.selectors.PublicAnswer`, which holds none.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.lockout import lockout_client_ip
from catalog.selectors import procedure_get
from dossiers.selectors import dossier_mine_get
from dossiers.uploads import upload_check
from feedback.forms import LookupForm, RateForm, SendForm, units_for_send, uploads_of
from feedback.models import Channel, Feedback
from feedback.selectors import (
    mine_get,
    mine_list,
    public_answer_get,
    public_answers,
    sender_status,
)
from feedback.services import feedback_act, feedback_lookup_attempt, feedback_submit
from feedback.states import ANSWERED, SenderActor
from motcua.errors import DomainError
from motcua.held_files import held_keep, held_release, held_uploads
from motcua.posted import posted

SENT_KEY = "motcua_feedback_sent"
PROVEN_KEY = "motcua_feedback_proven"
PROVEN_KEEP = 10


def private(response: HttpResponse) -> HttpResponse:
    """No shared cache keeps a page with a code and secret, and no other site learns its URL."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def _initial(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"sender_name": user.display_name, "sender_phone": user.phone,
            "sender_email": user.email, "sender_address": user.address}


def _send(request: HttpRequest, *, channel: str, template_context: dict, procedure_code: str = "",
          dossier=None, units=None) -> HttpResponse:
    form = SendForm(posted(request), initial=_initial(request), units=units)
    status = 200
    # Chosen now or kept from a refused try: a wrong phone number does not lose the files.
    files = held_uploads(request, "files")[:20]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = feedback_submit(
                title=data["title"], content=data["content"], sender_name=data["sender_name"],
                sender_phone=data["sender_phone"], sender_email=data["sender_email"],
                sender_address=data["sender_address"], publish_consent=data["publish_consent"],
                unit=data.get("unit"), procedure_code=procedure_code, dossier=dossier,
                sender_user=request.user, channel=channel, files=uploads_of(files),
                sent_from=lockout_client_ip(request) or "")
        except DomainError as error:
            form.show_error(error)
            status = error.http_status
        else:
            held_release(request, "files")
            request.session[SENT_KEY] = {"code": item.code, "secret": item.lookup_secret}
            _prove(request, item.code)
            return redirect("feedback:sent")
    elif request.method == "POST":
        status = 400
    held = held_keep(request, "files", files, upload_check) if request.method == "POST" else []
    context = {"form": form, "nav": "feedback", "held": held, **template_context}
    return render(request, "feedback/send.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    return _send(request, channel=Channel.PORTAL, template_context={}, units=units_for_send())


@require_http_methods(["GET", "HEAD", "POST"])
def send_procedure(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_get(code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    # The item goes to the procedure's competent unit; a procedure that names none (the
    # commune-level ones of the national catalogue) lets the sender choose, like the site's
    # own form (else the default unit).
    units = None if procedure.competent_unit_id else units_for_send()
    return _send(request, channel=Channel.PROCEDURE, procedure_code=procedure.code,
                 template_context={"procedure": procedure}, units=units)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def send_dossier(request: HttpRequest, code: str) -> HttpResponse:
    # Only the proven owner's own dossier (dossiers' rule); anyone else gets a 404.
    dossier = dossier_mine_get(user=request.user, code=code)
    return _send(request, channel=Channel.DOSSIER, dossier=dossier,
                 template_context={"dossier": dossier})


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    shown = request.session.pop(SENT_KEY, None)
    if not shown:
        return redirect("feedback:lookup")
    return private(render(request, "feedback/sent.html", {"sent": shown, "nav": "feedback"}))


def _prove(request: HttpRequest, code: str) -> None:
    proven = [c for c in request.session.get(PROVEN_KEY, []) if c != code]
    request.session[PROVEN_KEY] = (proven + [code])[-PROVEN_KEEP:]


def _proven(request: HttpRequest, item: Feedback) -> bool:
    if item.code in request.session.get(PROVEN_KEY, []):
        return True
    return request.user.is_authenticated and item.sender_user_id == request.user.pk


def _status_page(request: HttpRequest, item: Feedback, *, status: int = 200,
                 rate_form: RateForm | None = None) -> HttpResponse:
    context = {"status": sender_status(item), "nav": "feedback",
               "rate_form": rate_form or RateForm(),
               "can_rate": item.state in ANSWERED and not item.rating}
    return private(render(request, "feedback/status.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Code plus second factor (the 8-character secret, or the last 4 phone digits), POSTed so
    the factor never sits in a URL; wrong tries are counted (feedback/services/lookup.py)."""
    code = (request.POST.get("ma") or request.GET.get("ma") or "")[:40].strip()
    # Bound on every POST, even an empty one (a bot, a body the parser could not read): the
    # refusal below is added to it, and an unbound form has nowhere to keep an error.
    form = LookupForm(posted(request), initial={"ma": code})
    status = 200
    if request.method == "POST":
        factor = request.POST.get("bi_mat", "")[:20].strip()
        if not code or not factor:
            form.add_error(None, _("Cần nhập cả mã phản ánh và mã bí mật (hoặc 4 số cuối điện "
                                   "thoại)."))
            status = 400
        else:
            try:
                item = feedback_lookup_attempt(code=code, factor=factor,
                                               address=lockout_client_ip(request) or "")
            except DomainError as error:
                form.add_error(None, error.localized_message)
                status = error.http_status
            else:
                _prove(request, item.code)
                return _status_page(request, item)
    return private(render(request, "feedback/lookup.html", {"form": form, "nav": "feedback"},
                          status=status))


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("ma", "")[:40]
    item = Feedback.objects.filter(code=code).first()
    if item is None or not _proven(request, item):
        raise Http404(_("Không tìm thấy phản ánh."))
    form = RateForm(request.POST)
    if not form.is_valid():
        return _status_page(request, item, status=400, rate_form=form)
    try:
        item = feedback_act(feedback=item, actor=SenderActor(code=item.code), action="rate",
                            reason=form.cleaned_data["note"],
                            data={"rating": form.cleaned_data["rating"]})
    except DomainError as error:
        form.add_error(None, error.localized_message)
        return _status_page(request, item, status=error.http_status, rate_form=form)
    return _status_page(request, item)


@require_safe
def answers(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    procedure = request.GET.get("thu_tuc", "")[:40]
    rows = public_answers(query=query, procedure_code=procedure)
    return render(request, "feedback/answers.html",
                  {"rows": rows, "q": query, "procedure": procedure, "nav": "answers",
                   "send_url": reverse("feedback:send")})


@require_safe
def answer_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return render(request, "feedback/answer_detail.html",
                  {"answer": public_answer_get(ref), "nav": "answers"})


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The items sent from this account, newest first."""
    rows = mine_list(user=request.user)
    return render(request, "feedback/mine.html", {"rows": rows, "nav": "feedback"})


@login_required
@require_safe
def mine_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = mine_get(user=request.user, code=code)
    return _status_page(request, item)
