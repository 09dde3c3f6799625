"""SIPAS: draw the sample, send the one-time links, record an anonymous answer sheet.

Method: Decision 1001/QĐ-BNV of 11/12/2023 — the sample is drawn from people who received
results, stratified; the survey is answered on paper, by phone, on the portal or by message
(domain.md §12). Here: dossiers returned in the period, stratified by competent unit, procedure
level and channel, allocated in proportion to each stratum's size (largest remainders), drawn at
random inside each stratum.
"""

import hashlib
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.selectors import unit_subtree_ids
from dossiers.models import Dossier, State
from metrics.periods import LOCAL_TZ
from motcua import inputs
from motcua.errors import DomainError, NotAllowed
from notifications.models import Kind
from notifications.services import applicant_email, notify_person, person_reachable
from reform.models import (
    SipasAnswer,
    SipasInvitation,
    SipasPrintBatch,
    SipasQuestionKind,
    SipasResponse,
    SipasRound,
    SipasVersion,
)
from reform.par.access import organises, sipas_organiser_unit_ids

# The largest sample its column holds (a 32-bit integer); a larger number was a 500 on
# PostgreSQL. A sample larger than the dossiers returned in the period takes them all (allocate).
SAMPLE_SIZE_MAX = 2**31 - 1


def _bounds(day_from: date, day_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day_from, datetime.min.time(), LOCAL_TZ)
    end = datetime.combine(day_to, datetime.min.time(), LOCAL_TZ) + timedelta(days=1)
    return start, end


def allocate(sizes: dict, total: int) -> dict:
    """Proportional allocation of `total` over strata of `sizes`, largest remainders; never
    more than a stratum holds."""
    population = sum(sizes.values())
    if population == 0:
        return {k: 0 for k in sizes}
    total = min(total, population)
    exact = {k: total * n / population for k, n in sizes.items()}
    out = {k: int(v) for k, v in exact.items()}
    left = total - sum(out.values())
    for k in sorted(sizes, key=lambda k: (-(exact[k] - out[k]), str(k))):
        if left <= 0:
            break
        if out[k] < sizes[k]:
            out[k] += 1
            left -= 1
    return out


def survey_create(*, actor: User, version: SipasVersion, organiser: Unit, name: str,
                  returned_from: date, returned_to: date, sample_size: int, closes_on: date,
                  seed: int | None = None) -> SipasRound:
    """Create the round and its invitations (the sample), in one transaction."""
    if organiser.pk not in sipas_organiser_unit_ids(actor):
        # Not every unit's CCHC officer: the surveyed units do not run the survey that scores
        # them (reform/par/access.py sipas_organising_units).
        raise NotAllowed("not_organiser", _("Chỉ cán bộ CCHC của cơ quan tổ chức được lập đợt "
                                            "khảo sát."), "Only the organiser may do this.",
                         http_status=403)
    if returned_to < returned_from:
        raise DomainError("bad_period", _("“Đến ngày” phải sau “từ ngày”."),
                          "The end date is before the start.", fields={"returned_to": ["order"]})
    if sample_size < 1:
        raise DomainError("bad_size", _("Cỡ mẫu phải lớn hơn 0."), "The sample size must be "
                          "positive.", fields={"sample_size": ["min"]})
    if sample_size > SAMPLE_SIZE_MAX:
        raise DomainError("bad_size", f"Cỡ mẫu tối đa {SAMPLE_SIZE_MAX:,}.".replace(",", "."),
                          f"The sample size is at most {SAMPLE_SIZE_MAX:,}.",
                          fields={"sample_size": ["max"]})
    name = inputs.inputs_clean({"name": name}, {"name": inputs.Rule(inputs.Kind.LINE, 300)},
                               labels={"name": ("Tên đợt khảo sát", "Survey name")})["name"]
    if not name:
        raise DomainError("name_required", _("Nhập tên đợt khảo sát."), "Enter a name.",
                          fields={"name": ["required"]})
    start, end = _bounds(returned_from, returned_to)
    eligible = list(Dossier.objects.filter(
        state=State.RETURNED, returned_at__gte=start, returned_at__lt=end,
        competent_unit_id__in=unit_subtree_ids([organiser.pk]))
        .values_list("pk", "competent_unit_id", "procedure__level", "channel").order_by("pk"))
    if not eligible:
        raise DomainError("no_dossiers", _("Không có hồ sơ nào được trả kết quả trong khoảng "
                                           "thời gian này."), "No dossier was returned then.",
                          fields={"returned_from": ["empty"]})
    strata: dict[tuple, list] = defaultdict(list)
    for row in eligible:
        strata[row[1:]].append(row[0])
    quota = allocate({k: len(v) for k, v in strata.items()}, sample_size)
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    with transaction.atomic():
        survey = SipasRound.objects.create(
            version=version, organiser=organiser, name=name.strip(),
            returned_from=returned_from, returned_to=returned_to, sample_size=sample_size,
            closes_on=closes_on, created_by=actor)
        rows = []
        for key, ids in sorted(strata.items(), key=lambda kv: str(kv[0])):
            for pk in rng.sample(ids, quota[key]):
                # A placeholder nobody knows: the live secret is made when the link is sent
                # or printed (`_link_issue`).
                rows.append(SipasInvitation(survey=survey, dossier_id=pk, unit_id=key[0],
                                            procedure_level=key[1] or "", channel=key[2],
                                            token_hash=token_hash(secrets.token_urlsafe(24))))
        SipasInvitation.objects.bulk_create(rows)
    return survey


def token_hash(token: str) -> str:
    """What is stored of a link's secret (192 random bits: a plain SHA-256 is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def survey_link(token: str) -> str:
    return f"{settings.MOTCUA_SITE_URL.rstrip('/')}{reverse('reform:sipas_answer', args=[token])}"


def _link_issue(invitation: SipasInvitation) -> str:
    """A new secret for the invitation (any earlier link stops working); returns the link.
    The caller saves `token_hash` once the link has reached the person or the slip."""
    token = secrets.token_urlsafe(24)
    invitation.token_hash = token_hash(token)
    return survey_link(token)


def _reachable(invitation: SipasInvitation) -> bool:
    """Whether a link can go to the sampled person: an e-mail address, or a phone number with
    an SMS gateway configured (notifications.services.notify_person's own rule)."""
    d = invitation.dossier
    return person_reachable(email=applicant_email(d), phone=d.applicant_phone)


def printable_invitations(survey: SipasRound):
    """The invitations a printed slip is for: unused, never sent, in no batch yet, and of a
    person no message can reach."""
    pending = (SipasInvitation.objects.select_related("dossier__applicant_user")
               .filter(survey=survey, used=False, sent_sms=False, sent_email=False,
                       print_batch__isnull=True).order_by("pk"))
    return [inv for inv in pending if not _reachable(inv)]


@dataclass(frozen=True)
class Slip:
    code: str  # the dossier's code, to hand the slip over with the result
    link: str


def print_batch_create(*, survey: SipasRound, actor: User,
                       now: datetime | None = None) -> tuple[SipasPrintBatch | None, list[Slip]]:
    """Print the slips of every printable invitation as one batch, logged with who, when and
    how many. The links exist only in the returned slips, shown once; a later look at the
    round shows counts (Decision 1001/QĐ-BNV: the survey reaches the people themselves; the
    organiser is assessed too and must not hold answerable links)."""
    if not organises(actor, survey.organiser_id):
        raise NotAllowed("not_organiser", _("Chỉ cơ quan tổ chức được in phiếu khảo sát."),
                         "Only the organiser may print the slips.", http_status=403)
    now = now or timezone.now()
    with transaction.atomic():
        # One printing at a time per round: the second waits and finds nothing left.
        SipasRound.objects.select_for_update().filter(pk=survey.pk).first()
        rows = printable_invitations(survey)
        if not rows:
            return None, []
        batch = SipasPrintBatch.objects.create(survey=survey, printed_by=actor,
                                               printed_at=now, count=len(rows))
        slips = []
        for inv in rows:
            slips.append(Slip(inv.dossier.code, _link_issue(inv)))
            inv.print_batch = batch
        SipasInvitation.objects.bulk_update(rows, ["token_hash", "print_batch"])
    return batch, slips


def invitations_send(*, survey: SipasRound, actor: User) -> int:
    """Send each unsent invitation by SMS and e-mail (notifications/); returns how many went."""
    if not organises(actor, survey.organiser_id):
        raise NotAllowed("not_organiser", _("Chỉ cơ quan tổ chức được gửi thư mời."),
                         "Only the organiser may send the invitations.", http_status=403)
    sent = 0
    with transaction.atomic():
        for inv in (SipasInvitation.objects.select_for_update(of=("self",))
                    .select_related("dossier__applicant_user")
                    .filter(survey=survey, used=False, sent_sms=False, sent_email=False,
                            print_batch__isnull=True)):
            link = _link_issue(inv)
            subject = _("Mời tham gia khảo sát sự hài lòng")
            sms = _("Mời Ông/Bà đánh giá sự hài lòng về dịch vụ hành chính công (không ghi "
                    "tên, 5 phút): %(link)s") % {"link": link}
            body = _("Kính gửi Ông/Bà,\n\nCơ quan %(org)s mời Ông/Bà trả lời phiếu khảo sát sự "
                     "hài lòng về việc giải quyết thủ tục hành chính (khoảng 5 phút). Phiếu "
                     "trả lời không ghi tên, không gắn với hồ sơ của Ông/Bà.\n\n%(link)s\n\n"
                     "Đường dẫn dùng một lần, hết hạn ngày %(d)s.") % {
                "org": survey.organiser.name, "link": link,
                "d": survey.closes_on.strftime("%d/%m/%Y")}
            d = inv.dossier
            rows = notify_person(email=applicant_email(d), phone=d.applicant_phone, subject=subject,
                                 body=body, sms=sms, kind=Kind.SURVEY, secrets=[link])
            inv.sent_sms = any(r.channel == "sms" for r in rows)
            inv.sent_email = any(r.channel == "email" for r in rows)
            if rows:
                # The link's secret went in the message only; its hash is kept.
                inv.save(update_fields=["sent_sms", "sent_email", "token_hash"])
                sent += 1
    return sent


def invitation_open(token: str, today: date) -> SipasInvitation:
    inv = SipasInvitation.objects.select_related("survey", "survey__version").filter(
        token_hash=token_hash(token or "")).first()
    if inv is None or inv.used:
        raise DomainError("link_used", _("Đường dẫn khảo sát không đúng hoặc đã được dùng."),
                          "The survey link is wrong or was already used.", http_status=404)
    if today > inv.survey.closes_on:
        raise DomainError("closed", _("Đợt khảo sát đã kết thúc."), "The survey is closed.",
                          http_status=410)
    return inv


def survey_answer(*, token: str, answers: dict[str, str],
                  now: datetime | None = None) -> None:
    """Record an answer sheet for a one-time link. The sheet carries the stratum and the day;
    the invitation is only marked used — nothing links the two (reform/models/sipas.py)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        inv = invitation_open(token, today)
        inv = SipasInvitation.objects.select_for_update().get(pk=inv.pk)
        if inv.used:
            raise DomainError("link_used", _("Đường dẫn khảo sát đã được dùng."),
                              "The survey link was already used.", http_status=404)
        questions = list(inv.survey.version.questions.all())
        errors: dict[str, list[str]] = {}
        clean: list[tuple] = []
        for q in questions:
            value = (answers.get(q.code) or "").strip()
            if not value:
                continue  # a question may be left unanswered
            ok = ((q.kind == SipasQuestionKind.SATISFACTION and value in ("1", "2", "3", "4",
                                                                          "5"))
                  or (q.kind == SipasQuestionKind.OPINION and value in ("yes", "no", "unknown"))
                  or (q.kind == SipasQuestionKind.EXPECTATION and value in q.options))
            if not ok:
                errors[q.code] = ["invalid"]
            else:
                clean.append((q, value))
        if errors:
            raise DomainError("invalid_answer", _("Có câu trả lời không hợp lệ: %(c)s") % {
                "c": ", ".join(errors)}, "Some answers are not valid.", fields=errors)
        if not clean:
            raise DomainError("empty", _("Hãy trả lời ít nhất một câu hỏi."),
                              "Answer at least one question.", fields={"answers": ["required"]})
        inv.used = True
        inv.save(update_fields=["used"])
        response = SipasResponse.objects.create(
            survey=inv.survey, unit_id=inv.unit_id, procedure_level=inv.procedure_level,
            channel=inv.channel, received_on=today,
            printed_slip=inv.print_batch_id is not None)
        SipasAnswer.objects.bulk_create([SipasAnswer(response=response, question=q, value=v)
                                         for q, v in clean])
