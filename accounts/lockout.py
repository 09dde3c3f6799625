"""The username django-axes counts failures against, written the way the account stores it.

Without this, "+84 912 345 678", "84912345678" and "0912345678" would be three counters for one
account and an attacker would get three times the tries.
"""

from django.conf import settings
from django.http import HttpRequest

from accounts.forms import login_username_normalize


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return login_username_normalize(raw)


def lockout_client_ip(request: HttpRequest) -> str | None:
    """The client's address: from the proxy's header when one is configured, else the socket's."""
    header = getattr(settings, "MOTCUA_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        # X-Forwarded-For may list several hops; the first is the client as the proxy saw it.
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
