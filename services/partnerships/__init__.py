"""The partnerships service."""
