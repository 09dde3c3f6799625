"""The project-wide tests use the dossier tests' small organisation and procedure."""

from dossiers.tests.conftest import client_for, make_dossier, org  # noqa: F401
