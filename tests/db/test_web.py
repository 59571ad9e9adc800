"""The front door: a login, then the people of the services the member of staff works with."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kinwise.records.services.demo import DEMO_PASSWORD, demo_load


@pytest.fixture
def demo(db: None) -> None:
    demo_load()


@pytest.mark.django_db
def test_the_start_page_needs_a_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


@pytest.mark.django_db
def test_the_login_page_is_labelled(client: Client) -> None:
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en' in html
    assert re.search(r'<label[^>]*for="id_username"[^>]*>Username</label>', html)
    assert re.search(r'<label[^>]*for="id_password"[^>]*>Password</label>', html)


@pytest.mark.django_db
def test_a_wrong_password_does_not_log_in(client: Client, demo: None) -> None:
    response = client.post("/accounts/login/", {"username": "manager", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_support_worker_logs_in_and_sees_the_people_of_her_service(
    client: Client, demo: None
) -> None:
    response = client.post(
        "/accounts/login/", {"username": "priya", "password": DEMO_PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam Okafor" in html
    assert "Daniel Hughes" in html
    assert "Aisha Rahman" not in html


@pytest.mark.django_db
def test_the_manager_logs_in_and_reaches_both_services(client: Client, demo: None) -> None:
    response = client.post(
        "/accounts/login/", {"username": "manager", "password": DEMO_PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Supported Living" in html
    assert "Oakfield Community Support" in html
