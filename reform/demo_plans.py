"""Demo data of the yearly CCHC plan (`manage.py load_demo`, listed in MOTCUA_DEMO_EXTRAS):
the province's Department of Home Affairs and its reform officer, a leader of the province,
this year's plan of 30 tasks under the seven areas (some done with evidence and accepted, some
waiting for acceptance, some overdue), and a register of directive documents.

Deadlines are set relative to the day the demo is loaded, so the overdue and due-soon tasks are
there whenever it is loaded. Decision numbers are illustrative.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, PROVINCE_CODE
from accounts.models import Membership, Province, Role, Unit, User
from reform.models import Area, Directive, Plan, Task
from reform.services.directives import directive_create
from reform.services.plans import plan_create, task_add, task_link
from reform.services.tasks import (
    evidence_add_file,
    evidence_add_url,
    task_accept,
    task_progress_update,
    task_submit,
)

HOME_AFFAIRS = "000.00.10.H56"
OFFICER = "noivu.cchc"
LEADER = "lanhdao.tinh"
PROVINCE_UNIT = "000.00.00.H56"
# Who reports for each lead unit in the demo (accounts/demo.py's staff).
REPORTERS = {HOME_AFFAIRS: OFFICER, "000.00.15.H56": "chuyenvien.tp",
             "000.00.21.H56": "chuyenvien.nnmt", "000.00.12.H56": "tiepnhan",
             "000.31.01.H56": "chuyenvien.nhatrang", "000.31.02.H56": "tiepnhan.bacnhatrang"}
NV, TP, NN, TT, PNT, BNT = (HOME_AFFAIRS, "000.00.15.H56", "000.00.21.H56", "000.00.12.H56",
                            "000.31.01.H56", "000.31.02.H56")

# number, area, task, expected product, lead unit, deadline (days from today; None: ongoing),
# state ("done", "late" = done after the deadline, "submitted", a progress figure, "new"), weight
TASKS = [
    ("1", Area.DIRECTION, "Ban hành kế hoạch CCHC năm và các kế hoạch chuyên đề",
     "Quyết định ban hành kế hoạch", NV, -300, "done", 2),
    ("2", Area.DIRECTION, "Kiểm tra công tác CCHC tại các sở, ngành và UBND cấp xã",
     "Báo cáo kết quả kiểm tra", NV, None, 60, 2),
    ("2.1", "", "Kiểm tra tại các sở, ban, ngành", "Thông báo kết luận kiểm tra", NV, -60,
     "done", 1),
    ("2.2", "", "Kiểm tra tại UBND các xã, phường", "Thông báo kết luận kiểm tra", NV, 20, 30, 1),
    ("3", Area.DIRECTION, "Tuyên truyền cải cách hành chính trên báo, đài và cổng thông tin",
     "Chuyên mục, tin bài", NV, -30, "late", 1),
    ("4", Area.DIRECTION, "Xác định Chỉ số CCHC của các sở, ngành và UBND cấp xã",
     "Quyết định công bố Chỉ số CCHC", NV, 5, 70, 2),
    ("5", Area.INSTITUTIONS, "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh",
     "Quyết định công bố kết quả hệ thống hóa", TP, -120, "done", 2),
    ("6", Area.INSTITUTIONS, "Kiểm tra, xử lý văn bản quy phạm pháp luật trái pháp luật",
     "Báo cáo kết quả kiểm tra văn bản", TP, -15, 60, 1),
    ("7", Area.INSTITUTIONS, "Theo dõi thi hành pháp luật trong lĩnh vực đất đai",
     "Báo cáo theo dõi thi hành pháp luật", NN, 45, 20, 1),
    ("8", Area.PROCEDURES, "Rà soát, đơn giản hóa thủ tục hành chính",
     "Quyết định phê duyệt phương án đơn giản hóa", TP, None, 0, 3),
    ("8.1", "", "Rà soát thủ tục lĩnh vực hộ tịch, chứng thực", "Báo cáo rà soát", TP, -90,
     "done", 1),
    ("8.2", "", "Rà soát thủ tục lĩnh vực đất đai", "Báo cáo rà soát", NN, -20, 40, 2),
    ("9", Area.PROCEDURES, "Công bố, công khai thủ tục hành chính trên Cổng Dịch vụ công",
     "Quyết định công bố danh mục thủ tục", TP, -150, "done", 1),
    ("10", Area.PROCEDURES, "Tiếp nhận, giải quyết hồ sơ đúng hạn tại Trung tâm PVHCC",
     "Tỷ lệ hồ sơ đúng hạn trên 98%", TT, None, 80, 2),
    ("11", Area.PROCEDURES, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
     "Kho dữ liệu điện tử được cập nhật", TT, -45, 85, 2),
    ("12", Area.PROCEDURES, "Xử lý phản ánh, kiến nghị về quy định hành chính",
     "Báo cáo 6 tháng, năm", TP, 25, "submitted", 1),
    ("13", Area.APPARATUS, "Sắp xếp tổ chức bộ máy các cơ quan chuyên môn",
     "Quyết định quy định chức năng, nhiệm vụ", NV, -180, "done", 2),
    ("14", Area.APPARATUS, "Rà soát vị trí việc làm, cơ cấu ngạch công chức",
     "Đề án vị trí việc làm", NV, -10, 50, 1),
    ("15", Area.APPARATUS, "Kiện toàn bộ phận một cửa cấp xã sau sắp xếp",
     "Quyết định kiện toàn", PNT, -75, "late", 1),
    ("16", Area.CIVIL_SERVICE, "Đào tạo, bồi dưỡng kỹ năng cho công chức một cửa",
     "Lớp bồi dưỡng", NV, 40, 30, 1),
    ("17", Area.CIVIL_SERVICE, "Đánh giá, xếp loại công chức theo kết quả công việc",
     "Kết quả đánh giá", NV, 24, 10, 1),
    ("18", Area.CIVIL_SERVICE, "Tăng cường kỷ luật, kỷ cương hành chính",
     "Báo cáo kiểm tra công vụ", BNT, -5, 40, 1),
    ("19", Area.PUBLIC_FINANCE, "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập",
     "Quyết định giao tự chủ", NN, -100, "done", 1),
    ("20", Area.PUBLIC_FINANCE, "Công khai ngân sách theo quy định",
     "Báo cáo công khai ngân sách", NN, 15, 60, 1),
    ("21", Area.DIGITAL, "Vận hành Hệ thống thông tin giải quyết thủ tục hành chính",
     "Hệ thống vận hành ổn định", TT, None, 75, 3),
    ("22", Area.DIGITAL, "Kết nối, đồng bộ với Cổng Dịch vụ công quốc gia",
     "Trạng thái hồ sơ đồng bộ đầy đủ", TT, -60, "done", 2),
    ("23", Area.DIGITAL, "Thanh toán trực tuyến phí, lệ phí",
     "Tỷ lệ thanh toán trực tuyến", TT, 3, 55, 1),
    ("24", Area.DIGITAL, "Chữ ký số cho cán bộ, công chức cấp xã",
     "Chứng thư số được cấp", PNT, -40, 20, 1),
    ("25", Area.DIGITAL, "Khai thác CSDL quốc gia về dân cư trong giải quyết TTHC",
     "Các thủ tục dùng lại dữ liệu dân cư", BNT, 60, 15, 1),
    ("26", Area.DIGITAL, "Cung cấp dịch vụ công trực tuyến toàn trình",
     "Danh mục dịch vụ công toàn trình", TP, 90, "new", 2),
]

DIRECTIVES = [
    ("3125/QĐ-UBND", -340, "UBND tỉnh Khánh Hòa", Directive.Kind.DECISION,
     "Ban hành Kế hoạch cải cách hành chính nhà nước tỉnh Khánh Hòa năm {year}"),
    ("05/CT-UBND", -320, "UBND tỉnh Khánh Hòa", Directive.Kind.DIRECTIVE,
     "Về tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính"),
    ("112/KH-UBND", -280, "UBND tỉnh Khánh Hòa", Directive.Kind.PLAN,
     "Kế hoạch tuyên truyền cải cách hành chính năm {year}"),
    ("450/SNV-CCHC", -240, "Sở Nội vụ tỉnh Khánh Hòa", Directive.Kind.LETTER,
     "Hướng dẫn chấm điểm, xác định Chỉ số CCHC năm {year}"),
    ("1021/QĐ-UBND", -200, "UBND tỉnh Khánh Hòa", Directive.Kind.DECISION,
     "Phê duyệt phương án đơn giản hóa thủ tục hành chính lĩnh vực hộ tịch"),
    ("88/TB-UBND", -150, "UBND tỉnh Khánh Hòa", Directive.Kind.NOTICE,
     "Kết luận của Chủ tịch UBND tỉnh tại hội nghị sơ kết CCHC quý I"),
    ("230/BC-UBND", -100, "UBND tỉnh Khánh Hòa", Directive.Kind.REPORT,
     "Báo cáo công tác cải cách hành chính 6 tháng đầu năm {year}"),
    ("1877/SNV-CCHC", -20, "Sở Nội vụ tỉnh Khánh Hòa", Directive.Kind.LETTER,
     "Đôn đốc hoàn thành các nhiệm vụ CCHC quá hạn"),
]
# Which tasks each directive concerns (by task number).
DIRECTIVE_TASKS = {"3125/QĐ-UBND": ["1"], "05/CT-UBND": ["18"], "112/KH-UBND": ["3"],
                   "450/SNV-CCHC": ["4"], "1021/QĐ-UBND": ["8.1"], "1877/SNV-CCHC": ["2", "6"]}


def evidence_pdf(title: str) -> bytes:
    """A one-page PDF standing for the document a unit would scan."""
    from reportlab.pdfgen import canvas

    from dossiers.printing.pdf import FONT

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 12)
    page.drawString(72, 770, title[:90])
    page.drawString(72, 750, "Tài liệu minh chứng (dữ liệu mẫu)")
    page.save()
    return out.getvalue()


def _people() -> dict[str, User]:
    province = Province.objects.get(code=PROVINCE_CODE)
    top = Unit.objects.get(code=PROVINCE_UNIT)
    home, _ = Unit.objects.update_or_create(code=HOME_AFFAIRS, defaults={
        "name": "Sở Nội vụ tỉnh Khánh Hòa", "short_name": "Sở Nội vụ",
        "kind": Unit.Kind.DEPARTMENT, "parent": top, "province": province,
        "address": "Nha Trang, Khánh Hòa", "phone": "0258 3 822 000"})
    people = {}
    for username, full_name, title, unit, role in [
            (OFFICER, "Hoàng Thị Thu", "Chuyên viên phòng Cải cách hành chính", home,
             Role.REFORM),
            (LEADER, "Trịnh Minh Quân", "Phó Chủ tịch UBND tỉnh", top, Role.HEAD)]:
        user, created = User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "title": title, "kind": User.Kind.STAFF})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        people[username] = user
    # The plan is the province's: its officer holds the CCHC role in the issuing committee too.
    Membership.objects.get_or_create(user=people[OFFICER], unit=top, role=Role.REFORM)
    # The leader holds a head's role: their sign-in needs the second factor, like the other
    # demo heads (`manage.py demo_otp lanhdao.tinh` shows the code).
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=people[LEADER]).exists():
        TOTPDevice.objects.create(user=people[LEADER], name="Ứng dụng xác thực (mẫu)",
                                  confirmed=True)
    return people


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@transaction.atomic
def load() -> dict[str, int]:
    people = _people()
    officer = people[OFFICER]
    today = timezone.localdate()
    top = Unit.objects.get(code=PROVINCE_UNIT)
    if Plan.objects.filter(unit=top, year=today.year).exists():
        return {"reform plan tasks": 0}
    directives = {}
    for number, offset, issuer, kind, summary in DIRECTIVES:
        directives[number] = directive_create(
            actor=officer, number=number, date_issued=today + timedelta(days=offset),
            issuer=issuer, kind=kind, summary=summary.format(year=today.year))
    plan = plan_create(actor=officer, unit=top, year=today.year,
                       title=f"Kế hoạch cải cách hành chính nhà nước tỉnh Khánh Hòa năm "
                             f"{today.year}",
                       decision_number="3125/QĐ-UBND",
                       decision_date=directives["3125/QĐ-UBND"].date)
    units = {u.code: u for u in Unit.objects.filter(code__in=REPORTERS)}
    reporters = {u.username: u for u in User.objects.filter(username__in=REPORTERS.values())}
    tasks = {}
    created = at = _at(plan.decision_date)
    for number, area, title, product, lead, offset, state, weight in TASKS:
        parent = tasks.get(number.rsplit(".", 1)[0]) if "." in number else None
        deadline = today + timedelta(days=offset) if offset is not None else None
        task = task_add(actor=officer, plan=plan, title=title, area=area, parent=parent,
                        number=number, expected_product=product, lead_unit=units[lead],
                        deadline=deadline, weight=Decimal(weight), at=created)
        tasks[number] = task
        reporter = reporters[REPORTERS[lead]]
        due = deadline or today
        if state == "new":
            continue
        if isinstance(state, int):
            if state:
                at = _at(min(today, due) - timedelta(days=7))
                task_progress_update(actor=reporter, task=task, progress=state,
                                     note=f"Đã thực hiện khoảng {state}% khối lượng.", at=at)
            continue
        done_day = due + timedelta(days=12) if state == "late" else due - timedelta(days=5)
        done_day = min(done_day, today)
        at = _at(done_day - timedelta(days=20))
        task_progress_update(actor=reporter, task=task, progress=60,
                             note="Đang triển khai theo kế hoạch.", at=at)
        if int(number.split(".")[0]) % 2:
            evidence_add_file(actor=reporter, task=task, title=product,
                              name=f"minh-chung-{number}.pdf", data=evidence_pdf(product),
                              at=_at(done_day))
        else:
            evidence_add_url(actor=reporter, task=task, title=product,
                             url=f"https://khanhhoa.gov.vn/cchc/minh-chung/{number}",
                             at=_at(done_day))
        task_submit(actor=reporter, task=task, note="Đã hoàn thành, gửi minh chứng.",
                    at=_at(done_day))
        if state != "submitted":
            task_accept(actor=officer, task=task, note="Đạt yêu cầu.",
                        at=_at(min(done_day + timedelta(days=2), today)))
    for number, task_numbers in DIRECTIVE_TASKS.items():
        for n in task_numbers:
            tasks[n].directives.add(directives[number])
    from catalog.models import Procedure

    codes = list(Procedure.objects.filter(is_active=True, competent_unit__code=TP)
                 .order_by("code").values_list("code", flat=True)[:2])
    if codes:
        task_link(actor=officer, task=tasks["8.1"], procedure_codes=codes,
                  directive_ids=[directives["1021/QĐ-UBND"].pk])
    return {"reform plan tasks": len(tasks), "reform directives": len(directives)}


@transaction.atomic
def link_review_rounds() -> dict[str, int]:
    """Point the plan's task 8.1 (review of the justice procedures) at the demo's review round
    of the same year (regulations/demo.py, loaded after the plan): the task shows what the
    round delivered. Runs after both loaders (settings.MOTCUA_DEMO_EXTRAS)."""
    from regulations.selectors import rounds_overlapping

    plan = Plan.objects.filter(unit__code=PROVINCE_UNIT, year=timezone.localdate().year).first()
    task = plan and Task.objects.filter(plan=plan, number="8.1").first()
    if task is None or task.review_rounds.exists():
        return {"review rounds linked to plan tasks": 0}
    rounds = list(rounds_overlapping(start=date(plan.year, 1, 1), end=date(plan.year, 12, 31))
                  .values_list("pk", flat=True)[:1])
    if not rounds:
        return {"review rounds linked to plan tasks": 0}
    officer = User.objects.get(username=OFFICER)
    task_link(actor=officer, task=task,
              procedure_codes=list(task.procedures.values_list("code", flat=True)),
              directive_ids=list(task.directives.values_list("pk", flat=True)),
              review_round_ids=rounds)
    return {"review rounds linked to plan tasks": 1}
