from reform.models.par import *  # noqa: F401,F403
from reform.models.sipas import *  # noqa: F401,F403
