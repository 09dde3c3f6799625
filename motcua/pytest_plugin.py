"""Loaded by pytest before Django's settings (`-p motcua.pytest_plugin` in pyproject.toml).

The settings default to production (DJANGO_DEBUG off), which refuses the published demo secrets
and has no simulators configured. The test suite runs against the demo's configuration, as
`make run` does; tests of the production settings start their own process with its own
environment (motcua/tests/test_production.py). Subprocesses the tests start (simulators,
gunicorn) inherit the variable.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
