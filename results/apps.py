from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Kết quả điện tử và kho dữ liệu")

    def ready(self) -> None:
        # Each worker caches the signature blocks an approval prints under the reference version
        # (results/signature_blocks.py): a block's save or delete moves it, as a catalogue row's
        # does (dossiers/reference.py).
        from django.db.models.signals import post_delete, post_save

        from dossiers.reference import reference_changed
        from results.models import SignatureBlock

        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(reference_changed, sender=SignatureBlock,
                           dispatch_uid=f"results.signature_blocks.{name}")
