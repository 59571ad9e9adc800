"""Every record of every kind stored as its case-file document in one table (ADR 0005).

Each record row of the tables of 0001 becomes one row of ``Record``, with the document
its history's latest version holds (for a superseded row: the version written when it
left the case file), its position, its version number and its dates. A row without a
version (none is written without one) is rebuilt from its columns and inner rows. The
versions themselves are not touched. The old tables are then dropped.
"""

import datetime as dt
from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# kind -> (old model, its inner rows: (attribute in the document, model, parent field))
OLD_TABLES = {
    "member": ("Member", ()),
    "authority": ("Authority", ()),
    "capacity_assessment": ("CapacityAssessment", ()),
    "best_interests": ("BestInterests", ()),
    "consent": ("Consent", ()),
    "plan": ("Plan", ()),
    "role": ("Role", ()),
    "task": ("Task", ()),
    "voice": ("VoiceRecord", ()),
    "meeting": (
        "Meeting",
        (("contributions", "Contribution", "meeting"), ("decisions", "Decision", "meeting")),
    ),
    "risk_assessment": ("RiskAssessment", (("hazards", "Hazard", "risk_assessment"),)),
    "graded_trial": (
        "GradedTrial",
        (("stages", "TrialStage", "trial"), ("sessions", "TrialSession", "trial")),
    ),
    "incident": ("Incident", ()),
    "event": ("Event", ()),
    "medicine": ("Medicine", ()),
    "medication_audit": ("MedicationAudit", ()),
}
BOOKKEEPING = {"id", "person", "position", "superseded_at", "created_at", "updated_at"}
KEEP_EMPTY = {"required_areas"}


def _value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def _columns(row: Any, skip: set[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        name = field.name
        if name in BOOKKEEPING or name in skip:
            continue
        value = getattr(row, field.attname)
        if value is None or value == [] or (value == {} and name not in KEEP_EMPTY):
            continue
        data["id" if name == "external_id" else name] = _value(value)
    return data


def _rebuilt(kind: str, row: Any, inner: Any, apps: Any) -> dict[str, Any]:
    """A document from the old row's columns and current inner rows."""
    data = _columns(row, skip=set())
    if kind in ("role", "medicine", "plan"):
        data.pop("id", None)
    for attr, model_name, parent in inner:
        model = apps.get_model("records", model_name)
        items = model.objects.filter(**{parent: row}, superseded_at__isnull=True).order_by(
            "position", "id"
        )
        values = [_columns(item, skip={parent}) for item in items]
        if values:
            data[attr] = values
    return data


def records_to_documents(apps: Any, schema_editor: Any) -> None:
    """One person at a time, so memory holds one person's history however large the
    provider."""
    Person = apps.get_model("records", "Person")
    Record = apps.get_model("records", "Record")
    RecordVersion = apps.get_model("core", "RecordVersion")
    models_of = {
        kind: (apps.get_model("records", model_name), inner)
        for kind, (model_name, inner) in OLD_TABLES.items()
    }
    for person_pk in Person.objects.order_by("pk").values_list("pk", flat=True).iterator():
        versions: dict[tuple[str, str], list[tuple[int, Any, Any]]] = {}
        for version in RecordVersion.objects.filter(person_id=person_pk).order_by("version"):
            versions.setdefault((version.kind, version.external_id), []).append(
                (version.version, version.created_at, version.snapshot)
            )
        batch: list[Any] = []
        for kind, (model, inner) in models_of.items():
            for row in model.objects.filter(person_id=person_pk).order_by("pk"):
                history = versions.get((kind, row.external_id), [])
                if row.superseded_at is not None:
                    history = [v for v in history if v[1] <= row.superseded_at]
                if history:
                    number, _, document = history[-1]
                else:
                    number, document = 1, _rebuilt(kind, row, inner, apps)
                batch.append(
                    Record(
                        person_id=person_pk,
                        kind=kind,
                        key=row.external_id,
                        position=row.position,
                        version=number,
                        data=document,
                        superseded_at=row.superseded_at,
                        created_at=row.created_at,
                        updated_at=row.updated_at,
                    )
                )
        Record.objects.bulk_create(batch, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_person_support_end"),
        ("core", "0004_records_as_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="Record",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("key", models.CharField(max_length=200)),
                ("position", models.PositiveIntegerField(default=0)),
                ("version", models.PositiveIntegerField(default=1)),
                ("data", models.JSONField()),
                ("superseded_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="records.person",
                    ),
                ),
            ],
            options={
                "ordering": ["person_id", "kind", "position", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(fields=["person", "superseded_at"], name="record_cur"),
        ),
        migrations.AddConstraint(
            model_name="record",
            constraint=models.UniqueConstraint(
                condition=models.Q(("superseded_at__isnull", True)),
                fields=("person", "kind", "key"),
                name="record_current_key_unique",
            ),
        ),
        migrations.RunPython(records_to_documents, migrations.RunPython.noop),
        migrations.DeleteModel(name="Contribution"),
        migrations.DeleteModel(name="Decision"),
        migrations.DeleteModel(name="Hazard"),
        migrations.DeleteModel(name="TrialStage"),
        migrations.DeleteModel(name="TrialSession"),
        migrations.DeleteModel(name="Authority"),
        migrations.DeleteModel(name="BestInterests"),
        migrations.DeleteModel(name="CapacityAssessment"),
        migrations.DeleteModel(name="Consent"),
        migrations.DeleteModel(name="Event"),
        migrations.DeleteModel(name="GradedTrial"),
        migrations.DeleteModel(name="Incident"),
        migrations.DeleteModel(name="MedicationAudit"),
        migrations.DeleteModel(name="Medicine"),
        migrations.DeleteModel(name="Meeting"),
        migrations.DeleteModel(name="Member"),
        migrations.DeleteModel(name="Plan"),
        migrations.DeleteModel(name="RiskAssessment"),
        migrations.DeleteModel(name="Role"),
        migrations.DeleteModel(name="Task"),
        migrations.DeleteModel(name="VoiceRecord"),
    ]
