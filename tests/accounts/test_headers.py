"""Every response carries the Content-Security-Policy (no inline script), refuses
framing and sends the referrer only to Kinwise; what a signed-in user is sent (pages,
PDFs, CSV, charts) is never stored by a cache; static files keep their caching."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.signin import signed_in_client
from tests.web.conftest import import_example

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-2Iqu4MW0P4n79bqVmTDfLWhO8TS7MxwRJn7HVNDr7EQ='; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def directives(response: Any) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part for part in (p.strip() for p in policy.split(";"))}


def assert_protected(response: Any) -> None:
    found = directives(response)
    assert found["script-src"] == "script-src 'self'"
    assert (
        "unsafe-inline" not in found["script-src"]
        and "unsafe-eval" not in response["Content-Security-Policy"]
    )
    assert found["frame-ancestors"] == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


@pytest.fixture
def leader(staff: dict[str, Any]) -> Client:
    return signed_in_client(staff["leader"])


@pytest.fixture
def sam(staff: dict[str, Any]) -> Any:
    return import_example("01-risk-and-independence.yaml", staff["riverside"])


def test_the_policy_in_full(staff: dict[str, Any], leader: Client) -> None:
    response = leader.get(f"/services/{staff['riverside'].pk}/")
    assert response.status_code == 200
    found = sorted(part.strip() for part in response["Content-Security-Policy"].split(";"))
    assert found == sorted(part.strip() for part in POLICY.split(";"))


def test_a_page(staff: dict[str, Any], leader: Client, sam: Any) -> None:
    response = leader.get(f"/people/{sam.pk}/")
    assert response.status_code == 200
    assert_protected(response)


def test_a_pdf(staff: dict[str, Any], leader: Client, sam: Any) -> None:
    response = leader.get(f"/people/{sam.pk}/evidence.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_protected(response)


def test_a_csv(staff: dict[str, Any], leader: Client, sam: Any) -> None:
    response = leader.get(f"/services/{staff['riverside'].pk}/report.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert_protected(response)


def test_a_chart(staff: dict[str, Any], leader: Client, sam: Any) -> None:
    response = leader.get(f"/people/{sam.pk}/risk/trials/gt1/chart.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert_protected(response)


def test_a_refusal_to_a_signed_in_user_is_not_stored_either(leader: Client) -> None:
    response = leader.get("/people/999999/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_the_sign_in_page_is_protected_and_not_cached(db: None) -> None:
    response = Client().get("/accounts/login/")
    found = directives(response)
    assert found["script-src"] == "script-src 'self'"
    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_caching(db: None, leader: Client) -> None:
    response = leader.get("/static/web/kinwise.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    """Every script is a static file: no <script> with a body, no on...= attribute, no
    javascript: address in any template served to a browser (print templates feed the
    PDF renderer only)."""
    import re
    from pathlib import Path

    import kinwise

    root = Path(kinwise.__file__).resolve().parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        if "/print/" in template.as_posix():
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template.name}: inline script")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: event handler attribute")
        if "javascript:" in text:
            offenders.append(f"{template.name}: javascript: address")
    assert offenders == []
