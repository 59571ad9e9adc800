"""Stored audits: each person's audit at a date, kept until their records change."""
