"""The error every service raises when a business rule says no."""

from typing import Any

from django.utils.translation import get_language


class DomainError(Exception):
    """A rule of the domain refused the operation; the message is shown to the person as is."""

    http_status = 400

    def __init__(self, code: str, message: str, message_en: str = "", *,
                 fields: dict[str, Any] | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en or message
        self.fields = fields or {}
        if http_status is not None:
            self.http_status = http_status

    @property
    def localized_message(self) -> str:
        """The message in the language of the current request, for web pages.

        `message` stays Vietnamese because the API sends both texts side by side; a page shows
        one, so it picks English when the visitor chose English with the language switcher.
        """
        language = get_language() or ""
        return self.message_en if language.startswith("en") else self.message


class NotAllowed(DomainError):
    """The actor may not do this to this dossier now (wrong role, unit, or state)."""

    http_status = 409
