"""Make an API token for an organisation and print it (the only time it is shown)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assess.api.tokens import api_token_create
from assess.models import ApiToken, Membership, Organization


class Command(BaseCommand):
    help = "Make an API token for an organisation (by code or exact name) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("org", help="the organisation's code (a UUID) or its exact name")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default="read")
        parser.add_argument(
            "--user", help="e-mail of the member it acts as (default: the first owner)"
        )
        parser.add_argument("--days", type=int, default=settings.API_TOKEN_DAYS)
        parser.add_argument("--name", default="made with manage.py")

    def handle(self, *args, org, scope, user, days, name, **options):
        try:
            found = Organization.objects.filter(code=org).first()
        except ValidationError:
            found = None
        if found is None:
            named = list(Organization.objects.filter(name=org)[:2])
            if len(named) != 1:
                raise CommandError(
                    f"No organisation has the code or the name {org!r}"
                    if not named
                    else f"Several organisations are named {org!r}: give its code."
                )
            found = named[0]
        members = Membership.objects.filter(organization=found).select_related("user")
        if user:
            membership = members.filter(user__email__iexact=user).first()
            if membership is None:
                raise CommandError(f"{user} is not a member of {found.name}.")
        else:
            membership = members.filter(role=Membership.Role.OWNER).order_by("created").first()
            if membership is None:
                raise CommandError(f"{found.name} has no owner: name a member with --user.")
        if not 1 <= days <= 3650:
            raise CommandError("Give --days from 1 to 3650.")
        token, secret = api_token_create(
            organization=found, user=membership.user, name=name, scope=scope, days=days
        )
        self.stderr.write(
            f"Token {token.prefix}... for {found.name} ({found.code}), scope {scope}, acting "
            f"as {membership.user.email}, expires {token.expires:%Y-%m-%d}. It is not shown again."
        )
        self.stdout.write(secret)
