"""Payments persistence."""
