"""Integer limits in the API are PostgreSQL's on every backend, and a model's own limit stays."""

from django.core.validators import MaxValueValidator
from django.db import models

from motcua.serializers import ModelSerializer


class _Sample(models.Model):
    small = models.PositiveSmallIntegerField()
    share = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    plain = models.IntegerField()

    class Meta:
        app_label = "dossiers"
        managed = False

    def __str__(self) -> str:
        return str(self.pk)


class _SampleSerializer(ModelSerializer):
    class Meta:
        model = _Sample
        fields = ["small", "share", "plain"]


def test_limits_do_not_depend_on_the_database_backend():
    fields = _SampleSerializer().fields
    assert fields["small"].max_value == 32767
    assert fields["small"].min_value == 0
    assert fields["plain"].max_value == 2147483647
    assert fields["plain"].min_value == -2147483648


def test_a_limit_set_by_the_model_is_kept():
    serializer = _SampleSerializer(data={"small": 40000, "share": 101, "plain": 1})
    assert not serializer.is_valid()
    assert set(serializer.errors) == {"small", "share"}
