"""The register's Excel download: the summary per round against Resolution 68/NQ-CP's target, and
every provision with its proposal, costs, decision and effect."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.spreadsheets import workbook_bytes
from regulations import selectors
from regulations.selectors import Summary

NO_DATA = "Chưa có dữ liệu"


def _pct(value: float | None):
    return NO_DATA if value is None else value


def _header(ws, row: list[str]) -> None:
    ws.append(row)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def summary_xlsx(summary: Summary) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([f"TỔNG HỢP RÀ SOÁT, ĐƠN GIẢN HÓA QUY ĐỊNH — {summary.label}"])
    ws.append([f"Mục tiêu Nghị quyết 68/NQ-CP ngày 12/05/2020: cắt giảm, đơn giản hóa tối thiểu "
               f"{summary.target_percent:g}% số quy định và {summary.target_percent:g}% chi phí "
               f"tuân thủ."])
    ws.append([])
    _header(ws, ["Đợt rà soát", "Số quy định rà soát", "Số quy định đề xuất cắt giảm, đơn giản "
                 "hóa", "Số được phê duyệt", "Số đã thực thi", "Tỷ lệ cắt giảm, đơn giản hóa "
                 "(%)", "Chi phí tuân thủ hằng năm trước rà soát (đồng)",
                 "Chi phí cắt giảm được (đồng)", "Tỷ lệ chi phí cắt giảm (%)"])
    for _round, row in summary.rounds + [(None, summary)]:
        ws.append([row.label if _round else "Tổng cộng", row.reviewed, row.proposed,
                   row.approved, row.done, _pct(row.cut_percent), row.cost_before,
                   row.cost_saved, _pct(row.cost_saved_percent)])
    ws.column_dimensions["A"].width = 45
    for col in range(2, 10):
        ws.column_dimensions[get_column_letter(col)].width = 18
    detail = wb.create_sheet("Quy định")
    _header(detail, ["Đợt", "Mã thủ tục", "Loại", "Nội dung quy định", "Đơn vị đề xuất",
                     "Phương án", "Lý do", "Trạng thái", "Số hồ sơ/năm",
                     "Chi phí/năm trước (đồng)", "Chi phí/năm sau (đồng)",
                     "Cắt giảm (đồng)", "Quyết định", "Ngày quyết định", "Ngày hiệu lực",
                     "Phiên bản mới", "Trung vị ngày giải quyết trước/sau",
                     "Tỷ lệ đúng hạn trước/sau (%)"])
    for review_round, _row in summary.rounds:
        for p in selectors.round_provisions(review_round):
            s = selectors.provision_saving(p)
            effect = selectors.provision_effect(p)
            detail.append([
                review_round.name, p.procedure_code, p.get_kind_display(), p.content,
                p.unit.name, p.get_action_display(), p.reason, p.get_state_display(),
                p.yearly_dossiers, s.before, s.after, s.saved, p.decision_number,
                p.decision_date, p.effective_date,
                p.new_version.version if p.new_version else "",
                f"{effect.before.median_days} / {effect.after.median_days}" if effect else "",
                f"{effect.before.on_time_percent} / {effect.after.on_time_percent}"
                if effect else ""])
    for col, width in zip("ABCDEFGH", (30, 12, 18, 50, 30, 18, 40, 16), strict=True):
        detail.column_dimensions[col].width = width
    return workbook_bytes(wb)
