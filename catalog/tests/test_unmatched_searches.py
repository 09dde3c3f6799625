"""The log of searches with no good match: what is kept (the words only, counted per day), what
is not (personal numbers, who searched, good matches), and the admin list that turns a line into
a thesaurus entry."""

import datetime
import io

import pytest
from django.utils import timezone

from accounts.models import User
from catalog.models import Procedure, SearchSynonym, UnmatchedSearch
from catalog.services import (
    procedure_set_search_text,
    unmatched_search_record,
    unmatched_search_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    for code, name in (("1.001456", "Cấp hộ chiếu phổ thông ở trong nước"),
                       ("1.001193", "Thủ tục đăng ký khai sinh")):
        procedure = Procedure(code=code, name=name)
        procedure_set_search_text(procedure)
        procedure.save()


def _log() -> dict[str, int]:
    return dict(UnmatchedSearch.objects.values_list("query", "count"))


def test_a_weak_search_is_counted_per_day_by_its_folded_words(catalog, client):
    client.get("/api/v1/procedures/", {"q": "Vé máy bay giá rẻ"})
    client.get("/api/v1/procedures/", {"q": "ve may  bay gia RE"})
    client.get("/thu-tuc/", {"q": "vé máy bay giá rẻ"}, HTTP_HX_REQUEST="true")
    assert _log() == {"ve may bay gia re": 3}
    # nothing about who searched is stored: the row has the day, the words and the count only
    assert {f.name for f in UnmatchedSearch._meta.get_fields()} == {"id", "day", "query",
                                                                     "count"}


def test_a_good_match_a_code_or_an_empty_query_is_not_logged(catalog, client):
    for q in ("ho chieu pho thong", "dang ky khai sinh", "1.001456", "", "  ", "!!!"):
        assert client.get("/api/v1/procedures/", {"q": q}).status_code == 200
        assert client.get("/thu-tuc/", {"q": q}).status_code == 200
    assert _log() == {}


def test_personal_numbers_and_addresses_are_left_out():
    assert unmatched_search_text("Tra hồ sơ 001234567890 của Nguyễn Văn A, "
                                 "sdt 0912.345.678 abc@gmail.com") == \
        "tra ho so cua nguyen van a sdt"
    assert unmatched_search_text("0912345678") == ""
    unmatched_search_record(query="0912345678")
    assert _log() == {}


def test_each_day_has_its_own_count():
    day = datetime.date(2026, 3, 1)
    unmatched_search_record(query="nuôi chim yến", day=day)
    unmatched_search_record(query="nuôi chim yến", day=day)
    unmatched_search_record(query="nuôi chim yến", day=day + datetime.timedelta(days=1))
    assert sorted(UnmatchedSearch.objects.values_list("day", "count")) == [
        (day, 2), (day + datetime.timedelta(days=1), 1)]


def test_a_weak_search_writes_one_statement(catalog, client, django_assert_num_queries):
    client.get("/api/v1/procedures/", {"q": "ve may bay"})
    with django_assert_num_queries(2):  # freshness check and the upsert; nothing to read
        client.get("/api/v1/procedures/", {"q": "ve may bay"})
    assert _log() == {"ve may bay": 2}


def test_the_admin_lists_them_and_links_to_a_new_thesaurus_line(client):
    today = timezone.localdate()
    unmatched_search_record(query="nuôi chim yến", day=today)
    unmatched_search_record(query="nuôi chim yến", day=today)
    unmatched_search_record(query="nuôi chim yến", day=today - datetime.timedelta(days=3))
    unmatched_search_record(query="nuôi chim yến", day=today - datetime.timedelta(days=40))
    unmatched_search_record(query="giấy tờ nhà đất", day=today)
    client.force_login(User.objects.create_superuser(username="quantri.test",
                                                     password="x-Test-2026"))
    page = client.get("/admin/catalog/unmatchedsearch/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("nuoi chim yen") < text.index("giay to nha dat")  # most searched first
    assert "/admin/catalog/searchsynonym/add/?phrase=nuoi+chim+yen" in text
    # beside the day's count, how often the same words came in the last 30 days
    rows = {(r.query, r.day): (r.count, r.recent) for r in page.context["cl"].result_list}
    assert rows[("nuoi chim yen", today)] == (2, 3)
    assert rows[("giay to nha dat", today)] == (1, 1)
    form = client.get("/admin/catalog/searchsynonym/add/", {"phrase": "nuoi chim yen"})
    assert form.context["adminform"].form.initial["phrase"] == "nuoi chim yen"
    # the log is written by the search only
    assert client.get("/admin/catalog/unmatchedsearch/add/").status_code == 403
    client.post("/admin/catalog/searchsynonym/add/", {
        "phrase": "nuoi chim yen", "official": "nuôi chim yến", "kind": "everyday",
        "is_active": "on", "note": ""})
    assert SearchSynonym.objects.filter(phrase="nuoi chim yen").exists()


def test_days_older_than_a_year_are_forgotten():
    from django.core.management import CommandError, call_command

    today = timezone.localdate()
    for age in (0, 364, 365, 366, 800):
        unmatched_search_record(query=f"tu khoa {age} ngay",
                                day=today - datetime.timedelta(days=age))
    call_command("search_unmatched_prune", stdout=io.StringIO())
    assert sorted(_log()) == ["tu khoa 0 ngay", "tu khoa 364 ngay", "tu khoa 365 ngay"]
    call_command("search_unmatched_prune", "--days", "1", stdout=io.StringIO())
    assert sorted(_log()) == ["tu khoa 0 ngay"]
    with pytest.raises(CommandError):
        call_command("search_unmatched_prune", "--days", "0")
