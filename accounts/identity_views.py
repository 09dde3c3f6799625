"""Pages about identity and personal data: a desk officer proves who holds an account, a citizen
sees who among staff read their data, an administrator reads and filters that log."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import IdentityProof, PersonalDataAccess, Role, User
from accounts.selectors import (
    desk_units,
    personal_data_log,
    personal_data_reads_about,
    proven_ids,
    user_memberships,
    user_unit_ids,
)
from accounts.services.identity import (
    account_for_desk,
    desk_account_shown,
    identity_prove_at_desk,
)
from feedback.selectors import mine_reads_rule
from motcua.errors import DomainError
from motcua.posted import posted


class DeskProofForm(forms.Form):
    account = forms.CharField(
        label=gettext_lazy("Tên đăng nhập của tài khoản (thư điện tử hoặc số điện thoại)"),
        max_length=150)
    kind = forms.ChoiceField(label=gettext_lazy("Số cần xác thực"),
                             choices=IdentityProof.Kind.choices)
    number = forms.CharField(label=gettext_lazy("Số trên giấy tờ"), max_length=14)
    paper = forms.CharField(
        label=gettext_lazy("Giấy tờ đã đối chiếu"), max_length=255,
        help_text=gettext_lazy("Loại, số, ngày cấp; ví dụ: Thẻ căn cước số …, cấp ngày …"))
    unit = forms.TypedChoiceField(label=gettext_lazy("Bộ phận một cửa"), coerce=int)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


@login_required
def desk_identity(request: HttpRequest) -> HttpResponse:
    """The officer of a one-stop desk, the person and their identity paper in front of them,
    proves the account they name. Two steps: find the account and show it, then confirm."""
    units = desk_units(user_memberships(request.user))
    if not units:
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận của bộ phận một cửa được xác thực danh "
                                 "tính."))
    form = DeskProofForm(posted(request), units=units,
                         initial={"kind": IdentityProof.Kind.PERSONAL, "unit": units[0].pk})
    found: User | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = account_for_desk(identifier=data["account"])
        if found is None:
            form.add_error("account", _("Không tìm thấy tài khoản công dân, doanh nghiệp với tên "
                                        "đăng nhập này."))
        elif data["confirmed"]:
            unit = next(u for u in units if u.pk == data["unit"])
            try:
                done = identity_prove_at_desk(officer=request.user, unit=unit, account=found,
                                              kind=data["kind"], number=data["number"],
                                              paper=data["paper"])
            except DomainError as e:
                placed = [f for f in e.fields if f in form.fields]
                form.add_error(placed[0] if placed else None, e.localized_message)
            else:
                messages.success(request, _("Đã xác thực số %(number)s cho tài khoản %(account)s.")
                                 % {"number": done.proof.number, "account": done.account.username})
                return redirect("accounts:desk_identity")
        else:
            desk_account_shown(officer=request.user, account=found, number=data["number"],
                               unit=next(u for u in units if u.pk == data["unit"]))
    return render(request, "accounts/desk_identity.html",
                  {"form": form, "found": found, "nav": "identity", "ui_can_counter": True},
                  status=422 if form.errors else 200)


@login_required
def my_data_reads(request: HttpRequest) -> HttpResponse:
    """"Ai đã xem dữ liệu của tôi": staff reads of the data of the account's proven numbers."""
    numbers = proven_ids(request.user)
    rows = personal_data_reads_about(numbers, also=mine_reads_rule(user=request.user))
    return render(request, "accounts/my_data_reads.html",
                  {"rows": rows, "numbers": sorted(numbers), "nav": "profile"})


class LogFilter(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label=gettext_lazy("Số giấy tờ của người được xem"),
                              max_length=20, required=False)
    officer = forms.CharField(label=gettext_lazy("Tên đăng nhập cán bộ"), max_length=150,
                              required=False)
    action = forms.ChoiceField(label=gettext_lazy("Thao tác"), required=False,
                               choices=[("", gettext_lazy("Tất cả"))]
                               + PersonalDataAccess.Action.choices)


@login_required
def data_access_log(request: HttpRequest) -> HttpResponse:
    """The administrator's page of the personal-data access log, filtered and paged."""
    if not (request.user.is_superuser or user_unit_ids(request.user, role=Role.ADMIN)):
        raise PermissionDenied(_("Trang này dành cho quản trị hệ thống."))
    form = LogFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = personal_data_log(viewer=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "accounts/data_access_log.html",
                  {"form": form, "page": page, "query": query.urlencode(), "nav": "data_log"},
                  status=400 if form.errors else 200)
