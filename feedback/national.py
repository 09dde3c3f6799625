"""The national PAKN system (the feedback subsystem of the National Public Service Portal):
a small adapter, its HTTP implementation configured from settings, and the sync that sends what
is owed and receives what citizens sent there.

Its interface is not public (domain.md §12), so the protocol below is this project's own,
spoken by the local simulator (feedback/national_simulator.py, `manage.py
feedback_national_simulator`); a real connection gets its own class with the same three methods.

    POST {url}/api/pakn/items/                     an item filed here      → {"id": "<national id>"}
    POST {url}/api/pakn/items/<id>/answer/         its approved answer     → 2xx
    GET  {url}/api/pakn/inbox/?unit=<code>&unit=…  items sent there to our units, not yet taken
    POST {url}/api/pakn/inbox/<id>/ack/            taken: not listed again

HTTP Basic credentials (MOTCUA_FEEDBACK_NATIONAL_USER / _PASSWORD). What must go is written to
`NationalOutbox` in the change's transaction; a system that is down leaves the rows pending and
they are retried with back-off, so nothing is lost. A received item is acknowledged only after
it was filed here, and filing is idempotent by its national id, so a crash between the two
files nothing twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Unit
from feedback.models import Channel, Feedback, NationalOutbox
from feedback.states import NATIONAL_SYSTEM, SystemActor

log = logging.getLogger(__name__)
ACTOR = SystemActor(name=NATIONAL_SYSTEM, display_name="Hệ thống PAKN quốc gia")
LEASE_SECONDS = 120
BACKOFF_BASE, BACKOFF_MAX = 60, 3600


class NationalError(Exception):
    """The national system did not take the request; retried later."""


class NationalPakn(Protocol):
    def send_item(self, payload: dict[str, Any]) -> str: ...

    def send_answer(self, national_id: str, payload: dict[str, Any]) -> None: ...

    def inbox(self, unit_codes: list[str]) -> list[dict[str, Any]]: ...

    def ack(self, national_id: str) -> None: ...


class HttpNationalPakn:
    def __init__(self, *, url: str, user: str, password: str, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.auth = httpx.BasicAuth(user, password)
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = httpx.request(method, self.url + path, auth=self.auth,
                                     timeout=self.timeout, **kwargs)
        except httpx.HTTPError as exc:
            raise NationalError(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise NationalError(f"HTTP {response.status_code}: {response.text[:200]}")
        return response

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise NationalError("the answer is not JSON") from exc

    def send_item(self, payload: dict[str, Any]) -> str:
        data = self._json(self._call("POST", "/api/pakn/items/", json=payload))
        national_id = str((data or {}).get("id") or "")
        if not national_id:
            raise NationalError("no id in the answer")
        return national_id

    def send_answer(self, national_id: str, payload: dict[str, Any]) -> None:
        self._call("POST", f"/api/pakn/items/{national_id}/answer/", json=payload)

    def inbox(self, unit_codes: list[str]) -> list[dict[str, Any]]:
        data = self._json(self._call("GET", "/api/pakn/inbox/", params={"unit": unit_codes}))
        items = (data or {}).get("items")
        if not isinstance(items, list):
            raise NationalError("no item list in the answer")
        return [i for i in items if isinstance(i, dict)]

    def ack(self, national_id: str) -> None:
        self._call("POST", f"/api/pakn/inbox/{national_id}/ack/", json={})


def national_system() -> NationalPakn | None:
    """The configured system; None when MOTCUA_FEEDBACK_NATIONAL_URL is empty."""
    if not settings.MOTCUA_FEEDBACK_NATIONAL_URL:
        return None
    return HttpNationalPakn(url=settings.MOTCUA_FEEDBACK_NATIONAL_URL,
                            user=settings.MOTCUA_FEEDBACK_NATIONAL_USER,
                            password=settings.MOTCUA_FEEDBACK_NATIONAL_PASSWORD,
                            timeout=settings.MOTCUA_FEEDBACK_NATIONAL_TIMEOUT)


def _item_payload(item: Feedback) -> dict[str, Any]:
    return {"ref": item.code, "title": item.title, "content": item.content,
            "unit_code": item.receiving_unit.code, "procedure_code": item.procedure_code,
            "channel": item.channel, "received_at": item.received_at.isoformat(),
            "publish_consent": item.publish_consent,
            "sender": {"name": item.sender_name, "phone": item.sender_phone,
                       "email": item.sender_email}}


def _answer_payload(item: Feedback) -> dict[str, Any]:
    return {"ref": item.code, "answer": item.answer, "unit_code": item.handling_unit.code,
            "answered_at": item.answered_at.isoformat() if item.answered_at else None,
            "kind": item.kind}


def _backoff(tries: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(tries - 1, 0), BACKOFF_MAX))


@dataclass
class SyncResult:
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    received: int = 0
    # Items of the national inbox not filed (an impossible date, a rule refused them): left
    # unacknowledged, so they come back once corrected there; the others are filed.
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(row: NationalOutbox, now: datetime) -> bool:
    return bool(NationalOutbox.objects.filter(pk=row.pk, status=NationalOutbox.Status.PENDING,
                                              next_try_at__lte=now)
                .update(next_try_at=now + timedelta(seconds=LEASE_SECONDS)))


def _send_one(system: NationalPakn, row: NationalOutbox) -> bool:
    """One attempt; False when the row must wait (an answer whose item has no national id)."""
    item = Feedback.objects.select_related("receiving_unit", "handling_unit").get(
        pk=row.feedback_id)
    if row.message == "item":
        national_id = system.send_item(_item_payload(item))
        Feedback.objects.filter(pk=item.pk).update(national_id=national_id)
        return True
    if not item.national_id:
        return False
    system.send_answer(item.national_id, _answer_payload(item))
    return True


def national_send(*, system: NationalPakn | None = None, now: datetime | None = None,
                  result: SyncResult | None = None) -> SyncResult:
    """Send every due outbox row, oldest first; a failure keeps it pending with back-off."""
    system = system or national_system()
    result = result or SyncResult()
    if system is None:
        return result
    now = now or timezone.now()
    due = NationalOutbox.objects.filter(status=NationalOutbox.Status.PENDING,
                                        next_try_at__lte=now).order_by("created_at", "id")
    for row in list(due[:500]):
        if not _claim(row, now):
            continue
        try:
            done = _send_one(system, row)
        except NationalError as exc:
            row.tries += 1
            NationalOutbox.objects.filter(pk=row.pk).update(
                tries=row.tries, last_error=str(exc)[:1000],
                next_try_at=now + _backoff(row.tries))
            result.failed += 1
            result.errors.append(str(exc))
            continue
        if done:
            NationalOutbox.objects.filter(pk=row.pk).update(
                status=NationalOutbox.Status.SENT, sent_at=timezone.now(), last_error="")
            result.sent += 1
        else:
            NationalOutbox.objects.filter(pk=row.pk).update(next_try_at=now)
            result.waiting += 1
    return result


def _received_at(national_id: str, value: Any) -> datetime:
    """When the citizen sent the item on the national portal; now when it is not given.

    A value shaped like a date but impossible (30 February, hour 25) makes `parse_datetime`
    raise instead of answering None: that one item is refused, not the whole import."""
    from motcua.errors import DomainError

    if value in (None, ""):
        return timezone.now()
    try:
        at = parse_datetime(str(value))
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)  # the national system's time is Vietnam's
    except (ValueError, OverflowError):
        at = None
    if at is None:
        raise DomainError(
            "national_item_date", f"ngày nhận không hợp lệ ({str(value)[:40]}).",
            f"the date received is not valid ({str(value)[:40]}).")
    return at


def _file_received(data: dict[str, Any]) -> Feedback | None:
    from feedback.services.submit import feedback_submit

    national_id = str(data.get("id") or "")
    if not national_id:
        return None
    existing = Feedback.objects.filter(national_id=national_id, channel=Channel.NATIONAL).first()
    if existing is not None:
        return existing
    unit = Unit.objects.filter(code=str(data.get("unit_code") or ""), is_active=True).first()
    sender = data.get("sender") if isinstance(data.get("sender"), dict) else {}
    at = _received_at(national_id, data.get("received_at"))
    return feedback_submit(
        title=str(data.get("title") or "")[:255], content=str(data.get("content") or ""),
        sender_name=str(sender.get("name") or ""), sender_phone=str(sender.get("phone") or ""),
        sender_email=str(sender.get("email") or ""),
        publish_consent=bool(data.get("publish_consent")), unit=unit,
        procedure_code=str(data.get("procedure_code") or ""), channel=Channel.NATIONAL,
        national_id=national_id, actor=ACTOR, at=at)


def national_receive(*, system: NationalPakn | None = None,
                     result: SyncResult | None = None) -> SyncResult:
    """File the items sent on the national system to our units, then acknowledge each."""
    from motcua.errors import DomainError

    system = system or national_system()
    result = result or SyncResult()
    if system is None:
        return result
    codes = list(Unit.objects.filter(is_active=True).values_list("code", flat=True))
    try:
        items = system.inbox(codes)
    except NationalError as exc:
        result.errors.append(str(exc))
        return result
    for data in items:
        if not isinstance(data, dict):
            result.skipped += 1
            result.errors.append(f"Bỏ qua một mục không đọc được: {str(data)[:60]}")
            continue
        try:
            with transaction.atomic():
                item = _file_received(data)
        except DomainError as exc:
            # Left unacknowledged: an operator sees it in the log and on the national side.
            log.warning("national PAKN item %s refused: %s", data.get("id"), exc.message)
            result.skipped += 1
            result.errors.append(f"Bỏ qua mục {data.get('id')}: {exc.message}")
            continue
        except (ValueError, TypeError, DatabaseError):
            # A value the database cannot hold (a NUL byte, a field too long): this item only.
            log.exception("national PAKN item %s could not be filed", data.get("id"))
            result.skipped += 1
            result.errors.append(f"Bỏ qua mục {data.get('id')}: dữ liệu không hợp lệ.")
            continue
        if item is None:
            continue
        try:
            system.ack(item.national_id)
        except NationalError as exc:
            result.errors.append(str(exc))
            continue
        result.received += 1
    return result


def national_sync(*, system: NationalPakn | None = None) -> SyncResult:
    result = national_send(system=system)
    return national_receive(system=system, result=result)
