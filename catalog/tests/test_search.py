"""Search over procedure names: diacritics, case and word order do not matter."""

import pytest

from catalog.models import Field, Procedure
from catalog.selectors import procedure_list
from catalog.services import procedure_set_search_text

pytestmark = pytest.mark.django_db


def _procedure(code: str, name: str, **fields) -> Procedure:
    procedure = Procedure(code=code, name=name, **fields)
    procedure_set_search_text(procedure)
    procedure.save()
    return procedure


@pytest.fixture
def catalog():
    justice = Field.objects.create(name="Hộ tịch")
    return {
        "ho_chieu": _procedure("1.001456", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại "
                               "cấp tỉnh)", level="tinh", levels="tinh",
                               online_level=Procedure.OnlineLevel.PARTIAL),
        "khai_sinh": _procedure("1.001193", "Thủ tục đăng ký khai sinh", field=justice,
                                level="xa", levels="xa"),
        "luu_dong": _procedure("1.003583", "Đăng ký khai sinh lưu động", field=justice,
                               level="xa", levels="xa"),
        "lai": _procedure("1.004884", "Thủ tục đăng ký lại khai sinh", field=justice,
                          level="xa", levels="xa"),
        "ket_hon": _procedure("1.000894", "Thủ tục đăng ký kết hôn", field=justice,
                              level="xa", levels="tinh xa"),
    }


def _codes(**kwargs) -> list[str]:
    return [p.code for p in procedure_list(**kwargs)]


def test_without_diacritics_finds_the_name_with_them(catalog):
    assert _codes(query="ho chieu") == ["1.001456"]
    assert _codes(query="HỘ CHIẾU") == ["1.001456"]
    assert _codes(query="  Hộ   chiếu  ") == ["1.001456"]


def test_word_order_does_not_matter_and_the_closest_name_comes_first(catalog):
    assert _codes(query="chieu ho pho thong") == ["1.001456"]
    # No diplomatic passport in this catalogue: the ordinary one is the closest, not nothing.
    assert _codes(query="ho chieu ngoai giao") == ["1.001456"]


def test_names_starting_with_the_phrase_come_first_then_the_phrase_then_the_words(catalog):
    # A leading "Thủ tục" does not count: "Thủ tục đăng ký khai sinh" starts with the phrase and,
    # shorter than "… lưu động", is the general procedure the citizen most likely wants.
    assert _codes(query="dang ky khai sinh") == ["1.001193", "1.003583", "1.004884"]
    assert _codes(query="khai sinh dang ky")[-1] == "1.004884"


def test_filters(catalog):
    assert _codes(level="tinh") == ["1.000894", "1.001456"]  # "tinh xa" counts for both
    assert _codes(level="xa", query="ket hon") == ["1.000894"]
    assert _codes(online_level="partial") == ["1.001456"]
    # all three contain the phrase as whole words: the shorter name is the more specific one
    assert _codes(field_id=catalog["khai_sinh"].field_id, query="khai sinh") == [
        "1.001193", "1.003583", "1.004884"]


def test_code_query_and_retired_versions(catalog):
    assert _codes(query="1.001193") == ["1.001193"]
    Procedure.objects.filter(code="1.001193").update(is_active=False)
    assert _codes(query="dang ky khai sinh") == ["1.003583", "1.004884"]
    assert "1.001193" in _codes(query="dang ky khai sinh", active_only=False)


def test_empty_query_lists_everything_by_code(catalog):
    assert _codes() == sorted(p.code for p in catalog.values())


def test_level_filter_also_matches_rows_without_levels(catalog):
    _procedure("9.000002", "Thủ tục nhập tay", level="tinh")
    assert "9.000002" in _codes(level="tinh")
