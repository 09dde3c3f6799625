"""Parse `cach_thuc_thuc_hien`: one row per channel with its time limit, fees and description.

The portal prints a four-column table run together without separators::

    Hình thức nộpThời gianPhí, lệ phíMô tả
    Trực tiếp60 Ngày làm việcLệ phí : ...Mô tả...Trực tuyến15 NgàyMiễn phí(ghi chú)...

A row starts at a channel label glued to the next cell (a digit or a capital letter); the same
words inside a description are followed by a space, a colon or a lowercase letter, which is how
the two are told apart. The time cell is "<number> <unit>", a bare number (the unit was not
entered), or a placeholder ("Không có thông tin", "Không quy định"). The fee cell is "Miễn phí",
"Không có thông tin" or "<amount> <currency>", each optionally followed by a note in brackets.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.models import Channel, TimeUnit
from catalog.parsing import NO_INFORMATION, Issue

FIELD = "cach_thuc_thuc_hien"
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"

CHANNEL_LABELS = {
    "Trực tiếp": Channel.COUNTER,
    "Trực tuyến": Channel.ONLINE,
    "Dịch vụ bưu chính": Channel.POST,
}
_LABEL = re.compile("|".join(CHANNEL_LABELS))

UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "ngày": TimeUnit.CALENDAR_DAYS,
    # The portal has no "working hours" entry; its hours are counted as office hours in practice
    # (domain.md §6), which is how the deadline engine treats them.
    "giờ": TimeUnit.WORKING_HOURS,
    "tháng": TimeUnit.MONTHS,
}
_UNIT_WORDS = "|".join(UNITS)  # longest first: "ngày làm việc" before "ngày"
_NUMBER = r"\d+/\d+|\d+(?:[.,]\d+)?"
_TIME = re.compile(rf"({_NUMBER})\s*({_UNIT_WORDS})", re.IGNORECASE)
_NO_TIME = re.compile(r"Không có thông tin|Không quy định|Không(?=\s*(?:Không có|Miễn phí))\s*")

_CURRENCIES = {"việt nam đồng": "VND", "vnđ": "VND", "đồng": "VND", "usd": "USD"}
_CURRENCY = r"Việt Nam Đồng|VNĐ|Đồng|USD"
_AMOUNT = re.compile(rf"(\d{{1,3}}(?:,\d{{3}})+|\d+)\s*({_CURRENCY})")
_FREE = "Miễn phí"
_FEE_START = re.compile(
    rf"{_FREE}|{NO_INFORMATION}|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)\s*(?:{_CURRENCY})")
# Money written in a note: "20.000 đồng", "400.000đ", "145 USD".
_NOTE_MONEY = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(đồng|đ\b|đ/|vnđ|USD)", re.IGNORECASE)

GENERIC_FEE_NAME = "Phí, lệ phí"
FREE_FEE_NAME = "Miễn phí"


@dataclass(frozen=True)
class TimeSpec:
    amount: Decimal
    unit: str
    # Where the unit (or the whole limit) was read when the time cell did not give it.
    inferred_from: str = ""


@dataclass(frozen=True)
class FeeSpec:
    name: str
    amount: int | None
    description: str = ""


@dataclass
class ChannelRow:
    channel: int
    time: TimeSpec | None
    time_raw: str
    # A bare number in the time cell: the amount is known, the unit is not.
    bare_amount: Decimal | None
    fees: list[FeeSpec]
    fee_parsed: bool
    description: str
    raw: str


@dataclass
class ChannelsResult:
    rows: list[ChannelRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def parse_amount(text: str) -> Decimal:
    """'04' -> 4, '1.5' and '1,5' -> 1.5, '1/2' -> 0.5."""
    if "/" in text:
        num, den = text.split("/")
        return Decimal(num) / Decimal(den)
    return Decimal(text.replace(",", "."))


def unit_of(word: str) -> str:
    """The TimeUnit of the portal's unit words, in any case."""
    return UNITS[word.lower()]


def _split_rows(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(text before the first row, [(channel, row body)])."""
    starts = []
    for m in _LABEL.finditer(text):
        nxt = text[m.end():m.end() + 1]
        if not nxt or nxt.isdigit() or (nxt.isalpha() and nxt.isupper()):
            starts.append(m)
    rows = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        rows.append((CHANNEL_LABELS[m.group()], text[m.end():end]))
    return (text[:starts[0].start()] if starts else text), rows


def _bracketed(text: str, pos: int) -> tuple[str, int]:
    """The note in brackets starting at text[pos] (nesting allowed) and the index after it."""
    if pos >= len(text) or text[pos] != "(":
        return "", pos
    depth = 0
    for i in range(pos, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[pos + 1:i].strip(), i + 1
    return text[pos + 1:].strip(), len(text)


def _valid_amount(text: str) -> bool:
    """A plausible fee amount: grouped by thousands or plain, no leading zero, not zero (a zero
    fee is written "Miễn phí")."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return text[0] != "0"
    return text.isdigit() and text[0] != "0"


def _note_amounts(note: str) -> set[tuple[int, str]]:
    found = set()
    for m in _NOTE_MONEY.finditer(note):
        currency = "USD" if m.group(2).upper() == "USD" else "VND"
        found.add((int(m.group(1).replace(".", "")), currency))
    return found


def _split_bare_time_and_amount(digits: str, note: str) -> list[tuple[str, str]]:
    """A bare time glued to an amount ("1" + "20,000"): the possible (time, amount) splits.

    When several splits are valid, the note usually names the amount ("20.000 vnđ/tờ khai") and
    decides between them.
    """
    splits = [(digits[:k], digits[k:]) for k in range(1, len(digits))
              if digits[:k].isdigit() and _valid_amount(digits[k:])]
    if len(splits) > 1 and note:
        named = {a for a, _ in _note_amounts(note)}
        confirmed = [(t, a) for t, a in splits
                     if int(a.replace(",", "")) in named
                     or int(a.replace(",", "")) * 1000 in named]
        if confirmed:
            return confirmed
    return splits


def _fee(amount_text: str, currency_word: str, note: str) -> FeeSpec:
    currency = _CURRENCIES[currency_word.lower()]
    amount = int(amount_text.replace(",", ""))
    name = _fee_name(note)
    written = f"{amount_text} {currency_word}"
    if currency == "VND" and 0 < amount < 1000:
        if (amount, "USD") in _note_amounts(note):
            currency = "USD"  # "155 VNĐ(…: 155 USD/thẻ.)": the currency was picked wrongly
            note = _join(f"Cơ sở dữ liệu quốc gia ghi «{written}».", note)
        else:
            # No fee or charge in Vietnam is below 1.000 đồng; these cells were entered in
            # thousands, as their notes confirm ("135 VNĐ(Lệ phí ...: 135.000 đồng/lần)").
            explained = (f"Cơ sở dữ liệu quốc gia ghi «{written}»; hiểu là "
                         f"{amount * 1000:,} đồng (ghi theo nghìn đồng).".replace(",", "."))
            return FeeSpec(name, amount * 1000, _join(explained, note))
    if currency != "VND":
        return FeeSpec(name, None, _join(f"Số tiền: {amount_text} {currency} "
                                         "(ngoại tệ, không quy đổi sang đồng).", note))
    return FeeSpec(name, amount, note)


def _fee_name(note: str) -> str:
    """The fee's own name when its note starts with one ("Phí thẩm định ...: 1.000.000 đồng")."""
    m = re.match(r"[-+*\s]*((?:Lệ phí|Phí|Giá dịch vụ)\b[^:;(.]{0,200})", note)
    return m.group(1).strip() if m else GENERIC_FEE_NAME


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _parse_fees(body: str, pos: int) -> tuple[list[FeeSpec], bool, int]:
    """Fees from body[pos:]: (fees, recognised, index after the fee cell)."""
    if body.startswith(_FREE, pos):
        note, end = _bracketed(body, pos + len(_FREE))
        return [FeeSpec(FREE_FEE_NAME, 0, note)], True, end
    if body.startswith(NO_INFORMATION, pos):
        return [], True, pos + len(NO_INFORMATION)
    fees = []
    while m := _AMOUNT.match(body, pos):
        note, pos = _bracketed(body, m.end())
        fees.append(_fee(m.group(1), m.group(2), note))
    return fees, bool(fees), pos


def parse_row(channel: int, body: str) -> tuple[ChannelRow, list[Issue]]:
    """One row after its channel label: time cell, fee cell, then the description."""
    issues: list[Issue] = []
    time = None
    bare = None
    pos = 0
    fees: list[FeeSpec] = []
    fee_known = False
    glued = False
    if m := _TIME.match(body):
        time = TimeSpec(parse_amount(m.group(1)), unit_of(m.group(2)))
        pos = m.end()
    elif m := _NO_TIME.match(body):
        pos = m.end()
    elif m := re.match(rf"(\d[\d,]*)\s*({_CURRENCY})", body):
        note, _ = _bracketed(body, m.end())
        splits = _split_bare_time_and_amount(m.group(1), note)
        if len(splits) == 1:
            bare = Decimal(splits[0][0])
            pos = len(splits[0][0])
        else:
            glued = True
            _, pos = _bracketed(body, m.end())
            issues.append(Issue(FIELD, body[:pos],
                                "Không tách được thời hạn và số tiền viết liền nhau."))
    elif m := re.match(r"\d+(?:[.,]\d+)?", body):
        bare = parse_amount(m.group())
        pos = m.end()
    else:
        start = _FEE_START.search(body)
        end = start.start() if start else len(body)
        issues.append(Issue(FIELD, body[:end], "Thời hạn giải quyết ghi bằng lời, không có số."))
        pos = end
    time_raw = body[:pos].strip()
    fee_from = pos
    if not glued:
        fees, fee_known, pos = _parse_fees(body, pos)
    if not fee_known and not glued:
        rest = body[fee_from:].strip()
        if rest:
            issues.append(Issue(FIELD, rest[:300], "Không nhận ra phí, lệ phí."))
        else:
            fee_known = True  # an empty fee cell: nothing is charged as far as the portal says
    description = body[pos:].strip() if fee_known else body[fee_from:].strip()
    row = ChannelRow(channel=channel, time=time, time_raw=time_raw, bare_amount=bare, fees=fees,
                     fee_parsed=fee_known, description=description, raw=body)
    return row, issues


def parse_channels(text: str) -> ChannelsResult:
    """All rows of a `cach_thuc_thuc_hien` cell, in the order the portal lists them."""
    result = ChannelsResult()
    text = (text or "").strip()
    if text.startswith(HEADER):
        text = text[len(HEADER):]
    elif text:
        result.issues.append(Issue(FIELD, text[:200],
                                   "Không thấy tiêu đề bảng cách thức thực hiện."))
    before, rows = _split_rows(text)
    if before.strip():
        result.issues.append(Issue(FIELD, before, "Đoạn văn bản không thuộc hình thức nộp nào."))
    for channel, body in rows:
        row, issues = parse_row(channel, body)
        result.rows.append(row)
        result.issues.extend(issues)
    return result
