from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ thủ tục hành chính")

    def ready(self) -> None:
        # Every image Pillow opens in this process (uploads, scans embedded in PDFs) is refused
        # past the upload limit before it is decoded, not only the ones dossiers/uploads.py checks.
        from PIL import Image

        from dossiers.uploads import max_pixels

        Image.MAX_IMAGE_PIXELS = max_pixels()

        # The per-worker cache of filing's reference data is told of every change of it.
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Unit
        from catalog.models import Fee, Field, Procedure, RequiredDocument, Step, TimeLimit, Variant
        from dossiers.reference import reference_changed

        for model in (Procedure, Field, Variant, RequiredDocument, TimeLimit, Fee, Step, Unit):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(reference_changed, sender=model,
                               dispatch_uid=f"dossiers.reference.{model.__name__}.{name}")
