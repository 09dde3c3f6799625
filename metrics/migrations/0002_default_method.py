"""Seed the default scoring set (labelled as such) so the index scores from the first day."""

import datetime

from django.db import migrations

# Frozen copy of metrics.indicators.DEFAULT_* at the time of this migration.
DEFAULT_METHOD_NAME = 'Bộ mặc định của phần mềm (chưa đối chiếu văn bản chính thức)'
DEFAULT_GROUPS = [{'key': 'publicity',
  'name': 'Công khai, minh bạch',
  'max_points': 18,
  'indicators': {'publicity_rate': 1}},
 {'key': 'progress',
  'name': 'Tiến độ giải quyết',
  'max_points': 20,
  'indicators': {'settled_on_time_rate': 1}},
 {'key': 'online',
  'name': 'Dịch vụ công trực tuyến',
  'max_points': 12,
  'indicators': {'online_share': 1, 'full_online_share': 1}},
 {'key': 'payment',
  'name': 'Thanh toán trực tuyến',
  'max_points': 10,
  'indicators': {'online_payment_share': 1}},
 {'key': 'satisfaction',
  'name': 'Mức độ hài lòng',
  'max_points': 18,
  'indicators': {'satisfaction_rate': 1}},
 {'key': 'digitisation',
  'name': 'Số hóa hồ sơ',
  'max_points': 22,
  'indicators': {'digitised_share': 1, 'reused_share': 1}}]
DEFAULT_BANDS = [{'name': 'Xuất sắc', 'min': 90},
 {'name': 'Tốt', 'min': 80},
 {'name': 'Khá', 'min': 70},
 {'name': 'Trung bình', 'min': 50},
 {'name': 'Yếu', 'min': 0}]


def seed(apps, schema_editor):
    IndexMethod = apps.get_model("metrics", "IndexMethod")
    IndexMethod.objects.get_or_create(
        effective_from=datetime.date(2022, 6, 23),
        defaults={
            "name": DEFAULT_METHOD_NAME, "is_default_set": True, "groups": DEFAULT_GROUPS,
            "bands": DEFAULT_BANDS,
            "note": "Nhóm chỉ số theo Quyết định 766/QĐ-TTg ngày 23/6/2022; điểm tối đa và "
                    "ngưỡng xếp loại là bộ mặc định của phần mềm (domain.md §8), cần đối chiếu "
                    "văn bản hướng dẫn hiện hành.",
        })


def unseed(apps, schema_editor):
    apps.get_model("metrics", "IndexMethod").objects.filter(is_default_set=True).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
