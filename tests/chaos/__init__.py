"""The chaos suite: a broker restart, killed services and poison messages."""
