"""What changes feedback: filing an item, moving it through the transition table, the lookup's
limits and the national PAKN system's outbox. Views and the API call only these."""

from feedback.services.lookup import feedback_lookup_attempt
from feedback.services.submit import feedback_submit
from feedback.services.transitions import feedback_act

__all__ = ["feedback_act", "feedback_lookup_attempt", "feedback_submit"]
