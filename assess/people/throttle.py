"""Atomic attempt counting in the database, shared by every app server: `attempt` reserves
one try before the work is done, so however many requests arrive at once, at most `limit` of
them are evaluated in a window."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from assess.models import Throttle


def attempt(key, *, limit, window):
    """Count one try under `key`; True if it is within `limit` tries in `window` seconds.

    The count is read and raised under a row lock (SELECT ... FOR UPDATE; SQLite takes its
    write lock when the transaction starts), so concurrent requests are counted one after
    the other; a window that has passed starts again from nothing."""
    now = timezone.now()
    # Windows that have passed, of any key: the table holds only the current ones.
    Throttle.objects.filter(expires__lte=now - timedelta(seconds=window)).delete()
    with transaction.atomic():
        row = Throttle.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    Throttle.objects.create(
                        key=key, count=1, expires=now + timedelta(seconds=window)
                    )
                return limit >= 1
            except IntegrityError:  # created by a concurrent request since: count on it
                row = Throttle.objects.select_for_update().get(key=key)
        if row.expires <= now:
            row.count, row.expires = 0, now + timedelta(seconds=window)
        row.count += 1
        row.save(update_fields=["count", "expires"])
        return row.count <= limit


def give_back(key):
    """Un-count a try that turned out not to count (the right code, say)."""
    Throttle.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)
