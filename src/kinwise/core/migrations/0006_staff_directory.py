"""The staff directory (docs/adr/0140): one entry per member of staff of an organisation,
with its history, made from the circles' copies.

Every current circle member of kind staff of a person of the organisation with the same
member id becomes one entry. Where the copies differ, each distinct copy is a version of
the entry in the order it was last written, so the latest wins and the others stay in
the entry's history; the circle records that held another copy get the winner's values
as a new version of that person's record (source "migration")."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

_FIELDS = ("name", "job", "trained")


def _values(data: dict[str, Any]) -> tuple[str, str | None, tuple[tuple[str, str], ...]]:
    trained = data.get("trained") or {}
    return (data["name"], data.get("job"), tuple(sorted(trained.items())))


def _snapshot(external_id: str, values: tuple[Any, ...]) -> dict[str, Any]:
    name, job, trained = values
    out: dict[str, Any] = {"id": external_id, "name": name}
    if job is not None:
        out["job"] = job
    if trained:
        out["trained"] = dict(trained)
    return out


def _onto(data: dict[str, Any], values: tuple[Any, ...]) -> dict[str, Any]:
    """The member's document with the directory's values, in the case file's field order."""
    name, job, trained = values
    out: dict[str, Any] = {}
    for key in ("id", "name", "kind", "relationship", "informal_carer", "job", "trained"):
        if key == "name":
            out[key] = name
        elif key == "job":
            if job is not None:
                out[key] = job
        elif key == "trained":
            if trained:
                out[key] = dict(trained)
        elif key in data:
            out[key] = data[key]
    out.update({k: v for k, v in data.items() if k not in out and k not in _FIELDS})
    return out


def build_directory(apps: Any, schema_editor: Any) -> None:
    record_model = apps.get_model("records", "Record")
    person_model = apps.get_model("records", "Person")
    version_model = apps.get_model("core", "RecordVersion")
    staff_model = apps.get_model("core", "StaffMember")
    staff_version_model = apps.get_model("core", "StaffMemberVersion")
    membership_model = apps.get_model("core", "StaffMembership")
    now = timezone.now()

    copies: dict[tuple[int, str], list[Any]] = defaultdict(list)
    rows = (
        record_model.objects.filter(
            kind="member", superseded_at__isnull=True, person__superseded_at__isnull=True
        )
        .select_related("person__service")
        .order_by("updated_at", "id")
    )
    for row in rows:
        if row.data.get("kind") == "staff":
            copies[(row.person.service.organisation_id, row.key)].append(row)

    for (organisation_id, external_id), held in sorted(copies.items()):
        distinct: list[tuple[Any, ...]] = []
        times: list[Any] = []
        for row in held:  # oldest write first
            values = _values(row.data)
            if values in distinct:
                index = distinct.index(values)
                del distinct[index]
                del times[index]
            distinct.append(values)
            times.append(row.updated_at)
        winner = distinct[-1]
        login = (
            membership_model.objects.filter(
                service__organisation_id=organisation_id, user__username=external_id
            )
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        entry = staff_model.objects.create(
            organisation_id=organisation_id,
            external_id=external_id,
            name=winner[0],
            job=winner[1],
            trained=dict(winner[2]),
            user_id=login,
            version=len(distinct),
            created_at=times[0],
            updated_at=times[-1],
        )
        staff_version_model.objects.bulk_create(
            staff_version_model(
                staff_member_id=entry.pk,
                version=number,
                snapshot=_snapshot(external_id, values),
                action="created" if number == 1 else "updated",
                source="migration",
                reason=(
                    ""
                    if len(distinct) == 1
                    else "copies in people's circles differed: the latest is kept"
                ),
                created_at=times[number - 1],
            )
            for number, values in enumerate(distinct, start=1)
        )
        for row in held:
            if _values(row.data) == winner:
                continue
            row.data = _onto(row.data, winner)
            row.version += 1
            row.updated_at = now
            row.save(update_fields=["data", "version", "updated_at"])
            version_model.objects.create(
                person_id=row.person_id,
                kind="member",
                external_id=row.key,
                version=row.version,
                snapshot=row.data,
                action="updated",
                source="migration",
                reason="the staff directory's values",
                created_at=now,
            )
            person_model.objects.filter(pk=row.person_id).update(updated_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_account_state_and_demo_mark"),
        ("records", "0003_records_as_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("external_id", models.CharField(max_length=200)),
                ("name", models.CharField(max_length=300)),
                ("job", models.TextField(blank=True, null=True)),
                ("trained", models.JSONField(default=dict)),
                ("version", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField()),
                ("updated_at", models.DateTimeField()),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_members",
                        to="core.organisation",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="staff_entries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["organisation_id", "name", "external_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "external_id"), name="staff_member_id_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StaffMemberVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField()),
                ("snapshot", models.JSONField()),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("created", "Created"),
                            ("updated", "Updated"),
                            ("superseded", "Superseded"),
                            ("restored", "Restored"),
                            ("entered_in_error", "Entered in error"),
                        ],
                        max_length=16,
                    ),
                ),
                ("source", models.CharField(max_length=40)),
                ("reason", models.TextField(blank=True, default="")),
                ("created_at", models.DateTimeField()),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="staff_member_versions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "staff_member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="core.staffmember",
                    ),
                ),
            ],
            options={
                "ordering": ["staff_member_id", "version"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("staff_member", "version"), name="staff_member_version_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(build_directory, migrations.RunPython.noop),
    ]
