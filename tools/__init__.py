"""Developer tools: running the whole platform locally."""
