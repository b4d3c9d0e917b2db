"""Production settings with a full disk simulated: SQLite may not grow the database past
FAULTS_MAX_PAGES pages (PRAGMA max_page_count, set on every connection), so writes beyond it
fail with "database or disk is full" as on a full disk. Used only by faults/disk_full.py."""

import os

from assess.settings import *  # noqa: F403
from assess.settings import DATABASES

DATABASES["default"]["OPTIONS"]["init_command"] += (
    f" PRAGMA max_page_count={int(os.environ['FAULTS_MAX_PAGES'])};"
)
