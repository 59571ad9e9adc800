"""Governance: audit runs (and later the review worklist and supervision prompts)."""
