"""Issue #17: the demo (one published password for every account) never lands in production."""

import pytest
from django.core.management import CommandError, call_command


def test_load_demo_is_refused_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("load_demo")


def test_load_demo_runs_with_debug(db, settings, monkeypatch):
    settings.DEBUG = True
    calls = []
    monkeypatch.setattr("accounts.management.commands.load_demo.load_demo",
                        lambda: calls.append(1) or {"units": 1, "staff": 2, "procedures": 3,
                                                    "dossiers": 4})
    call_command("load_demo")
    assert calls == [1]
