"""Members persistence."""
