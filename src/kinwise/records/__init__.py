"""The records of a person's case file, stored as rows; services write, selectors read."""
