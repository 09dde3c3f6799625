"""How many dossiers each procedure received over the last twelve months, read from the
monthly counters. The catalogue's search uses it as its popularity prior
(settings.MOTCUA_CATALOG_POPULARITY; catalog/search/popularity.py)."""

from datetime import date

from django.db.models import F, Sum
from django.utils import timezone

from metrics.models import MonthlyCounter

MONTHS = 12


def procedure_dossier_counts(*, today: date | None = None) -> dict[str, int]:
    """{procedure code: dossiers received at the counter, online or by post}."""
    today = today or timezone.localdate()
    year, month = today.year, today.month - MONTHS + 1
    while month < 1:
        year, month = year - 1, month + 12
    rows = (MonthlyCounter.objects.filter(month__gte=date(year, month, 1))
            .values("procedure__code")
            .annotate(n=Sum(F("received_counter") + F("received_online") + F("received_post"))))
    return {row["procedure__code"]: row["n"] for row in rows if row["n"]}
