"""Recording an evaluation, handling the follow-up of an unsatisfied one, and the evaluation
screen facing the applicant at the desk."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import PersonalDataAccess, Role, User
from accounts.selectors import unit_members, user_has_role, user_screen_unit_ids
from dossiers.models import Dossier, State
from dossiers.selectors import dossier_is_own
from dossiers.services.personal_data import dossier_personal_read
from evaluations.counters import evaluation_confirmed_counted, evaluation_counted
from evaluations.criteria import CRITERION_KEYS, RATING_KEYS, Rating
from evaluations.models import Evaluation, FollowUp, ScreenCall
from motcua.errors import DomainError, NotAllowed
from notifications.models import Kind
from notifications.services import applicant_email, notify_person, notify_staff

ALREADY = ("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần; cảm ơn ông/bà "
           "đã góp ý.")
ALREADY_EN = "This dossier has already been evaluated; a dossier is evaluated once."


def _answers_clean(answers: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key in CRITERION_KEYS:
        raw = answers.get(key)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        if value not in (0, 1, 2) or isinstance(raw, bool):
            errors[key] = ["Chọn một mức: 2, 1 hoặc 0 điểm."]
        clean[key] = value
    for key in RATING_KEYS:
        raw = answers.get(key)
        if raw not in Rating.values:
            errors[key] = ["Chọn Rất hài lòng, Hài lòng hoặc Không hài lòng."]
        clean[key] = raw
    comment = answers.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > 2000:
        errors["comment"] = ["Góp ý tối đa 2.000 ký tự."]
    clean["comment"] = comment.strip() if isinstance(comment, str) else ""
    if errors:
        raise DomainError("invalid", "Phiếu đánh giá chưa đầy đủ: hãy trả lời mọi câu hỏi.",
                          "The evaluation is incomplete: answer every question.", fields=errors)
    return clean


def evaluation_may_submit(*, dossier: Dossier, actor: User | None, channel: str) -> bool:
    """Online: the dossier's own applicant, or a visitor who proved the lookup's second factor
    (actor None; the caller checked it). Kiosk: a desk officer of the receiving unit, who opens
    the page and hands the screen to the applicant."""
    if channel == Evaluation.Channel.KIOSK:
        return actor is not None and user_has_role(actor, unit_id=dossier.receiving_unit_id,
                                                   role=Role.RECEIVING)
    if actor is None:
        return True
    # The applicant's account, or a proven identity the dossier was filed under (issue #17).
    return dossier_is_own(dossier, actor)


def evaluation_submit(*, dossier: Dossier, answers: dict[str, Any], channel: str,
                      actor: User | None = None, at: datetime | None = None,
                      on_screen: bool = False) -> Evaluation:
    """Store one evaluation as answered, count it, and open a follow-up if it is unsatisfied.

    A kiosk evaluation not answered on the evaluation screen (`on_screen`) was typed in a desk
    officer's session: it is stored as officer-entered, a one-time code goes to the dossier's
    contact, and it counts in the indexes only once the applicant types that code
    (`evaluation_confirm`, audit8).

    All in one transaction: the evaluation, its counter and its follow-up (with the outbox rows
    telling the unit's heads, and the code's message) commit together or not at all.
    """
    if channel not in Evaluation.Channel.values:
        raise DomainError("invalid", "Hình thức đánh giá không hợp lệ.", "Unknown channel.",
                          fields={"channel": ["online hoặc kiosk."]})
    if not evaluation_may_submit(dossier=dossier, actor=actor, channel=channel):
        raise NotAllowed("permission_denied", "Bạn không thể đánh giá hồ sơ này.",
                         "You may not evaluate this dossier.", http_status=403)
    if dossier.state != State.RETURNED:
        raise NotAllowed("not_returned",
                         "Hồ sơ chưa được trả kết quả nên chưa thể đánh giá. Ông/bà đánh giá "
                         "sau khi nhận kết quả.",
                         "The dossier can be evaluated only after its result was returned.")
    clean = _answers_clean(answers)
    if Evaluation.objects.filter(dossier=dossier).exists():
        raise NotAllowed("already_evaluated", ALREADY, ALREADY_EN)
    at = at or timezone.now()
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                dossier=dossier, unit_id=dossier.competent_unit_id, channel=channel,
                submitted_by=actor, created_at=at,
                officer_entered=channel == Evaluation.Channel.KIOSK and not on_screen, **clean)
            evaluation_counted(evaluation=evaluation)
            if evaluation.officer_entered:
                _confirm_code_send(evaluation, dossier, at)
            if evaluation.overall_rating == Rating.UNSATISFIED:
                _follow_up_open(evaluation, dossier, at)
    except IntegrityError:
        # Two submissions at once: the database's unique constraint let one through.
        if Evaluation.objects.filter(dossier=dossier).exists():
            raise NotAllowed("already_evaluated", ALREADY, ALREADY_EN) from None
        raise
    return evaluation


# --- the applicant's confirmation of an evaluation an officer entered at the counter --------

CONFIRM_CODE_MINUTES = 15
CONFIRM_MAX_TRIES = 5
CONFIRM_MAX_SENDS = 3


def _code_hash(evaluation_id: int, code: str) -> str:
    # Keyed with the site's secret: a 6-digit code's plain hash would be found from the table
    # by trying the million codes.
    message = f"evaluation-confirm:{evaluation_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _contact(dossier: Dossier) -> tuple[str, str]:
    return applicant_email(dossier), dossier.applicant_phone or ""


def _confirm_code_send(evaluation: Evaluation, dossier: Dossier, at: datetime) -> int:
    """A new one-time code to the dossier's contact (SMS and e-mail through the notifications
    outbox); the earlier code stops working. Returns the messages written (0: no contact)."""
    code = f"{secrets.randbelow(10**6):06d}"
    email, phone = _contact(dossier)
    text = (f"Mã xác nhận đánh giá hồ sơ {dossier.code}: {code}. Chỉ nhập mã tại quầy nếu chính "
            f"ông/bà đã đánh giá. Hiệu lực {CONFIRM_CODE_MINUTES} phút.")
    body = (f"Kính gửi ông/bà,\n\nMã xác nhận đánh giá mức độ hài lòng về hồ sơ {dossier.code} "
            f"(cán bộ một cửa nhập thay tại quầy): {code}\n\nChỉ đọc hoặc nhập mã này tại quầy "
            f"nếu chính ông/bà đã trả lời phiếu đánh giá. Mã có hiệu lực {CONFIRM_CODE_MINUTES} "
            f"phút.")
    rows = notify_person(email=email, phone=phone, subject=f"Mã xác nhận đánh giá hồ sơ "
                         f"{dossier.code}", body=body, sms=text, kind=Kind.EVALUATION_CONFIRM,
                         secrets=[code])
    evaluation.confirm_code_hash = _code_hash(evaluation.pk, code) if rows else ""
    evaluation.confirm_code_expires_at = at + timedelta(minutes=CONFIRM_CODE_MINUTES)
    evaluation.confirm_tries = 0
    evaluation.confirm_sends += 1
    evaluation.save(update_fields=["confirm_code_hash", "confirm_code_expires_at",
                                   "confirm_tries", "confirm_sends"])
    return len(rows)


def _confirming(evaluation: Evaluation, actor: User) -> Evaluation:
    if not evaluation_may_submit(dossier=evaluation.dossier, actor=actor,
                                 channel=Evaluation.Channel.KIOSK):
        raise NotAllowed("permission_denied",
                         "Chỉ cán bộ bộ phận một cửa nơi tiếp nhận hồ sơ được nhập mã xác nhận.",
                         "Only a desk officer of the receiving unit may do this.",
                         http_status=403)
    locked = (Evaluation.objects.select_for_update().select_related("dossier")
              .get(pk=evaluation.pk))
    if not locked.officer_entered or locked.confirmed_at is not None:
        raise NotAllowed("nothing_to_confirm",
                         "Đánh giá này không cần xác nhận (người nộp tự đánh giá hoặc đã xác "
                         "nhận).", "This evaluation needs no confirmation.")
    return locked


def evaluation_confirm(*, evaluation: Evaluation, actor: User, code: str,
                       at: datetime | None = None) -> Evaluation:
    """The applicant types at the kiosk the code sent to the dossier's contact: the evaluation
    the officer entered is theirs, and counts from now on in the service index and the PAR
    Index, on its own day. Five wrong codes, or fifteen minutes, end the code."""
    at = at or timezone.now()
    code = "".join(ch for ch in (code or "") if ch.isdigit())[:6]
    with transaction.atomic():
        locked = _confirming(evaluation, actor)
        if (not locked.confirm_code_hash or locked.confirm_code_expires_at is None
                or at > locked.confirm_code_expires_at
                or locked.confirm_tries >= CONFIRM_MAX_TRIES):
            raise NotAllowed("confirm_code_expired",
                             "Mã xác nhận đã hết hiệu lực. Bấm “Gửi lại mã” để gửi mã mới tới "
                             "người nộp.", "The code has expired; send a new one.")
        if len(code) != 6 or not hmac.compare_digest(locked.confirm_code_hash,
                                                     _code_hash(locked.pk, code)):
            locked.confirm_tries += 1
            locked.save(update_fields=["confirm_tries"])
            left = CONFIRM_MAX_TRIES - locked.confirm_tries
            # Raised after the block commits, so that the wrong try stays counted.
            error = DomainError("confirm_code_wrong",
                                f"Mã xác nhận không đúng (còn {left} lần thử).",
                                f"Wrong code ({left} tries left).",
                                fields={"code": ["wrong"]})
        else:
            locked.confirmed_at = at
            locked.confirm_code_hash = ""
            locked.save(update_fields=["confirmed_at", "confirm_code_hash"])
            evaluation_confirmed_counted(evaluation=locked)
            return locked
    raise error


def evaluation_confirm_resend(*, evaluation: Evaluation, actor: User,
                              at: datetime | None = None) -> int:
    """Send a new code (the earlier one stops working); at most three codes an evaluation.
    Returns the messages written; 0 when the dossier has no contact to send to."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _confirming(evaluation, actor)
        if locked.confirm_sends >= CONFIRM_MAX_SENDS:
            raise NotAllowed("confirm_sends_exhausted",
                             f"Đã gửi {CONFIRM_MAX_SENDS} mã cho đánh giá này; đánh giá được lưu "
                             f"và báo cáo riêng, không tính vào chỉ số.",
                             "No more codes for this evaluation; it is kept and reported apart.")
        return _confirm_code_send(locked, locked.dossier, at)


def _follow_up_open(evaluation: Evaluation, dossier: Dossier, at: datetime) -> FollowUp:
    follow_up = FollowUp.objects.create(evaluation=evaluation, unit_id=evaluation.unit_id,
                                        opened_at=at)
    subject = f"Đánh giá không hài lòng: hồ sơ {dossier.code}"
    said = (f"Người nộp hồ sơ {dossier.code} ({dossier.procedure.name}) đánh giá “Không hài "
            f"lòng”, {evaluation.points}/18 điểm.")
    body = (f"{said} Góp ý: {evaluation.comment or '(không có)'}. "
            f"Xem và xử lý tại trang Theo dõi đánh giá không hài lòng.")
    # The comment is the applicant's own text, often with their name or phone: on the heads'
    # page, not in an e-mail or SMS (which also would carry anyone's chosen text to them).
    outside = f"{said} Xem góp ý và xử lý tại trang Theo dõi đánh giá không hài lòng."
    for head in unit_members(unit=dossier.competent_unit, role=Role.HEAD):
        notify_staff(head, subject, body, outside_body=outside)
    return follow_up


def follow_up_comment_read(*, follow_up: FollowUp, actor: User) -> None:
    """Log that `actor` opened a follow-up and so read the applicant's comment (their own words,
    often with their name or phone): a read of the dossier's owner, Decree 13/2023/NĐ-CP art. 9
    (Law 91/2025/QH15), logged as the admin's page of an evaluation and the API's read are."""
    dossier_personal_read(actor=actor, dossier=follow_up.evaluation.dossier,
                          action=PersonalDataAccess.Action.DOSSIER_OPEN,
                          purpose="Xem góp ý của đánh giá không hài lòng (theo dõi)")


def follow_up_close(*, follow_up: FollowUp, actor: User, note: str) -> FollowUp:
    """The head of the unit records what was done and closes the follow-up."""
    if not (actor.is_superuser or user_has_role(actor, unit_id=follow_up.unit_id,
                                                role=Role.HEAD)):
        raise NotAllowed("permission_denied", "Chỉ lãnh đạo đơn vị được đóng việc theo dõi này.",
                         "Only the unit's head may close this follow-up.", http_status=403)
    note = (note or "").strip()
    if not note:
        raise DomainError("reason_required", "Cần ghi kết quả xử lý trước khi đóng.",
                          "A note is required to close the follow-up.",
                          fields={"note": ["Bắt buộc."]})
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status == FollowUp.Status.CLOSED:
            raise NotAllowed("already_closed", "Việc theo dõi này đã được đóng.",
                             "This follow-up is already closed.")
        locked.status = FollowUp.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.note = note
        locked.save(update_fields=["status", "closed_at", "closed_by", "note"])
    return locked


# --- the evaluation screen facing the applicant at the desk ----------------------------------

def screen_call(*, officer: User, screen: User, dossier: Dossier,
                at: datetime | None = None) -> ScreenCall:
    """The desk officer sends `dossier` to `screen`: the screen shows its form next, in place of
    any form it showed (the applicant at the desk is the one in front of it now)."""
    if not evaluation_may_submit(dossier=dossier, actor=officer, channel=Evaluation.Channel.KIOSK):
        raise NotAllowed("permission_denied",
                         "Chỉ cán bộ bộ phận một cửa nơi tiếp nhận hồ sơ được mời đánh giá.",
                         "Only a desk officer of the receiving unit may do this.",
                         http_status=403)
    if dossier.receiving_unit_id not in user_screen_unit_ids(screen):
        raise NotAllowed("permission_denied",
                         "Màn hình này không thuộc bộ phận một cửa nơi tiếp nhận hồ sơ.",
                         "This screen belongs to another desk.", http_status=403)
    if dossier.state != State.RETURNED:
        raise NotAllowed("not_returned", "Hồ sơ chưa được trả kết quả nên chưa thể đánh giá.",
                         "The dossier can be evaluated only after its result was returned.")
    if Evaluation.objects.filter(dossier=dossier).exists():
        raise NotAllowed("already_evaluated", ALREADY, ALREADY_EN)
    at = at or timezone.now()
    try:
        with transaction.atomic():
            # Locked so that two officers sending to one screen at once leave one form on it;
            # where rows cannot be locked (SQLite), the unique open call refuses the second.
            User.objects.select_for_update().filter(pk=screen.pk).first()
            ScreenCall.objects.filter(screen=screen, closed_at__isnull=True).update(
                closed_at=at, outcome=ScreenCall.Outcome.REPLACED)
            return ScreenCall.objects.create(screen=screen, dossier=dossier, called_by=officer,
                                             called_at=at)
    except IntegrityError:
        raise NotAllowed("screen_busy",
                         "Màn hình vừa nhận một hồ sơ khác cùng lúc; vui lòng gửi lại.",
                         "The screen has just received another dossier; send again.") from None


def _open_call(screen: User, call_id: int) -> ScreenCall:
    call = (ScreenCall.objects.select_for_update().select_related("dossier", "called_by")
            .filter(pk=call_id, screen=screen).first())
    if call is None or call.closed_at is not None:
        raise NotAllowed("screen_call_closed",
                         "Phiếu này không còn hiệu lực: cán bộ đã mời đánh giá hồ sơ khác.",
                         "This form is no longer open on the screen.")
    return call


def screen_answer(*, screen: User, call_id: int, answers: dict[str, Any],
                  at: datetime | None = None) -> Evaluation:
    """The applicant's answers on the screen: recorded as a kiosk evaluation in the name of the
    officer who sent the dossier, and the screen is free again."""
    at = at or timezone.now()
    with transaction.atomic():
        call = _open_call(screen, call_id)
        # The applicant's own hand on the screen facing them: not officer-entered.
        evaluation = evaluation_submit(dossier=call.dossier, answers=answers,
                                       channel=Evaluation.Channel.KIOSK, actor=call.called_by,
                                       at=at, on_screen=True)
        call.closed_at, call.outcome = at, ScreenCall.Outcome.ANSWERED
        call.save(update_fields=["closed_at", "outcome"])
    return evaluation


def screen_decline(*, screen: User, call_id: int, at: datetime | None = None) -> ScreenCall:
    """The applicant does not wish to evaluate: the screen is free again."""
    with transaction.atomic():
        call = _open_call(screen, call_id)
        call.closed_at, call.outcome = at or timezone.now(), ScreenCall.Outcome.DECLINED
        call.save(update_fields=["closed_at", "outcome"])
    return call
