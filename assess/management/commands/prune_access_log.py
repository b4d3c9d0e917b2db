from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from assess.models import AccessEvent


class Command(BaseCommand):
    help = "Delete access log entries older than ACCESS_LOG_DAYS (run it daily, from cron)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.ACCESS_LOG_DAYS)
        deleted, _ = AccessEvent.objects.filter(created__lt=cutoff).delete()
        self.stdout.write(
            f"Deleted {deleted} access log entries older than {settings.ACCESS_LOG_DAYS} days."
        )
