"""How many items one sender may file from the public form and API (audit7).

Each public item sends its receipt at once, by SMS and e-mail, from the authority's gateway, to
whatever phone and address were typed, and goes on to the national PAKN system. Without a limit
one script filed items without end: text messages and e-mails in the authority's name to any
number (at the authority's cost), and a flood in the units' inboxes and the national system.
Counted in the database as the lookups count wrong tries (motcua/window_counts.py):
each item is written before it is judged, so a burst spread over several workers cannot slip
between a count and a write; a refused one is deleted again, so a sender who keeps trying does
not push their own window on. Staff recording letters and calls, and the national system's
items, are not counted.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from feedback.models import SendRecord
from motcua.errors import DomainError
from motcua.inputs import phone_key
from motcua.window_counts import tries_count


def _contacts(phone: str, email: str) -> list[str]:
    keys = []
    if phone.strip():
        keys.append(f"phone:{phone_key(phone)}"[:254])
    if email.strip():
        keys.append(f"email:{email.strip().lower()}"[:254])
    return keys


def feedback_send_reserve(*, address: str, phone: str, email: str) -> list[int]:
    """Count one public item from `address` to `phone` and `email`; the rows' ids (to release
    if the item is not filed after all). DomainError 429 "feedback_send_limit" past a limit,
    with nothing counted."""
    now = timezone.now()
    Scope = SendRecord.Scope
    rows = [SendRecord(scope=Scope.CONTACT, key=key, at=now) for key in _contacts(phone, email)]
    if address:
        rows.append(SendRecord(scope=Scope.ADDRESS, key=address[:254], at=now))
    seconds = {Scope.ADDRESS: settings.MOTCUA_FEEDBACK_SEND_ADDRESS_WINDOW_SECONDS,
               Scope.CONTACT: settings.MOTCUA_FEEDBACK_SEND_CONTACT_WINDOW_SECONDS}
    window = {scope: timedelta(seconds=value) for scope, value in seconds.items()}
    limit = {Scope.ADDRESS: settings.MOTCUA_FEEDBACK_SEND_MAX_PER_ADDRESS,
             Scope.CONTACT: settings.MOTCUA_FEEDBACK_SEND_MAX_PER_CONTACT}
    reserved, over = tries_count(SendRecord, rows, now=now, windows=window, limits=limit)
    if over:
        if Scope.ADDRESS in over:
            raise DomainError(
                "feedback_send_limit",
                "Có quá nhiều phản ánh, kiến nghị được gửi từ địa chỉ mạng này. Vui lòng thử lại "
                "sau.",
                "Too many items were sent from this network address. Please try again later.",
                http_status=429)
        hours = max(1, int(window[Scope.CONTACT].total_seconds() // 3600))
        raise DomainError(
            "feedback_send_limit",
            f"Số điện thoại hoặc thư điện tử này đã gửi {limit[Scope.CONTACT]} phản ánh, kiến "
            f"nghị trong {hours} giờ qua. Vui lòng thử lại sau, hoặc tra cứu các phản ánh đã gửi "
            "bằng mã phản ánh.",
            f"This phone number or e-mail address has sent {limit[Scope.CONTACT]} items in the "
            f"last {hours} hours. Please try again later.", http_status=429)
    SendRecord.objects.filter(at__lt=now - max(window.values())).delete()
    return reserved


def feedback_send_release(reserved: list[int]) -> None:
    SendRecord.objects.filter(pk__in=reserved).delete()
