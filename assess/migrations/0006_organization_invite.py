import secrets

from django.db import migrations, models

import assess.models


def fill_tokens(apps, schema_editor):
    Organization = apps.get_model("assess", "Organization")
    for org in Organization.objects.filter(invite_token__isnull=True):
        org.invite_token = secrets.token_urlsafe(24)
        org.save(update_fields=["invite_token"])


class Migration(migrations.Migration):
    dependencies = [("assess", "0005_workshops")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="invite_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="invite_token",
            field=models.CharField(
                default=assess.models.new_token, max_length=64, unique=True
            ),
        ),
    ]
