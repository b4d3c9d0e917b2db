"""Assessment.result_digest: a digest of the frozen result, kept by Assessment.save, so the PDF
download and its status name the PDF they want without loading the result. Filled here for
the results already stored; a later migration that rewrites results must fill it again
(`assess.models.result_digest`)."""

import hashlib
import json

from django.db import migrations, models


def result_digest(result):
    # As assess.models.result_digest computes it (a copy: a migration must not change when
    # the app's code does; were they ever to differ, a PDF would only be made once more).
    text = json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def fill(apps, schema_editor):
    Assessment = apps.get_model("assess", "Assessment")
    batch = []
    for assessment in Assessment.objects.filter(result__isnull=False).only("result").iterator():
        assessment.result_digest = result_digest(assessment.result)
        batch.append(assessment)
        if len(batch) >= 500:
            Assessment.objects.bulk_update(batch, ["result_digest"])
            batch = []
    Assessment.objects.bulk_update(batch, ["result_digest"])


class Migration(migrations.Migration):
    dependencies = [("assess", "0017_access_event_data")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="result_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
