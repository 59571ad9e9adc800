"""A real SMTP listener (aiosmtpd) on 127.0.0.1 and a service with staff and records."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from tests.browser.conftest import browser, page  # noqa: F401 - the browser tests' fixtures
from tests.governance.conftest import example_file


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (skipped without it)")


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return str(self.message.get_content()).replace("\r\n", "\n")


@dataclass
class Inbox:
    """What the listener received, in order."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.inbox.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """An SMTP server on a free port of 127.0.0.1, and Django's SMTP backend pointed at it."""
    inbox = Inbox("127.0.0.1", _free_port())
    controller = Controller(_Handler(inbox), hostname=inbox.host, port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = inbox.host
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "kinwise@care.example"
    try:
        yield inbox
    finally:
        controller.stop()


SITE = "https://kinwise.care.example"


@dataclass
class Riverside:
    service: Service
    other: Service
    tom: User
    priya: User
    ruth: User
    lena: User
    people: dict[str, Person]


@pytest.fixture
def riverside(db: None) -> Riverside:
    """The three "before" example files in Riverside; Tom its team leader, Priya a support
    worker (a staff member of the records, by id), Ruth the organisation's registered
    manager (a member of another service), Lena a support worker with no items."""
    organisation = Organisation.objects.create(slug="acme", name="Acme Care")
    service = Service.objects.create(
        organisation=organisation, external_id="riverside", name="Riverside Supported Living"
    )
    other = Service.objects.create(
        organisation=organisation, external_id="hillside", name="Hillside House"
    )

    def login(username: str, first: str, last: str, where: Service, role: StaffRole) -> User:
        user = User.objects.create_user(
            username=username,
            password="pw-for-tests-only",
            email=f"{username}@care.example",
            first_name=first,
            last_name=last,
        )
        StaffMembership.objects.create(user=user, service=where, role=role)
        return user

    people = {}
    for name in EXAMPLES:
        result = casefile_import(casefile=example_file(name), service=service, actor=None)
        person = Person.objects.get(pk=result.person_pk)
        people[person.external_id] = person
    return Riverside(
        service=service,
        other=other,
        tom=login("tom", "Tom", "Reid", service, StaffRole.TEAM_LEADER),
        priya=login("priya", "Priya", "Shah", service, StaffRole.SUPPORT_WORKER),
        ruth=login("ruth", "Ruth", "Evans", other, StaffRole.REGISTERED_MANAGER),
        lena=login("lena", "Lena", "Novak", service, StaffRole.SUPPORT_WORKER),
        people=people,
    )


EXAMPLES = (
    "01-risk-and-independence.before.yaml",
    "02-vocal-relative.before.yaml",
    "03-historic-arrangement.before.yaml",
)


def _names() -> frozenset[str]:
    """Every word of the names in the stored records (people and their circles), the
    services' own names and the logins' names."""
    words = {"Tom", "Reid", "Priya", "Shah", "Ruth", "Evans", "Lena", "Novak", "Hillside"}
    for name in EXAMPLES:
        casefile = example_file(name)
        words.update(casefile.person.name.split())
        for member in casefile.circle:
            words.update(member.name.split())
        if casefile.service is not None:
            words.add(casefile.service.name.split()[0])  # "Riverside", "Oakfield"
    return frozenset(w for w in words if len(w) > 2 and w[0].isupper())


NAMES = _names()


def names_in(text: str) -> list[str]:
    """Any name of a person or service in ``text`` (as a whole word)."""
    found = set(re.findall(r"[A-Za-z]+", text))
    return sorted(NAMES & found)
