"""The PAKN statistics on hand-built items: each figure per unit, class, procedure and month
over a period, the on-time answer rate, and the same figures in the six-monthly Excel report
(Decree 20/2008 as amended by Decree 92/2017: the agency reports every six months)."""

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from dossiers.tests.conftest import at
from feedback.models import State
from feedback.selectors import feedback_statistics

START, END = at("2026-03-01 00:00"), at("2026-05-01 00:00")


@pytest.fixture
def items(pakn, make_item):
    c = pakn.centre
    # Refused at the centre: handled, not answered.
    make_item(State.REFUSED, kind="not_accepted", handling_unit=c, answer="")
    # Forwarded after its 5 working days, then answered before its answer limit.
    make_item(State.ANSWERED, kind="outside", procedure_code="1.000001",
              procedure_name="Cấp Phiếu lý lịch tư pháp",
              forward_due_at=at("2026-03-09 09:00"), forwarded_at=at("2026-03-11 10:00"),
              answer_due_at=at("2026-04-20 17:00"), answered_at=at("2026-04-10 10:00"))
    # Received in April, answered after its limit, published and rated satisfied.
    make_item(State.PUBLISHED, kind="within", received_at=at("2026-04-02 09:00"),
              answer_due_at=at("2026-04-15 17:00"), answered_at=at("2026-04-20 10:00"),
              rating="satisfied")
    # Still being answered, past its answer limit: open and overdue.
    make_item(State.ASSIGNED, kind="difficulty", procedure_code="1.000001",
              procedure_name="Cấp Phiếu lý lịch tư pháp", answer_due_at=at("2026-03-20 17:00"))
    # Received outside the period: counted nowhere.
    make_item(State.ANSWERED, kind="within", received_at=at("2026-07-01 09:00"),
              answer_due_at=at("2026-07-20 17:00"), answered_at=at("2026-07-02 10:00"))
    return pakn


def _figures(fig) -> tuple:
    return (fig.received, fig.refused, fig.forwarded, fig.forwarded_late, fig.answered,
            fig.answered_on_time, fig.answered_late, fig.open, fig.open_overdue, fig.published,
            fig.satisfied)


def test_every_figure_per_class_procedure_unit_and_month(items):
    total, by_kind = feedback_statistics(start=START, end=END, by="kind")
    assert _figures(total) == (4, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1)
    assert total.handled == 3 and str(total.on_time_rate) == "50.00"
    kinds = {key: _figures(fig) for key, _label, fig in by_kind}
    assert kinds == {"not_accepted": (1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                     "outside": (1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0),
                     "within": (1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1),
                     "difficulty": (1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0)}
    _total, by_procedure = feedback_statistics(start=START, end=END, by="procedure")
    procedures = {key: (label, fig.received, fig.answered, fig.open_overdue)
                  for key, label, fig in by_procedure}
    assert procedures == {"1.000001": ("Cấp Phiếu lý lịch tư pháp", 2, 1, 1),
                          "-": ("Không gắn thủ tục", 2, 1, 0)}
    _total, by_month = feedback_statistics(start=START, end=END, by="month")
    assert [(key, label, fig.received, fig.answered_late) for key, label, fig in by_month] == [
        ("2026-03", "03/2026", 3, 0), ("2026-04", "04/2026", 1, 1)]
    _total, by_unit = feedback_statistics(start=START, end=END, by="unit")
    assert {key: fig.received for key, _label, fig in by_unit} == {
        items.centre.code: 1, items.dept.code: 3}
    # One procedure, one unit's subtree.
    total, _rows = feedback_statistics(start=START, end=END, procedure_code="1.000001")
    assert (total.received, str(total.on_time_rate)) == (2, "100.00")
    total, _rows = feedback_statistics(start=START, end=END, unit_ids={items.centre.pk})
    # Items the centre received, whoever handles them now.
    assert total.received == 4
    total, _rows = feedback_statistics(start=START, end=END, unit_ids={items.other.pk})
    assert total.received == 0 and total.on_time_rate is None


def test_the_page_and_the_six_monthly_excel_give_the_same_figures(items):
    head = Client()
    head.force_login(items.receiver_head)
    page = head.get("/phan-anh/can-bo/thong-ke/", {"tu": "2026-03-01", "den": "2026-04-30",
                                                    "theo": "kind"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Quy định hành chính không thuộc thẩm quyền xử lý" in body and "50,00 %" in body
    r = head.get("/phan-anh/can-bo/thong-ke/bao-cao.xlsx", {"tu": "2026-03-01",
                                                             "den": "2026-04-30"})
    assert r.status_code == 200
    book = load_workbook(BytesIO(r.content))
    rows = {row[0]: row[1:] for row in book["Theo phân loại"].iter_rows(values_only=True)
            if row[0]}
    # received, refused, forwarded, forwarded late, answered, on time, late, open, open
    # overdue, published, satisfied, not satisfied, on-time rate
    assert rows["Tổng cộng"] == (4, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 50)
    assert rows["Quy định hành chính thuộc thẩm quyền xử lý"][4:7] == (1, 0, 1)
    months = [row[0] for row in book["Theo tháng"].iter_rows(min_row=5, values_only=True)]
    assert months == ["03/2026", "04/2026", "Tổng cộng"]


@pytest.mark.parametrize("period", [
    {"tu": "0001-01-01", "den": "9999-12-31"},
    {"tu": "9999-12-31", "den": "0001-01-01"},
    {"tu": "0001-01-01", "den": "0001-01-01"},
])
def test_a_period_at_the_ends_of_the_calendar_is_no_500(items, period):
    # 01/01/0001 at midnight in Vietnam is still year 0 in UTC: the page clamps the period to
    # the dates the database can hold instead of failing on them.
    head = Client()
    head.force_login(items.receiver_head)
    page = head.get("/phan-anh/can-bo/thong-ke/", period)
    assert page.status_code == 200
    r = head.get("/phan-anh/can-bo/thong-ke/bao-cao.xlsx", period)
    assert r.status_code == 200
    if period["den"] == "9999-12-31" or period["tu"] == "9999-12-31":
        rows = {row[0]: row[1] for row in load_workbook(BytesIO(r.content))[
            "Theo đơn vị"].iter_rows(values_only=True) if row[0]}
        assert rows["Tổng cộng"] == 5  # every item, whenever received


def test_the_statistics_api_takes_the_same_periods(items):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(items.receiver_head)
    r = api.get("/api/v1/feedback/statistics/", {"from": "0001-01-01", "to": "9999-12-31",
                                                 "by": "month"})
    assert r.status_code == 200 and r.json()["total"]["received"] == 5
    r = api.get("/api/v1/feedback/statistics/", {"from": "2026-04-30", "to": "2026-03-01"})
    assert r.status_code == 200 and r.json()["total"]["received"] == 4
