"""Measuring search on queries nobody tuned for (docs/search.md, "Evaluation set")."""
