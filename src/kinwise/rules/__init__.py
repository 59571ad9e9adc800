"""The co-production audit engine: pure Python, no Django.

Public API: :func:`kinwise.rules.facts.build_facts`, :func:`kinwise.rules.engine.audit_person`,
:func:`kinwise.rules.audit.audit_casefile`, :func:`kinwise.rules.audit.default_since`,
:class:`kinwise.rules.audit.PersonAudit`, :class:`kinwise.rules.engine.Finding`, and the
catalogue :data:`kinwise.rules.catalogue.RULES`.
"""
