"""Staff web pages."""
