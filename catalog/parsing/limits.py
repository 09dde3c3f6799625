"""Time limits the time cell does not give, read from the rest of the record (issue #15).

In the national file of mid-2026, 475 of 2,642 procedures had no usable time limit: 345 give a
bare number with no unit ("1", "5", "20"), 128 leave the cell empty ("Không có thông tin") and
two put words in it. A dossier without a limit has no appointment date, so the importer reads
what the record says elsewhere, in this order, and marks every limit it did not find ready-made
as inferred (`TimeLimit.inferred`, shown to staff, editable in the admin):

1. `steps` — the row's description or the steps text names the processing time outright
   ("Thời hạn giải quyết: 15 ngày làm việc"), one value only;
2. `unit_text` — a bare number whose unit the same texts give next to the same number
   ("… trong thời hạn 05 ngày làm việc …" for a cell "5");
3. `steps` — the texts give exactly one time counted from receipt of the dossier
   ("trong thời hạn 20 ngày làm việc kể từ ngày nhận đủ hồ sơ"), leaving out the short times
   for asking the applicant to complete the dossier or for passing it on;
4. `unit_default` — a bare number with no unit anywhere: working days, the unit of 4,155 of the
   5,732 limits the file states with a unit (docs/deadlines.md). A bare "1" is taken as one
   working day too: it is what the source says, and the mark asks a person to check it.

Nothing is made up where the record states no time at all: those procedures keep no limit and
their issue says so. Kept apart from record.py and variants.py, which build the cases; this
only adds limits to the cases that lack them.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import TimeLimit, TimeUnit
from catalog.parsing import Issue
from catalog.parsing.channels import FIELD, ChannelRow, parse_amount, parse_channels, unit_of
from catalog.parsing.record import ParsedProcedure
from catalog.parsing.variants import TimeLimitSpec

Inferred = TimeLimit.Inferred

_UNIT = r"(ngày làm việc|ngày|giờ làm việc|giờ|tháng)"
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_EXPLICIT = re.compile(
    rf"thời hạn giải quyết[^0-9.;\n]{{0,40}}?{_NUMBER}\s*(?:\([^)]*\)\s*)?{_UNIT}",
    re.IGNORECASE)
_FROM_RECEIPT = re.compile(
    rf"(?:trong thời hạn|trong vòng|trong thời gian|không quá|chậm nhất là|trong)\s*"
    rf"(?:không quá\s*|tối đa\s*)?{_NUMBER}\s*(?:\([^)]*\)\s*)?{_UNIT}[,\s]*"
    r"(?:kể từ|tính từ)\s*(?:ngày|khi|thời điểm)?\s*(?:cơ quan[^,;.]{0,40}?)?"
    r"(?:nhận|tiếp nhận)\s*(?:được\s*)?(?:đủ\s*|đầy đủ\s*)?(?:hồ sơ|đơn)"
    r"(?P<after>[^.;\n]{0,120})",
    re.IGNORECASE)
# What follows a short time counted from receipt when it is not the processing time.
_CHECK_ONLY = re.compile(
    r"bổ sung|hoàn thiện|chưa đầy đủ|chưa đủ|không hợp lệ|chưa hợp lệ|hướng dẫn|chuyển hồ sơ|"
    r"chuyển đến|luân chuyển", re.IGNORECASE)
NO_LIMIT_PROBLEM = "Không có thời hạn giải quyết nào đọc được"
_BARE_PROBLEM = "không ghi đơn vị"


@dataclass(frozen=True)
class InferredLimit:
    amount: Decimal
    unit: str
    source: str
    quote: str


def _spec(amount: str, unit: str, source: str, quote: str) -> InferredLimit | None:
    value = parse_amount(amount)
    if value <= 0:
        return None
    return InferredLimit(value, unit_of(unit), source, " ".join(quote.split())[:300])


def _explicit(text: str) -> InferredLimit | None:
    found = {(m.group(1).lstrip("0") or "0", m.group(2).lower()): m.group(0)
             for m in _EXPLICIT.finditer(text)}
    if len(found) == 1:
        (amount, unit), quote = found.popitem()
        return _spec(amount, unit, Inferred.STEPS, quote)
    return None


def _from_receipt(text: str) -> InferredLimit | None:
    found = {(m.group(1).lstrip("0") or "0", m.group(2).lower()): m.group(0)
             for m in _FROM_RECEIPT.finditer(text) if not _CHECK_ONLY.search(m.group("after"))}
    if len(found) == 1:
        (amount, unit), quote = found.popitem()
        return _spec(amount, unit, Inferred.STEPS, quote)
    return None


def _unit_in_text(amount: Decimal, text: str) -> InferredLimit | None:
    number = f"{amount.normalize():f}"
    m = re.search(rf"(?<![\d.,])0*{re.escape(number)}\s*(?:\([^)]{{0,30}}\)\s*)?{_UNIT}",
                  text, re.IGNORECASE)
    if m is None:
        return None
    return InferredLimit(amount, unit_of(m.group(1)), Inferred.UNIT_FROM_TEXT, m.group(0))


def infer_row_limit(row: ChannelRow, steps: str) -> InferredLimit | None:
    """The limit of a row whose time cell gives none, or None when the record states none."""
    if row.time is not None:
        return None
    text = f"{row.description}\n{steps}"
    found = _explicit(text)
    if found is None and row.bare_amount is not None:
        found = _unit_in_text(row.bare_amount, text)
    if found is None:
        found = _from_receipt(text)
    if found is None and row.bare_amount is not None and row.bare_amount > 0:
        found = InferredLimit(row.bare_amount, TimeUnit.WORKING_DAYS, Inferred.UNIT_DEFAULT,
                              row.time_raw)
    return found


_SOURCE_TEXT = {
    Inferred.STEPS: "đọc trong mô tả hoặc trình tự thực hiện",
    Inferred.UNIT_FROM_TEXT: "ô thời hạn chỉ có số, đơn vị đọc trong mô tả hoặc trình tự",
    Inferred.UNIT_DEFAULT: "ô thời hạn chỉ có số, lấy đơn vị mặc định ngày làm việc",
}


def complete_time_limits(parsed: ParsedProcedure, record: dict) -> list[str]:
    """Add the inferred limits to the cases of `parsed` that lack one for a channel; the list of
    their sources (for the import report). Each gets an issue naming what was read.

    Only a procedure with no limit at all is completed: where another channel publishes one,
    a channel without its own falls back to it (selectors.variant_time_limit), which is safer
    than reading a bare "1" next to a published "15 ngày làm việc" as one day.
    """
    if parsed.has_time_limit:
        return []
    steps = record.get("trinh_tu_thuc_hien") or ""
    rows = parse_channels(record.get("cach_thuc_thuc_hien") or "").rows
    added: list[str] = []
    for row in rows:
        limit = infer_row_limit(row, steps)
        if limit is None:
            continue
        spec = TimeLimitSpec(row.channel, limit.amount, limit.unit,
                             f"Suy ra: {_SOURCE_TEXT[limit.source]} («{limit.quote}»).",
                             inferred=limit.source)
        took = False
        for variant in parsed.variants:
            if not any(t.channel == row.channel for t in variant.time_limits):
                variant.time_limits.append(spec)
                took = True
        if took:
            added.append(limit.source)
            label = TimeUnit(limit.unit).label
            parsed.issues.append(Issue(
                FIELD, limit.quote,
                f"Thời hạn {limit.amount.normalize():f} {label} là suy ra "
                f"({_SOURCE_TEXT[limit.source]}), cần kiểm tra lại."))
    if added:
        parsed.inferred_time_limits += len(added)
        parsed.issues[:] = [i for i in parsed.issues
                            if not (i.field == FIELD and (i.problem.startswith(NO_LIMIT_PROBLEM)
                                                          or _BARE_PROBLEM in i.problem))]
    return added
