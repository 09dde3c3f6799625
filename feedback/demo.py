"""Demo data of feedback (PAKN) for `make run`: two feedback officers and items in every state,
overdue ones and published answers, built through the services with back-dated moments so the
history, the deadlines and the statistics are the real ones. Listed in MOTCUA_DEMO_EXTRAS.

Accounts (password accounts.demo.DEMO_PASSWORD): `phananh.ttpvhcc` receives at the service
centre and forwards; `phananh.stp` handles at the Department of Justice, whose head
`lanhdao.tp` approves answers.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Role, Unit, User
from feedback.models import Channel, Feedback, Rating
from feedback.services import feedback_act, feedback_submit
from feedback.states import SenderActor

CENTRE, JUSTICE = "000.00.12.H56", "000.00.15.H56"
OFFICERS = [
    ("phananh.ttpvhcc", "Trương Thị Hạnh", "Chuyên viên tiếp nhận phản ánh, kiến nghị", CENTRE),
    ("phananh.stp", "Đặng Minh Khoa", "Chuyên viên kiểm soát thủ tục hành chính", JUSTICE),
]


def _officers() -> dict[str, User]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import second_factor_required

    people = {}
    for username, name, title, unit_code in OFFICERS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "full_name": name, "title": title, "kind": User.Kind.STAFF})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=unit_code),
                                         role=Role.FEEDBACK)
        # Like the other demo staff: an authenticator, walked with `manage.py demo_otp`.
        from django.test.utils import override_settings

        with override_settings(MOTCUA_SECOND_FACTOR_REQUIRED=True):
            if second_factor_required(user) and not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực (mẫu)",
                                          confirmed=True)
        people[username] = user
    return people


def _working_moment(days_ago: int, hour: int = 9) -> datetime:
    if days_ago == 0:
        return timezone.now() - timedelta(minutes=30)
    moment = timezone.localtime() - timedelta(days=days_ago)
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


ITEMS = [
    # key, days ago, title, content, sender, phone, e-mail, consent, procedure?, letter?
    ("new", 0, "Niêm yết thủ tục tại bộ phận một cửa chưa cập nhật",
     "Bảng niêm yết tại quầy vẫn ghi mức lệ phí cũ, khác với trên Cổng dịch vụ công.",
     "Nguyễn Thị Thu", "0905111001", "thu.nguyen@example.vn", True, False, False),
    ("late_forward", 20, "Đề nghị bỏ yêu cầu bản sao sổ hộ khẩu",
     "Cán bộ vẫn yêu cầu nộp bản sao sổ hộ khẩu dù sổ đã hết giá trị sử dụng.",
     "Lê Văn Hùng", "0905111002", "", True, False, False),
    ("refused", 12, "Khiếu nại quyết định xử phạt",
     "Tôi không đồng ý với quyết định xử phạt vi phạm hành chính của phường.",
     "Phạm Quốc Việt", "0905111003", "", False, False, False),
    ("forwarded", 3, "Thời hạn cấp giấy phép xây dựng quá dài",
     "Đề nghị rút ngắn thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ.",
     "Trần Minh Đức", "0905111004", "duc.tran@example.vn", True, False, False),
    ("forwarded_late", 16, "Thủ tục chứng thực chữ ký người dịch đòi thêm giấy tờ",
     "Phòng Tư pháp yêu cầu người dịch nộp bản sao bằng cấp mỗi lần chứng thực chữ ký.",
     "Vũ Thị Nga", "0905111012", "", True, False, False),
    ("accepted", 4, "Hướng dẫn về lý lịch tư pháp cho người đã ra nước ngoài",
     "Quy định không rõ người đã định cư nước ngoài nộp hồ sơ ở đâu.",
     "Hoàng Thị Lan", "0905111005", "", True, True, False),
    ("assigned_late", 60, "Yêu cầu giấy xác nhận cư trú không cần thiết",
     "Bộ phận một cửa yêu cầu giấy xác nhận cư trú dù đã có dữ liệu dân cư.",
     "Võ Thanh Sơn", "0905111006", "", True, True, False),
    ("drafted", 8, "Phí cấp bản sao trích lục",
     "Đề nghị công khai rõ mức phí cấp bản sao trích lục hộ tịch.",
     "Đinh Thị Mỹ", "0905111007", "my.dinh@example.vn", False, True, False),
    ("answered", 15, "Chậm trả kết quả lý lịch tư pháp",
     "Hồ sơ của tôi trễ hẹn 3 ngày mà không có thư xin lỗi.",
     "Bùi Văn Nam", "0905111008", "", False, True, True),
    ("published", 25, "Có phải nộp bản sao chứng thực căn cước khi xin phiếu lý lịch tư pháp?",
     "Cán bộ yêu cầu bản sao có chứng thực căn cước; tôi thấy thủ tục không quy định.",
     "Ngô Thị Hồng", "0905111009", "hong.ngo@example.vn", True, True, False),
    ("published_rated", 30, "Nộp hồ sơ lý lịch tư pháp trực tuyến có được giảm lệ phí không?",
     "Xin hỏi nộp trực tuyến thì lệ phí có được giảm như nộp trực tiếp không.",
     "Phan Thị Hà", "0905111010", "", True, True, False),
    ("reopened", 35, "Thời gian trả phiếu lý lịch tư pháp số 2",
     "Đề nghị giải thích vì sao phiếu số 2 lâu hơn phiếu số 1.",
     "Lý Văn Tài", "0905111011", "", True, True, False),
]

ANSWERS = {
    "assigned_late": "",
    "drafted": "Mức phí theo Thông tư của Bộ Tài chính, đã niêm yết tại Sở và trên Cổng.",
    "answered": "Sở đã xác minh, xin lỗi ông và nhắc nhở bộ phận liên quan; kết quả đã trả.",
    "published": "Thủ tục không yêu cầu bản sao chứng thực căn cước: người nộp xuất trình "
                 "căn cước để đối chiếu hoặc Sở khai thác Cơ sở dữ liệu quốc gia về dân cư. "
                 "Sở đã chấn chỉnh bộ phận tiếp nhận.",
    "published_rated": "Có. Lệ phí khi nộp trực tuyến được giảm theo quy định hiện hành về "
                       "khuyến khích dịch vụ công trực tuyến; mức cụ thể niêm yết tại thủ tục.",
    "reopened": "Phiếu số 2 cần tra cứu thêm thông tin án tích đã xóa nên thời hạn dài hơn.",
}


@transaction.atomic
def load() -> dict[str, int]:
    if Feedback.objects.exists():
        return {"feedback": Feedback.objects.count()}
    people = _officers()
    centre, justice = Unit.objects.get(code=CENTRE), Unit.objects.get(code=JUSTICE)
    receiver, officer = people["phananh.ttpvhcc"], people["phananh.stp"]
    head = User.objects.get(username="lanhdao.tp")
    from catalog.models import Procedure

    procedure = (Procedure.objects.filter(competent_unit=justice, is_active=True)
                 .order_by("code").first())
    made = 0
    for key, days, title, content, name, phone, email, consent, about, letter in ITEMS:
        at = _working_moment(days)
        item = feedback_submit(
            title=title, content=content, sender_name=name, sender_phone=phone,
            sender_email=email, publish_consent=consent,
            unit=justice if about else centre,
            procedure_code=procedure.code if about and procedure else "",
            channel=Channel.LETTER if letter else (Channel.PROCEDURE if about
                                                   else Channel.PORTAL),
            recorded_by=officer if letter else None, at=at)
        made += 1
        step = at + timedelta(hours=2)

        def act(action, actor, **kw):
            nonlocal item, step
            item = feedback_act(feedback=item, actor=actor, action=action, at=step, **kw)
            step += timedelta(hours=3)

        if key in ("new", "late_forward"):
            continue
        if key == "refused":
            act("refuse", receiver, reason="Nội dung là khiếu nại quyết định hành chính: giải "
                                           "quyết theo Luật Khiếu nại, không theo Nghị định "
                                           "20/2008/NĐ-CP.")
            continue
        if key == "forwarded":
            act("forward", receiver, data={"kind": "outside", "unit": justice})
            continue
        if key == "forwarded_late":
            # Forwarded two hours after its 5 working days ran out (the due moment is computed
            # on the unit's calendar, so this stays late whatever holidays fall in between):
            # recorded late, shown in the centre's "late forward" box and the statistics; the
            # department took it.
            step = item.forward_due_at + timedelta(hours=2)
            act("forward", receiver, data={"kind": "outside", "unit": justice})
            act("take", officer)
            continue
        if about:
            act("accept", officer, data={"kind": "difficulty" if key == "assigned_late"
                                         else "within"})
        if key == "accepted":
            continue
        act("assign", head, data={"assignee": officer})
        if key == "assigned_late":
            continue
        act("draft", officer, data={"answer": ANSWERS[key]})
        if key == "drafted":
            continue
        act("approve", head)
        if key == "answered":
            continue
        act("publish", officer)
        if key == "published_rated":
            act("rate", SenderActor(code=item.code), data={"rating": Rating.SATISFIED})
        if key == "reopened":
            act("rate", SenderActor(code=item.code), data={"rating": Rating.NOT_SATISFIED},
                reason="Chưa nói rõ căn cứ pháp lý.")
    made += _from_my_dossier(procedure)
    return {"feedback": made}


def _from_my_dossier(procedure) -> int:
    """The demo citizen `congdan` filed a dossier at the centre's counter under his proven
    personal ID, so it is in his "Hồ sơ của tôi", and sent feedback from its page: the walk of
    feedback linked to a dossier (README). Skipped when the base demo's people are missing."""
    from dossiers.services import dossier_create

    citizen = User.objects.filter(username="congdan").first()
    desk = User.objects.filter(username="tiepnhan").first()
    if citizen is None or desk is None or procedure is None:
        return 0
    variant = procedure.variants.order_by("order", "id").first()
    if variant is None:
        return 0
    at = _working_moment(6)
    dossier, _created = dossier_create(
        actor=desk, variant=variant, channel=1, receiving_unit=Unit.objects.get(code=CENTRE),
        applicant={"kind": 1, "name": citizen.full_name, "id_number": citizen.personal_id,
                   "phone": citizen.phone, "email": citizen.email,
                   "address": "12 Trần Phú, phường Nha Trang, tỉnh Khánh Hòa"},
        documents=[{"required_document": d.pk} for d in variant.documents.all()],
        accept=True, at=at)
    feedback_submit(
        title="Hồ sơ bị yêu cầu bổ sung giấy tờ không có trong danh mục",
        content="Khi tiếp nhận, cán bộ đề nghị tôi nộp thêm giấy xác nhận nơi cư trú, trong khi "
                "thủ tục không quy định giấy tờ này.",
        sender_name=citizen.full_name, sender_phone=citizen.phone, sender_email=citizen.email,
        publish_consent=False, unit=None, procedure_code=procedure.code, dossier=dossier,
        sender_user=citizen, channel=Channel.DOSSIER, at=at + timedelta(days=1))
    return 1
