"""Every page of the demo asks nothing of another host, and fits a 390-px-wide phone.

One test per check walks every page: the service's lists, oversight and reports, every
person page and form of the accessibility test, and forms showing their errors. Each
first shows that its check can fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations, base_url, sign_in_as
from tests.browser.test_accessibility import (  # noqa: F401 (fixtures)
    EXAMPLE_1,
    EXAMPLE_2,
    EXAMPLE_3,
    PERSON_PAGES,
    _service_for,
    fixed_today,
    manager,
)
from tests.web.conftest import import_example, record_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Forms submitted empty, to be measured with their errors shown: every form that adds a
# record, and the withdrawal and hand-over forms (the edit forms come filled in).
ERROR_FORMS = [
    (example, path)
    for example, path in PERSON_PAGES
    if path.startswith("add/") or path.endswith(("/withdraw/", "/handover/", "/end/"))
]

# The elements wider than the viewport, or reaching past its right edge, and how wide the
# page scrolls: element names and classes only (no page text, so no personal data in a
# failure message).
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  // Inside a box that hides its overflow (the NHS.UK visually-hidden pattern): not drawn.
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if ((style.overflowX === 'hidden' || style.overflowX === 'clip')
          && up.getBoundingClientRect().right <= width + 0.5) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width > width + 0.5 || box.right > width + 0.5) {
      if (clipped(el)) continue;
      const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      wide.push(name + ' ' + Math.round(box.width) + 'px');
    }
  }
  return {scroll: document.scrollingElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


@pytest.fixture
def demo(manager: dict[str, Any], live_server: Any) -> dict[str, Any]:  # noqa: F811
    """The three examples imported (Sam and Daniel at Riverside, Aisha at Oakfield)."""
    people = {
        example: import_example(example, manager[_service_for(example)])
        for example in (EXAMPLE_1, EXAMPLE_2, EXAMPLE_3)
    }
    return {"people": people, "services": manager, "url": base_url(live_server)}


def every_page(page: Any, demo: dict[str, Any]) -> list[str]:
    """The paths of every page of the demo, as a registered manager of both services sees
    them: the service pages first, then every person page and form."""
    paths = ["/accounts/login/", "/?choose=1"]
    for service in demo["services"].values():
        pk = service.pk
        paths += [
            f"/services/{pk}/",
            f"/governance/services/{pk}/worklist/",
            f"/governance/services/{pk}/audit/",
            f"/governance/services/{pk}/trends/",
            f"/governance/services/{pk}/supervision/",
            f"/governance/services/{pk}/staff-directory/",
            f"/services/{pk}/report/",
            f"/services/{pk}/inspection/",
        ]
    # One member of staff's supervision page, reached from the supervision list.
    riverside = demo["services"]["riverside"].pk
    page.goto(f"{demo['url']}/governance/services/{riverside}/supervision/")
    staff = page.locator("a[href*='/supervision/staff/']")
    if staff.count():
        paths.append(
            urlsplit(staff.first.get_attribute("href")).path
            + "?"
            + urlsplit(staff.first.get_attribute("href")).query
        )
    # One member of staff's page in the staff directory (its form and history).
    page.goto(f"{demo['url']}/governance/services/{riverside}/staff-directory/")
    member = page.locator("tbody a[href*='/staff-directory/']")
    if member.count():
        paths.append(urlsplit(member.first.get_attribute("href")).path)
    for person in demo["people"].values():
        paths += [f"/people/{person.pk}/evidence/", f"/people/{person.pk}/easy-read/"]
    for example, path in PERSON_PAGES:
        person = demo["people"][example]
        paths.append(f"/people/{person.pk}/{record_path(path, person)}")
    return paths


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(30_000)  # the inspection page is slow on a busy machine
    tab = context.new_page()
    yield tab
    context.close()


def other_hosts(page: Any, own: str) -> list[str]:
    """Start recording the requests the page makes to any other host; the list fills as
    pages load."""
    origin = urlsplit(own)
    seen: list[str] = []

    def record(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            seen.append(f"{parts.scheme}://{parts.netloc}")

    page.on("request", record)
    return seen


def test_a_request_to_another_host_is_seen(page: Any, live_server: Any) -> None:
    seen = other_hosts(page, base_url(live_server))
    page.set_content(
        '<html lang="en"><title>t</title>'
        '<link rel="stylesheet" href="https://fonts.example.org/font.css"></html>'
    )
    assert seen == ["https://fonts.example.org"]


def test_no_page_asks_another_host(page: Any, demo: dict[str, Any]) -> None:
    """Every page of the demo, with its stylesheets, scripts, images, icons and fonts,
    comes from the server's own origin (the conftest also aborts anything else)."""
    url = demo["url"]
    sign_in_as(page, url, "ruth")
    paths = every_page(page, demo)
    seen = other_hosts(page, url)
    loaded: list[str] = []
    for path in paths:
        response = page.goto(f"{url}{path}")
        assert response.status == 200, path
        page.evaluate("() => document.fonts.ready.then(() => true)")
        loaded.append(path)
        assert seen == [], path
    # The pages had their styles: the NHS.UK frontend's, in the system font stack.
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert family.startswith("system-ui")
    assert "Frutiger" not in family
    assert len(loaded) == len(paths) > 50


def test_the_width_check_can_fail(phone: Any, live_server: Any) -> None:
    phone.set_content(
        '<html lang="en"><title>t</title><body style="margin:0">'
        '<div class="wide" style="width:500px">x</div></body></html>'
    )
    found = phone.evaluate(MEASURE)
    assert found["width"] == 390
    assert found["scroll"] == 500
    assert found["wide"] == ["div.wide 500px"]


def _measure(phone: Any, path: str) -> str:
    found = phone.evaluate(MEASURE)
    if found["scroll"] <= found["width"] and not found["wide"]:
        return ""
    return f"{path}: scrolls to {found['scroll']}px; {', '.join(found['wide'])}"


def test_every_page_fits_a_phone(phone: Any, demo: dict[str, Any]) -> None:
    """At 390 x 844 no page scrolls sideways and no element is wider than the screen;
    axe-core finds no violation in the stacked layout either."""
    url = demo["url"]
    sign_in_as(phone, url, "ruth")
    too_wide = []
    paths = every_page(phone, demo)
    for path in paths:
        response = phone.goto(f"{url}{path}")
        assert response.status == 200, path
        too_wide.append(_measure(phone, path))
        violations = axe_violations(phone)
        if violations:
            too_wide.append(f"{path}: axe: {'; '.join(violations)}")
    failures = [line for line in too_wide if line]
    assert failures == [], "\n".join(failures)


def test_forms_with_errors_fit_a_phone(phone: Any, demo: dict[str, Any]) -> None:
    url = demo["url"]
    sign_in_as(phone, url, "ruth")
    too_wide = []
    assert len(ERROR_FORMS) >= 15
    for example, path in ERROR_FORMS:
        person = demo["people"][example]
        phone.goto(f"{url}/people/{person.pk}/{record_path(path, person)}")
        phone.click("button[name=save], form button.nhsuk-button:not([name])")
        phone.wait_for_load_state()
        assert phone.locator(".nhsuk-error-summary").count() == 1, path
        too_wide.append(_measure(phone, path))
        violations = axe_violations(phone)
        if violations:
            too_wide.append(f"{path}: axe: {'; '.join(violations)}")
    failures = [line for line in too_wide if line]
    assert failures == [], "\n".join(failures)


# For each label of the voice balance: is it at least as wide as its longest word? (A
# label narrower than a word breaks it letter by letter.)
LABELS_HOLD_THEIR_WORDS = """() => [...document.querySelectorAll('#voice-balance dt')].map((dt) => {
  const probe = document.createElement('span');
  probe.style.whiteSpace = 'nowrap';
  dt.appendChild(probe);
  let widest = 0;
  for (const word of dt.firstChild.textContent.trim().split(/\\s+/)) {
    probe.textContent = word;
    widest = Math.max(widest, probe.getBoundingClientRect().width);
  }
  probe.remove();
  const style = getComputedStyle(dt);
  const inner = dt.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return widest <= inner + 0.5;
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_voice_balance_breaks_its_labels_between_words(
    browser: Any, demo: dict[str, Any], width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    try:
        sign_in_as(tab, demo["url"], "ruth")
        tab.goto(f"{demo['url']}/people/{demo['people'][EXAMPLE_2].pk}/add/meeting/")
        held = tab.evaluate(LABELS_HOLD_THEIR_WORDS)
        assert len(held) == 5
        assert all(held)
    finally:
        context.close()


def test_a_stacked_table_is_still_a_table(phone: Any, demo: dict[str, Any]) -> None:
    """At 390 px the history's rows are stacked blocks, each value under its column's
    label, and the accessibility tree still has the table with its headers and cells."""
    url = demo["url"]
    sign_in_as(phone, url, "ruth")
    phone.goto(f"{url}/people/{demo['people'][EXAMPLE_1].pk}/history/")
    table = phone.locator("table.kw-table-stack")
    first = table.locator("tbody tr").first.locator("td").first
    assert phone.evaluate("(td) => getComputedStyle(td).display", first.element_handle()) == (
        "block"
    )
    assert phone.evaluate(
        "(td) => getComputedStyle(td, '::before').content", first.element_handle()
    ).startswith('"When"')
    # Chromium's own accessibility tree (not the markup): one table, a header row and a
    # row of five cells for each change, the headers named as the columns.
    rows = table.locator("tbody tr").count()
    assert rows > 1
    cdp = phone.context.new_cdp_session(phone)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    roles = [n.get("role", {}).get("value") for n in nodes if not n.get("ignored")]
    headers = [
        n["name"]["value"]
        for n in nodes
        if n.get("role", {}).get("value") == "columnheader" and not n.get("ignored")
    ]
    assert roles.count("table") == 1
    assert roles.count("row") == rows + 1
    assert roles.count("cell") == rows * 5
    assert headers == ["When", "Record", "Change", "Who", "How"]
    # Wider than a phone, the same table is drawn as a table.
    phone.set_viewport_size({"width": 1024, "height": 844})
    assert phone.evaluate("(td) => getComputedStyle(td).display", first.element_handle()) == (
        "table-cell"
    )


def test_long_words_wrap_on_a_phone(phone: Any, demo: dict[str, Any]) -> None:
    """A word longer than the screen (an email address, a pasted link) in a paragraph,
    a heading and a stacked table's cell wraps instead of widening the page."""
    url = demo["url"]
    sign_in_as(phone, url, "ruth")
    phone.goto(f"{url}/people/{demo['people'][EXAMPLE_1].pk}/history/")
    assert _measure(phone, "history") == ""
    phone.evaluate(
        """() => {
          const word = 'a'.repeat(120) + '@example.org';
          const main = document.querySelector('main');
          main.insertAdjacentHTML('afterbegin', '<h2>' + word + '</h2><p>' + word + '</p>');
          document.querySelector('table.kw-table-stack td').textContent = word;
        }"""
    )
    assert _measure(phone, "history") == ""
