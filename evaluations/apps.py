from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("Đánh giá mức độ hài lòng")

    def ready(self) -> None:
        # The log-in of an evaluation screen's account marks its session (middleware.py).
        from evaluations import middleware  # noqa: F401
