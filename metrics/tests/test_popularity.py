"""Dossiers received per procedure over twelve months: the catalogue search's popularity prior."""

from datetime import date

import pytest
from django.utils import timezone

from catalog.models import Procedure
from catalog.search.popularity import procedure_prior
from metrics.models import MonthlyCounter
from metrics.popularity import procedure_dossier_counts

pytestmark = pytest.mark.django_db


def test_counts_of_the_last_twelve_months_by_procedure_code(org, settings):
    unit = org.centre
    a = Procedure.objects.create(code="1.004222", name="Đăng ký thường trú")
    b = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh")
    MonthlyCounter.objects.create(month=date(2026, 5, 1), unit=unit, procedure=a,
                                  received_counter=30, received_online=10, received_post=2)
    MonthlyCounter.objects.create(month=date(2025, 11, 1), unit=unit, procedure=a,
                                  received_counter=7)
    MonthlyCounter.objects.create(month=date(2025, 6, 1), unit=unit, procedure=b,
                                  received_counter=99)  # thirteen months back: not counted
    assert procedure_dossier_counts(today=date(2026, 6, 15)) == {"1.004222": 49}
    # the catalogue reads it through the setting: the installation's counts set the prior
    settings.MOTCUA_CATALOG_POPULARITY = "metrics.popularity.procedure_dossier_counts"
    this_month = timezone.localdate().replace(day=1)
    MonthlyCounter.objects.create(month=this_month, unit=unit, procedure=b, received_online=500)
    prior = procedure_prior()
    assert prior["1.001193"] == 1.0  # the most filed here
    assert 0 < prior["1.004222"] < 1
