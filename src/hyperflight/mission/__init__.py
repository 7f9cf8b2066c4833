"""Missions: built-in sample flights (scenarios, phases and targeting come here)."""
