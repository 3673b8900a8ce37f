"""Partnerships persistence."""
