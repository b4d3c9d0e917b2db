"""Production shares the cache between processes (README, "Production"): the wrong-code
throttle works the same on the database cache."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command

from assess.services import workshop_start


@pytest.fixture
def database_cache(settings, db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "assess_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    yield
    caches["default"].clear()


def test_the_wrong_code_throttle_counts_in_the_database_cache(
    client, database_cache, org, bank, owner
):
    assert isinstance(caches["default"], DatabaseCache)
    workshop = workshop_start(organization=org, user=owner)
    for _ in range(20):
        assert client.post("/join/", {"code": "AAAAAA"}).status_code == 200
    assert client.post("/join/", {"code": workshop.short_code}).status_code == 429
