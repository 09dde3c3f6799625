"""Import procedures from the national procedure database export (JSON lines, gzip or not).

What the importer does with the published text, measured on the 2,642 procedures of mid-2026
(`catalog/tests/test_importer.py` pins the figures):

- Nothing is dropped. The whole record is kept in `Procedure.source_record`; every fragment
  that could not be turned into data is listed in `Procedure.parse_issues` as
  {"field", "fragment", "problem"} with the raw text and the reason in Vietnamese.
- Versions. A record whose content is identical to the version in force changes nothing;
  changed content becomes a new version (version + 1) and the old one is retired
  (`is_active=False`) but kept, because accepted dossiers are pinned to it.
- Writing. Each record is stored whole or not at all. Records go to the database in
  transactions of `BATCH_SIZE`; a batch that fails is written again one record per
  transaction, so a bad record never keeps the others out (it is reported as rejected).
- Level. `cap_thuc_hien` often lists several levels ("Cấp bộ, Cấp tỉnh"): all are kept in
  `levels`, and `level` is the one closest to the applicant (xã, tỉnh, bộ, cơ quan khác).
- Time limits. "<n> Ngày làm việc" → working days, "<n> Ngày" → calendar days, "<n> Giờ" →
  working hours, "<n> Tháng" → months; "04" is 4, "1.5" is 1.5. About 840 of the 7,120 time
  cells hold a bare number with no unit and 128 procedures leave every cell empty; where no
  cell gives a limit, `catalog.parsing.limits` reads one from the rest of the record (the
  description, the steps text, the unit next to the same number, else working days for a
  bare number), marks it inferred (`TimeLimit.inferred`) and says so in an issue. The report
  counts inferred limits by where they were read; none is made up for a record that states
  no time at all.
- Several limits for one channel (89 procedures) are cases of the procedure: each distinct
  limit becomes a variant, named after the case its description names ("Trường hợp…",
  "Đối với…", "a)…") or, failing that, after the limit, with an issue asking for a name. A
  dossier is filed for a variant, so each variant has one clear limit per channel; a channel
  without a limit of its own falls back to the counter limit (`selectors.variant_time_limit`).
- Fees. "Miễn phí" is stored as a fee line named "Miễn phí" with amount 0 and its note,
  because the note often carries the real rule ("Mức lệ phí do HĐND tỉnh quyết định");
  "Không có thông tin" stores no fee line. Amounts are whole đồng ("1,200,000 Việt Nam Đồng"
  → 1200000). VND amounts under 1.000 were entered in thousands (their notes say so) and are
  multiplied by 1.000 with the original kept in the description; USD amounts are stored
  without an amount in đồng, the figure in the description.
- Online level. No "Trực tuyến" row → `information`; a "Trực tuyến" row → `partial`; `full`
  (toàn trình) only when the name says "toàn trình" or the online row's description says
  "trực tuyến toàn trình": the database has no separate flag for it.
- Documents. Rows are "<name><template file><n bản chính[,m bản sao]>". Both an original and
  a copy counted means either is accepted (`original_or_copy`); a copy whose name asks for
  certification is `certified_copy`. "(nếu có)" makes a paper optional. Papers under a heading
  that names a case ("Trường hợp ủy quyền…") are optional when the list has other papers, and
  keep the heading in `section`; a list made only of alternative cases becomes one variant per
  case. Rows with zero originals and zero copies are notes, kept in `Variant.notes`.
  How papers relate (one-of groups, conditions, data looked up) is read by
  `catalog.parsing.papers`; template file names glued to a paper's name are split off
  (`template_name`, `template_url` where the text gives the file's address).
- Re-import. A record whose text is unchanged but was stored by an older parser
  (`Procedure.parsed_with` ≠ `services.PARSER_VERSION`) is read again and updated in place:
  same procedure, cases and paper rows, so dossiers keep pointing at them.
"""

import gzip
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import DatabaseError

from catalog.models import Field, Procedure, TimeLimit
from catalog.parsing.limits import complete_time_limits
from catalog.parsing.record import ParsedProcedure, parse_record
from catalog.services import (
    CREATED,
    NEW_VERSION,
    PARSER_VERSION,
    REPARSED,
    UNCHANGED,
    ProcedureImport,
    field_get_or_create,
    procedure_import_version,
    procedures_import_versions,
    procedures_reread,
)

# Records written per transaction. A batch that fails is written again one record per
# transaction, so one bad record never keeps the others out; batching is what lets the whole
# national file load in seconds instead of half a minute of per-row round trips.
BATCH_SIZE = 200


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    # Unchanged records read again by a newer parser and updated in place.
    reread: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    with_time_limit: int = 0
    inferred_time_limits: int = 0
    # Limits not given by the time cell, by where they were read (TimeLimit.Inferred).
    inferred_by_source: Counter = field(default_factory=Counter)
    # Procedures whose every limit is inferred.
    only_inferred: int = 0
    fee_cells: int = 0
    fee_cells_parsed: int = 0
    documents_parsed: int = 0
    with_issues: int = 0

    @property
    def imported(self) -> int:
        """Records now in the catalog from this file, whether stored now or already there."""
        return self.created + self.new_versions + self.unchanged + self.reread

    @property
    def time_limit_rate(self) -> float:
        return self.with_time_limit / self.imported if self.imported else 0.0

    @property
    def fee_rate(self) -> float:
        return self.fee_cells_parsed / self.fee_cells if self.fee_cells else 0.0

    @property
    def documents_rate(self) -> float:
        return self.documents_parsed / self.imported if self.imported else 0.0

    def summary(self) -> list[str]:
        """The final report, in Vietnamese."""
        return [
            f"Đã đọc {_n(self.read)} bản ghi, nhập {_n(self.imported)} thủ tục"
            f" (bỏ {_n(len(self.rejected))} dòng lỗi).",
            f"Phiên bản: {_n(self.created)} thủ tục mới, {_n(self.new_versions)} phiên bản mới,"
            f" {_n(self.unchanged)} không đổi, {_n(self.reread)} đọc lại tại chỗ.",
            f"Có ít nhất một thời hạn giải quyết: {_pct(self.time_limit_rate)}"
            f" ({_n(self.with_time_limit)}/{_n(self.imported)}); trong đó"
            f" {_n(self.only_inferred)} thủ tục chỉ có thời hạn suy ra.",
            f"Thời hạn suy ra (cần kiểm tra): {_n(self.inferred_time_limits)} — "
            + "; ".join(f"{TimeLimit.Inferred(source).label.lower()}: {_n(n)}"
                        for source, n in sorted(self.inferred_by_source.items())) + ".",
            f"Ô phí, lệ phí đọc được: {_pct(self.fee_rate)}"
            f" ({_n(self.fee_cells_parsed)}/{_n(self.fee_cells)}).",
            f"Thành phần hồ sơ đọc trọn vẹn: {_pct(self.documents_rate)}"
            f" ({_n(self.documents_parsed)}/{_n(self.imported)}).",
            f"Thủ tục có phần chưa phân tích được: {_n(self.with_issues)}.",
        ]


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%".replace(".", ",")


def record_digest(record: dict) -> str:
    """Content hash of a record, independent of key order and of the file's line."""
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lines(source: str | Path | IO | Iterable[str | bytes]) -> Iterator[str]:
    if isinstance(source, str | Path):
        raw = Path(source).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        yield from io.StringIO(raw.decode("utf-8"))
        return
    for line in source:
        yield line.decode("utf-8") if isinstance(line, bytes) else line


def _problems(issues: list) -> str:
    seen = list(dict.fromkeys(issue.problem.rstrip(".") for issue in issues))
    shown = "; ".join(seen[:3])
    return shown + (f"; và {len(seen) - 3} vấn đề khác" if len(seen) > 3 else "")


def import_catalog(path_or_lines: str | Path | IO | Iterable[str | bytes], *,
                   stdout: IO | None = None) -> ImportReport:
    """Import every record of a .jsonl/.jsonl.gz path, an open file, or an iterable of lines.

    Each record is stored whole or not at all. When `stdout` is given, each record with
    problems gets one line there.
    """
    report = ImportReport()
    fields: dict[str, Field] = {}
    # Unchanged records are recognised without touching their rows; the service checks again
    # under a lock before writing, so a concurrent import cannot slip in between.
    in_force = dict(Procedure.objects.filter(is_active=True).values_list("code", "source_hash"))
    # Records stored by an older parser: read again in place when their text has not changed.
    stale = set(Procedure.objects.filter(is_active=True).exclude(parsed_with=PARSER_VERSION)
                .values_list("code", flat=True))
    reread: list[ProcedureImport] = []
    batch: list[tuple[int, ProcedureImport]] = []
    for line_number, line in enumerate(_lines(path_or_lines), start=1):
        if not line.strip():
            continue
        report.read += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            report.rejected.append((line_number, f"không phải JSON hợp lệ ({error.msg})"))
            continue
        if not isinstance(record, dict) or not str(record.get("ma_thu_tuc") or "").strip():
            report.rejected.append((line_number, "thiếu mã thủ tục (ma_thu_tuc)"))
            continue
        parsed = parse_record(record)
        complete_time_limits(parsed, record)
        _count_parse(report, parsed, stdout)
        digest = record_digest(record)
        if in_force.get(parsed.code) == digest:
            if parsed.code in stale:
                stale.discard(parsed.code)
                reread.append(ProcedureImport(parsed=parsed, record=record, digest=digest,
                                              field=None))
                if len(reread) >= BATCH_SIZE:
                    _reread(reread, report)
                    reread = []
                continue
            report.unchanged += 1
            continue
        in_force[parsed.code] = digest
        if any(item.parsed.code == parsed.code for _, item in batch):
            _write(batch, report)  # a code twice in a file: its versions in file order
            batch = []
        batch.append((line_number, ProcedureImport(
            parsed=parsed, record=record, digest=digest,
            field=field_get_or_create(name=parsed.field_name, cache=fields))))
        if len(batch) >= BATCH_SIZE:
            _write(batch, report)
            batch = []
    _write(batch, report)
    _reread(reread, report)
    if report.created or report.new_versions or report.reread:
        from catalog.search.index import index_rebuild

        index_rebuild()
    if stdout is not None:
        for line_number, reason in report.rejected:
            stdout.write(f"Dòng {line_number}: bỏ qua, {reason}.\n")
    return report


def _count_parse(report: ImportReport, parsed: ParsedProcedure, stdout: IO | None) -> None:
    report.with_time_limit += parsed.has_time_limit
    limits = [t for v in parsed.variants for t in v.time_limits]
    report.inferred_by_source.update(t.inferred for t in limits if t.inferred)
    report.inferred_time_limits += sum(1 for t in limits if t.inferred)
    report.only_inferred += bool(limits) and all(t.inferred for t in limits)
    report.fee_cells += parsed.fee_cells
    report.fee_cells_parsed += parsed.fee_cells_parsed
    report.documents_parsed += parsed.documents_parsed
    report.with_issues += bool(parsed.issues)
    if stdout is not None and parsed.issues:
        stdout.write(f"{parsed.code}: {len(parsed.issues)} chỗ chưa phân tích được — "
                     f"{_problems(parsed.issues)}\n")


def _reread(items: list[ProcedureImport], report: ImportReport) -> None:
    """Unchanged records stored by an older parser, read again in place."""
    if not items:
        return
    for outcome in procedures_reread(items=items):
        report.reread += outcome == REPARSED
        report.unchanged += outcome == UNCHANGED


def _tally(report: ImportReport, outcome: str) -> None:
    report.created += outcome == CREATED
    report.new_versions += outcome == NEW_VERSION
    report.unchanged += outcome == UNCHANGED


def _write(batch: list[tuple[int, ProcedureImport]], report: ImportReport) -> None:
    if not batch:
        return
    try:
        outcomes = procedures_import_versions(items=[item for _, item in batch])
    except DatabaseError:
        outcomes = None
    if outcomes is not None:
        for outcome in outcomes:
            _tally(report, outcome)
        return
    for line_number, item in batch:
        try:
            _tally(report, procedure_import_version(item=item))
        except DatabaseError as error:
            report.rejected.append((line_number, f"không ghi được vào cơ sở dữ liệu ({error})"))
