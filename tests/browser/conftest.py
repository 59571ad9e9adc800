"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

One browser for the whole run; a fresh context (cookies) per test. Nothing leaves the
machine: requests to any other host are aborted. Without /usr/bin/chromium the tests are
skipped and the terminal summary says why.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.signin import code_for_key, code_from_secret, second_factor_given

# Playwright's synchronous API runs an event loop in this thread; the test's own database
# calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# KINWISE_CHROMIUM names another binary (or, to see the skip, a missing one).
CHROMIUM = Path(os.environ.get("KINWISE_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = f"browser tests skipped: {CHROMIUM} not found"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_skipped: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (skipped without it)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    marker = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(marker)
            _skipped.append(item.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped:
        terminalreporter.write_line(
            f"{SKIP_REASON} ({len(_skipped)} tests)", yellow=True, bold=True
        )


def base_url(live_server: Any) -> str:
    """The live server by IP address: Chromium spends seconds on a new context's first
    connection to "localhost"."""
    return str(live_server.url).replace("://localhost:", "://127.0.0.1:")


# One Playwright and one browser for the whole run, however many conftests import the
# fixtures (a second Playwright cannot start while the first runs).
_shared: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser() -> Any:
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    return _shared["browser"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if "browser" in _shared:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A tab in a fresh context. It bypasses the Content-Security-Policy only so that the
    test can add axe-core to the page; ``strict_page`` keeps the policy."""
    yield from _tab(browser, live_server, bypass_csp=True)


@pytest.fixture
def strict_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A tab whose pages are held to their Content-Security-Policy (no axe-core in it)."""
    yield from _tab(browser, live_server, bypass_csp=False)


def _tab(browser: Any, live_server: Any, *, bypass_csp: bool) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=bypass_csp)
    context.set_default_timeout(15_000)

    def local_only(route: Any) -> None:
        if route.request.url.startswith(live_server.url) or route.request.url.startswith(
            base_url(live_server)
        ):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in with the form; where the account owes its second factor, set up an
    authenticator app from the page (registered managers, quality leads) or enter the
    code of the one it has, each code computed as the app would."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    path = page.url.removeprefix(base_url).split("?")[0]
    if path == "/accounts/two-step/":
        page.fill("#id_code", code_from_secret(page.locator("#totp-secret").inner_text()))
        page.click("form button.nhsuk-button")
        page.wait_for_load_state()
    elif path == "/accounts/code/":
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        # a code is accepted once: after a sign-in within the same 30 seconds, wait for the
        # next code, as a person with the app would
        deadline = time.monotonic() + 2 * device.step
        while int((time.time() - device.t0) // device.step) <= device.last_t:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        page.fill("#id_code", code_for_key(device.key))
        page.click("form button.nhsuk-button")
        page.wait_for_load_state()


def sign_in_as(page: Any, base_url: str, username: str) -> None:
    """Sign in without the form (a session made by the test client): quicker, for tests
    that are not about signing in."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    second_factor_given(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, as 'rule: selectors' lines (no page
    text, so no personal data in a failure message)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        AXE_TAGS,
    )
    return list(result)
