"""accounts/demo.py: the demo's dossiers do not depend on the hour the demo is loaded."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts import demo
from dossiers.models import Dossier

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _load_at(moment: datetime, monkeypatch, units) -> list[tuple]:
    """The accepted demo dossiers loaded at `moment`: when received and due, in Vietnam."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    # Rolled back after: the next load starts from no dossier, as a fresh demo does.
    with transaction.atomic():
        assert demo._dossiers(units) == 4
        rows = [(timezone.localtime(d.received_at).replace(tzinfo=None),
                 timezone.localtime(d.due_at).replace(tzinfo=None), d.state)
                for d in Dossier.objects.filter(received_at__isnull=False)
                .order_by("received_at")]
        transaction.set_rollback(True)
    return rows


def test_the_demo_dossiers_are_received_in_office_hours_whatever_the_hour(db, monkeypatch):
    units = demo._units()
    demo._people(units)
    demo._procedures(units)
    # Loaded before office hours and after them on the same day: "now − N days" kept the hour
    # of the load, so the second load's dossiers were received after hours and their clocks
    # started a working day later.
    morning = _load_at(datetime(2026, 12, 8, 6, 30, tzinfo=VIETNAM), monkeypatch, units)
    evening = _load_at(datetime(2026, 12, 8, 18, 30, tzinfo=VIETNAM), monkeypatch, units)
    assert morning == evening
    assert [received for received, _, _ in morning] == [
        datetime(2026, 12, day, 8, 0) for day in (4, 5, 6)]
