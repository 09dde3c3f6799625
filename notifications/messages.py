"""The words of each message, per event, in Vietnamese first (gettext; English through .po files).

An SMS says the essentials in one or two segments; the e-mail says the same with a greeting and
the full procedure name. Messages are rendered in settings.LANGUAGE_CODE, not in the language of
whoever clicked: the applicant is not the officer at the screen.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dossiers.lookup import lookup_address
from dossiers.models import Dossier, DossierEvent
from notifications.models import Kind

# Dossier events the applicant is told about, and what the message is.
EVENT_KINDS: dict[str, str] = {
    "accept": Kind.ACCEPTED,
    "request_supplement": Kind.SUPPLEMENT_REQUESTED,
    "apologize": Kind.APOLOGY,
    "mark_result_ready": Kind.RESULT_READY,
    "request_payment": Kind.PAYMENT_REQUESTED,
}

SMS_PROCEDURE_CHARS = 60


@dataclass(frozen=True)
class Message:
    subject: str
    sms: str
    email: str


def moment_text(moment: datetime | None) -> str:
    """'09:00 ngày 05/03/2026' in Vietnam time, as the forms print it."""
    if moment is None:
        return _("chưa xác định")
    local = timezone.localtime(moment)
    return _("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


def lookup_link(dossier: Dossier) -> str:
    """The public status page with the code and the receipt's secret: one tap from the SMS.

    The secret goes after "#", which the browser keeps to itself (dossiers.lookup.lookup_address).
    """
    page = f"{settings.MOTCUA_SITE_URL.rstrip('/')}{reverse('dossiers:lookup')}"
    return lookup_address(page, dossier.code, dossier.lookup_secret)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _amount_text(amount: object) -> str:
    if isinstance(amount, int):
        return _("Số tiền: %(amount)s đồng.") % {"amount": f"{amount:,}".replace(",", ".")}
    return ""


def event_message(*, event: DossierEvent, dossier: Dossier) -> Message | None:
    """The message for `event`, or None when the applicant is not told about this event."""
    kind = EVENT_KINDS.get(event.action)
    if kind is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return _render(kind, event, dossier)


def _render(kind: str, event: DossierEvent, dossier: Dossier) -> Message:
    unit = dossier.receiving_unit.name
    values = {
        "code": dossier.code, "unit": unit,
        "procedure": dossier.procedure.name,
        "procedure_short": _short(dossier.procedure.name, SMS_PROCEDURE_CHARS),
        "due": moment_text(dossier.due_at), "link": lookup_link(dossier),
        "reason": event.reason,
    }
    # No name: the address is whatever the filer typed, never verified, and so is the name (an
    # online filing's). Quoting it let anyone have the authority's mailer send their own words
    # ("tài khoản bị khóa, xác minh tại https://…") to anyone; the code, the procedure and the
    # unit say which dossier this is (audit6, as the PAKN receipt since audit5).
    greeting = _("Kính gửi ông/bà,")
    footer = _("Tra cứu tình trạng hồ sơ: %(link)s\n\n%(unit)s") % values
    if kind == Kind.ACCEPTED:
        subject = _("Hồ sơ %(code)s đã được tiếp nhận") % values
        sms = _("%(unit)s: đã tiếp nhận hồ sơ %(code)s (%(procedure_short)s). Hẹn trả kết quả "
                "%(due)s. Tra cứu: %(link)s") % values
        text = _("Hồ sơ %(code)s — %(procedure)s — đã được tiếp nhận. Ngày hẹn trả kết quả: "
                 "%(due)s.\nMã bí mật tra cứu in trên giấy tiếp nhận và hẹn trả kết quả (Mẫu "
                 "01).") % values
    elif kind == Kind.SUPPLEMENT_REQUESTED:
        missing = [m for m in (event.data.get("missing_documents") or []) if isinstance(m, str)]
        values["missing"] = "; ".join(missing)
        subject = _("Hồ sơ %(code)s cần bổ sung giấy tờ") % values
        sms = _("%(unit)s: hồ sơ %(code)s cần bổ sung. Lý do: %(reason)s. Xem chi tiết: "
                "%(link)s") % values
        text = _("Hồ sơ %(code)s — %(procedure)s — cần bổ sung, hoàn thiện.\nLý do: "
                 "%(reason)s") % values
        if missing:
            text += "\n" + _("Giấy tờ cần bổ sung: %(missing)s") % values
        text += "\n" + _("Thời hạn giải quyết tạm dừng cho đến khi ông/bà bổ sung.")
    elif kind == Kind.APOLOGY:
        raw = event.data.get("new_due_at")
        new_due = datetime.fromisoformat(raw) if isinstance(raw, str) else dossier.due_at
        values["new_due"] = moment_text(new_due)
        subject = _("Xin lỗi về việc chậm trả kết quả hồ sơ %(code)s") % values
        sms = _("%(unit)s xin lỗi: hồ sơ %(code)s chậm so với hẹn. Ngày hẹn mới: %(new_due)s. "
                "Lý do: %(reason)s") % values
        text = _("%(unit)s thành thật xin lỗi ông/bà vì hồ sơ %(code)s — %(procedure)s — chưa "
                 "giải quyết được đúng hẹn.\nLý do: %(reason)s\nNgày hẹn trả kết quả mới: "
                 "%(new_due)s.") % values
    elif kind == Kind.RESULT_READY:
        subject = _("Hồ sơ %(code)s đã có kết quả") % values
        sms = _("%(unit)s: hồ sơ %(code)s đã có kết quả. Mời ông/bà mang giấy tiếp nhận đến "
                "nhận. Tra cứu: %(link)s") % values
        text = _("Hồ sơ %(code)s — %(procedure)s — đã có kết quả tại bộ phận một cửa.\nMời "
                 "ông/bà mang giấy tiếp nhận và hẹn trả kết quả cùng giấy tờ tùy thân đến nhận "
                 "kết quả. Sau khi nhận, ông/bà có thể đánh giá mức độ hài lòng.") % values
    else:  # Kind.PAYMENT_REQUESTED
        values["amount"] = _amount_text(event.data.get("amount"))
        subject = _("Hồ sơ %(code)s: đề nghị nộp phí, lệ phí") % values
        sms = _("%(unit)s: hồ sơ %(code)s chờ ông/bà nộp phí, lệ phí. %(amount)s Tra cứu: "
                "%(link)s") % values
        text = _("Hồ sơ %(code)s — %(procedure)s — đang chờ ông/bà thực hiện nghĩa vụ tài "
                 "chính (phí, lệ phí). %(amount)s\nThời hạn giải quyết tạm dừng cho đến khi "
                 "ông/bà nộp.") % values
    email = f"{greeting}\n\n{text}\n\n{footer}\n"
    return Message(subject=subject, sms=" ".join(sms.split()), email=email)
