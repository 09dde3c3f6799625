"""What may happen to a provision under review: the only list (as dossiers/states.py is for
dossiers). `who` names the people allowed: "unit" — the specialists and heads of the provision's
unit, or the reform officers running the round; "reform" — the reform officers of the round's
unit or a unit above it (Role.REFORM)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from regulations.models import Provision

S = Provision.State


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    who: str
    reason_required: bool = False


MOVES: dict[str, Move] = {
    # The unit sends its proposal: the yearly dossiers are counted at this moment.
    "propose": Move((S.REVIEWING,), S.PROPOSED, "unit"),
    # The reform office sends it back to be reworked.
    "return": Move((S.PROPOSED,), S.REVIEWING, "reform", reason_required=True),
    # Approved by a decision (number, date) with the date the change takes effect; a change to
    # the catalogue becomes the procedure's next version from that date.
    "approve": Move((S.PROPOSED,), S.APPROVED, "reform"),
    "reject": Move((S.PROPOSED,), S.REJECTED, "reform", reason_required=True),
}

ACTION_LABELS = {
    "add": _("Đưa vào rà soát"),
    "edit": _("Cập nhật phương án"),
    "propose": _("Gửi đề xuất"),
    "return": _("Trả lại để hoàn thiện"),
    "approve": _("Phê duyệt"),
    "reject": _("Không phê duyệt"),
}
