"""The lock-out of an installation's session log-in on the national side (MOTCUA_MODE=national).

The province side's log-ins are counted by django-axes (motcua/settings.py: AXES_*); the
national side's `token/` took any number of passwords for an installation's username (audit10).
It now goes through the same counters and settings: after AXES_FAILURE_LIMIT wrong passwords
for one installation from one address, that pair is refused for AXES_COOLOFF_TIME — by pair,
so nobody elsewhere can lock a province out by sending its username. The counter's name carries
a prefix: an installation's username is not an account's, and the two must not share a count.
"""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

COUNTER_PREFIX = "cong-quoc-gia:"


def session_credentials(body: Any) -> dict[str, str]:
    username = body.get("username", "") if isinstance(body, dict) else ""
    # Cut to an installation's longest username (sync.models.Installation, 100): a longer one
    # names none, and past axes' 255 characters PostgreSQL would refuse the counter's row.
    return {"username": f"{COUNTER_PREFIX}{str(username)[:100]}"}


def session_allowed(request: HttpRequest, credentials: dict[str, str]) -> bool:
    return AxesProxyHandler.is_allowed(request, credentials)


def session_failed(request: HttpRequest, credentials: dict[str, str]) -> bool:
    """Counts a wrong password; True when it locked the pair. The signal is the one a failed
    Django log-in sends: axes counts (and logs) it as it counts those. Axes then marks the
    request, and its middleware would answer with the web page of a lock-out (HTML, 429): the
    portal protocol answers in JSON, so the mark is taken off and the caller says it."""
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    request.axes_locked_out = False
    return locked


def session_succeeded(request: HttpRequest, credentials: dict[str, str]) -> None:
    """As AXES_RESET_ON_SUCCESS does for an account: the pair's count starts again."""
    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address,
                                        username=credentials["username"])


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (f"Đăng nhập của hệ thống này từ địa chỉ đang gửi tạm thời bị khóa do nhập sai mật "
            f"khẩu quá {settings.AXES_FAILURE_LIMIT} lần. Vui lòng thử lại sau {minutes} phút "
            f"và kiểm tra mật khẩu đã cấu hình.")
