"""The NHS.UK frontend's stylesheet as Kinwise serves it: built from the pinned package,
in the system font stack, naming nothing on another host."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def served(path: str) -> str:
    found = finders.find(path)
    assert isinstance(found, str), path
    return Path(found).read_text(encoding="utf-8-sig")


def test_the_stylesheet_declares_no_font_and_names_no_other_host() -> None:
    css = served("web/nhsuk-frontend.min.css")
    assert "@font-face" not in css
    assert "Frutiger" not in css
    assert "assets.nhs.uk" not in css
    assert re.findall(r"url\(([^)]*)\)", css) and all(
        u.strip("\"'").startswith("/assets/images/") for u in re.findall(r"url\(([^)]*)\)", css)
    )
    assert 'html{font-family:system-ui,-apple-system,"Segoe UI",Roboto' in css


def test_the_stylesheet_is_built_from_the_pinned_package() -> None:
    """Changing the nhsuk-frontend version in package.json without `make css` fails here."""
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["nhsuk-frontend"]
    installed = json.loads((ROOT / "node_modules" / "nhsuk-frontend" / "package.json").read_text())[
        "version"
    ]
    built = re.search(r'--nhsuk-frontend-version: "([^"]+)"', served("web/nhsuk-frontend.min.css"))
    assert built is not None
    assert built.group(1) == pinned == installed


@pytest.mark.django_db
def test_pages_link_only_their_own_origin(client: Client, settings: Any) -> None:
    """Every stylesheet, script and icon of a page is a path on this server."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    html = client.get("/accounts/login/").content.decode()
    links = re.findall(r'(?:href|src)="([^"]*)"', html) + re.findall(r'import [^"]*"([^"]+)"', html)
    assert "/static/web/nhsuk-frontend.min.css" in links
    assert "/static/web/favicon.svg" in links
    assert not [link for link in links if "//" in link]
