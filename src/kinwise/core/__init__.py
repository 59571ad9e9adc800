"""Tenancy (organisations, services, staff memberships), access scoping and record history."""
