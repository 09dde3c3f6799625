"""The tables that count tries in a time window share their columns through one abstract base
(motcua/window_counts.py `WindowTry`), which the one counting function serves."""

from django.apps import apps

from motcua.window_counts import WindowTry

COUNTED = ("dossiers.LookupFailure", "results.VerificationTry", "accounts.CodeSendTry",
           "feedback.LookupFailure", "feedback.SendRecord")


def test_every_counted_try_is_a_window_try_with_its_columns():
    for label in COUNTED:
        model = apps.get_model(label)
        assert issubclass(model, WindowTry), label
        columns = {f.name: f for f in model._meta.local_concrete_fields}
        assert {"scope", "key", "at"} <= set(columns), label
        assert columns["scope"].max_length == 10
        # Each keeps its own scopes and its (scope, key, at) index.
        assert columns["scope"].choices, label
        assert any(index.fields == ["scope", "key", "at"] for index in model._meta.indexes)


def test_no_other_model_counts_tries_with_columns_of_its_own():
    """A new table of tries takes the base rather than copying its columns again."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if {"scope", "key", "at"} <= names:
            assert issubclass(model, WindowTry), model._meta.label
