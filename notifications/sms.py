"""Sending an SMS: one small interface, the HTTP gateway behind it, and who to use.

The HTTP implementation posts JSON to MOTCUA_SMS_URL with HTTP Basic credentials
(MOTCUA_SMS_USER / MOTCUA_SMS_PASSWORD):

    POST <url>   {"to": "0914222333", "text": "…", "ref": "<our message id>"}
    2xx          {"id": "<the gateway's message id>"}       anything else is a failure

An operator's brand-name gateway (VNPT, Viettel, …) that speaks another dialect gets its own class
with the same `send`; the outbox does not change. The local simulator
(notifications/sms_simulator.py, `manage.py sms_simulator`) is a real HTTP server that speaks this
protocol, so the demo and the tests go through the same code as production.
"""

from typing import Protocol

import httpx
from django.conf import settings


class SmsError(Exception):
    """The gateway did not accept the message; the outbox retries later."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, ref: str) -> str:
        """Hand one message to the gateway; returns the gateway's id or raises SmsError."""
        ...


class HttpSmsGateway:
    def __init__(self, *, url: str, user: str, password: str, timeout: float,
                 http: httpx.Client | None = None) -> None:
        self.url = url
        self.auth = httpx.BasicAuth(user, password)
        self.timeout = timeout
        self.http = http

    def send(self, *, to: str, text: str, ref: str) -> str:
        payload = {"to": to, "text": text, "ref": ref}
        try:
            if self.http is not None:
                response = self.http.post(self.url, json=payload, auth=self.auth,
                                          timeout=self.timeout)
            else:
                response = httpx.post(self.url, json=payload, auth=self.auth,
                                      timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise SmsError(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise SmsError(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            return str(response.json().get("id", ""))
        except ValueError:
            return ""


def sms_gateway() -> SmsGateway | None:
    """The configured gateway; None when MOTCUA_SMS_URL is empty (no SMS is written then)."""
    if not settings.MOTCUA_SMS_URL:
        return None
    return HttpSmsGateway(url=settings.MOTCUA_SMS_URL, user=settings.MOTCUA_SMS_USER,
                          password=settings.MOTCUA_SMS_PASSWORD,
                          timeout=settings.MOTCUA_SMS_TIMEOUT)


def phone_normalised(phone: str) -> str:
    """Digits only, with a leading + kept ("0914 222 333" → "0914222333"); "" if too short."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 9:
        return ""
    return ("+" + digits) if phone.strip().startswith("+") else digits
