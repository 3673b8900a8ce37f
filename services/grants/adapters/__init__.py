"""Grants persistence."""
