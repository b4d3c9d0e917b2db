"""Stored results as an older version of the code left them, brought up to date by the data
migration itself (assess/migrations/0011_snapshot_v2.py), as `manage.py migrate` would."""

import importlib

from django.apps import apps


def upgrade_stored_results():
    importlib.import_module("assess.migrations.0011_snapshot_v2").upgrade(apps, None)
