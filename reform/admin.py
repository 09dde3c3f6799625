from reform.par import admin as par_admin  # noqa: F401
from reform.sipas import admin as sipas_admin  # noqa: F401
