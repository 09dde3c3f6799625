"""The item's append-only history: one row per step, written in the step's transaction."""

from datetime import datetime
from typing import Any

from django.db.models import Max

from accounts.models import Unit, User
from feedback.models import Feedback, FeedbackEvent


def event_write(*, feedback: Feedback, action: str, actor: object, at: datetime,
                from_state: str, to_state: str, actor_unit: Unit | None = None,
                to_unit: Unit | None = None, note: str = "", timing: str = "",
                data: dict[str, Any] | None = None) -> FeedbackEvent:
    """Append one event; the caller holds the item's row lock inside its transaction."""
    last = feedback.events.aggregate(m=Max("seq"))["m"] or 0
    return FeedbackEvent.objects.create(
        feedback=feedback, seq=last + 1, action=action, at=at,
        # A sender or a system process is recorded by its name only: it has no user row.
        actor=actor if isinstance(actor, User) else None,
        actor_name=getattr(actor, "display_name", "") or "", actor_unit=actor_unit,
        from_state=from_state, to_state=to_state, to_unit=to_unit, note=note, timing=timing,
        data=data or {})
