"""The access log and its chain heads, and the triggers that make the log append-only."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def create_guard(apps: Any, schema_editor: Any) -> None:
    from kinwise.accesslog.guard import create_guard as create

    create(schema_editor.connection)


def drop_guard(apps: Any, schema_editor: Any) -> None:
    from kinwise.accesslog.guard import drop_guard as drop

    drop(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("core", "0005_account_state_and_demo_mark")]

    operations = [
        migrations.CreateModel(
            name="AccessLogEntry",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "chain",
                    models.PositiveIntegerField(help_text="the organisation's pk (0: none)"),
                ),
                ("sequence", models.PositiveBigIntegerField()),
                ("at", models.DateTimeField(help_text="when, in UTC")),
                (
                    "user_pk",
                    models.IntegerField(help_text="who asked (none: not signed in)", null=True),
                ),
                (
                    "role",
                    models.CharField(
                        blank=True, help_text="their role for the service", max_length=40
                    ),
                ),
                ("subject", models.CharField(help_text="person or service", max_length=20)),
                ("person_pk", models.IntegerField(null=True)),
                ("service_pk", models.IntegerField(null=True)),
                ("record_pk", models.IntegerField(null=True)),
                (
                    "page",
                    models.CharField(blank=True, help_text="the page or command", max_length=120),
                ),
                ("purpose", models.CharField(help_text="read or change", max_length=10)),
                ("allowed", models.BooleanField()),
                ("client", models.CharField(blank=True, help_text="from where", max_length=64)),
                ("previous_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "db_table": "access_log_entry",
                "indexes": [models.Index(fields=["person_pk", "at"], name="access_log_person")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("chain", "sequence"), name="access_log_one_per_place"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AccessLogHead",
            fields=[
                ("chain", models.PositiveIntegerField(primary_key=True, serialize=False)),
                ("sequence", models.PositiveBigIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
            ],
            options={"db_table": "access_log_head"},
        ),
        migrations.RunPython(create_guard, drop_guard),
    ]
