"""Readings: what a person's case file, its facts and its audit say, arranged for people to
read (who decides and on what basis, reviews coming due, the balance of voices, trial
progress, what changed). Pure Python over the case file, no Django and no database: the
staff pages, the reports and governance all read them from here, so every screen says the
same thing. One small module per reading."""
