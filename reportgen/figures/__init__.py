"""Derived figures: formulas on Decimal, their printing, and scoring."""
