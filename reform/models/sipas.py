"""SIPAS: the people's satisfaction with public administrative services.

Method: Decision 1001/QĐ-BNV of 11/12/2023 (2023–2026), following Decision 2640/QĐ-BNV (2017):
five elements, each asked as opinion, satisfaction and expectation questions (domain.md §12).

Anonymity is a property of the tables: a `SipasInvitation` knows the dossier it was drawn
from (to send the link), a `SipasResponse` knows only its stratum (unit, procedure level,
channel) and the day it came in; nothing joins the two. The invitation is marked used without
a time, and a response's key is random (UUID), so neither its number nor its moment points
back to an invitation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SipasElement(models.TextChoices):
    ACCESS = "access", _("Tiếp cận dịch vụ")
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    CIVIL_SERVANT = "civil_servant", _("Công chức giải quyết công việc")
    RESULT = "result", _("Kết quả giải quyết")
    FEEDBACK = "feedback", _("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")


class SipasQuestionKind(models.TextChoices):
    OPINION = "opinion", _("Đánh giá (ý kiến)")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng")
    EXPECTATION = "expectation", _("Mong đợi")


class SipasVersion(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    name = models.CharField(_("tên bộ câu hỏi"), max_length=300)
    decision = models.CharField(_("văn bản hướng dẫn"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("bộ câu hỏi SIPAS")
        verbose_name_plural = _("bộ câu hỏi SIPAS")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class SipasQuestion(models.Model):
    """Opinion: yes / no / don't know; satisfaction: 1 (very dissatisfied) … 5 (very
    satisfied); expectation: one of `options`."""

    version = models.ForeignKey(SipasVersion, on_delete=models.CASCADE,
                                related_name="questions")
    element = models.CharField(_("yếu tố"), max_length=20, choices=SipasElement.choices)
    kind = models.CharField(_("loại câu hỏi"), max_length=15, choices=SipasQuestionKind.choices)
    code = models.CharField(_("mã"), max_length=20)
    text = models.CharField(_("câu hỏi"), max_length=500)
    options = models.JSONField(_("lựa chọn (câu mong đợi)"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"],
                                               name="sipas_question_code_unique")]
        verbose_name = _("câu hỏi SIPAS")
        verbose_name_plural = _("câu hỏi SIPAS")

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class SipasRound(models.Model):
    version = models.ForeignKey(SipasVersion, on_delete=models.PROTECT,
                                related_name="rounds")
    organiser = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("cơ quan tổ chức"))
    name = models.CharField(_("tên đợt khảo sát"), max_length=300)
    # Dossiers whose results were returned in [returned_from, returned_to] are sampled.
    returned_from = models.DateField(_("trả kết quả từ ngày"))
    returned_to = models.DateField(_("đến ngày"))
    sample_size = models.PositiveIntegerField(_("cỡ mẫu"))
    closes_on = models.DateField(_("hạn trả lời"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-returned_to", "-pk"]
        verbose_name = _("đợt khảo sát SIPAS")
        verbose_name_plural = _("đợt khảo sát SIPAS")

    def __str__(self) -> str:
        return self.name


class SipasPrintBatch(models.Model):
    """One printing of QR slips for the sampled people without a contact: who, when, how
    many. The slips' links are shown once, in the answer to the print; never again (audit8)."""

    survey = models.ForeignKey(SipasRound, on_delete=models.CASCADE,
                               related_name="print_batches")
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("người in"))
    printed_at = models.DateTimeField(_("thời điểm in"))
    count = models.PositiveIntegerField(_("số phiếu"))

    class Meta:
        ordering = ["-printed_at"]
        verbose_name = _("lô phiếu khảo sát in mã QR")
        verbose_name_plural = _("lô phiếu khảo sát in mã QR")

    def __str__(self) -> str:
        return f"{self.survey} — {self.count}"


class SipasInvitation(models.Model):
    """One sampled applicant's one-time link. Knows the dossier; never the answers.

    The link's secret is stored only as its SHA-256 (`token_hash`): it exists in full only in
    the message sent to the person, or on the printed slip (audit8) — the organiser, itself
    assessed in the PAR Index, cannot read the unused links and answer them."""

    survey = models.ForeignKey(SipasRound, on_delete=models.CASCADE,
                               related_name="invitations")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    # The batch whose printed slip carries the link (people without a contact).
    print_batch = models.ForeignKey(SipasPrintBatch, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="invitations")
    # The stratum the response will carry.
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    procedure_level = models.CharField(max_length=20, blank=True)
    channel = models.PositiveSmallIntegerField()
    sent_sms = models.BooleanField(default=False)
    sent_email = models.BooleanField(default=False)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "dossier"],
                                               name="sipas_one_invitation_per_dossier")]
        verbose_name = _("thư mời khảo sát")
        verbose_name_plural = _("thư mời khảo sát")

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class SipasResponse(models.Model):
    """An anonymous answer sheet: its stratum and day, nothing about who answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(SipasRound, on_delete=models.CASCADE,
                               related_name="responses")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    procedure_level = models.CharField(max_length=20, blank=True)
    channel = models.PositiveSmallIntegerField()
    received_on = models.DateField()
    # Answered through a printed QR slip (handed over by the organiser's people) rather than a
    # link sent to the person: the results show the share (audit8).
    printed_slip = models.BooleanField(default=False)

    class Meta:
        ordering = ["received_on"]
        verbose_name = _("phiếu trả lời SIPAS")
        verbose_name_plural = _("phiếu trả lời SIPAS")

    def __str__(self) -> str:
        return f"{self.survey} {self.received_on:%d/%m/%Y}"


class SipasAnswer(models.Model):
    response = models.ForeignKey(SipasResponse, on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(SipasQuestion, on_delete=models.PROTECT, related_name="+")
    # Opinion: "yes" / "no" / "unknown"; satisfaction: "1".."5"; expectation: the option.
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="sipas_one_answer_per_question")]

    def __str__(self) -> str:
        return self.value


__all__ = ["SipasElement", "SipasQuestionKind", "SipasVersion", "SipasQuestion", "SipasRound",
           "SipasPrintBatch", "SipasInvitation", "SipasResponse", "SipasAnswer"]
