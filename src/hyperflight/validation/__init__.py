"""Validation against published references (NASA NESC check-cases, US 1976, analytic results)."""
