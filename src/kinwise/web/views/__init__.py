"""Views of the staff web application: thin, each reading through selectors and writing
through services."""
