"""The REST API under ``/api/v1/`` (docs/api.md, ADR 0180): thin, over the same record
services, selectors and access module as the pages. Authenticated by bearer tokens
(``kinwise.core.tokens``), each call decided by ``kinwise.access.tokens``."""
