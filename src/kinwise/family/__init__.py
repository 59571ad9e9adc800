"""Family and person accounts: the logins of relatives and of the people supported, who
they are in each supported person's file (their circle membership, or the person
themselves), suspension, and what the person drafts for staff to confirm (docs/portal.md).

Placed above ``records`` (it links to people and writes their voice records through the
record services) and below ``access``, which computes their scope on every request.
"""
