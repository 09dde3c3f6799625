"""Files already sent with a form that was refused for another field, kept for the next try.

A browser never fills a file input again: a form refused for a wrong phone number came back
with every typed value but without the files, and the sender had to find and choose them again
(the PAKN form said so under its file box). Now the files of a refused form are kept on the
server, each under a random reference bound to the sender's session, and the page lists them
with a ticked box carrying that reference (`motcua/_held_files.html`): sent again ticked, the
file is part of the new try as if chosen again; unticked, it is dropped. Nobody else can name a
kept file: the reference counts only in the session that kept it.

A kept file is only held, never accepted: the form's own checks (type by content, size, count)
read it again with the new try. Files kept longer than `HOLD_HOURS` are deleted the next time
anything is kept, and those used by a successful try at once.
"""

import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import mark_safe

SESSION_KEY = "motcua_held_files"
HOLD_HOURS = 24
# Kept at most per session: a form takes at most 20 files, a session rarely more than one form.
MAX_HELD = 40


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "held"


def _field_key(field: str) -> str:
    return f"held_{field}"


def _entries(request: HttpRequest) -> dict[str, dict]:
    return request.session.get(SESSION_KEY, {})


def held_uploads(request: HttpRequest, field: str) -> list[UploadedFile]:
    """The files of `field`: those chosen now, then those kept from a refused try whose box
    was sent ticked (`held_<field>`), in the order they were first sent."""
    chosen = list(request.FILES.getlist(field)) if request.method == "POST" else []
    entries = _entries(request)
    kept: list[UploadedFile] = []
    for token in request.POST.getlist(_field_key(field)) if request.method == "POST" else []:
        entry = entries.get(token)
        if entry is None or entry["field"] != field:
            continue  # not this session's, or another field's: nothing is read
        path = _folder() / token
        try:
            data = path.read_bytes()
        except OSError:
            continue
        kept.append(SimpleUploadedFile(entry["name"], data, entry["content_type"]))
    return kept + chosen


def held_keep(request: HttpRequest, field: str, files: list[UploadedFile],
              check: Callable[[str, bytes], object] | None = None) -> list[dict]:
    """Keep `files` (the form was refused) and return what the page lists for `field`:
    the name, size and reference of each. A file `check(name, data)` refuses (it raises) was
    itself what was wrong: it is not kept, so the next try does not meet it again."""
    _prune()
    entries = dict(_entries(request))
    shown = []
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    largest = settings.MOTCUA_UPLOAD_MAX_FILE_MB * 1024 * 1024
    for upload in files:
        if len(entries) >= MAX_HELD:
            break
        if upload.size is None or upload.size > largest:
            continue  # refused for its size whatever else changes: its message says so
        upload.seek(0)
        data = upload.read()
        if check is not None:
            try:
                check(upload.name, data)
            except Exception:  # noqa: BLE001 - whatever the check refuses is not kept
                continue
        token = secrets.token_hex(16)
        (folder / token).write_bytes(data)
        entry = {"field": field, "name": upload.name, "size": len(data),
                 "content_type": getattr(upload, "content_type", "") or
                 "application/octet-stream", "at": time.time()}
        entries[token] = entry
        shown.append({"token": token, "name": entry["name"], "size": entry["size"],
                      "input": _field_key(field)})
    # Those of this field that were not sent again are dropped from the session (and disk).
    for token, entry in list(entries.items()):
        if entry["field"] == field and token not in {s["token"] for s in shown}:
            _drop(entries, token)
    request.session[SESSION_KEY] = entries
    return shown


def held_release(request: HttpRequest, field: str) -> None:
    """The try succeeded: the files kept for `field` are deleted."""
    entries = dict(_entries(request))
    if not entries:
        return
    for token, entry in list(entries.items()):
        if entry["field"] == field:
            _drop(entries, token)
    request.session[SESSION_KEY] = entries


def _drop(entries: dict, token: str) -> None:
    entries.pop(token, None)
    (_folder() / token).unlink(missing_ok=True)


def _prune() -> None:
    """Files kept by anyone longer than HOLD_HOURS (their sender went away)."""
    folder = _folder()
    if not folder.is_dir():
        return
    limit = time.time() - HOLD_HOURS * 3600
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


class HeldFileInput(forms.FileInput):
    """A file input followed by the files kept for it (`held_form_keep` sets `held`)."""

    held: list[dict] = []

    def render(self, name, value, attrs=None, renderer=None):
        listed = render_to_string("motcua/_held_files.html", {"held": self.held})
        return mark_safe(super().render(name, value, attrs, renderer) + listed)  # noqa: S308


def held_form_files(request: HttpRequest, *fields: str) -> MultiValueDict | None:
    """The files a Django form is bound to: for each single-file field of `fields`, the file
    chosen now, else the one kept from a refused try and sent ticked."""
    if request.method != "POST":
        return None
    files = request.FILES.copy()
    for field in fields:
        found = held_uploads(request, field)
        if found:
            files.setlist(field, [found[-1]])
    return files


def held_form_keep(request: HttpRequest, form: forms.Form, *fields: str) -> None:
    """The form was refused: keep the file of each of `fields` unless the file itself was
    what was wrong, and list it under its input."""
    for field in fields:
        upload = form.files.get(field)
        wrong = field in form.errors
        form.fields[field].widget = HeldFileInput()
        form.fields[field].widget.held = held_keep(
            request, field, [upload] if upload is not None and not wrong else [])
