"""Cases of a procedure ("trường hợp"): what a dossier is filed for, each with one clear time
limit per channel, its fees and its papers.

- A channel listing several time limits (89 national procedures) lists cases: each distinct limit
  becomes a variant, named after the case its description names ("Trường hợp…", "Đối với…",
  "a)…"), else after the limit, with an issue asking a person for a name.
- A document list made only of alternative cases ("a) Cấp mới…", "b) Cấp lại…") becomes one
  variant per case when the limits do not already split the procedure.
- Otherwise there is one variant, "Trường hợp chung".
"""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from catalog.models import Channel, TimeUnit
from catalog.parsing import Issue
from catalog.parsing.channels import FIELD as CHANNELS_FIELD
from catalog.parsing.channels import UNITS, ChannelRow, TimeSpec, parse_amount, unit_of
from catalog.parsing.documents import DocumentSpec, DocumentsResult, clean_name
from catalog.parsing.papers import AUTHORISATION_CONDITION
from catalog.text import fold

DEFAULT_VARIANT = "Trường hợp chung"

# "ngày 20 tháng …" is a date, not a limit of 20 months.
_DESCRIBED_TIME = re.compile(
    rf"(?<![\d.,/])(?<!ngày )(\d+(?:[.,]\d+)?)(?:\s*\([^)]{{1,30}}\))?\s+({'|'.join(UNITS)})\b",
    re.IGNORECASE)
_CASE_START = re.compile(r"^(?:trường hợp|đối với|nếu|\(?[a-zđ]\)|\(\d+\)|\d+\.)\s*",
                         re.IGNORECASE)


@dataclass
class TimeLimitSpec:
    channel: int
    amount: Decimal
    unit: str
    description: str = ""
    # How it was read when the time cell did not give it (TimeLimit.Inferred), else "".
    inferred: str = ""


@dataclass
class FeeLineSpec:
    channel: int
    name: str
    amount: int | None
    description: str = ""


@dataclass
class VariantSpec:
    name: str
    time_limits: list[TimeLimitSpec] = field(default_factory=list)
    fees: list[FeeLineSpec] = field(default_factory=list)
    # (document, heading of its group)
    documents: list[tuple[DocumentSpec, str]] = field(default_factory=list)
    notes: str = ""


def _unit_label(unit: str) -> str:
    return str(TimeUnit(unit).label)


def resolve_time(row: ChannelRow, issues: list[Issue]) -> TimeSpec | None:
    """The row's limit; a bare number is reported, an empty cell may take its description's."""
    if row.time:
        return row.time
    if row.bare_amount is not None:
        issues.append(Issue(CHANNELS_FIELD, row.time_raw,
                            f"Thời hạn «{row.time_raw}» không ghi đơn vị (ngày, ngày làm việc "
                            "hay giờ); chưa tạo thời hạn giải quyết."))
        return None
    if row.time_raw and not row.time_raw.startswith("Không"):
        return None  # worded time limit, reported by the channel parser
    stated = {(parse_amount(m.group(1)), unit_of(m.group(2)))
              for m in _DESCRIBED_TIME.finditer(row.description)}
    if len(stated) == 1:
        amount, unit = stated.pop()
        issues.append(Issue(CHANNELS_FIELD, row.description,
                            f"Ô thời hạn để trống; đã lấy thời hạn {amount.normalize():f} "
                            f"{_unit_label(unit)} ghi trong mô tả, cần kiểm tra lại."))
        return TimeSpec(amount, unit, inferred_from=row.description)
    if len(stated) > 1:
        issues.append(Issue(CHANNELS_FIELD, row.description,
                            "Ô thời hạn để trống; mô tả nêu nhiều thời hạn khác nhau, "
                            "không chọn được."))
    return None


def _case_name(description: str) -> str:
    text = clean_name(description)
    if not _CASE_START.match(text):
        return ""
    head = re.split(r"[:\n]|\.\s", text, maxsplit=1)[0].strip()
    return head[:300]


def _fee_lines(row: ChannelRow) -> list[FeeLineSpec]:
    return [FeeLineSpec(row.channel, f.name[:255], f.amount, f.description) for f in row.fees]


def _variant_from_rows(name: str, rows: list[tuple[ChannelRow, TimeSpec | None]]) -> VariantSpec:
    """A variant with the first limit of each channel and every distinct fee of its rows.

    Rows of one channel with the same limit differ by fee ("thẻ tạm trú đến 2 năm: 145 USD",
    "từ 2 đến 5 năm: 155 USD"): all those fees apply to the variant.
    """
    variant = VariantSpec(name=name)
    timed_channels: set[int] = set()
    for row, _ in rows:
        for fee in _fee_lines(row):
            if fee not in variant.fees:
                variant.fees.append(fee)
    for row, time in rows:
        if row.channel in timed_channels:
            continue
        if time:
            timed_channels.add(row.channel)
            description = row.description
            if time.inferred_from:
                description = ("Thời hạn lấy từ mô tả vì ô thời hạn để trống. " + description)
            variant.time_limits.append(TimeLimitSpec(
                row.channel, time.amount, time.unit, description,
                inferred="description" if time.inferred_from else ""))
    return variant


def time_variants(rows: list[tuple[ChannelRow, TimeSpec | None]],
                  issues: list[Issue]) -> list[VariantSpec]:
    """One variant per distinct time limit when some channel has several rows."""
    per_channel: dict[int, int] = {}
    for row, _ in rows:
        per_channel[row.channel] = per_channel.get(row.channel, 0) + 1
    if max(per_channel.values(), default=0) <= 1:
        return [_variant_from_rows(DEFAULT_VARIANT, rows)]
    groups: dict[object, list[tuple[ChannelRow, TimeSpec | None]]] = {}
    for row, time in rows:
        key = (time.amount, time.unit) if time else fold(row.description)[:120]
        groups.setdefault(key, []).append((row, time))
    if len(groups) == 1:
        return [_variant_from_rows(DEFAULT_VARIANT, rows)]
    variants, named_by_case = [], True
    for group in groups.values():
        first_row, time = group[0]
        name = _case_name(first_row.description)
        if not name:
            named_by_case = False
            name = (f"Thời hạn {time.amount.normalize():f} {_unit_label(time.unit)}" if time
                    else f"Trường hợp {len(variants) + 1}")
        if any(v.name == name for v in variants):
            name = f"{name} ({len(variants) + 1})"
        variants.append(_variant_from_rows(name, group))
    if not named_by_case:
        issues.append(Issue(CHANNELS_FIELD, " | ".join(
            f"{Channel(r.channel).label}: {r.time_raw}" for r, _ in rows),
            f"Một hình thức nộp có nhiều thời hạn; đã tách thành {len(variants)} trường hợp "
            "theo thời hạn, cần đặt lại tên trường hợp."))
    return variants


# Case headings about how or by whom a dossier is filed add papers to any case rather than
# being a case of their own ("Trường hợp ủy quyền thực hiện thủ tục", "… trên môi trường điện tử").
_ADDITION_WORDS = ("uy quyen", "moi truong dien tu", "truc tuyen", "buu chinh", "nguoi dai dien")


def _is_addition(heading: str) -> bool:
    folded = fold(heading)
    return any(w in folded for w in _ADDITION_WORDS)


def _in_case(doc: DocumentSpec, heading: str) -> DocumentSpec:
    # The heading names the case better than the generic authorisation rule of the row.
    own = doc.condition if doc.condition != AUTHORISATION_CONDITION else ""
    return replace(doc, condition=own or clean_name(heading).rstrip(":")[:300])


def attach_documents(variants: list[VariantSpec], docs: DocumentsResult) -> list[VariantSpec]:
    """Give each variant its papers; may split a single variant into document cases."""
    notes = "\n".join(f"{s.heading}: {n}" if s.heading else n
                      for s in docs.sections for n in s.notes)
    with_docs = [s for s in docs.sections if s.documents]
    cases = [s for s in with_docs if s.is_case and not _is_addition(s.heading)]
    additions = [s for s in with_docs if s.is_case and _is_addition(s.heading)]
    common = [s for s in with_docs if not s.is_case]
    if len(variants) == 1 and len(cases) >= 2 and not common:
        # The list is made of alternatives ("a) Cấp mới…", "b) Cấp lại…"): one variant per case,
        # its own papers mandatory, the additions optional, limits and fees shared.
        base = variants[0]
        result = []
        for section in cases:
            variant = VariantSpec(name=clean_name(section.heading)[:300] or DEFAULT_VARIANT,
                                  time_limits=list(base.time_limits), fees=list(base.fees),
                                  notes=notes)
            variant.documents = [(d, "") for d in section.documents]
            variant.documents += [(_in_case(d, s.heading), s.heading)
                                  for s in additions for d in s.documents]
            result.append(variant)
        return result
    # Papers under a case heading are needed only in that case, so the desk cannot demand
    # them of everyone: the heading is their condition (the desk ticks it when it applies); a
    # list that is one case only is simply the list.
    by_case = len(with_docs) > 1
    documents = [(_in_case(d, s.heading) if by_case and s.is_case else d, s.heading)
                 for s in with_docs for d in s.documents]
    for variant in variants:
        variant.documents = list(documents)
        variant.notes = notes
    return variants
