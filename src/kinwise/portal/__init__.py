"""The family and person portal: thin views over :mod:`kinwise.access.portal` (what may
be seen, decided on every request) and :mod:`kinwise.readings.portal` (in words), and
the staff pages that invite, suspend and confirm (docs/portal.md)."""
