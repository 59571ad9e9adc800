"""Stored people and their case-file records."""

from kinwise.records.models.people import Person
from kinwise.records.models.record import Record

__all__ = ["Person", "Record"]
