"""The yearly CCHC plan, directive documents, the PAR Index and the SIPAS survey."""
