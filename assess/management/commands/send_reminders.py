import datetime

from django.core.management.base import BaseCommand, CommandError

from assess.holdings import reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders due today for the task worker to e-mail: memberships renewing "
        "soon and yearly re-assessments. Run daily from cron; a reminder is queued once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days ahead of a renewal (RENEWAL_REMINDER_DAYS).",
        )
        parser.add_argument("--today", default=None, help="The date to act as today, YYYY-MM-DD.")

    def handle(self, *args, days=None, today=None, **options):
        try:
            when = datetime.date.fromisoformat(today) if today else None
        except ValueError as e:
            raise CommandError("--today: expected a date YYYY-MM-DD") from e
        sent = reminders.send_due(today=when, days=days)
        self.stdout.write(f"Reminders sent: {sent} (queued; the task worker delivers them).")
