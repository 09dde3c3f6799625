"""The dossier's append-only event log (Zulip's audit-row discipline: written with the change)."""

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils.module_loading import import_string

from accounts.models import Unit, User
from dossiers.models import Dossier, DossierEvent, DossierStep


def event_write(*, dossier: Dossier, action: str, actor: User | None, at: datetime,
                from_state: str, to_state: str, actor_unit: Unit | None = None,
                step: DossierStep | None = None, to_unit: Unit | None = None,
                to_user: User | None = None, reason: str = "", timing: str = "",
                data: dict[str, Any] | None = None) -> DossierEvent:
    """Append one event; the caller holds the dossier's row lock inside its transaction."""
    last = dossier.events.aggregate(m=Max("seq"))["m"] or 0
    event = DossierEvent.objects.create(
        # A SystemActor (dossiers.states) is recorded by its name only: it has no user row.
        dossier=dossier, seq=last + 1, action=action, at=at,
        actor=actor if isinstance(actor, User) else None,
        actor_name=actor.display_name if actor else "", actor_unit=actor_unit,
        from_state=from_state, to_state=to_state, step=step, to_unit=to_unit, to_user=to_user,
        reason=reason, step_due_at=step.due_at if step else None, timing=timing,
        dossier_due_at=dossier.due_at, data=data or {},
    )
    for consume in event_consumers():
        consume(event=event, dossier=dossier)
    return event


@cache
def event_consumers() -> tuple[Callable[..., None], ...]:
    """The functions of settings.MOTCUA_EVENT_CONSUMERS, called with (event=, dossier=).

    They run inside the transaction of the change, so what they write (the national-portal
    outbox, the service-index counters) commits or rolls back with it, and an exception undoes
    the change. They must be quick and must not call other systems: they record work that a
    worker does after commit. A plain list in settings instead of Django signals, so that a reader
    sees every consumer in one place and an installation (the national mode) can leave one out.
    """
    return tuple(import_string(path) for path in settings.MOTCUA_EVENT_CONSUMERS)
