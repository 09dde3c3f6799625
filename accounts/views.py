"""Account pages: log in, sign up, verify the code, a forgotten password, the profile, linking
VNeID."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.code_send_limits import code_send_try
from accounts.forms import (
    LoginForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignupForm,
    VerifyForm,
)
from accounts.models import User
from accounts.selectors import contacts_waiting, identity_proofs_of, user_screen_unit_ids
from accounts.services import (
    account_signup,
    contact_confirm,
    password_reset_confirm,
    password_reset_request,
    profile_update,
    verification_confirm,
    verification_issue,
)
from accounts.vneid import vneid_link_start
from motcua.errors import DomainError
from motcua.posted import posted

PENDING_KEY = "accounts_pending_user_id"
RESET_KEY = "accounts_password_reset_identifier"
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _form_errors(form, error: DomainError) -> None:
    """Put a service's refusal on the form field it names (or on the whole form)."""
    placed = False
    for field in error.fields:
        if field in form.fields:
            form.add_error(field, error.localized_message)
            placed = True
    if not placed:
        form.add_error(None, error.localized_message)


def _vneid_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs) | {"vneid_enabled": _vneid_enabled()}

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        if user.awaiting_verification:
            # The password was right, so sending a code again cannot be abused to spam.
            self.request.session[PENDING_KEY] = user.pk
            try:
                verification_issue(user=user)
            except DomainError as e:
                messages.info(self.request, e.localized_message)
            return redirect("accounts:verify")
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        if user_screen_unit_ids(self.request.user):
            return reverse("evaluations:screen")
        if self.request.user.kind == User.Kind.STAFF:
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        return resolve_url("accounts:profile")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(posted(request))
    status = 422  # when the form has errors
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Before anything is written or sent: each sign-up sends a code to what was typed.
            code_send_try(request)
            user = account_signup(
                kind=data["kind"], identifier=data["identifier"], password=data["password"],
                full_name=data["full_name"], personal_id=data["personal_id"],
                organization_name=data["organization_name"], tax_code=data["tax_code"])
        except DomainError as e:
            _form_errors(form, e)
            if e.http_status == 429:
                status = 429
        else:
            request.session[PENDING_KEY] = user.pk
            return redirect("accounts:verify")
    return render(request, "accounts/signup.html", {"form": form},
                  status=status if form.errors else 200)


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_KEY)
    return User.objects.filter(pk=pk, awaiting_verification=True).first() if pk else None


# Shown before any sign-in, with the phone or e-mail the code went to: kept by no cache, the
# signed-in pages' rule (motcua/no_store.py) for a page a shared PC's next user could call back.
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Không có tài khoản nào đang chờ xác minh; vui lòng đăng nhập."))
        return redirect("accounts:login")
    form = VerifyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            verification_confirm(user=user, code=form.cleaned_data["code"])
        except DomainError as e:
            _form_errors(form, e)
        else:
            del request.session[PENDING_KEY]
            login(request, user, backend=_BACKEND)
            messages.success(request, _("Tài khoản đã được xác minh. Chào mừng bạn!"))
            return redirect("accounts:profile")
    destination = user.username
    return render(request, "accounts/verify.html", {"form": form, "destination": destination},
                  status=422 if form.errors else 200)


@require_POST
def verify_resend(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    try:
        code_send_try(request)
        verification_issue(user=user)
    except DomainError as e:
        messages.error(request, e.localized_message)
    else:
        messages.success(request, _("Đã gửi mã xác minh mới."))
    return redirect("accounts:verify")


def password_forgot(request: HttpRequest) -> HttpResponse:
    """Ask for a code to set a new password; the next page is the same whether or not an
    account signs in with what was typed."""
    form = PasswordResetRequestForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"].strip()
        try:
            # Counted whether or not an account signs in with it: the refusal tells nothing.
            code_send_try(request)
        except DomainError as e:
            _form_errors(form, e)
            status = 429
        else:
            password_reset_request(identifier=identifier)
            request.session[RESET_KEY] = identifier
            return redirect("accounts:password_reset")
    return render(request, "accounts/password_forgot.html", {"form": form},
                  status=422 if form.errors and status == 200 else status)


@never_cache  # as `verify`: it shows the identifier the code went to
def password_reset(request: HttpRequest) -> HttpResponse:
    identifier = request.session.get(RESET_KEY)
    if not identifier:
        return redirect("accounts:password_forgot")
    form = PasswordResetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_reset_confirm(identifier=identifier, code=data["code"],
                                   password=data["password"])
        except DomainError as e:
            _form_errors(form, e)
        else:
            del request.session[RESET_KEY]
            messages.success(request, _("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset.html",
                  {"form": form, "identifier": identifier}, status=422 if form.errors else 200)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {f: getattr(user, f) for f in ("full_name", "personal_id", "birth_date", "address",
                                             "phone", "email", "organization_name", "tax_code")}
    form = ProfileForm(posted(request), initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = profile_update(
                user=user, full_name=data["full_name"], personal_id=data["personal_id"] or "",
                birth_date=data["birth_date"], address=data["address"], phone=data["phone"],
                email=data["email"], organization_name=data.get("organization_name", ""),
                tax_code=data.get("tax_code", ""))
        except DomainError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            for value in saved.waiting.values():
                messages.info(request, _("Mã xác minh đã được gửi tới %(to)s. Nhập mã bên dưới "
                                         "để dùng thông tin liên hệ mới.") % {"to": value})
            return redirect("accounts:profile")
    proofs = [p for p in identity_proofs_of(user) if p.revoked_at is None]
    return render(request, "accounts/profile.html",
                  {"form": form, "vneid_enabled": _vneid_enabled(), "nav": "profile",
                   "contacts_waiting": contacts_waiting(user), "proofs": proofs},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def profile_contact_confirm(request: HttpRequest) -> HttpResponse:
    """The code sent to a new phone or e-mail of the profile."""
    try:
        contact_confirm(user=request.user, purpose=request.POST.get("purpose", ""),
                        code=request.POST.get("code", "").strip())
    except DomainError as e:
        messages.error(request, e.localized_message)
    else:
        messages.success(request, _("Đã xác minh; thông tin liên hệ mới được dùng từ bây giờ."))
    return redirect("accounts:profile")


@login_required
@require_POST
def vneid_link(request: HttpRequest) -> HttpResponse:
    """Start a VNeID log-in whose callback links the current account."""
    vneid_link_start(request)
    next_url = reverse("accounts:profile")
    return redirect(f"{reverse('oidc_authentication_init')}?{urlencode({'next': next_url})}")

