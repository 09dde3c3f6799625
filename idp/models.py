"""A citizen as the national population database knows them (the simulator keeps a few)."""

from django.conf import settings
from django.db import models


class Citizen(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="citizen")
    personal_id = models.CharField("số định danh cá nhân", max_length=12, unique=True)
    full_name = models.CharField("họ và tên", max_length=150)
    birth_date = models.DateField("ngày sinh")
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id})"
