"""The live test server answers one request at a time when it shares the test's SQLite.

On SQLite the test database is in memory, and Django's live server threads share the
test's one connection to it. Two requests at once (a meeting's HTMX balance panel and
the form's own post, say) would then run their transactions interleaved on that one
connection: one's writes inside the other's transaction, an access-log entry numbered
twice. A real server gives each thread its own connection, and SQLite's write lock
orders them. So, only while the connection is shared, each request is served whole
(its response read to the end) holding one lock. With PostgreSQL nothing is shared and
nothing changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OneRequestAtATimeServer(ThreadedWSGIServer):
    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, connections_override=connections_override, **kwargs)
        self._one_at_a_time = threading.Lock()

    def set_app(self, application: App) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        lock = self._one_at_a_time

        def served_whole(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()

        super().set_app(served_whole)
