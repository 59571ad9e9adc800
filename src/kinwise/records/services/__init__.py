"""Writes of case-file records. Each is atomic and writes its history in the same transaction."""

from kinwise.records.services.casefiles import ImportResult, casefile_import

__all__ = ["ImportResult", "casefile_import"]
