"""Admin of reform: each module registers its own models."""

from reform import admin_plans  # noqa: F401
from reform.par import admin as par_admin  # noqa: F401
from reform.sipas import admin as sipas_admin  # noqa: F401
