"""Email notifications: staff's daily work items, managers' weekly summary, and who opts out."""
