"""Filing an item: from the public page, a procedure's page, "Hồ sơ của tôi", a staff member
recording a letter or a phone call, or the national PAKN system.

Decree 20/2008/ND-CP as amended by Decree 92/2017/ND-CP asks the sender for a name and a way to
be answered (address, phone or e-mail) and content about an administrative regulation; an item
without a contact cannot be answered, so the form refuses it before it is filed.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, Unit, User
from accounts.selectors import user_has_role
from catalog.selectors import procedure_get
from dossiers.uploads import total_check, upload_check
from feedback.codes import feedback_code_new, feedback_secret_new
from feedback.deadlines import forward_due
from feedback.events import event_write
from feedback.models import Channel, Feedback, FeedbackAttachment, State
from feedback.notify import ON_THE_PAGE, tell_sender, tell_unit
from feedback.outbox import national_queue
from feedback.services.sending import feedback_send_release, feedback_send_reserve
from feedback.states import SenderActor
from motcua.errors import DomainError, NotAllowed
from motcua.inputs import phone_key

MAX_FILES = 5
STAFF_CHANNELS = frozenset({Channel.LETTER, Channel.PHONE})
# What anyone may send, from the site's forms and the public API: counted (services/sending.py).
PUBLIC_CHANNELS = frozenset({Channel.PORTAL, Channel.PROCEDURE, Channel.DOSSIER})


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    size: int | None = None


def _check(*, title: str, content: str, sender_name: str, sender_phone: str,
           sender_email: str) -> None:
    fields: dict[str, list[str]] = {}
    messages: list[tuple[str, str]] = []

    def bad(field: str, vi: str, en: str) -> None:
        fields[field] = [vi]
        messages.append((vi, en))

    if not title.strip():
        bad("title", "Chưa nhập tiêu đề phản ánh, kiến nghị.", "The title is missing.")
    if not content.strip():
        bad("content", "Chưa nhập nội dung phản ánh, kiến nghị.", "The content is missing.")
    if not sender_name.strip():
        bad("sender_name", "Chưa nhập họ và tên người gửi.", "The sender's name is missing.")
    digits = "".join(ch for ch in sender_phone if ch.isdigit())
    if sender_phone.strip() and not 9 <= len(digits) <= 12:
        bad("sender_phone", "Số điện thoại không hợp lệ (cần 9 đến 12 chữ số).",
            "The phone number is not valid (9 to 12 digits).")
    if sender_email.strip():
        try:
            validate_email(sender_email.strip())
        except ValidationError:
            bad("sender_email", "Địa chỉ thư điện tử không hợp lệ.",
                "The e-mail address is not valid.")
    if not sender_phone.strip() and not sender_email.strip():
        bad("sender_phone", "Cần số điện thoại hoặc thư điện tử để cơ quan trả lời ông/bà.",
            "A phone number or an e-mail address is needed for the answer.")
    if fields:
        raise DomainError("feedback_invalid", " ".join(m[0] for m in messages),
                          " ".join(m[1] for m in messages), fields=fields)


def _default_unit() -> Unit:
    code = settings.MOTCUA_FEEDBACK_DEFAULT_UNIT
    unit = None
    if code:
        unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        unit = (Unit.objects.filter(kind=Unit.Kind.PROVINCE, is_active=True).order_by("code")
                .first())
    if unit is None:
        raise DomainError("feedback_no_unit", "Chưa cấu hình cơ quan tiếp nhận phản ánh.",
                          "No unit receives feedback yet.", fields={"unit": []})
    return unit


def _attachments_check(files: list[Upload]) -> list[tuple[Upload, str]]:
    if len(files) > MAX_FILES:
        raise DomainError("feedback_too_many_files",
                          f"Chỉ đính kèm tối đa {MAX_FILES} tệp.",
                          f"At most {MAX_FILES} files may be attached.", fields={"files": []})
    checked = [(f, upload_check(f.name, f.data, size=f.size).content_type) for f in files]
    total_check(existing_bytes=0, new_sizes=[len(f.data) for f in files])
    return checked


def feedback_submit(*, title: str, content: str, sender_name: str, channel: str,
                    sender_phone: str = "", sender_email: str = "", sender_address: str = "",
                    publish_consent: bool = False, unit: Unit | None = None,
                    procedure_code: str = "", dossier=None, sender_user: User | None = None,
                    recorded_by: User | None = None, files: list[Upload] | None = None,
                    national_id: str = "", actor: object = None,
                    at: datetime | None = None, sent_from: str | None = None) -> Feedback:
    """File one item and its first event; returns it with its code and lookup secret.

    `dossier` must already be one the sender proved to own (the view fetches it through
    `dossiers.selectors.dossier_mine_get`); `recorded_by` is the staff member typing a letter or
    a phone call, who must hold the feedback role in `unit`. `sent_from`: the client address
    of a public form or the public API (empty when unknown) — such an item counts against the
    sending limits (feedback/services/sending.py), 429 "feedback_send_limit" past them.
    """
    title, content = title.strip(), content.strip()
    sender_phone, sender_email = sender_phone.strip(), sender_email.strip()
    _check(title=title, content=content, sender_name=sender_name, sender_phone=sender_phone,
           sender_email=sender_email)
    checked = _attachments_check(files or [])
    procedure_name = ""
    if procedure_code:
        procedure = procedure_get(procedure_code)
        if procedure is None:
            raise DomainError("feedback_procedure", "Không tìm thấy thủ tục hành chính.",
                              "The procedure was not found.", fields={"procedure": []})
        procedure_name = procedure.name
        unit = unit or procedure.competent_unit
    if dossier is not None:
        unit = unit or dossier.receiving_unit
        procedure_code = procedure_code or dossier.procedure.code
        procedure_name = procedure_name or dossier.procedure.name
    if channel in STAFF_CHANNELS:
        if recorded_by is None or unit is None or not user_has_role(
                recorded_by, unit_id=unit.pk, role=Role.FEEDBACK):
            raise NotAllowed("feedback_forbidden",
                             "Chỉ cán bộ xử lý phản ánh của đơn vị mới ghi nhận được thư, "
                             "điện thoại gửi đến đơn vị.",
                             "Only the unit's feedback officers may record letters and calls.",
                             http_status=403)
    unit = unit or _default_unit()
    now = at or timezone.now()
    reserved: list[int] = []
    if sent_from is not None and channel in PUBLIC_CHANNELS:
        # Last of the checks: a form refused for a missing field costs the sender nothing.
        reserved = feedback_send_reserve(address=sent_from, phone=sender_phone,
                                         email=sender_email)
    try:
        return _create(title=title, content=content, sender_name=sender_name, channel=channel,
                       sender_phone=sender_phone, sender_email=sender_email,
                       sender_address=sender_address, publish_consent=publish_consent,
                       unit=unit, procedure_code=procedure_code, procedure_name=procedure_name,
                       dossier=dossier, sender_user=sender_user, recorded_by=recorded_by,
                       checked=checked, national_id=national_id, actor=actor, now=now)
    except Exception:
        feedback_send_release(reserved)
        raise


def _create(*, title: str, content: str, sender_name: str, channel: str, sender_phone: str,
            sender_email: str, sender_address: str, publish_consent: bool, unit: Unit,
            procedure_code: str, procedure_name: str, dossier, sender_user: User | None,
            recorded_by: User | None, checked: list[tuple[Upload, str]], national_id: str,
            actor: object, now: datetime) -> Feedback:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                item = Feedback.objects.create(
                    code=feedback_code_new(now), lookup_secret=feedback_secret_new(),
                    channel=channel, title=title[:255], content=content,
                    sender_name=sender_name.strip()[:150],
                    # One form, whatever was typed: the staff's reads are logged under it and
                    # the sender's own page finds them by it (motcua.inputs.phone_key).
                    sender_phone=phone_key(sender_phone)[:20],
                    sender_email=sender_email, sender_address=sender_address.strip()[:255],
                    sender_user=sender_user if sender_user and sender_user.is_authenticated
                    else None,
                    publish_consent=publish_consent, procedure_code=procedure_code,
                    procedure_name=procedure_name, dossier=dossier, receiving_unit=unit,
                    handling_unit=unit, recorded_by=recorded_by, received_at=now,
                    forward_due_at=forward_due(received_at=now, unit=unit),
                    national_id=national_id)
                for upload, content_type in checked:
                    attachment = FeedbackAttachment(feedback=item, name=upload.name[:255],
                                                    size=len(upload.data),
                                                    content_type=content_type)
                    attachment.file.save(f"{item.code}-{len(upload.data)}", ContentFile(
                        upload.data), save=False)
                    attachment.save()
                who = actor or recorded_by or (
                    sender_user if sender_user and sender_user.is_authenticated else None
                ) or SenderActor(code=item.code, display_name=item.sender_name)
                event_write(feedback=item, action="submit", actor=who, at=now, from_state="",
                            to_state=State.RECEIVED, actor_unit=unit if recorded_by else None,
                            to_unit=unit, data={"channel": channel})
                if channel != Channel.NATIONAL:
                    national_queue(feedback=item, message="item")
                # The sender's receipt: the code and the secret that opens the lookup. Nothing
                # typed is quoted: it goes at once, from the authority's mailer, to whatever
                # address the (anonymous) form was given, so a quoted title let anyone send
                # their own text — a link, a false notice — in the authority's name.
                tell_sender(item=item, subject=f"Đã tiếp nhận phản ánh, kiến nghị {item.code}",
                            body=f"{unit.name} đã tiếp nhận phản ánh, kiến nghị mã {item.code}. "
                                 f"Mã bí mật tra cứu: {item.lookup_secret}.",
                            sms_extra=f"Mã bí mật: {item.lookup_secret}.")
                due = (f"Hạn phân loại, chuyển: "
                       f"{timezone.localtime(item.forward_due_at):%H:%M %d/%m/%Y}.")
                # The title is the sender's text: on the officers' page, not in their SMS.
                tell_unit(unit=unit, subject=f"Phản ánh, kiến nghị mới {item.code}",
                          body=f"{item.title}. {due}", outside_body=f"{due} {ON_THE_PAGE}")
                return item
        except IntegrityError:
            # A code drawn twice (one in 31⁶ per day): draw again.
            continue
    raise DomainError("feedback_code", "Không cấp được mã phản ánh, vui lòng thử lại.",
                      "No code could be issued; please try again.")
