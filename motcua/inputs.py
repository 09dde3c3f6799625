"""What people type, made safe to store, print and compare — one rule for every entry point.

Web forms (`InputField`), the API (`InputSerializerField`) and the services (`input_clean`)
call the same functions, so a name refused at the counter is refused with the same words by the
online API, and a service called from anywhere else still gets clean text.

- Names, addresses and free text are stored in Unicode NFC: "Nguyễn" typed with a combining
  tilde (NFD, as some phones and PDF copy-paste produce) and with the precomposed letter are one
  name, found by one search and printed with one glyph.
- ID numbers and phone numbers are NFKC: full-width digits ("０９１２…", typed with a Vietnamese
  IME in full-width mode) become ASCII digits, which the checks and the national portal expect.
- Control characters (other than a line break in multi-line text) and invisible format
  characters (zero-width space and joiners, byte-order mark, bidirectional overrides) are
  removed: they make two equal-looking names differ and can reorder what a PDF shows.
- Every field has a maximum length; a longer value is refused with the limit and the length
  typed, never cut silently and never stored (a 540,000-character summary made Form 01 take
  three minutes to draw).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.utils.translation import get_language
from rest_framework import serializers

from motcua.errors import DomainError


class Kind(StrEnum):
    NAME = "name"  # a person's or an organisation's name: one line, NFC
    ADDRESS = "address"  # one line, NFC
    LINE = "line"  # any other one-line text, NFC
    TEXT = "text"  # several lines (a summary, a reason), NFC
    NUMBER = "number"  # an ID or tax code: NFKC, no spaces
    PHONE = "phone"  # NFKC, checked against the Vietnamese numbering plan
    EMAIL = "email"  # NFKC


@dataclass(frozen=True)
class Rule:
    kind: Kind
    max_length: int


# The limits of every free-text input. The names, addresses and numbers are the model columns'
# sizes; the long texts are what a real summary or reason needs (a few paragraphs).
NAME = Rule(Kind.NAME, 255)
ADDRESS = Rule(Kind.ADDRESS, 500)
PHONE = Rule(Kind.PHONE, 20)
ID_NUMBER = Rule(Kind.NUMBER, 20)
EMAIL = Rule(Kind.EMAIL, 254)
SUMMARY = Rule(Kind.TEXT, 2000)
REASON = Rule(Kind.TEXT, 2000)
DOCUMENT_NAME = Rule(Kind.LINE, 500)
SHORT_LINE = Rule(Kind.LINE, 255)
NOTE = Rule(Kind.TEXT, 2000)
SHORT_NOTE = Rule(Kind.TEXT, 500)

# Cc (controls) and Cf (format: zero-width space U+200B, joiners U+200C/D, marks U+200E/F,
# bidirectional embeddings and isolates U+202A–E, U+2066–9, word joiner U+2060, BOM U+FEFF, soft
# hyphen U+00AD) are removed; a line break survives in multi-line text only.
_REMOVED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}
_SPACES = re.compile(r"[^\S\n]+")


def input_clean(value: Any, kind: Kind) -> str:
    """`value` as it is stored: normalised, without invisible characters, spaces tidied."""
    text = "" if value is None else str(value)
    form = "NFKC" if kind in (Kind.NUMBER, Kind.PHONE, Kind.EMAIL) else "NFC"
    text = unicodedata.normalize(form, text.replace("\r\n", "\n").replace("\r", "\n"))
    keep_lines = kind == Kind.TEXT
    # A printable text (str.isprintable, in C: no character of the categories Other — Cc, Cf,
    # Cs, Co, Cn — nor a separator but the space) keeps every character: the loop over each
    # one is spared for most values (a filing cleans some twenty, issue #18).
    if not text.isprintable():
        text = "".join(ch for ch in text
                       if (ch == "\n" and keep_lines) or (ch in "\t\n" and not keep_lines)
                       or unicodedata.category(ch) not in _REMOVED_CATEGORIES)
    if kind == Kind.NUMBER:
        return re.sub(r"\s+", "", text).upper()
    if keep_lines:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


# --- Vietnamese telephone numbers ----------------------------------------------------------
# The national numbering plan (Circular 22/2014/TT-BTTTT, the telecommunications number store,
# as amended by Circular 15/2017/TT-BTTTT, which gave every province a new fixed area code
# beginning with 2; Decision 798/QĐ-BTTTT of 2018 moved the 11-digit mobile numbers to 10),
# - a mobile number is 0 + a network code 3x, 5x, 7x, 8x or 9x + 7 digits: 10 digits;
# - a fixed number is 0 + an area code beginning with 2 (024 Hà Nội, 028 TP.HCM, 0258 Khánh
#   Hòa, …) + the subscriber number: 11 digits in all.
# Written nationally (0…) or internationally (+84 / 84 without the 0), with spaces, dots,
# dashes or brackets between groups.
_MOBILE = re.compile(r"0[35789]\d{8}")
_FIXED = re.compile(r"02\d{9}")


def phone_vn_normalize(value: str) -> str | None:
    """The national form (0…) of a Vietnamese mobile or fixed number written any usual way,
    or None when it is not one."""
    digits = re.sub(r"[\s.\-()/]", "", input_clean(value, Kind.PHONE))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isascii():
        return None
    return digits if _MOBILE.fullmatch(digits) or _FIXED.fullmatch(digits) else None


def phone_key(value: str) -> str:
    """The one form a phone number is stored and compared in, however it was typed: the national
    form (0…) of a Vietnamese number, else the digits of a foreign one ("+" kept); "" for none.

    A read of someone's data is logged under their number (Decree 13/2023/NĐ-CP art. 9), and
    the person's own view finds it by that number: "0912 345 678", "+84912345678" and
    "0912.345.678" must be one number for the row to be found.
    """
    text = input_clean(value, Kind.PHONE)
    if not text:
        return ""
    national = phone_vn_normalize(text)
    if national:
        return national
    digits = re.sub(r"[^0-9]", "", text)
    return "+" + digits if text.startswith("+") and digits else digits


_TYPED_NUMBER = re.compile(r"\+?[0-9][0-9 .\-]*")


def typed_number(text: str) -> str:
    """The digits of `text` when it is typed as an ID or phone number, else "".

    What a search box holding a number looks like: ASCII digits, maybe a leading "+", spaces,
    dots or dashes between ("0914 222 333", "+84 914.222.333", "056-185-004-321"). One rule for
    the staff work lists (dossiers.list_filters.search_kind) and the admin's searches
    (accounts/admin_reads.py): both log a search by number as a read of personal data (Decree
    13/2023/NĐ-CP art. 9), so both must tell a number from a name or a code the same way.
    """
    text = (text or "").strip()
    if not _TYPED_NUMBER.fullmatch(text):
        return ""
    return re.sub(r"[^0-9]", "", text)


# --- ids sent back by a page or a client ---------------------------------------------------
# The largest value of the id columns (PostgreSQL bigint, SQLite INTEGER: signed 64 bits).
ID_MAX = 2**63 - 1
# The largest sum in đồng the money columns (the same 64-bit integers) hold: past it the
# database refuses the row, which reached the officer as a 500.
AMOUNT_MAX = 2**63 - 1


def id_parse(value: Any) -> int | None:
    """The row id a form, a query or a JSON body names, or None when it is not one.

    ASCII digits only: `str.isdigit()` also accepts "²", "①" or Ethiopic "፩", which int()
    refuses (the 500 the pages must never give), and a number past 64 bits makes the database
    refuse the whole statement.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= ID_MAX else None
    text = value if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if number <= ID_MAX else None


# --- days a page or a client names ----------------------------------------------------------
# Python's dates end on 31/12/9999: the day after a day near it, or a moment near it moved to
# UTC, raised OverflowError (a 500). No register, deadline or report of the system reaches past
# these years (the dashboards' periods stop at 2100 too).
DAY_MIN = date(1900, 1, 1)
DAY_MAX = date(2100, 12, 31)


def day_in_range(day: date) -> bool:
    return DAY_MIN <= day <= DAY_MAX


def day_parse(value: Any) -> date | None:
    """The day a year-month-day text names, between DAY_MIN and DAY_MAX, or None when it names
    none: "2026-02-30", "9999-12-31", "" and a list are all None, never an exception."""
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if day_in_range(day) else None


# --- one check, one message ----------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    message: str  # Vietnamese
    message_en: str

    def localized(self) -> str:
        return self.message_en if (get_language() or "").startswith("en") else self.message


def input_problem(value: str, rule: Rule, *, complete: bool = True) -> Problem | None:
    """What is wrong with an already cleaned `value` under `rule`, or None.

    `complete=False` checks the length only: a draft keeps a phone number typed halfway.
    """
    if len(value) > rule.max_length:
        return Problem(f"Tối đa {rule.max_length} ký tự (đã nhập {len(value)}).",
                       f"At most {rule.max_length} characters ({len(value)} given).")
    if not complete or not value:
        return None
    if rule.kind == Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            return Problem("Địa chỉ thư điện tử không hợp lệ.", "Not a valid e-mail address.")
    if rule.kind == Kind.PHONE and phone_vn_normalize(value) is None:
        return Problem("Số điện thoại Việt Nam không hợp lệ: di động gồm 10 chữ số bắt đầu "
                       "bằng 03, 05, 07, 08, 09; cố định gồm 11 chữ số bắt đầu bằng 02 (có thể "
                       "viết +84).",
                       "Not a Vietnamese phone number: a mobile number has 10 digits starting "
                       "03, 05, 07, 08 or 09; a fixed one 11 digits starting 02 (+84 allowed).")
    return None


def input_value(value: Any, rule: Rule, *, complete: bool = True) -> str:
    """`value` cleaned and checked; a phone number in its national form. Raises InputRefused."""
    text = input_clean(value, rule.kind)
    problem = input_problem(text, rule, complete=complete)
    if problem is not None:
        raise InputRefused(problem)
    if rule.kind == Kind.PHONE and text and complete:
        return phone_vn_normalize(text) or text
    return text


class InputRefused(Exception):
    """A value its rule refuses; `problem` says why in both languages."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def inputs_clean(values: dict[str, Any], rules: dict[str, Rule], *, prefix: str = "",
                 labels: dict[str, tuple[str, str]] | None = None,
                 complete: bool = True) -> dict[str, str]:
    """Clean and check several values for a service; one DomainError naming every bad field.

    `rules` maps a key of `values` to its rule; keys absent from `values` are left out.
    `labels` (key → Vietnamese and English label) make the error's summary name the fields.
    """
    cleaned: dict[str, str] = {}
    problems: dict[str, Problem] = {}
    for key, rule in rules.items():
        if key not in values:
            continue
        try:
            cleaned[key] = input_value(values[key], rule, complete=complete)
        except InputRefused as refused:
            problems[key] = refused.problem
    if problems:
        labels = labels or {}
        names_vi = ", ".join(labels.get(k, (k, k))[0] for k in problems)
        names_en = ", ".join(labels.get(k, (k, k))[1] for k in problems)
        raise DomainError("invalid", f"Thông tin chưa hợp lệ: {names_vi}.",
                          f"Invalid input: {names_en}.",
                          fields={f"{prefix}{k}": [p.localized()] for k, p in problems.items()})
    return cleaned


# --- the same rule in a web form and in the API --------------------------------------------

class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Django's several-rows choice, with each id checked by `id_parse` before the query: SQLite
    cannot bind a number past 64 bits in the `pk IN (…)` Django builds, and raised
    OverflowError (a 500) where an unknown id gets the field's "not one of the choices"."""

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            for pk in value:
                if pk not in self.empty_values and id_parse(pk) is None:
                    raise ValidationError(self.error_messages["invalid_choice"],
                                          code="invalid_choice", params={"value": pk})
        return super()._check_values(value)


class InputField(forms.CharField):
    """A form field that cleans and checks with `rule`; the page shows the message in its
    language. The HTML maxlength stops a browser from sending more."""

    def __init__(self, *, rule: Rule, **kwargs: Any) -> None:
        self.rule = rule
        kwargs.setdefault("max_length", rule.max_length)
        super().__init__(**kwargs)
        # The length is judged by `input_problem`, after cleaning, with the house message.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value: Any) -> str:
        return input_clean(super().to_python(value), self.rule.kind)

    def validate(self, value: str) -> None:
        super().validate(value)
        problem = input_problem(value, self.rule)
        if problem is not None:
            raise ValidationError(problem.localized(), code="invalid")

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if self.rule.kind == Kind.PHONE and text:
            return phone_vn_normalize(text) or text
        return text


class InputSerializerField(serializers.CharField):
    """The API's field for the same rule: its message in `fields` (Vietnamese, English when the
    request asks for it, like DRF's own messages beside it), maxLength in the schema."""

    def __init__(self, *, rule: Rule, **kwargs: Any) -> None:
        self.rule = rule
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        # For the schema (maxLength). It never speaks: `to_internal_value` refuses a longer
        # value first, with the house message.
        self.max_length = rule.max_length
        self.validators.append(MaxLengthValidator(rule.max_length))

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            return input_value(text, self.rule)
        except InputRefused as refused:
            raise serializers.ValidationError(refused.problem.localized(),
                                              code="invalid") from None

