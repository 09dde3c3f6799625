"""reform/demo_par.py: the demo's returned dossiers do not depend on the hour it is loaded."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.demo import _people, _procedures, _units
from dossiers.models import Dossier
from reform import demo_par

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _received_days(moment: datetime, monkeypatch) -> list:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    last = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert demo_par._returned_dossiers() == len(demo_par.SURVEY_APPLICANTS)
    return sorted(timezone.localtime(d.received_at).replace(tzinfo=None)
                  for d in Dossier.objects.filter(pk__gt=last))


def test_the_returned_dossiers_are_received_in_office_hours_whatever_the_hour(
        db, monkeypatch) -> None:
    units = _units()
    _people(units)
    _procedures(units)
    # Loaded a minute before and after 05:00 in Vietnam: "now − i hours" put the sixth dossier
    # on the day before in the first load and not in the second.
    before = _received_days(datetime(2026, 12, 8, 4, 59, tzinfo=VIETNAM), monkeypatch)
    after = _received_days(datetime(2026, 12, 8, 5, 1, tzinfo=VIETNAM), monkeypatch)
    assert before == after
    assert {moment.date() for moment in before} == {datetime(2026, 12, 5).date()}
    assert all(8 <= moment.hour < 17 for moment in before)
