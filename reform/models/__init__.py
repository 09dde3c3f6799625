"""The models of reform, one module per thing they hold; each module is imported here once."""

from reform.models.directives import *  # noqa: F403
from reform.models.par import *  # noqa: F401,F403
from reform.models.plans import *  # noqa: F403
from reform.models.sipas import *  # noqa: F401,F403
