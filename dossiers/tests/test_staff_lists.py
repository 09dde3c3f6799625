"""Issue #16: staff lists search by code, name (diacritics ignored), ID and phone number, filter by
procedure, state, due and channel, keep the filters in the URL and through htmx, page by keyset,
count up to a bound, log searches by ID or phone as reads of personal data, and cost a fixed
number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonalDataAccess
from catalog.models import Procedure, Variant
from dossiers import selectors
from dossiers.list_filters import ListFilters, search_kind
from dossiers.models import Dossier, State
from dossiers.tests.conftest import APPLICANT, list_url
from dossiers.views import inbox as inbox_view

ALL = reverse("dossiers:box", args=["all"])
HTMX = {"HTTP_HX_REQUEST": "true"}
AN = {"kind": 1, "name": "Nguyễn Văn Ấn", "id_number": "056090001234",
      "address": "5 Lê Lợi, Nha Trang", "phone": "0387654321"}


def _codes(response) -> set[str]:
    html = response.content.decode()
    return {d.code for d in Dossier.objects.all() if d.code in html}


@pytest.fixture
def three(org, make_dossier):
    bich = make_dossier()  # Trần Thị Bích, 056185004321, 0914222333, at the counter
    an = make_dossier(applicant=AN, when="2026-03-03 09:00")
    online = make_dossier(accept=False, channel=2, actor=org.citizen, when="2026-03-04 09:00")
    return bich, an, online


def test_the_search_box_tells_codes_numbers_and_names_apart():
    assert search_kind("000.00.12.h56-261123-0001").kind == "code"
    assert search_kind("000.00.12.H56-261123").value == "000.00.12.H56-261123"
    assert search_kind("0914 222 333") == search_kind("0914222333")
    assert search_kind("+84 914 222 333").phone == "0914222333"
    assert search_kind("056185004321").kind == "number"
    assert search_kind("Nguyễn  Văn ẤN").value == "nguyen van an"
    assert search_kind("").kind == ""


def test_search_by_code_in_any_case_or_by_its_beginning(client_for, org, three):
    bich, an, online = three
    desk = client_for(org.desk)
    assert _codes(desk.get(ALL, {"q": an.code.lower()})) == {an.code}
    assert _codes(desk.get(ALL, {"q": bich.code[:-2]})) == {bich.code}
    assert _codes(desk.get(ALL, {"q": "000.00.12.h99-2603"})) == {bich.code, an.code, online.code}


def test_search_by_name_ignores_diacritics_and_case(client_for, org, three):
    bich, an, online = three
    desk = client_for(org.desk)
    assert _codes(desk.get(ALL, {"q": "nguyen van an"})) == {an.code}
    assert _codes(desk.get(ALL, {"q": "BÍCH"})) == {bich.code, online.code}
    assert _codes(desk.get(ALL, {"q": "van a"})) == {an.code}


def test_search_by_id_or_phone_is_logged_as_a_read_of_personal_data(client_for, org, three):
    bich, an, online = three
    desk = client_for(org.desk)

    def searched(q: str):  # through the search form, as the officer does
        return desk.get(list_url(desk, ALL, {"q": q}))

    assert _codes(searched("056090001234")) == {an.code}
    assert _codes(searched("+84 387 654 321")) == {an.code}
    assert _codes(searched("0914.222.333")) == {bich.code, online.code}
    log = PersonalDataAccess.objects.filter(action="list_search", user=org.desk)
    assert sorted(log.values_list("subject", "reference")) == sorted([
        ("056090001234", an.code), ("056090001234", an.code),
        ("056185004321", bich.code), ("056185004321", online.code)])
    assert all("Tìm hồ sơ trong danh sách" in row.purpose for row in log)
    # An ID that finds nothing is still an asking about that person; a name search is not logged.
    searched("079300000001")
    assert log.filter(subject="079300000001", reference="").count() == 1
    before = log.count()
    searched("nguyen")
    assert log.count() == before


def test_filters_by_state_channel_procedure_and_due(client_for, org, three, make_dossier):
    bich, an, online = three
    desk = client_for(org.desk)
    assert _codes(desk.get(ALL, {"trang-thai": State.SUBMITTED})) == {online.code}
    assert _codes(desk.get(ALL, {"kenh": "2"})) == {online.code}
    assert _codes(desk.get(ALL, {"kenh": "1", "q": "bich"})) == {bich.code}
    assert _codes(desk.get(ALL, {"thu-tuc": org.procedure.code})) == {bich.code, an.code,
                                                                      online.code}
    assert _codes(desk.get(ALL, {"thu-tuc": "ly lich tu phap"})) == {bich.code, an.code,
                                                                    online.code}
    other = Procedure.objects.create(code="1.000002", name="Đăng ký khai sinh",
                                     search_text="dang ky khai sinh", competent_unit=org.dept)
    Variant.objects.create(procedure=other, name="Trường hợp chung")
    assert _codes(desk.get(ALL, {"thu-tuc": "khai sinh"})) == set()
    # Both received in March: overdue now. Move one to due in an hour, one to next month.
    assert _codes(desk.get(ALL, {"han": "qua-han"})) == {bich.code, an.code}
    now = timezone.now()
    Dossier.objects.filter(pk=bich.pk).update(due_at=now + timedelta(hours=1))
    Dossier.objects.filter(pk=an.pk).update(due_at=now + timedelta(days=30))
    assert _codes(desk.get(ALL, {"han": "sap-den-han"})) == {bich.code}
    assert _codes(desk.get(ALL, {"han": "trong-han"})) == {an.code}
    assert _codes(desk.get(ALL, {"han": "qua-han"})) == set()
    # Unknown values are ignored, never an error.
    r = desk.get(ALL, {"han": "x", "trang-thai": "nope", "kenh": "9", "q": "'" * 500})
    assert r.status_code == 200


def test_the_url_and_htmx_keep_the_filters(client_for, org, three):
    bich, an, online = three
    desk = client_for(org.desk)
    r = desk.get(reverse("dossiers:box", args=["process"]), {"q": "nguyen", "kenh": "1"},
                 **HTMX)
    html = r.content.decode()
    assert "<html" not in html and _codes(r) == {an.code}
    # The form shows what was asked; every tab link carries it, and counts what it would show.
    assert 'value="nguyen"' in html and '<option value="1" selected>' in html
    assert f'{reverse("dossiers:box", args=["all"])}?q=nguyen&amp;kenh=1' in html
    assert 'hx-push-url="true"' in html
    assert 'Chờ tiếp nhận <span class="count">0</span>' in html


def test_keyset_paging_walks_every_row_once(client_for, org, make_dossier, monkeypatch):
    monkeypatch.setattr(inbox_view, "PAGE_SIZE", 2)
    made = [make_dossier(when=f"2026-03-0{2 + i % 3} 09:00") for i in range(5)]
    made.append(make_dossier(accept=False, channel=2, actor=org.citizen))  # no due moment
    Dossier.objects.filter(pk=made[1].pk).update(due_at=made[0].due_at)  # a tie on due_at
    desk = client_for(org.desk)
    seen, url, pages = [], ALL + "?kenh=", 0
    while url:
        html = desk.get(url).content.decode()
        seen += [d.code for d in made if d.code in html]
        pages += 1
        marker = 'sau='
        url = ""
        if "Trang sau" in html:
            start = html.index(marker, html.index("Trang sau") - 300)
            cursor = html[start + len(marker):].split('"')[0]
            url = f"{ALL}?sau={cursor}"
    assert sorted(seen) == sorted(d.code for d in made) and len(seen) == len(set(seen))
    assert pages == 3
    # The order is the due order, dossiers without a due moment last.
    assert seen[-1] == made[-1].code
    # A malformed cursor shows the first page.
    assert desk.get(ALL, {"sau": "abc_x"}).status_code == 200


def test_counts_stop_at_a_bound(client_for, org, make_dossier, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    monkeypatch.setattr(inbox_view, "COUNT_LIMIT", 2)
    for _ in range(4):
        make_dossier()
    html = client_for(org.desk).get(ALL).content.decode()
    assert 'Tất cả <span class="count">2+</span>' in html


def test_the_list_costs_a_fixed_number_of_queries(client_for, org, make_dossier):
    """The budget: session and user, the person's units and roles (header and tabs), six bounded
    counts, one page of rows, the calendar for the due badges; searching by a number adds the
    log's insert. It does not grow with the rows."""
    desk = client_for(org.desk)

    def queries(**params) -> int:
        url = list_url(desk, ALL, params)  # the search form's POST, outside the count
        with CaptureQueriesContext(connection) as ctx:
            assert desk.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_dossier(applicant=AN)
    plain = queries()
    filtered = queries(q="nguyen", kenh="1", han="qua-han", **{"thu-tuc": "1.000001"})
    by_number = queries(q="056090001234")
    for _ in range(6):
        make_dossier(applicant=AN)
    assert queries() == plain
    assert queries(q="nguyen", kenh="1", han="qua-han", **{"thu-tuc": "1.000001"}) == filtered
    assert queries(q="056090001234") == by_number
    assert plain <= 20 and filtered <= plain + 2 and by_number <= plain + 1


def test_filters_parse_only_known_values():
    f = ListFilters.from_query({"q": "  ０９１４ 222 333 ", "han": "qua-han", "kenh": "7",
                                "trang-thai": State.RECEIVED})
    assert f.q == "0914 222 333" and f.due == "qua-han" and f.channel == "" and bool(f)
    assert "han=qua-han" in f.query_string()
    assert not ListFilters.from_query({})
    assert APPLICANT["phone"] == "0914222333"
