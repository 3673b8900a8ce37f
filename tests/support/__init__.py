"""Test harness: a real broker vhost, real databases and real service processes."""
