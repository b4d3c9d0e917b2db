import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a local admin with a random password if there is no superuser yet."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "An admin account exists. Forgot its password? "
                "Run: .venv/bin/python manage.py changepassword admin@localhost"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin@localhost", "admin@localhost", password)
        bar = "=" * 64
        self.stdout.write(
            f"{bar}\nCreated a local admin account. Sign in at /accounts/login/ with\n"
            f"  email:    admin@localhost\n  password: {password}\n"
            f"It is shown only now; keep it somewhere safe.\n{bar}"
        )
