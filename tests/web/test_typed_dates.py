"""Every date a person types — on any page, in any form, on the command line — is read by
one parser (kinwise.dates) and every mistake gets the same plain answer naming the field.

Pages answer 400 with the message at the field and what was typed kept (never 500, never
a silent default); commands exit 2 with the message on stderr, nothing on stdout and no
traceback. The first and last days the parser reads (1900-01-01, 9999-12-31) are read.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import kinwise
from kinwise.cli import main
from kinwise.dates import date_message, parse_optional_date, parse_user_date
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.models import Person
from tests.web.conftest import client_for

TODAY = dt.date(2026, 6, 1)
CASEFILES = Path(kinwise.__file__).resolve().parent / "demo" / "casefiles"
SAM_FILE = CASEFILES / "01-risk-and-independence.yaml"

BAD = [
    "2026-W01-3",  # an ISO week date (31 December 2025)
    "2026-02-30",  # not a day of the calendar
    "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661",  # 2026-01-01 in Arabic-Indic digits
    "12026-01-01",  # 10,000 years out
    "1899-12-31",  # before 1900
    "0001-01-01",  # the first day Python knows (answered 500 on the governance pages)
    "2026-152",  # an ordinal date
    "20260101",  # the compact form
    "2026-1-05",  # digits missing
    "1/3/2026",
    "tomorrow",
]


def message(label: str) -> str:
    return f"Enter {label} as year-month-day, for example 2026-03-31"


# --- the parser ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", BAD)
def test_every_mistake_gets_the_same_message_naming_the_field(text: str) -> None:
    with pytest.raises(KinwiseError) as error:
        parse_user_date(text, label="the audit date")
    assert error.value.code is ErrorCode.INVALID_DATE
    assert error.value.message == message("the audit date") == date_message("the audit date")
    assert error.value.errors == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1900-01-01", dt.date(1900, 1, 1)),  # the first day read
        ("9999-12-31", dt.date(9999, 12, 31)),  # the last
        ("2024-02-29", dt.date(2024, 2, 29)),  # a leap day
        (" 2026-03-31 ", dt.date(2026, 3, 31)),  # white space around is not the date
    ],
)
def test_real_days_from_1900_to_9999_are_read(text: str, date: dt.date) -> None:
    assert parse_user_date(text, label="the date") == date


@pytest.mark.parametrize("text", ["2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31"])
def test_days_that_do_not_exist_are_refused(text: str) -> None:
    with pytest.raises(KinwiseError, match="^Enter the date as year-month-day"):
        parse_user_date(text, label="the date")


def test_no_text_is_no_date_for_optional_fields() -> None:
    assert parse_optional_date(None, label="the date") is None
    assert parse_optional_date("", label="the date") is None
    assert parse_optional_date("  ", label="the date") is None
    assert parse_optional_date("2026-03-31", label="the date") == dt.date(2026, 3, 31)
    with pytest.raises(KinwiseError):
        parse_optional_date("2026-W01-3", label="the date")


# --- every page that takes a date ----------------------------------------------------------


@pytest.fixture
def site(world: dict[str, Any], today: Callable[[dt.date], None]) -> dict[str, Any]:
    """Riverside's team leader (who may open every governance page), Sam at Riverside."""
    today(TODAY)
    from tests.web.conftest import import_example

    sam = import_example("01-risk-and-independence.yaml", world["services"]["riverside"])
    return {
        "client": client_for(world["users"]["leader"]),
        "service": world["services"]["riverside"].pk,
        "sam": sam,
    }


def gets(service: int, sam: Person) -> list[tuple[str, str, str]]:
    """(address with {} for the date, field id, label) of every date in a query string."""
    governance = f"/governance/services/{service}"
    staff = f"{governance}/supervision/staff/?member=priya"
    reports = [
        f"/services/{service}/report/",
        f"/services/{service}/report.pdf",
        f"/services/{service}/report.csv",
        f"/services/{service}/inspection/",
    ]
    return [
        *[
            (f"{governance}/{page}/?as_of={{}}", "as_of", "the date")
            for page in ("worklist", "audit", "trends", "supervision")
        ],
        (f"{staff}&as_of={{}}", "as_of", "the date"),
        (f"{staff}&since={{}}", "since", "the start of the period"),
        (f"/people/{sam.pk}/findings/?as_of={{}}", "id_as_of", "the audit date"),
        (f"/people/{sam.pk}/findings/?since={{}}", "id_since", "the start of the period"),
        *[(f"{r}?from={{}}&to=2026-05-31", "from", "the start of the period") for r in reports],
        *[(f"{r}?from=2025-06-01&to={{}}", "to", "the end of the period") for r in reports],
    ]


def test_the_list_of_pages_is_every_page_with_a_date_parameter(site: dict[str, Any]) -> None:
    # 4 governance pages, supervision of one member of staff (2), findings (2), the
    # service report as a page, PDF and CSV and the inspector's view (2 each)
    assert len(gets(site["service"], site["sam"])) == 4 + 2 + 2 + 8


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["2026-W01-3", "2026-02-30", BAD[2], "12026-01-01", "1899-12-31"])
def test_every_page_answers_a_bad_date_with_the_same_clear_error(
    site: dict[str, Any], text: str
) -> None:
    client: Client = site["client"]
    for address, field, label in gets(site["service"], site["sam"]):
        response = client.get(address.format(text))
        body = response.content.decode()
        assert response.status_code == 400, address
        assert html.escape(message(label), quote=False) in body, address
        assert 'class="nhsuk-error-summary"' in body, address
        assert f'href="#{field}"' in body or f'id="{field}"' in body, address
        assert f'value="{html.escape(text)}"' in body, address  # what was typed is kept


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["2026-W01-3", "2026-02-30", BAD[2], "12026-01-01", "1899-12-31"])
@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("date", "the date of supervision"),
        ("since", "the start of the period"),
        ("action-0-due", "the date the action is due"),
    ],
)
def test_the_supervision_form_answers_a_bad_date_at_its_field(
    site: dict[str, Any], text: str, field: str, label: str
) -> None:
    form = {
        "date": "2026-05-20",
        "since": "2025-06-01",
        "reflections": "Talked it through",
        "action-0-text": "Share the evidence",
        "action-0-due": "2026-07-01",
        field: text,
    }
    staff = f"/governance/services/{site['service']}/supervision/staff/?member=priya"
    response = site["client"].post(staff, form)
    body = response.content.decode()
    assert response.status_code == 400
    assert f'<li><a href="#{field}">{html.escape(message(label), quote=False)}</a></li>' in body
    assert f'value="{html.escape(text)}"' in body
    assert 'value="Share the evidence"' in body  # nothing typed is lost


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["2026-W01-3", "2026-02-30", BAD[2], "12026-01-01", "1899-12-31"])
def test_the_staff_directory_form_answers_a_bad_date_at_its_field(
    site: dict[str, Any], text: str
) -> None:
    from kinwise.core.models import StaffMember

    priya = StaffMember.objects.get(external_id="priya")
    form = {
        "based_on": str(priya.version),
        "name": "Priya Shah",
        "job": "support worker",
        "trained-administer_medication": "2025-09-01",
        "trained-manage_money": text,
    }
    page = f"/governance/services/{site['service']}/staff-directory/{priya.pk}/"
    response = site["client"].post(page, form)
    body = response.content.decode()
    label = "the date of training in managing money"
    assert response.status_code == 400
    field = "trained-manage_money"
    assert f'<li><a href="#{field}">{html.escape(message(label), quote=False)}</a></li>' in body
    assert f'value="{html.escape(text)}"' in body
    assert 'value="2025-09-01"' in body  # nothing typed is lost
    priya.refresh_from_db()
    assert priya.version == 1


@pytest.mark.django_db
def test_the_first_and_last_days_are_read_by_the_pages(site: dict[str, Any]) -> None:
    client: Client = site["client"]
    service, sam = site["service"], site["sam"]
    for address in (
        f"/governance/services/{service}/audit/?as_of=1900-01-01",
        f"/governance/services/{service}/worklist/?as_of=1900-01-01",
        f"/people/{sam.pk}/findings/?as_of=1900-01-01",
        f"/people/{sam.pk}/findings/?since=1900-01-01",
        # a report's period is at most 10 years long
        f"/services/{service}/report/?from=1900-01-01&to=1909-12-31",
        f"/services/{service}/inspection/?from=9990-01-01&to=9999-12-31",
    ):
        assert client.get(address).status_code == 200, address
    # a day after today is read, then refused for being ahead of today
    future = client.get(f"/governance/services/{service}/audit/?as_of=9999-12-31")
    assert future.status_code == 400
    assert "The date must be today or in the past" in future.content.decode()
    ahead = client.get(f"/people/{sam.pk}/findings/?as_of=9999-12-31")
    assert ahead.status_code == 400
    assert "The audit date must be today or in the past" in ahead.content.decode()


# --- every command that takes a date -------------------------------------------------------


COMMANDS: list[tuple[list[str], str, str]] = [
    # (arguments with {} for the date, the option named in the message)
    (["audit", "--case", str(SAM_FILE), "--as-of", "{}"], "--as-of", "audit"),
    (["audit", "--case", str(SAM_FILE), "--since", "{}"], "--since", "audit"),
    (["audit", "--service", "riverside", "--as-of", "{}"], "--as-of", "audit"),
    (["audit", "--person", "sam", "--since", "{}"], "--since", "audit"),
    (["report", "person", "sam", "--as-of", "{}"], "--as-of", "report"),
    (["report", "service", "riverside", "--from", "{}", "--to", "2026-05-31"], "--from", "report"),
    (["report", "service", "riverside", "--from", "2025-06-01", "--to", "{}"], "--to", "report"),
    (["synth", "--people", "1", "--as-of", "{}", "--out", "{out}"], "--as-of", "synth"),
]


@pytest.mark.parametrize("text", ["2026-W01-3", "2026-02-30", BAD[2], "12026-01-01", "1899-12-31"])
@pytest.mark.parametrize(("argv", "option", "command"), COMMANDS)
def test_every_command_answers_a_bad_date_with_the_same_clear_error(
    text: str,
    argv: list[str],
    option: str,
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "out"
    args = [a.replace("{}", text).replace("{out}", str(out_dir)) for a in argv]
    code = main(args)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"kinwise: {message(f'the {option} date')}\n"
    assert not out_dir.exists()  # nothing was written


@pytest.mark.parametrize("as_of", ["1900-01-01", "9999-12-31"])
def test_the_first_and_last_days_are_read_by_the_audit_command(
    as_of: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", "--case", str(SAM_FILE), "--as-of", as_of, "--format", "text"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert f"audit as of {as_of}" in out
