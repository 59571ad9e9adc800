"""Organisation.is_demo (the demo organisation made earlier by `kinwise demo` is marked)
and AccountState (the auth epoch that ends a login's sessions)."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_earlier_demo(apps: Any, schema_editor: Any) -> None:
    """The organisation `kinwise demo` made before the flag existed: its slug and name."""
    organisation = apps.get_model("core", "Organisation")
    organisation.objects.filter(slug="demo", name="Kinwise Demo Provider").update(is_demo=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_records_as_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="is_demo",
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name="AccountState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("auth_epoch", models.PositiveIntegerField(default=0)),
                ("changed_at", models.DateTimeField(auto_now=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="account_state",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(mark_earlier_demo, migrations.RunPython.noop),
    ]
