"""The question set the software ships for a SIPAS year: five elements, each asked as opinion,
satisfaction and expectation questions (Decision 1001/QĐ-BNV of 11/12/2023; the ministry's 2024
form counts 42 opinion, 51 satisfaction and 10 expectation indicators — this shorter set keeps the
structure, and the province edits the questions of its year in the admin)."""

from django.db import transaction

from reform.models import SipasQuestion, SipasVersion

_EXPECT = ["Rút ngắn thời gian giải quyết", "Giảm giấy tờ phải nộp", "Mở rộng dịch vụ công "
           "trực tuyến", "Thái độ công chức tốt hơn", "Công khai thông tin đầy đủ hơn"]

# (element, kind, code, text)
DEFAULT = [
    ("access", "opinion", "TC1", "Nơi tiếp nhận có đủ chỗ ngồi, thiết bị phục vụ người dân"),
    ("access", "satisfaction", "TC2", "Mức độ hài lòng về việc tiếp cận dịch vụ"),
    ("procedure", "opinion", "TT1", "Thủ tục được niêm yết công khai, đầy đủ"),
    ("procedure", "satisfaction", "TT2", "Mức độ hài lòng về thủ tục hành chính"),
    ("procedure", "satisfaction", "TT3", "Mức độ hài lòng về thời hạn giải quyết"),
    ("civil_servant", "opinion", "CC1", "Công chức hướng dẫn đầy đủ, một lần"),
    ("civil_servant", "satisfaction", "CC2", "Mức độ hài lòng về thái độ của công chức"),
    ("civil_servant", "satisfaction", "CC3", "Mức độ hài lòng về năng lực của công chức"),
    ("result", "opinion", "KQ1", "Kết quả được trả đúng hẹn"),
    ("result", "satisfaction", "KQ2", "Mức độ hài lòng về kết quả nhận được"),
    ("feedback", "opinion", "PA1", "Có nơi tiếp nhận góp ý, phản ánh, kiến nghị"),
    ("feedback", "satisfaction", "PA2", "Mức độ hài lòng về việc xử lý góp ý, phản ánh"),
    ("procedure", "expectation", "MD1", "Ông/Bà mong cơ quan cải thiện điều gì nhất?"),
]


def version_default(year: int, name: str = "") -> SipasVersion:
    """The year's question set with the shipped questions (created once)."""
    with transaction.atomic():
        version, created = SipasVersion.objects.get_or_create(year=year, defaults={
            "name": name or f"Bộ câu hỏi SIPAS năm {year}",
            "decision": "QĐ 1001/QĐ-BNV ngày 11/12/2023"})
        if created:
            SipasQuestion.objects.bulk_create([
                SipasQuestion(version=version, element=e, kind=k, code=c, text=t, order=i,
                              options=_EXPECT if k == "expectation" else [])
                for i, (e, k, c, t) in enumerate(DEFAULT, 1)])
    return version
