"""Issue #16, inputs that cannot hurt anyone: one cleaning and one check (motcua/inputs.py) for
the web forms, the counter API, the online API and the services, with one Vietnamese message."""

import unicodedata
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier
from dossiers.services import dossier_create
from dossiers.tests import files
from dossiers.tests.conftest import APPLICANT
from dossiers.tests.test_views import counter_data
from motcua import inputs
from motcua.errors import DomainError
from motcua.inputs import Kind, input_clean, phone_vn_normalize

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
FULL_WIDTH_ID = "".join(chr(ord(c) + 0xFEE0) for c in "056185004321")


def test_names_and_addresses_are_stored_in_nfc():
    assert NFD_NAME != "Nguyễn Thị Hường"
    assert input_clean(NFD_NAME, Kind.NAME) == "Nguyễn Thị Hường"
    assert input_clean("  12  Trần\u00a0Phú ", Kind.ADDRESS) == "12 Trần Phú"


def test_numbers_become_ascii_digits():
    assert input_clean(FULL_WIDTH_ID, Kind.NUMBER) == "056185004321"
    assert input_clean("0 5 6 1 8 5 0 0 4 3 2 1", Kind.NUMBER) == "056185004321"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
                                       "\u202e", "\u2066", "\x07", "\x1b", "\u00ad"])
def test_control_and_zero_width_characters_are_removed(invisible):
    assert input_clean(f"Trần{invisible} Văn An", Kind.NAME) == "Trần Văn An"


@pytest.mark.parametrize("kind", list(Kind))
def test_a_printable_value_is_cleaned_without_a_look_at_each_character(kind, monkeypatch):
    """A printable text (str.isprintable) has no character the cleaning removes: its per-character
    loop is spared (issue #18), and the result is the one the loop gives."""
    texts = ["Trần Thị Bích", "CCCD số 056185004321", NFD_NAME, FULL_WIDTH_ID,
             "a\u200bb", "dòng 1\ndòng 2", "x\ty", "\u00adz", "\ue000"]

    def looped(text: str) -> str:
        keep = kind == Kind.TEXT
        form = "NFKC" if kind in (Kind.NUMBER, Kind.PHONE, Kind.EMAIL) else "NFC"
        text = unicodedata.normalize(form, text)
        return "".join(ch for ch in text if (ch == "\n" and keep)
                       or (ch in "\t\n" and not keep)
                       or unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs", "Cn"})

    expected = [input_clean(looped(t), kind) for t in texts]
    looked: list[str] = []
    category = unicodedata.category
    monkeypatch.setattr(inputs.unicodedata, "category",
                        lambda ch: looked.append(ch) or category(ch))
    for text, cleaned in zip(texts, expected, strict=True):
        looked.clear()
        assert input_clean(text, kind) == cleaned
        # Looked at character by character only when something in it may go.
        form = "NFKC" if kind in (Kind.NUMBER, Kind.PHONE, Kind.EMAIL) else "NFC"
        assert bool(looked) == (not unicodedata.normalize(form, text).isprintable())


def test_multi_line_text_keeps_its_lines_only():
    assert input_clean("Dòng 1\r\n\r\n\r\n\r\nDòng\t 2\x00", Kind.TEXT) == "Dòng 1\n\nDòng 2"
    assert input_clean("Dòng 1\nDòng 2", Kind.LINE) == "Dòng 1 Dòng 2"


@pytest.mark.parametrize("typed, national", [
    ("0914222333", "0914222333"), ("0914 222 333", "0914222333"),
    ("+84 914.222.333", "0914222333"), ("84914222333", "0914222333"),
    ("０９１４２２２３３３", "0914222333"), ("0328-123-456", "0328123456"),
    ("(0258) 3822 123", "02583822123"), ("+84 258 3822 123", "02583822123"),
    ("024 3825 1234", "02438251234"),
])
def test_vietnamese_phone_numbers_by_the_numbering_plan(typed, national):
    assert phone_vn_normalize(typed) == national


@pytest.mark.parametrize("typed", ["12345", "0114222333", "0614222333", "091422233",
                                   "09142223334", "0258382212", "+1 202 555 0100", "٠٩١٤٢٢٢٣٣٣",
                                   "abc"])
def test_what_is_not_a_vietnamese_phone_number(typed):
    assert phone_vn_normalize(typed) is None


LONG_NAME = "Nguyễn " * 60  # 420 characters, over the 255 of a name
NAME_MESSAGE = "Tối đa 255 ký tự (đã nhập 419)."


def test_a_long_name_gets_one_message_at_the_counter_form(org, client_for):
    page = client_for(org.desk).post(reverse("dossiers:counter_new"),
                                     counter_data(org, applicant_name=LONG_NAME))
    assert page.status_code == 422 and NAME_MESSAGE in page.content.decode()
    assert not Dossier.objects.exists()


def _counter_api(org, language="vi", **applicant):
    api = APIClient()
    api.force_authenticate(org.desk)
    body = {"variant": org.variant.pk, "channel": 1,
            "applicant": APPLICANT | applicant,
            "documents": [{"required_document": org.doc_form.pk},
                          {"required_document": org.doc_id.pk}]}
    return api.post("/api/v1/dossiers/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_the_same_message_from_the_counter_api_in_the_language_asked(org):
    answer = _counter_api(org, name=LONG_NAME)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["fields"]["applicant"]["name"] == [NAME_MESSAGE]
    assert error["message_en"]
    answer = _counter_api(org, language="en", name=LONG_NAME, phone="12")
    fields = answer.json()["error"]["fields"]["applicant"]
    assert fields["name"] == ["At most 255 characters (419 given)."]
    assert fields["phone"][0].startswith("Not a Vietnamese phone number")


def test_the_same_message_from_the_online_api_instead_of_a_500(org):
    api = APIClient()
    api.force_authenticate(org.citizen)
    body = {"variant": org.variant.pk, "receiving_unit": org.centre.code,
            "applicant_name": LONG_NAME, "applicant_phone": "0" * 30,
            "applicant_address": "x" * 600,
            f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF)}
    answer = api.post("/api/v1/my/dossiers/", body, format="multipart")
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert fields["applicant_name"] == [NAME_MESSAGE]
    assert fields["applicant_phone"] == ["Tối đa 20 ký tự (đã nhập 30)."]
    assert fields["applicant_address"] == ["Tối đa 500 ký tự (đã nhập 600)."]
    assert not Dossier.objects.exists()


def test_a_huge_summary_and_paper_name_are_refused_by_the_service(org):
    with pytest.raises(DomainError) as refused:
        dossier_create(actor=org.desk, variant=org.variant, channel=1,
                       receiving_unit=org.centre, applicant=APPLICANT,
                       summary="x" * 1_000_000)
    assert refused.value.fields == {"summary": ["Tối đa 2000 ký tự (đã nhập 1000000)."]}
    with pytest.raises(DomainError) as refused:
        dossier_create(actor=org.desk, variant=org.variant, channel=1,
                       receiving_unit=org.centre, applicant=APPLICANT,
                       documents=[{"name": "Giấy " * 20_000}])
    assert refused.value.fields == {"documents[0].name": ["Tối đa 500 ký tự (đã nhập 99999)."]}


def test_what_is_stored_is_clean(org):
    dossier, _ = dossier_create(
        actor=org.desk, variant=org.variant, channel=1, receiving_unit=org.centre,
        applicant=APPLICANT | {"name": NFD_NAME + "\u200b", "id_number": FULL_WIDTH_ID,
                               "phone": "+84 914 222 333", "address": " 12\tTrần Phú "},
        summary="Xin cấp\u202e phiếu")
    assert dossier.applicant_name == "Nguyễn Thị Hường"
    assert dossier.applicant_id_number == "056185004321"
    assert dossier.applicant_phone == "0914222333"
    assert dossier.applicant_address == "12 Trần Phú"
    assert dossier.summary == "Xin cấp phiếu"


def test_a_bad_phone_is_refused_with_the_numbering_plan_message(org):
    with pytest.raises(DomainError) as refused:
        dossier_create(actor=org.desk, variant=org.variant, channel=1,
                       receiving_unit=org.centre, applicant=APPLICANT | {"phone": "12345"})
    assert "Số điện thoại Việt Nam không hợp lệ" in refused.value.fields["applicant.phone"][0]


def test_a_reason_over_its_limit_is_refused_by_the_action(org, make_dossier):
    from dossiers.services import dossier_act

    dossier = make_dossier()
    with pytest.raises(DomainError) as refused:
        dossier_act(dossier=dossier, actor=org.desk, action="withdraw", reason="x" * 3000)
    assert refused.value.fields == {"reason": ["Tối đa 2000 ký tự (đã nhập 3000)."]}


def test_the_schema_states_the_limits():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    applicant = schema["components"]["schemas"]["ApplicantInRequest"]["properties"]
    assert applicant["name"]["maxLength"] == inputs.NAME.max_length
    online = schema["components"]["schemas"]["OnlineSubmitRequest"]["properties"]
    assert online["summary"]["maxLength"] == inputs.SUMMARY.max_length



def test_a_search_of_seventy_words_answers_instead_of_a_500(org, client):
    words = "đăng ký thường trú hộ khẩu cấp phiếu lý lịch tư pháp cho công dân".split()
    assert client.get("/thu-tuc/", {"q": " ".join((words * 6)[:75])}).status_code == 200


# --- ids sent back by a page or a client (motcua.inputs.id_parse) ---------------------------
# "²" and Ethiopic "፩" pass str.isdigit() and fail int(); 30 nines pass int() and fail the
# database. Each of them reached a 500 before this check.
NOT_IDS = ["²", "፩", "9" * 30]


@pytest.mark.parametrize("typed, parsed", [("12", 12), (12, 12), ("0012", 12), ("", None),
                                           (None, None), (True, None), ("1 2", None),
                                           ("-3", None), (-3, None), (str(2**63), None),
                                           (str(2**63 - 1), 2**63 - 1), *[(x, None)
                                                                        for x in NOT_IDS]])
def test_an_id_is_ascii_digits_within_the_columns_range(typed, parsed):
    assert inputs.id_parse(typed) == parsed


@pytest.mark.parametrize("typed, parsed", [
    ("2026-12-07", date(2026, 12, 7)), (" 2026-12-07 ", date(2026, 12, 7)),
    ("1900-01-01", date(1900, 1, 1)), ("2100-12-31", date(2100, 12, 31)),
    ("2026-02-30", None), ("9999-12-31", None), ("0001-01-01", None), ("1899-12-31", None),
    ("2101-01-01", None), ("07/12/2026", None), ("", None), (None, None), (["2026-12-07"], None),
    ("２０２６-12-07", None)])
def test_a_day_is_one_the_calendar_holds_within_the_systems_years(typed, parsed):
    assert inputs.day_parse(typed) == parsed


def _api(user) -> APIClient:
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_strange_id_in_a_form_or_a_body_is_refused_not_a_500(org, make_dossier, value):
    from django.test import Client

    desk = Client(raise_request_exception=False)
    desk.force_login(org.desk)
    assert desk.post(reverse("notifications:mark_read"), {"id": value}).status_code == 302
    assert desk.get(reverse("dossiers:counter_new"),
                    {"procedure": value, "variant": value}).status_code == 200
    d = make_dossier()
    answer = _api(org.desk).post(f"/api/v1/dossiers/{d.code}/actions/forward/",
                                 {"data": {"assignee": value}}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_assignee"
    body = {"variant": org.variant.pk, "channel": 1, "applicant": APPLICANT,
            "papers": {"not_applicable": {value: "Không áp dụng"}}}
    answer = _api(org.desk).post("/api/v1/dossiers/", body, format="json")
    assert answer.status_code == 400
    assert f"papers[{value}].not_applicable" in answer.json()["error"]["fields"]


def test_a_personal_id_with_a_digit_int_refuses_is_invalid_not_a_500(org):
    body = {"variant": org.variant.pk, "channel": 1,
            "applicant": APPLICANT | {"id_number": "፩56185004321"}}
    answer = _api(org.desk).post("/api/v1/dossiers/", body, format="json")
    assert answer.status_code == 400
    assert "applicant.id_number" in answer.json()["error"]["fields"]


def test_a_number_typed_in_a_search_box_is_told_by_one_rule():
    # The work lists and the admin log a search by number as a read of personal data (Decree
    # 13/2023 art. 9): both ask motcua.inputs.typed_number, so they cannot drift apart.
    from accounts import admin_reads
    from dossiers.list_filters import search_kind

    assert inputs.typed_number(" +84 914.222-333 ") == "84914222333"
    assert inputs.typed_number("056185004321") == "056185004321"
    for not_a_number in ("", "Nguyễn An", "000.00.12.H56-261123", "- 0914", FULL_WIDTH_ID):
        assert inputs.typed_number(not_a_number) == "", not_a_number
    for typed in ("0914 222 333", "+84 914 222 333", "Bích", "000.00.12.H56-261123-0001"):
        assert (search_kind(typed).kind == "number") == bool(inputs.typed_number(typed))
    assert not hasattr(admin_reads, "_NUMBER")
    assert admin_reads.typed_number is inputs.typed_number
