"""Data protection duties: the subject-access export of everything held about a person,
the retention policy that erases a person's records years after their support ended,
and backups of the database (docs/security.md, docs/adr/0110).

Placed above ``reports`` (its PDF is drawn as the reports' are) and below the queue,
whose weekly job applies the retention policy, and the pages and commands.
"""
