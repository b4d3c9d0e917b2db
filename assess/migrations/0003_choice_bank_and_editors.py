import django.db.models.deletion
from django.db import migrations, models

EDITORS = "Question bank editors"
EDITOR_MODELS = ("questionbank", "section", "question", "choice", "alliance")
ACTIONS = ("add", "change", "delete", "view")


def fill_choice_bank(apps, schema_editor):
    Choice = apps.get_model("assess", "Choice")
    Question = apps.get_model("assess", "Question")
    for bank_id, question_ids in _questions_by_bank(Question):
        Choice.objects.filter(question_id__in=question_ids).update(bank_id=bank_id)


def _questions_by_bank(Question):
    by_bank = {}
    for qid, bank_id in Question.objects.values_list("id", "bank_id"):
        by_bank.setdefault(bank_id, []).append(qid)
    return by_bank.items()


def create_editors_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the group needs them now.
    app_config = apps.get_app_config("assess")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=EDITORS)
    codenames = [f"{action}_{model}" for model in EDITOR_MODELS for action in ACTIONS]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="assess", codename__in=codenames)
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assess", "0002_report_pdf"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="choice",
            name="bank",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="choices",
                to="assess.questionbank",
            ),
        ),
        migrations.RunPython(fill_choice_bank, migrations.RunPython.noop),
        migrations.RunPython(create_editors_group, remove_editors_group),
    ]
