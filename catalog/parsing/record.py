"""Turn one record of the national procedure database into what the catalog stores.

Rules worth knowing (the data behind them is described in the importer's docstring):

- Level: every level in `cap_thuc_hien` is kept in `levels`; `level` is the one closest to the
  applicant (xã, then tỉnh, then bộ), because that is where such a dossier is usually filed.
- Online level: no "Trực tuyến" row → information only; a "Trực tuyến" row → partial; end to
  end ("toàn trình") only when the procedure's name or its online row says so.
- Time limits: "<n> <unit>" cells are taken as published. A bare number has no unit and is not
  guessed (it is reported). An empty time cell takes the limit stated in its own description
  when that description states exactly one; this is reported too, for a person to confirm.
- Variants: see `catalog.parsing.variants`.
"""

import re
from dataclasses import dataclass

from catalog.models import Channel, Procedure
from catalog.parsing import Issue, clean
from catalog.parsing.channels import FIELD as CHANNELS_FIELD
from catalog.parsing.channels import ChannelRow, parse_channels
from catalog.parsing.documents import parse_documents
from catalog.parsing.legal import LegalBasisSpec, parse_legal_bases
from catalog.parsing.results import parse_results, strip_page_tail
from catalog.parsing.variants import (
    VariantSpec,
    attach_documents,
    resolve_time,
    time_variants,
)
from catalog.text import fold

LEVELS = {
    "cấp bộ": Procedure.Level.MINISTRY,
    "cấp tỉnh": Procedure.Level.PROVINCE,
    "cấp xã": Procedure.Level.COMMUNE,
    "cơ quan khác": Procedure.Level.OTHER,
}
_CLOSEST_FIRST = [Procedure.Level.COMMUNE, Procedure.Level.PROVINCE, Procedure.Level.MINISTRY,
                  Procedure.Level.OTHER]



@dataclass
class ParsedProcedure:
    code: str
    name: str
    field_name: str
    level: str
    levels: list[str]
    procedure_type: str
    applicant_types: list[str]
    competent_authority: str
    implementing_agency: str
    coordinating_agencies: str
    online_level: str
    steps_text: str
    requirements: str
    result_text: str
    result_codes: list[str]
    submission_address: str
    decision_number: str
    source_url: str
    legal_bases: list[LegalBasisSpec]
    variants: list[VariantSpec]
    issues: list[Issue]
    # Figures for the import report.
    fee_cells: int = 0
    fee_cells_parsed: int = 0
    documents_parsed: bool = True
    inferred_time_limits: int = 0

    @property
    def has_time_limit(self) -> bool:
        return any(v.time_limits for v in self.variants)


def split_applicants(text: str) -> list[str]:
    """Split at commas that start a new capitalised item outside brackets.

    "Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức" is two items:
    the portal's own labels contain commas.
    """
    items, depth, current = [], 0, ""
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        rest = text[i + 1:].lstrip()
        if char == "," and depth == 0 and rest[:1].isupper():
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    return [item for item in items if item]


def _levels(text: str, issues: list[Issue]) -> list[str]:
    found = []
    for part in (p.strip() for p in text.split(",")):
        level = LEVELS.get(part.lower())
        if level is None:
            if part:
                issues.append(Issue("cap_thuc_hien", part, "Không nhận ra cấp thực hiện."))
            continue
        if level not in found:
            found.append(level)
    return found


def _online_level(name: str, rows: list[ChannelRow]) -> str:
    online = [r for r in rows if r.channel == Channel.ONLINE]
    if not online:
        return Procedure.OnlineLevel.INFORMATION
    says_full = "toan trinh" in fold(name) or any(
        "truc tuyen toan trinh" in fold(r.description) for r in online)
    return Procedure.OnlineLevel.FULL if says_full else Procedure.OnlineLevel.PARTIAL


def _result(text: str) -> tuple[str, list[str]]:
    """One line per result with its code; the page's keywords and widgets split off."""
    spec = parse_results(clean(text))
    return spec.text, spec.codes


def parse_record(record: dict) -> ParsedProcedure:
    """Parse one national record; never raises on odd text, reports it in `issues` instead."""
    issues: list[Issue] = []
    name = re.sub(r"\s+", " ", (record.get("ten_thu_tuc") or "")).strip()
    levels = _levels(record.get("cap_thuc_hien") or "", issues)
    level = next((lv for lv in _CLOSEST_FIRST if lv in levels), Procedure.Level.OTHER)

    channels = parse_channels(record.get("cach_thuc_thuc_hien") or "")
    issues.extend(channels.issues)
    rows = [(row, resolve_time(row, issues)) for row in channels.rows]
    variants = time_variants(rows, issues)

    docs = parse_documents(record.get("thanh_phan_ho_so") or "",
                           context=" ".join(clean(record.get(key)) for key in (
                               "yeu_cau_dieu_kien", "trinh_tu_thuc_hien")))
    issues.extend(docs.issues)
    variants = attach_documents(variants, docs)

    legal = parse_legal_bases(record.get("can_cu_phap_ly") or "")
    issues.extend(legal.issues)
    result_text, result_codes = _result(record.get("ket_qua_xu_ly") or "")

    parsed = ParsedProcedure(
        code=(record.get("ma_thu_tuc") or "").strip(),
        name=name,
        field_name=clean(record.get("linh_vuc"))[:255],
        level=level,
        levels=levels,
        procedure_type=clean(record.get("loai_thu_tuc"))[:255],
        applicant_types=split_applicants(clean(record.get("doi_tuong_thuc_hien"))),
        competent_authority=clean(record.get("co_quan_co_tham_quyen")),
        implementing_agency=clean(record.get("co_quan_thuc_hien")),
        coordinating_agencies=clean(record.get("co_quan_phoi_hop")),
        online_level=_online_level(name, channels.rows),
        steps_text=clean(record.get("trinh_tu_thuc_hien")),
        requirements=strip_page_tail(clean(record.get("yeu_cau_dieu_kien"))),
        result_text=result_text,
        result_codes=result_codes,
        submission_address=clean(record.get("dia_chi_tiep_nhan")),
        decision_number=clean(record.get("so_quyet_dinh"))[:100],
        source_url=clean(record.get("detail_url"))[:500],
        legal_bases=legal.bases,
        variants=variants,
        issues=issues,
        fee_cells=len(channels.rows),
        fee_cells_parsed=sum(r.fee_parsed for r in channels.rows),
        documents_parsed=docs.parsed,
        inferred_time_limits=sum(1 for _, t in rows if t and t.inferred_from),
    )
    if not parsed.has_time_limit:
        cells = " | ".join(f"{Channel(r.channel).label}: {r.time_raw or '(trống)'}"
                           for r in channels.rows)
        issues.append(Issue(CHANNELS_FIELD, cells, "Không có thời hạn giải quyết nào đọc được; "
                            "hồ sơ của thủ tục này chưa tính được ngày hẹn trả."))
    return parsed
