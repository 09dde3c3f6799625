"""Digitisation counters of settled dossiers; the sync share scored in the publicity group.

The default scoring set seeded by 0002 gets `synced_share` in its publicity group (domain.md §8
lists the share of dossiers synced to the national portal under publicity), but only while that
row is exactly as 0002 wrote it: a set an administrator has edited is left alone (docs/metrics.md
says how to add the key in the admin).
"""

import copy
import datetime

from django.db import migrations, models

# Frozen copy of the groups 0002 seeded.
SEEDED_GROUPS = [
    {"key": "publicity", "name": "Công khai, minh bạch", "max_points": 18,
     "indicators": {"publicity_rate": 1}},
    {"key": "progress", "name": "Tiến độ giải quyết", "max_points": 20,
     "indicators": {"settled_on_time_rate": 1}},
    {"key": "online", "name": "Dịch vụ công trực tuyến", "max_points": 12,
     "indicators": {"online_share": 1, "full_online_share": 1}},
    {"key": "payment", "name": "Thanh toán trực tuyến", "max_points": 10,
     "indicators": {"online_payment_share": 1}},
    {"key": "satisfaction", "name": "Mức độ hài lòng", "max_points": 18,
     "indicators": {"satisfaction_rate": 1}},
    {"key": "digitisation", "name": "Số hóa hồ sơ", "max_points": 22,
     "indicators": {"digitised_share": 1, "reused_share": 1}},
]


def _with_sync(groups):
    out = copy.deepcopy(groups)
    out[0]["indicators"] = {"publicity_rate": 1, "synced_share": 1}
    return out


def _default_set(apps):
    IndexMethod = apps.get_model("metrics", "IndexMethod")
    return IndexMethod.objects.filter(is_default_set=True,
                                      effective_from=datetime.date(2022, 6, 23)).first()


def add_sync_share(apps, schema_editor):
    row = _default_set(apps)
    if row is not None and row.groups == SEEDED_GROUPS:
        row.groups = _with_sync(SEEDED_GROUPS)
        row.save(update_fields=["groups"])


def remove_sync_share(apps, schema_editor):
    row = _default_set(apps)
    if row is not None and row.groups == _with_sync(SEEDED_GROUPS):
        row.groups = SEEDED_GROUPS
        row.save(update_fields=["groups"])


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0004_payment_counters'),
    ]

    operations = [
        migrations.AddField(
            model_name='dailycounter',
            name='settled_digitised',
            field=models.IntegerField(default=0, verbose_name='đã giải quyết, có thành phần hồ sơ được số hóa'),
        ),
        migrations.AddField(
            model_name='dailycounter',
            name='settled_e_result',
            field=models.IntegerField(default=0, verbose_name='đã giải quyết, có kết quả điện tử'),
        ),
        migrations.AddField(
            model_name='dailycounter',
            name='settled_reused',
            field=models.IntegerField(default=0, verbose_name='đã giải quyết, có thành phần tái sử dụng dữ liệu số hóa'),
        ),
        migrations.AddField(
            model_name='monthlycounter',
            name='settled_digitised',
            field=models.IntegerField(default=0, verbose_name='đã giải quyết, có thành phần hồ sơ được số hóa'),
        ),
        migrations.AddField(
            model_name='monthlycounter',
            name='settled_e_result',
            field=models.IntegerField(default=0, verbose_name='đã giải quyết, có kết quả điện tử'),
        ),
        migrations.AddField(
            model_name='monthlycounter',
            name='settled_reused',
            field=models.IntegerField(default=0, verbose_name='đã giải quyết, có thành phần tái sử dụng dữ liệu số hóa'),
        ),
        migrations.RunPython(add_sync_share, remove_sync_share),
    ]
