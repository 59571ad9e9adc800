from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_records_as_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="person",
            name="erased_totals",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
