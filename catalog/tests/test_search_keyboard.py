"""Words typed with the Vietnamese input method off (catalog/search/keyboard.py)."""

import pytest

from catalog.search.keyboard import readings, telex, vni


@pytest.mark.parametrize(("typed", "meant"), [
    ("caaps", "cap"),        # cấp: â doubled, sắc after the word
    ("hoj", "ho"),           # hộ
    ("chieeus", "chieu"),    # chiếu
    ("dduwowngf", "duong"),  # đường: đ, ư, ơ, huyền
    ("nguowif", "nguoi"),    # người, the horn once for both vowels
    ("tw", "tu"),            # tư: a lone w
    ("giaays", "giay"),      # giấy, the tone before the final
    ("ddaatj", "dat"),
])
def test_telex_keys_are_taken_out(typed, meant):
    assert telex(typed) == meant
    assert readings(typed)[0] == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("ca61p", "cap"), ("ho65", "ho"), ("chie61u", "chieu"), ("d9a6t5", "dat"),
    ("viet65", "viet"),  # marks typed at the end of the word
    ("nguo7i2", "nguoi"),
])
def test_vni_digits_are_taken_out(typed, meant):
    assert vni(typed) == meant
    assert readings(typed)[0] == meant


@pytest.mark.parametrize("word", ["sinh", "xin", "thuong", "tru", "b2", "2024", "123a", "x1",
                                  "cmnd", "bhxh", "hộ"])
def test_words_without_input_method_keys_stay(word):
    # s and x start syllables; a digit after a consonant is a class ("hạng B2"), not a mark
    assert readings(word) == []
