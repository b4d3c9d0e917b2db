import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Separate from 0003: PostgreSQL refuses to alter a table with pending updates in the
    # same transaction.
    dependencies = [("assess", "0003_choice_bank_and_editors")]

    operations = [
        migrations.AlterField(
            model_name="choice",
            name="bank",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="choices",
                to="assess.questionbank",
            ),
        ),
    ]
