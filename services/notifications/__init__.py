"""The notifications service: the emails members, reviewers and staff expect."""
