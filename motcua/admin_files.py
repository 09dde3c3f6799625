"""Links to stored files in the Django admin: the site's download routes, never /media/….

Django's admin links a file by its storage URL (MEDIA_URL + name), which the site does not serve:
papers of dossiers live under MEDIA_ROOT, so serving it as such would hand them to anyone who
guesses a name. Every file is handed out by its own app's view instead, under that view's rule
and log (motcua.downloads.file_attachment, download_protect): a form template by the catalogue's
public route, a stored paper by the data store's (stored_visible, logged as a read of its owner),
a result draft by the drafting page's (the dossier's staff, logged), a directive by reform's.

An admin (or inline) class lists its model's file fields in `download_urls` with the route of
each; an editable field shows the link in its widget, a read-only one (declared so, or shown
to someone who may only view) as a link under the name `<field>_download`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html

LINK_SUFFIX = "_download"

UrlFor = Callable[[models.Model], str]


class _Linked:
    """What the file widget's template reads of its value: the name and the link."""

    def __init__(self, file: Any, url: str) -> None:
        self.file, self.url = file, url

    def __str__(self) -> str:
        return str(self.file)


class DownloadRouteWidget(AdminFileWidget):
    """The admin's file input, its "Currently:" link going to `url_for(instance)`."""

    def __init__(self, url_for: UrlFor, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.url_for = url_for

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        if self.is_initial(value) and instance is not None and instance.pk is not None:
            context["widget"]["value"] = _Linked(value, self.url_for(instance))
        return context


def file_link(file: Any, url: str) -> str:
    """A read-only file shown as a link to its download route; "-" when there is none."""
    if not file:
        return "-"
    return format_html('<a href="{}">{}</a>', url, file)


class DownloadLinksAdmin:
    """A mixin for a ModelAdmin or an inline: its model's file fields linked to their routes.

    `download_urls` maps each file field's name to a function giving an object's download URL.
    """

    download_urls: dict[str, UrlFor] = {}

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest,
                              **kwargs: Any) -> Any:
        if isinstance(db_field, models.FileField) and db_field.name in self.download_urls:
            kwargs["widget"] = DownloadRouteWidget(self.download_urls[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _linked(self, name: str) -> str:
        return f"{name}{LINK_SUFFIX}" if name in self.download_urls else name

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [self._linked(n) for n in super().get_readonly_fields(request, obj)]
        if not self.has_change_permission(request, obj):
            # Shown to someone who may only view: the links are read-only fields, kept out of
            # the form (an inline's form would otherwise be asked for a field its model lacks).
            names += [link for link in map(self._linked, self.download_urls)
                      if link not in names]
        return names

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = set(self.get_readonly_fields(request, obj))
        # Someone who may only view sees every field read-only: the file too, as a link.
        view_only = not self.has_change_permission(request, obj)
        shown: list[str] = []
        for name in super().get_fields(request, obj):
            if name in self.download_urls and (view_only or self._linked(name) in readonly):
                name = self._linked(name)
            if name not in shown:
                shown.append(name)
        return shown

    def __getattr__(self, name: str) -> Any:
        # The read-only display of `<field>_download`, looked up by the admin by name.
        field = name[:-len(LINK_SUFFIX)] if name.endswith(LINK_SUFFIX) else ""
        urls = type(self).download_urls
        if field not in urls:
            raise AttributeError(name)

        def show(obj: models.Model) -> str:
            return file_link(getattr(obj, field), urls[field](obj))

        show.short_description = self.model._meta.get_field(field).verbose_name
        return show
