"""Validation: the file against the models, then the arithmetic and plausibility rules."""
