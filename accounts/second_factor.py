"""A second factor for the staff who sign, administer or read personal data (issue #17).

Heads sign results, administrators change everything, desks read personal data: for them a
password alone is not enough. They confirm each sign-in with a 6-digit code from an
authenticator app (TOTP, RFC 6238, through django-otp) or with one of ten single-use recovery
codes shown once at set-up. The web pages ask for it after the password (middleware below); the
API issues a token only with it (accounts/api.py). An administrator resets a lost factor; the
reset is kept in the admin log with who, when and why.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User
from accounts.selectors import user_roles
from motcua.errors import DomainError

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def second_factor_required(user: User) -> bool:
    """Whether this account must confirm its sign-in with a second factor."""
    if not settings.MOTCUA_SECOND_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    wanted = set(settings.MOTCUA_SECOND_FACTOR_ROLES)
    return any(role in wanted for _, role in user_roles(user))


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator entry being set up (a new secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực",
                                               confirmed=False)


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code it shows; returns it and ten new recovery codes,
    which are shown once and kept only by django-otp's static device."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise DomainError("invalid", "Chưa có ứng dụng xác thực nào đang chờ thiết lập.",
                          "No authenticator is being set up.", fields={"token": ["—"]})
    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise DomainError("invalid", "Mã không đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng.",
                          "Wrong code.", fields={"token": ["Mã không đúng."]})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Mã khôi phục", confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return device, codes


def second_factor_match(*, user: User, token: str):
    """The device that accepts `token` (a TOTP code, or a recovery code, used up), or None."""
    token = (token or "").strip().replace(" ", "").lower()
    if not token:
        return None
    return match_token(user, token)


@transaction.atomic
def second_factor_reset(*, user: User, by: User, reason: str) -> None:
    """An administrator removes a lost authenticator and its recovery codes; the person sets up
    a new one at their next sign-in. Kept in the admin log (who, when, why)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("invalid", "Phải ghi lý do đặt lại xác thực hai bước.",
                          "A reason is required.", fields={"reason": ["Bắt buộc."]})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # A token issued with the lost authenticator's code outlives it (30 days): whoever holds
    # the phone and the password could have got one (audit8). Sessions verified with the
    # removed device ask for the new one already (django-otp reads the device per request).
    ApiToken.objects.filter(user=user).delete()
    LogEntry.objects.log_actions(user_id=by.pk, queryset=[user], action_flag=CHANGE,
                                 change_message=f"Đặt lại xác thực hai bước: {reason}",
                                 single_object=True)


class SecondFactorMiddleware:
    """After the password, a signed-in account that needs a second factor reaches only the pages
    that set it up or ask for it (and signing out) until the session is verified. The API
    refuses such a session; tokens are issued only after the second factor."""

    OPEN_PREFIXES = ("/static/", "/i18n/", "/tai-khoan/dang-xuat/", "/tai-khoan/xac-thuc-hai-buoc/",
                     "/api/v1/auth/token/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not request.path.startswith(self.OPEN_PREFIXES)
                and second_factor_required(user) and not user.is_verified()):
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {
                    "code": "second_factor_required",
                    "message": "Cần xác thực hai bước: đăng nhập lại trên trang web và nhập mã "
                               "từ ứng dụng xác thực, hoặc dùng mã truy cập API.",
                    "message_en": "A second factor is required.", "fields": {}}}, status=403)
            name = ("accounts:second_factor" if has_second_factor(user)
                    else "accounts:second_factor_setup")
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def session_verify(request: HttpRequest, device) -> None:
    """Mark the session as having passed the second factor with `device`."""
    from django_otp import login as otp_login

    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the sign-in is complete


__all__ = ["DEVICE_ID_SESSION_KEY", "SecondFactorMiddleware", "has_second_factor",
           "second_factor_match", "second_factor_required", "second_factor_reset",
           "session_verify", "totp_device_confirm", "totp_device_start"]
