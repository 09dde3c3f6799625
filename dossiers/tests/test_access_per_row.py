"""Issue #16: a search that an index narrows (a code or its beginning, an ID, a phone number)
checks the row-level rule row by row (`dossier_visible(per_row=True)`) instead of reading the
units' access rows as a set. Either way each person sees exactly the same rows — a desk, a
department's specialist and head, a commune, a staff member whose proven ID owns dossiers of
another unit — and a dossier of another unit never appears; the page and the API list choose the
mode from the same filters and list the same rows; the page costs the same number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import IdentityProof, Membership, PersonalDataAccess, User
from accounts.tokens import token_issue
from dossiers.list_filters import ListFilters, filters_apply, narrows_by_index
from dossiers.models import Dossier, State
from dossiers.selectors import (
    INBOXES,
    _own,
    dossier_inbox,
    dossier_inbox_counts,
    dossier_visible,
)
from dossiers.services import dossier_act, dossier_create
from dossiers.tests.conftest import at, list_url
from dossiers.tests.test_access import previous_rule

ALL = reverse("dossiers:box", args=["all"])
AN = {"kind": 1, "name": "Nguyễn Văn Ấn", "id_number": "056090001234",
      "address": "5 Lê Lợi, Nha Trang", "phone": "0387654321"}
MAI = {"kind": 1, "name": "Lê Thị Mai", "id_number": "079190005678",
       "address": "3 Hùng Vương, Nha Trang", "phone": "0903111222"}


@pytest.fixture
def spread(org, make_dossier):
    """Dossiers of the centre at every stage (received, with the department, waiting online,
    decided), two of the commune, and a commune officer whose proven ID owns one of the centre's
    dossiers."""
    papers = [{"required_document": org.doc_form.pk}, {"required_document": org.doc_id.pk}]
    received = make_dossier()
    with_dept = make_dossier(applicant=AN, when="2026-03-03 09:00")
    dossier_act(dossier=with_dept, actor=org.desk, action="forward", at=at("2026-03-03 10:00"),
                data={"assignee": org.specialist.pk})
    waiting = make_dossier(accept=False, channel=2, actor=org.citizen, when="2026-03-04 09:00")
    owned = make_dossier(applicant=MAI, when="2026-03-04 10:00")
    commune = [dossier_create(actor=org.other_desk, variant=org.variant, channel=1,
                              receiving_unit=org.other, applicant=applicant, documents=papers,
                              accept=True, at=at(f"2026-03-0{day} 11:00"))[0]
               for day, applicant in ((2, AN), (5, MAI))]
    officer = User.objects.get(pk=org.other_desk.pk)
    officer.personal_id = MAI["id_number"]
    officer.save(update_fields=["personal_id"])
    IdentityProof.objects.create(user=officer, kind=IdentityProof.Kind.PERSONAL,
                                 number=MAI["id_number"], method=IdentityProof.Method.VNEID,
                                 at=at("2026-03-01 10:00"))
    return {"received": received, "with_dept": with_dept, "waiting": waiting, "owned": owned,
            "commune": commune}


def _searches(spread) -> list[ListFilters]:
    code = spread["with_dept"].code
    return [ListFilters(q=code), ListFilters(q=code.lower()[:-3]), ListFilters(q=code[:20]),
            ListFilters(q=code.split("-")[0] + "-"), ListFilters(q=code.split("-")[0]),
            ListFilters(q=AN["id_number"]),
            ListFilters(q=MAI["phone"]), ListFilters(q="+84 387 654 321"),
            ListFilters(q=MAI["id_number"], state=State.RECEIVED),
            ListFilters(q=code.split("-")[0] + "-", due="qua-han", channel="1"),
            ListFilters(q="nguyen van"), ListFilters(procedure="ly lich"), ListFilters()]


def _fresh(user: User) -> User:
    """The account as a new request reads it (its proofs not cached)."""
    return User.objects.get(pk=user.pk)


def _people(org) -> list[User]:
    return [org.desk, org.specialist, org.head, org.other_desk]


def test_both_modes_list_the_same_rows_for_everyone_in_every_box(org, spread):
    now = timezone.now()
    per_row_used = False
    for person in _people(org):
        for filters in _searches(spread):
            def narrow(qs, filters=filters):
                return filters_apply(qs, filters, now=now, soon_until=now + timedelta(days=1))

            for box in INBOXES:
                as_set = narrow(dossier_inbox(user=_fresh(person), box=box))
                by_row = narrow(dossier_inbox(user=_fresh(person), box=box, per_row=True))
                assert list(by_row) == list(as_set), (person, filters, box)
            user = _fresh(person)
            assert (dossier_inbox_counts(user=user, narrow=narrow, per_row=True)
                    == dossier_inbox_counts(user=_fresh(person), narrow=narrow)), (person,
                                                                                  filters)
            per_row_used |= narrows_by_index(filters, user)
    assert per_row_used


def test_per_row_never_lists_a_dossier_of_another_unit(org, spread):
    for person in _people(org):
        # The rule as it was before the access rows (the units' columns and steps).
        units = set(Membership.objects.filter(user=person).values_list("unit_id", flat=True))
        allowed = set(previous_rule(units).values_list("pk", flat=True))
        allowed |= set(Dossier.objects.filter(_own(_fresh(person))).values_list("pk", flat=True))
        seen = set(dossier_visible(_fresh(person), per_row=True).values_list("pk", flat=True))
        assert seen == allowed, person
    # The centre's desk never finds the commune's dossiers by their code's beginning or by the
    # applicant's ID, though both match; the department sees only what it was handed.
    commune_code = spread["commune"][0].code.split("-")[0]
    desk = _fresh(org.desk)
    assert not dossier_visible(desk, per_row=True).filter(code__startswith=commune_code).exists()
    assert set(dossier_visible(desk, per_row=True).filter(applicant_id_number=AN["id_number"])
               ) == {spread["with_dept"]}
    assert dossier_visible(_fresh(org.specialist), per_row=True).filter(
        applicant_id_number=AN["id_number"]).count() == 2  # the department decides both
    # The commune officer sees the commune's dossiers and, by the proven ID, their own dossier
    # of the centre — not the centre's others.
    mine = set(dossier_visible(_fresh(org.other_desk), per_row=True))
    assert mine == {*spread["commune"], spread["owned"]}


def test_only_a_search_an_index_narrows_checks_row_by_row(org):
    desk, specialist = _fresh(org.desk), _fresh(org.specialist)
    for person in (desk, specialist, _fresh(org.head)):
        assert narrows_by_index(ListFilters(q="056090001234"), person)
        assert narrows_by_index(ListFilters(q="0387 654 321", due="qua-han"), person)
        assert not narrows_by_index(ListFilters(q="nguyen van an"), person)
        assert not narrows_by_index(ListFilters(procedure="1.000001"), person)
        assert not narrows_by_index(ListFilters(due="qua-han", channel="1",
                                                state=State.RECEIVED), person)
        assert not narrows_by_index(ListFilters(), person)
    # A code is numbered by the unit that received it: the desk sees what its code search
    # finds, a department a share of it.
    assert narrows_by_index(ListFilters(q="000.00.12.H99-260302"), desk)
    assert narrows_by_index(ListFilters(q="000.00.12.H99-260302-0001"), desk)
    assert not narrows_by_index(ListFilters(q="000.00.12.H99-260302"), specialist)
    assert narrows_by_index(ListFilters(q="000.00.12.H99-"), _fresh(org.other_desk))


def _by_row(captured: list[dict]) -> bool | None:
    """Whether every statement that reads the access rows checks them row by row (the scalar
    probe), none does (None when they are mixed)."""
    reads = [q["sql"] for q in captured if "dossiers_dossieraccess" in q["sql"]]
    probes = [sql for sql in reads if "LIMIT 1) IS NOT NULL" in sql]
    assert reads
    return True if len(probes) == len(reads) else False if not probes else None


@pytest.mark.parametrize("who, search, by_row", [
    ("desk", "prefix", True), ("desk", "phone", True), ("desk", "nguyen", False),
    ("desk", "", False), ("specialist", "prefix", False), ("specialist", "id", True),
    ("specialist", "nguyen", False)])
def test_the_page_and_the_api_choose_the_same_mode_and_rows(client_for, org, spread, who,
                                                            search, by_row):
    person = getattr(org, who)
    page = client_for(person)
    token = token_issue(person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    q = {"prefix": spread["with_dept"].code[:20], "phone": AN["phone"],
         "id": AN["id_number"]}.get(search, search)
    params = {"q": q} if q else {"han": "qua-han"}
    url = list_url(page, ALL, params)  # the search form, as the officer sends it
    with CaptureQueriesContext(connection) as seen:
        html = page.get(url).content.decode()
    # The counts and the page's choice of rows all use the mode the filters choose.
    assert _by_row(seen.captured_queries) is by_row, (who, params)
    listed = {d.code for d in Dossier.objects.all() if d.code in html}
    with CaptureQueriesContext(connection) as seen:
        body = api.get("/api/v1/dossiers/", {"box": "all", **params}).json()
    assert _by_row(seen.captured_queries) is by_row, (who, params)
    assert {row["code"] for row in body["results"]} == listed and listed, (who, params)


def test_a_search_by_number_through_the_api_is_logged_like_the_page(org, spread):
    token = token_issue(org.desk)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = api.get("/api/v1/dossiers/", {"q": AN["id_number"]}).json()
    assert [row["code"] for row in body["results"]] == [spread["with_dept"].code]
    log = PersonalDataAccess.objects.filter(action="list_search", user=org.desk)
    assert list(log.values_list("subject", "reference")) == [(AN["id_number"],
                                                              spread["with_dept"].code)]
    api.get("/api/v1/dossiers/", {"q": "nguyen"})
    assert log.count() == 1


def test_a_search_an_index_narrows_costs_the_queries_of_the_plain_page(client_for, org,
                                                                       spread):
    desk = client_for(org.desk)

    def queries(**params) -> int:
        url = list_url(desk, ALL, params)  # the search form's POST, outside the count
        with CaptureQueriesContext(connection) as ctx:
            assert desk.get(url).status_code == 200
        return len(ctx.captured_queries)

    plain = queries()
    assert queries(q=spread["received"].code[:20]) == plain
    assert queries(q=AN["id_number"]) == plain + 1  # the log's insert
