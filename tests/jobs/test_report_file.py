"""The service report's PDF of a large service is made by a worker: the request answers at
once with a page that shows the progress and then the file (queue in immediate mode)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from django.contrib.auth.models import User
from django.test import Client

from kinwise.core.models import Organisation, Service, StaffMembership, StaffRole
from kinwise.jobs import views as report_views
from kinwise.jobs.models import FileState, ReportFile
from kinwise.reports import pdf as pdf_module
from tests.browser.conftest import axe_violations, base_url, sign_in_as
from tests.notifications.conftest import Riverside
from tests.signin import signed_in_client

QUERY = "?from=2025-11-01&to=2026-10-31"


def client_for(user: User) -> Client:
    return signed_in_client(user)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three people are a large service here."""
    monkeypatch.setattr(report_views, "PDF_JOB_FROM_PEOPLE", 3)


def ask(
    client: Client,
    service: Service,
    capture: Callable[..., Any],
    view: str = "",
    document: str = "report.pdf",
) -> tuple[Any, Any]:
    """Ask for a PDF (the service report's unless ``document``), holding back the jobs the
    request's transaction queues on commit."""
    with capture(execute=False) as callbacks:
        response = client.get(f"/services/{service.pk}/{document}{QUERY}{view}")
    return response, callbacks


def test_a_small_service_gets_its_pdf_in_the_request(riverside: Riverside) -> None:
    response = client_for(riverside.tom).get(f"/services/{riverside.service.pk}/report.pdf{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ReportFile.objects.count() == 0


def test_a_large_service_answers_at_once_then_shows_the_file(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(riverside.tom)
    response, callbacks = ask(client, riverside.service, django_capture_on_commit_callbacks)
    (file,) = ReportFile.objects.all()
    page_url = f"/reports/files/{file.pk}/"
    assert (response.status_code, response["Location"]) == (302, page_url)
    assert (file.state, file.step, file.period_start.isoformat(), file.requested_by_id) == (
        FileState.QUEUED,
        0,
        "2025-11-01",
        riverside.tom.pk,
    )
    waiting = client.get(page_url).content.decode()
    assert "Waiting for a worker" in waiting
    assert f'hx-get="{page_url}" hx-trigger="every 2s"' in waiting
    assert client.get(f"{page_url}download/")["Location"] == page_url

    assert len(callbacks) == 1
    callbacks[0]()  # the transaction committed: the job is queued (and, here, runs)
    file.refresh_from_db()
    assert (file.state, file.step, file.steps, file.people) == (FileState.DONE, 3, 3, 3)
    ready = client.get(page_url).content.decode()
    assert "Your PDF is ready." in ready
    assert f'href="{page_url}download/"' in ready
    assert "hx-trigger" not in ready
    fragment = client.get(page_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="file-status" aria-live="polite">')
    assert "<html" not in fragment

    download = client.get(f"{page_url}download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'inline; filename="co-production-measures-riverside-supported-living-'
        '2025-11-01-to-2026-10-31.pdf"'
    )
    text = pypdf.PdfReader(io.BytesIO(download.content)).pages[0].extract_text()
    assert "Riverside Supported Living" in text


def test_the_page_shows_the_step_the_worker_is_at(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_for(riverside.tom)
    seen: list[str] = []

    def drawing(html: str) -> bytes:
        (file,) = ReportFile.objects.all()
        seen.append(client.get(f"/reports/files/{file.pk}/").content.decode())
        return b"%PDF-1.7 drawn"

    monkeypatch.setattr(pdf_module, "html_to_pdf", drawing)
    _, callbacks = ask(client, riverside.service, django_capture_on_commit_callbacks)
    callbacks[0]()
    (html,) = seen
    assert "<strong>Step 2 of 3: Drawing the PDF</strong>" in html
    assert '<progress max="3" value="2"' in html
    assert "Kinwise is making the PDF of 3 people's records." in html
    assert bytes(ReportFile.objects.get().content) == b"%PDF-1.7 drawn"


def test_asking_again_gives_the_same_file(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    first, callbacks = ask(
        client_for(riverside.tom), riverside.service, django_capture_on_commit_callbacks
    )
    second, more = ask(
        client_for(riverside.ruth), riverside.service, django_capture_on_commit_callbacks
    )
    assert first["Location"] == second["Location"]
    assert (ReportFile.objects.count(), len(callbacks), len(more)) == (1, 1, 0)


def test_a_file_that_could_not_be_made_says_so(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(html: str) -> bytes:
        raise OSError("no fonts")

    monkeypatch.setattr(pdf_module, "html_to_pdf", broken)
    client = client_for(riverside.tom)
    response, callbacks = ask(client, riverside.service, django_capture_on_commit_callbacks)
    callbacks[0]()
    assert ReportFile.objects.get().state == FileState.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "The PDF could not be made" in html
    # asked again, a new file is made
    again, more = ask(client, riverside.service, django_capture_on_commit_callbacks)
    assert again["Location"] != response["Location"] and len(more) == 1


def test_someone_who_may_not_see_the_service_cannot_see_its_file(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    response, _ = ask(
        client_for(riverside.tom), riverside.service, django_capture_on_commit_callbacks
    )
    elsewhere = Service.objects.create(
        organisation=Organisation.objects.create(slug="other", name="Other Care"),
        external_id="far",
        name="Far Away",
    )
    stranger = User.objects.create_user(username="stranger", password="pw-for-tests-only")
    StaffMembership.objects.create(user=stranger, service=elsewhere, role=StaffRole.TEAM_LEADER)
    client = client_for(stranger)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(response["Location"] + "download/").status_code == 404
    assert client.get("/reports/files/999999/").status_code == 404
    assert Client().get(response["Location"]).status_code == 302  # sign in first


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "state", [FileState.QUEUED, FileState.RUNNING, FileState.DONE, FileState.FAILED]
)
def test_the_page_is_accessible_at_every_state(
    page: Any,
    live_server: Any,
    riverside: Riverside,
    state: str,
) -> None:
    file = ReportFile.objects.create(
        kind="service_report_pdf",
        service=riverside.service,
        period_start="2025-11-01",
        period_end="2026-10-31",
        requested_by=riverside.tom,
        state=state,
        step={"queued": 0, "running": 1, "done": 3, "failed": 1}[state],
        step_label="Reading the records and working out the measures",
        people=3,
        filename="co-production-measures.pdf",
        content=b"%PDF-1.7" if state == FileState.DONE else None,
    )
    page.set_viewport_size({"width": 390, "height": 800})
    site = base_url(live_server)
    sign_in_as(page, site, "tom")
    page.goto(f"{site}/reports/files/{file.pk}/")
    assert page.locator("h1").inner_text() == "Co-production measures PDF"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_made_pdf_is_kept_seven_days(riverside: Riverside) -> None:
    import datetime as dt

    from django.utils import timezone

    from kinwise.jobs.report_services import report_files_expire

    now = timezone.now()

    def made(days: int, state: str) -> ReportFile:
        return ReportFile.objects.create(
            kind="service_report_pdf",
            service=riverside.service,
            period_start="2025-11-01",
            period_end="2026-10-31",
            state=state,
            content=b"%PDF-1.7" if state == FileState.DONE else None,
            filename="co-production-measures.pdf",
            created_at=now - dt.timedelta(days=days),
        )

    old, recent, waiting = (
        made(8, FileState.DONE),
        made(6, FileState.DONE),
        made(8, FileState.QUEUED),
    )
    assert report_files_expire(now=now) == 1
    old.refresh_from_db()
    assert (old.state, old.content) == (FileState.EXPIRED, None)
    assert ReportFile.objects.get(pk=recent.pk).state == FileState.DONE
    assert ReportFile.objects.get(pk=waiting.pk).state == FileState.QUEUED
    client = client_for(riverside.tom)
    html = client.get(f"/reports/files/{old.pk}/").content.decode()
    assert "This PDF is no longer kept. Ask for it again from the service report." in html
    assert "hx-trigger" not in html
    assert (
        client.get(f"/reports/files/{old.pk}/download/")["Location"] == f"/reports/files/{old.pk}/"
    )


# --- the inspection view's PDF --------------------------------------------------------------


def ask_inspection(
    client: Client, service: Service, capture: Callable[..., Any], view: str = ""
) -> tuple[Any, Any]:
    return ask(client, service, capture, view, document="inspection.pdf")


INSPECTION_NAME = "cqc-evidence-riverside-supported-living-2025-11-01-to-2026-10-31.pdf"


def test_a_small_service_gets_its_inspection_pdf_in_the_request(riverside: Riverside) -> None:
    response = client_for(riverside.tom).get(
        f"/services/{riverside.service.pk}/inspection.pdf{QUERY}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{INSPECTION_NAME}"'
    assert ReportFile.objects.count() == 0


def test_a_large_service_has_its_inspection_pdf_made_by_a_worker(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(riverside.tom)
    response, callbacks = ask_inspection(
        client, riverside.service, django_capture_on_commit_callbacks
    )
    (file,) = ReportFile.objects.all()
    page_url = f"/reports/files/{file.pk}/"
    assert (response.status_code, response["Location"]) == (302, page_url)
    assert (file.kind, file.state, file.view, file.filename) == (
        "inspection_pdf",
        FileState.QUEUED,
        "as_recorded",
        INSPECTION_NAME,
    )
    waiting = client.get(page_url).content.decode()
    assert "<h1>CQC evidence PDF</h1>" in waiting
    assert "<title>CQC evidence PDF" in waiting
    assert "Waiting for a worker" in waiting
    assert len(callbacks) == 1
    callbacks[0]()
    file.refresh_from_db()
    assert (file.state, file.step, file.steps, file.people) == (FileState.DONE, 3, 3, 3)
    download = client.get(f"{page_url}download/")
    assert download["Content-Disposition"] == f'inline; filename="{INSPECTION_NAME}"'
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(download.content)).pages
    )
    for words in ("Evidence by CQC quality statement", "Consent to care and treatment"):
        assert words in text, words
    # the same document a small service's request draws
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_views, "PDF_JOB_FROM_PEOPLE", 100)
        drawn = client.get(f"/services/{riverside.service.pk}/inspection.pdf{QUERY}")
    assert (drawn.status_code, drawn["Content-Type"]) == (200, "application/pdf")
    assert bytes(ReportFile.objects.get().content) == drawn.content


def test_the_inspection_pdf_keeps_its_view_and_is_a_file_of_its_own(
    riverside: Riverside,
    large: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for(riverside.tom)
    report, _ = ask(client, riverside.service, django_capture_on_commit_callbacks)
    recorded, _ = ask_inspection(client, riverside.service, django_capture_on_commit_callbacks)
    corrected, _ = ask_inspection(
        client, riverside.service, django_capture_on_commit_callbacks, "&view=corrected"
    )
    again, more = ask_inspection(client, riverside.service, django_capture_on_commit_callbacks)
    assert len({report["Location"], recorded["Location"], corrected["Location"]}) == 3
    assert (again["Location"], len(more)) == (recorded["Location"], 0)
    files = {f.pk: f for f in ReportFile.objects.all()}
    made = files[int(corrected["Location"].split("/")[-2])]
    assert (made.kind, made.view, made.filename) == (
        "inspection_pdf",
        "corrected",
        "cqc-evidence-with-corrections-since-riverside-supported-living-"
        "2025-11-01-to-2026-10-31.pdf",
    )
    html = client.get(corrected["Location"]).content.decode()
    assert "with the corrections made since" in html


def test_an_inspection_pdf_no_longer_kept_says_where_to_ask_again(riverside: Riverside) -> None:
    file = ReportFile.objects.create(
        kind="inspection_pdf",
        service=riverside.service,
        period_start="2025-11-01",
        period_end="2026-10-31",
        state=FileState.EXPIRED,
        filename=INSPECTION_NAME,
    )
    html = client_for(riverside.tom).get(f"/reports/files/{file.pk}/").content.decode()
    assert "This PDF is no longer kept. Ask for it again from the inspection page." in html


def test_the_inspection_page_links_its_pdf_in_its_view(riverside: Riverside) -> None:
    client = client_for(riverside.tom)
    base = f"/services/{riverside.service.pk}"
    page = client.get(f"{base}/inspection/{QUERY}&view=corrected").content.decode()
    assert (
        f'href="{base}/inspection.pdf?from=2025-11-01&amp;to=2026-10-31&amp;view=corrected"'
    ) in page
    plain = client.get(f"{base}/inspection/{QUERY}").content.decode()
    assert f'href="{base}/inspection.pdf?from=2025-11-01&amp;to=2026-10-31"' in plain
