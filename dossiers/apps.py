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
