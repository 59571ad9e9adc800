# The view of a past period a worker's document gives (docs/rules.md); a longer file
# name, since the name of the corrected view says so.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportfile",
            name="view",
            field=models.CharField(
                choices=[
                    ("as_recorded", "As recorded"),
                    ("corrected", "With the corrections made since"),
                ],
                default="as_recorded",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="reportfile",
            name="filename",
            field=models.CharField(max_length=200),
        ),
    ]
