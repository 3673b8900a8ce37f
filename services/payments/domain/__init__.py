"""Payments domain rules: plain Python, no framework imports."""
