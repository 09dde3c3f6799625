"""Handing the result over: who received it, how and when (issue #16).

The one-stop mechanism (Decree 118/2025/NĐ-CP, which replaced Decree 61/2018/NĐ-CP, whose Article
18 "Trả hồ sơ, kết quả giải quyết thủ tục hành chính" set the same rule) has the desk return the
result to the applicant, or to the person they authorised, at the desk, by public postal service
or electronically, and record the hand-over on the control slip (Form 05) and in the register
(Form 06). The article of Decree 118/2025 is not cited here: this session could not check it.
The return_result event keeps it under "receiver": the kind of receiver, their name and the
paper they showed, the way, the postal tracking number for the post; the event's moment is when.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua import inputs
from motcua.errors import DomainError

APPLICANT, AUTHORISED = "applicant", "authorised"
DESK, POST, ONLINE = "desk", "post", "online"
RECEIVER_KINDS = {APPLICANT: _("Người nộp hồ sơ (chủ hồ sơ)"),
                  AUTHORISED: _("Người được ủy quyền")}
METHODS = {DESK: _("Nhận trực tiếp tại bộ phận một cửa"),
           POST: _("Qua dịch vụ bưu chính công ích"),
           ONLINE: _("Tải bản điện tử trực tuyến")}
PAPER = inputs.Rule(inputs.Kind.LINE, 255)
TRACKING = inputs.Rule(inputs.Kind.NUMBER, 40)


def _refuse(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={f"receiver.{field}": [message]})


def receiver_clean(raw: Any, *, applicant_name: str) -> dict[str, str]:
    """The hand-over as the event keeps it; DomainError naming the field otherwise."""
    if not isinstance(raw, dict) or not raw.get("method"):
        raise _refuse("method", "Cần ghi việc trả kết quả: ai nhận (người nộp hồ sơ hoặc người "
                      "được ủy quyền), giấy tờ người nhận xuất trình và hình thức trả (tại bộ "
                      "phận một cửa; qua bưu chính kèm số hiệu bưu gửi; tải bản điện tử).",
                      "The hand-over is required: who receives the result (the applicant or an "
                      "authorised person), the paper they showed and how (at the desk; by post "
                      "with the tracking number; online download).")
    method, kind = raw.get("method"), raw.get("kind") or APPLICANT
    if method not in METHODS:
        raise _refuse("method", "Hình thức trả kết quả không hợp lệ.",
                      "Unknown way of returning the result.")
    if kind not in RECEIVER_KINDS:
        raise _refuse("kind", "Người nhận phải là người nộp hồ sơ hoặc người được ủy quyền.",
                      "The receiver is the applicant or an authorised person.")
    try:
        name = inputs.input_value(raw.get("name", ""), inputs.NAME)
        paper = inputs.input_value(raw.get("paper", ""), PAPER)
        tracking = inputs.input_value(raw.get("tracking", ""), TRACKING)
    except inputs.InputRefused as refused:
        raise _refuse("name", f"Người nhận: {refused.problem.message}",
                      f"Receiver: {refused.problem.message_en}") from None
    if kind == AUTHORISED and not name:
        raise _refuse("name", "Cần ghi họ tên người được ủy quyền nhận kết quả.",
                      "The authorised person's name is required.")
    if method == DESK and not paper:
        # At the desk the officer checks who takes the result: the applicant's identity paper,
        # or the authorised person's together with the authorisation.
        raise _refuse("paper", "Cần ghi giấy tờ người nhận xuất trình (loại và số).",
                      "The paper the receiver showed is required.")
    if kind == AUTHORISED and method == DESK and "ủy quyền" not in paper.lower() \
            and "uy quyen" not in paper.lower():
        raise _refuse("paper", "Người được ủy quyền phải xuất trình văn bản ủy quyền; ghi cả "
                               "văn bản ủy quyền trong giấy tờ xuất trình.",
                      "An authorised person shows the authorisation; list it with the papers.")
    if method == POST and not tracking:
        raise _refuse("tracking", "Cần ghi số hiệu bưu gửi khi trả kết quả qua bưu chính.",
                      "The postal tracking number is required for the post.")
    return {"kind": kind, "name": name or applicant_name, "paper": paper, "method": method,
            "tracking": tracking if method == POST else ""}


def receiver_text(receiver: dict[str, Any] | None) -> str:
    """One line for Form 05 and the register: who, which paper, how."""
    if not receiver:
        return ""
    who = str(receiver.get("name", ""))
    if receiver.get("kind") == AUTHORISED:
        who = f"{who} ({RECEIVER_KINDS[AUTHORISED].lower()})"
    parts = [who]
    shown, tracking = _("xuất trình"), _("số hiệu bưu gửi")
    if receiver.get("paper"):
        parts.append(f"{shown}: {receiver['paper']}")
    method = METHODS.get(receiver.get("method", ""), "")
    if receiver.get("method") == POST:
        method = f"{method}, {tracking} {receiver.get('tracking', '')}"
    parts.append(str(method))
    return "; ".join(str(p) for p in parts if p)
