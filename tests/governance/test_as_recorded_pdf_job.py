"""The service report's PDF made by a worker (a large service) gives the view the page
asked for, as the request gives it to a small service: as recorded, which never changes
with later edits, or with the corrections made since (``?view=corrected``), which does."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from django.contrib.auth.models import User
from django.test import Client

from kinwise import clock
from kinwise.core.models import Service, StaffRole
from kinwise.jobs import report_services
from kinwise.jobs import views as job_views
from kinwise.jobs.models import FileState, ReportFile, ReportView
from kinwise.jobs.nightly import service_audit_recorded
from kinwise.records.services.edits import record_save
from tests.governance.conftest import example_file
from tests.governance.test_as_recorded import MONTH_END, TODAY, recorded_on

MAY = "from=2026-05-01&to=2026-05-31"
NAME = "riverside-supported-living-2026-05-01-to-2026-05-31.pdf"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def manager(riverside: Service, member: Callable[..., User]) -> Client:
    member("tom", riverside, StaffRole.TEAM_LEADER, first_name="Tom", last_name="Reid")
    client = Client()
    client.login(username="tom", password="pw-for-tests-only")
    return client


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def in_request(client: Client, service: Service, query: str) -> tuple[str, bytes]:
    """The PDF a small service gets in the request: (its file name, its bytes)."""
    response = client.get(f"/services/{service.pk}/report.pdf?{query}")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    return response["Content-Disposition"], response.content


def by_worker(
    client: Client, service: Service, query: str, capture: Callable[..., Any]
) -> tuple[ReportFile, str, bytes]:
    """The PDF a large service gets from a worker (the queue runs at once here): the
    file, its name and its bytes."""
    with capture(execute=True):
        response = client.get(f"/services/{service.pk}/report.pdf?{query}")
    assert response.status_code == 302
    file = ReportFile.objects.get(pk=int(response["Location"].split("/")[-2]))
    assert file.state == FileState.DONE
    download = client.get(f"{response['Location']}download/")
    return file, download["Content-Disposition"], download.content


def test_the_worker_gives_the_view_asked_for_as_the_request_does(
    riverside: Service,
    manager: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    sam = recorded_on(
        example_file("01-risk-and-independence.before.yaml"), riverside, dt.date(2026, 5, 20)
    )
    service_audit_recorded(service=riverside, as_of=MONTH_END)
    queries = {ReportView.AS_RECORDED: MAY, ReportView.CORRECTED: f"{MAY}&view=corrected"}

    # the report page's links carry the view it shows
    page = manager.get(f"/services/{riverside.pk}/report/?{queries['corrected']}")
    assert f'report.pdf?{MAY.replace("&", "&amp;")}&amp;view=corrected"' in page.content.decode()
    page = manager.get(f"/services/{riverside.pk}/report/?{MAY}")
    assert f'report.pdf?{MAY.replace("&", "&amp;")}"' in page.content.decode()

    def both(view: str) -> tuple[ReportFile, bytes]:
        monkeypatch.setattr(job_views, "PDF_JOB_FROM_PEOPLE", 1000)
        asked_name, asked = in_request(manager, riverside, queries[view])
        monkeypatch.setattr(job_views, "PDF_JOB_FROM_PEOPLE", 1)
        file, made_name, made = by_worker(
            manager, riverside, queries[view], django_capture_on_commit_callbacks
        )
        assert file.view == view
        assert made_name == asked_name  # the same name, which says the view
        assert made == asked, view  # the same document, byte for byte
        return file, made

    recorded_file, recorded = both(ReportView.AS_RECORDED)
    corrected_file, corrected = both(ReportView.CORRECTED)
    # two views of the same period are two files, each named and labelled for its view
    assert recorded_file.pk != corrected_file.pk
    assert recorded_file.filename == f"co-production-measures-{NAME}"
    assert corrected_file.filename == f"co-production-measures-with-corrections-since-{NAME}"
    assert "Riverside Supported Living" in text_of(recorded)
    label = manager.get(f"/reports/files/{corrected_file.pk}/").content.decode()
    assert "1 May 2026 to 31 May 2026, with the corrections made since." in label
    label = manager.get(f"/reports/files/{recorded_file.pk}/").content.decode()
    assert "1 May 2026 to 31 May 2026, as recorded." in label
    assert recorded == corrected  # nothing corrected yet
    # asked again in a view, the same file of that view
    again, _, _ = by_worker(manager, riverside, MAY, django_capture_on_commit_callbacks)
    assert again.pk == recorded_file.pk
    assert ReportFile.objects.count() == 2

    # a later correction: Grace's role passed to Sam (May's decision-makers change)
    record_save(
        person=sam,
        kind="role",
        original_key="mobility_outdoors",
        record={
            "area": "mobility_outdoors",
            "decides": "sam",
            "contributes": ["priya"],
            "informed": ["grace"],
        },
        actor=None,
    )
    monkeypatch.setattr(report_services, "REUSE_FOR", dt.timedelta(0))  # new files
    recorded_file_after, recorded_after = both(ReportView.AS_RECORDED)
    corrected_file_after, corrected_after = both(ReportView.CORRECTED)
    assert ReportFile.objects.count() == 4
    assert {recorded_file_after.pk, corrected_file_after.pk}.isdisjoint(
        {recorded_file.pk, corrected_file.pk}
    )
    assert recorded_after == recorded  # as recorded: the same, byte for byte
    # with the corrections since: May's valid decision-makers go from 0.0% to 100.0%
    assert corrected_after != corrected
    before, after = (" ".join(text_of(pdf).split()) for pdf in (corrected, corrected_after))
    assert "0: people with no decision- maker finding (RC01, RC02, RC03)" in before
    assert "1: people with no decision- maker finding (RC01, RC02, RC03)" in after
