"""The pages of the staff second factor: set up an authenticator, then enter its code at each
sign-in (accounts/second_factor.py)."""

from base64 import b32encode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.second_factor import (
    has_second_factor,
    second_factor_match,
    session_verify,
    totp_device_confirm,
    totp_device_start,
)
from motcua.errors import DomainError
from motcua.posted import posted
from motcua.qr import qr_img


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực"), max_length=20,
        help_text=gettext_lazy("6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True}))


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return "/"


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code of the authenticator (or a recovery code) after the password."""
    if not has_second_factor(request.user):
        # Encoded: a page's own query ("?q=…&page=2") must come back whole, not cut at its "&".
        return redirect(f"{_setup_url()}?{urlencode({'next': _next(request)})}")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = second_factor_match(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            session_verify(request, device)
            return redirect(_next(request))
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Nhập mã đang hiện trên ứng "
                                  "dụng xác thực, hoặc một mã khôi phục chưa dùng."))
    return render(request, "accounts/second_factor.html",
                  {"form": form, "next": _next(request)}, status=422 if form.errors else 200)


def _setup_url() -> str:
    return reverse("accounts:second_factor_setup")


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key) into an authenticator app, confirm with its code, and
    write down the recovery codes shown once. Replacing an authenticator needs the old one."""
    user = request.user
    if has_second_factor(user) and not user.is_verified():
        return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': _setup_url()})}")
    device = totp_device_start(user=user)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = totp_device_confirm(user=user, token=form.cleaned_data["token"])
        except DomainError as e:
            form.add_error("token", e.localized_message)
        else:
            session_verify(request, confirmed)
            return render(request, "accounts/second_factor_codes.html",
                          {"codes": codes, "next": _next(request)})
    key = b32encode(device.bin_key).decode()
    return render(request, "accounts/second_factor_setup.html", {
        "form": form, "next": _next(request),
        "qr": qr_img(device.config_url, alt=_("Mã QR để thêm vào ứng dụng xác thực")),
        "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)),
    }, status=422 if form.errors else 200)
