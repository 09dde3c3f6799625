"""The hourly value of the standard-cost method (Circular 02/2017/TT-VPCP): derived from a dated
per-capita income with its source, shown in the proposal's cost breakdown; typed only by choice."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.errors import DomainError
from regulations import selectors, services
from regulations.income import GSO_PER_CAPITA_GDP, hourly_value

from .test_services import COSTS


@pytest.fixture
def provision(org):
    review_round = services.round_create(actor=org.reform, name="Rà soát năm 2026",
                                         unit=org.province, start_date="2026-01-01",
                                         end_date="2026-12-31")
    return services.provision_add(actor=org.reform, review_round=review_round,
                                  kind="document", procedure_code=org.procedure.code,
                                  element_id=org.doc_residence.pk)


def test_the_hour_is_the_latest_published_income_divided_by_the_working_hours():
    h = hourly_value(2026)  # a review in 2026 uses the last figure published: 2024's
    assert (h.year, h.per_capita, h.hours_per_year) == (2024, 114_000_000, 12 * 22 * 8)
    assert h.hourly == 53_977  # 114,000,000 / 2,112 = 53,977.27…
    assert "Tổng cục Thống kê" in h.source and "2024" in h.source
    assert hourly_value(2023).hourly == 48_248  # 101,900,000 / 2,112 = 48,248.1…
    assert hourly_value(min(GSO_PER_CAPITA_GDP) - 1) is None


def test_a_province_sets_its_own_figure_and_the_hours(settings):
    settings.MOTCUA_REGULATIONS_PER_CAPITA_INCOME = {
        2025: {"value": 150_000_000, "source": "Cục Thống kê tỉnh: GRDP bình quân 2025"}}
    h = hourly_value(2026)
    assert (h.year, h.hourly, h.source) == (2025, 71_023, "Cục Thống kê tỉnh: GRDP bình quân "
                                                          "2025")
    settings.MOTCUA_REGULATIONS_WORK_HOURS_PER_YEAR = 2000
    assert hourly_value(2026).hourly == 75_000
    assert hourly_value(2024).per_capita == 114_000_000  # the national figure stays below


def test_a_blank_hourly_cost_is_derived_and_shown_in_the_breakdown(org, provision):
    p = services.proposal_save(actor=org.specialist, provision=provision,
                               data={**COSTS, "hourly_cost": ""})
    assert (p.hourly_cost, p.hourly_income_year) == (53_977, 2024)
    p.yearly_dossiers = 10  # the cost uses the derived hour: 6 h × 53,977 + 20,000 outside
    assert selectors.provision_saving(p).before == 10 * (6 * 53_977 + 20_000)
    assert selectors.provision_saving(p).after == 10 * (2 * 53_977)
    c = Client()
    c.force_login(org.specialist)
    page = c.get(f"/ra-soat/quy-dinh/{p.pk}/").content.decode()
    cell = page.split('id="hourly-cost">')[1].split("</td>")[0]
    assert "53.977" in cell and "năm 2024 (114.000.000 đồng) ÷ 2.112 giờ" in cell
    assert "Tổng cục Thống kê" in cell
    # The form leaves the field empty, so saving again keeps it derived.
    assert 'name="hourly_cost" value="53977"' not in page
    api = APIClient()
    api.force_authenticate(org.specialist)
    cost = api.get(f"/api/v1/regulation-provisions/{p.pk}/").json()["cost"]
    assert cost["hourly_basis"]["income_year"] == 2024
    assert cost["hourly_basis"]["per_capita_income"] == 114_000_000
    assert cost["hourly_basis"]["hours_per_year"] == 2112


def test_a_typed_hourly_cost_is_kept_and_said_to_be_typed(org, provision):
    p = services.proposal_save(actor=org.specialist, provision=provision, data=COSTS)
    assert (p.hourly_cost, p.hourly_income_year) == (25_000, None)
    c = Client()
    c.force_login(org.specialist)
    page = c.get(f"/ra-soat/quy-dinh/{p.pk}/").content.decode()
    cell = page.split('id="hourly-cost">')[1].split("</td>")[0]
    assert "25.000" in cell and "nhập tay" in cell and "thu nhập bình quân" not in cell
    assert 'name="hourly_cost" value="25000"' in page
    assert selectors.provision_hourly(p) is None
    # Emptied again: back to the derived value.
    p = services.proposal_save(actor=org.specialist, provision=p, data={"hourly_cost": ""})
    assert (p.hourly_cost, p.hourly_income_year) == (53_977, 2024)


def test_a_proposal_that_never_named_an_hourly_cost_gets_the_derived_one(org, provision):
    p = services.proposal_save(actor=org.specialist, provision=provision,
                               data={"action": "abolish", "hours_before": "3"})
    assert (p.hourly_cost, p.hourly_income_year) == (53_977, 2024)


def test_no_income_figure_for_the_round_s_year_asks_for_a_typed_value(org, provision):
    provision.round.start_date = provision.round.start_date.replace(year=2020)
    provision.round.save()
    with pytest.raises(DomainError) as error:
        services.proposal_save(actor=org.specialist, provision=provision,
                               data={**COSTS, "hourly_cost": ""})
    assert "nhập chi phí một giờ" in error.value.fields["hourly_cost"][0]
    provision.refresh_from_db()
    assert provision.hourly_cost == 0 and provision.events.count() == 1


def test_a_new_proposal_s_form_leaves_the_hourly_cost_empty_so_saving_it_derives(org,
                                                                                provision):
    # The specialist opens a provision no one has costed yet and saves the form as shown: the
    # hour must come from the per-capita income, not from a "0" the form put in the field.
    c = Client()
    c.force_login(org.specialist)
    page = c.get(f"/ra-soat/quy-dinh/{provision.pk}/").content.decode()
    field = page.split('name="hourly_cost"')[1].split(">")[0]
    assert 'value="0"' not in field
    shown = field.split('value="')[1].split('"')[0] if 'value="' in field else ""
    r = c.post(f"/ra-soat/quy-dinh/{provision.pk}/phuong-an/",
               {**COSTS, "hourly_cost": shown, "action": "abolish"})
    assert r.status_code == 303
    provision.refresh_from_db()
    assert (provision.hourly_cost, provision.hourly_income_year) == (53_977, 2024)
