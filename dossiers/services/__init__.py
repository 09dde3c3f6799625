"""Everything that writes a dossier. Views, the API and commands call these and nothing else."""

from dossiers.services.intake import dossier_create
from dossiers.services.planning import dossier_recompute_due, dossiers_recompute_open
from dossiers.services.transitions import dossier_act

__all__ = ["dossier_act", "dossier_create", "dossier_recompute_due", "dossiers_recompute_open"]
