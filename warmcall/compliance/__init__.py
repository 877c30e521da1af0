"""Compliance: the checks every path asks before calling a person (SPEC §7)."""
