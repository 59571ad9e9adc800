"""The access log: an append-only, hash-chained record of every read and every refusal
decided by :mod:`kinwise.access` (docs/access.md, docs/adr/0090).

``models`` holds the entries and each chain's head, ``guard`` the triggers that make the
database refuse UPDATE and DELETE of entries, ``log`` the appending and the checking,
``middleware`` where each page's decisions come from. Placed below ``access`` (which
writes to it) and above ``records``.
"""
