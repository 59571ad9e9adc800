"""What a member of staff typed into a form and has not saved: a draft kept while typing,
and a form posted after their session ended, kept for them to save after signing in
again (docs/web.md "Nothing typed is lost", ADR 0210)."""
