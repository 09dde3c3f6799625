"""Admin of reform: each module registers its own models."""

from reform import admin_plans  # noqa: F401
