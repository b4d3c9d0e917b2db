"""Translations of bank and catalogue texts: a `translations` JSON value per object.

On SQLite, adding a column rebuilds the question and choice tables, which drops the
same-bank triggers of 0009; they are created again at the end."""

import importlib

from django.db import migrations, models

_same_bank = importlib.import_module("assess.migrations.0009_question_section_same_bank")


def _sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in _same_bank.SQLITE_DROP + _same_bank.SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("assess", "0012_auth"),
    ]

    operations = [
        migrations.AddField(
            model_name="alliance",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Translations of the texts, by language: {"fr": {"field": "text"}}.',
            ),
        ),
        migrations.AddField(
            model_name="choice",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Translations of the texts, by language: {"fr": {"field": "text"}}.',
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Translations of the texts, by language: {"fr": {"field": "text"}}.',
            ),
        ),
        migrations.AddField(
            model_name="questionbank",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Translations of the texts, by language: {"fr": {"field": "text"}}.',
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="translations",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Translations of the texts, by language: {"fr": {"field": "text"}}.',
            ),
        ),
        migrations.RunPython(_sqlite_triggers, migrations.RunPython.noop),
    ]
