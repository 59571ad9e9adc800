"""Unsaved form input is personal data: the person's subject-access export shows what was
typed about them (and by whom), and the retention policy erases it with their records;
input past its time is erased by the weekly retention job (kinwise.drafts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kinwise.dataprotection.retention import person_erase
from kinwise.dataprotection.subject_access import subject_access, subject_access_document
from kinwise.drafts.models import FormInput, InputKind
from kinwise.drafts.services import form_input_keep
from kinwise.jobs.tasks import retention_weekly
from kinwise.records.services.support import support_end
from tests.dataprot.conftest import AT


def keep(world: dict[str, Any], person: Any, kind: InputKind, at: dt.datetime) -> FormInput:
    return form_input_keep(
        user_id=world["manager"].pk,
        person_id=person.pk,
        path=f"/people/{person.pk}/add/voice/",
        kind=kind,
        fields={"summary": ["Wants to visit Grace on Sundays."], "present": ["ruth", "mark"]},
        at=at,
    )


def test_the_export_shows_unsaved_input_about_the_person_only(world: dict[str, Any]) -> None:
    sam, daniel = world["people"]["sam"], world["people"]["daniel"]
    keep(world, sam, InputKind.DRAFT, AT)
    keep(world, daniel, InputKind.SIGNED_OUT, AT)
    data = subject_access(person=sam, made_at=AT).data
    assert data["unsaved_form_input"] == [
        {
            "kind": "draft",
            "form": f"/people/{sam.pk}/add/voice/",
            "by": {"user_id": world["manager"].pk, "username": "manager", "name": "Rita Manager"},
            "created_at": "2026-11-30T09:00:00+00:00",
            "updated_at": "2026-11-30T09:00:00+00:00",
            "expires_at": "2026-12-07T09:00:00+00:00",
            "fields": {
                "summary": ["Wants to visit Grace on Sundays."],
                "present": ["ruth", "mark"],
            },
        }
    ]
    html = subject_access_document(subject_access(person=sam, made_at=AT))
    assert "<h2>Typed into forms and not saved</h2>" in html
    assert "<h3>A draft of a form, not saved</h3>" in html
    assert "<strong>Summary</strong>: Wants to visit Grace on Sundays." in html
    assert "<strong>Present</strong>: ruth, mark" in html
    assert "by Rita Manager" in html


def test_the_retention_policy_erases_unsaved_input_with_the_person(
    world: dict[str, Any], tmp_path: Path
) -> None:
    sam, daniel = world["people"]["sam"], world["people"]["daniel"]
    keep(world, sam, InputKind.DRAFT, AT)
    keep(world, sam, InputKind.SIGNED_OUT, AT)
    keep(world, daniel, InputKind.DRAFT, AT)
    sam = support_end(person=sam, ended="2018-06-01", reason="left", actor=None)
    person_erase(person=sam, as_of=dt.date(2026, 6, 1), at=AT, archive_dir=tmp_path / "a")
    assert list(FormInput.objects.values_list("person_id", flat=True)) == [daniel.pk]
    # the archive written first holds it, as the export does
    archive = (tmp_path / "a" / f"person-{sam.pk}.json").read_text(encoding="utf-8")
    assert "Wants to visit Grace on Sundays." in archive


def test_the_weekly_job_erases_input_past_its_time(world: dict[str, Any]) -> None:
    import time_machine

    daniel = world["people"]["daniel"]
    with time_machine.travel(AT, tick=False):
        old = keep(world, daniel, InputKind.SIGNED_OUT, AT - dt.timedelta(hours=24))
        kept = keep(
            world, world["people"]["sam"], InputKind.SIGNED_OUT, AT - dt.timedelta(hours=23)
        )
        retention_weekly(as_of=AT.date(), apply=False)
    assert list(FormInput.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not FormInput.objects.filter(pk=old.pk).exists()
