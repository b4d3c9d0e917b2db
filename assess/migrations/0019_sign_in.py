"""Sign-in hardening (issue 26).

VerifiedAddress: the address an account has shown it receives mail at. Accounts already in
the database count as verified when they showed it before this existed:
- an accepted e-mailed invitation sent to the account's current address (its link went to
  that mailbox and only that address may accept it);
- an account with no usable password: single sign-on created it, and it can only be reached
  through the provider, which vouched for the address.
Every other account (signed up with a password, created in the admin) is unverified until it
opens a link sent to its address; it keeps its memberships meanwhile.

Recovery codes are stored as a hash (a copy of the database no longer reveals them): the
codes already issued are hashed here, so they keep working."""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def recovery_code_hash(code):
    # As assess.two_factor.recovery_code_hash (a copy: a migration must not follow the app).
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def verify_existing(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Invitation = apps.get_model("assess", "Invitation")
    VerifiedAddress = apps.get_model("assess", "VerifiedAddress")
    done = set()
    for invitation in Invitation.objects.filter(accepted_by__isnull=False).select_related(
        "accepted_by"
    ):
        user = invitation.accepted_by
        if user.pk not in done and user.email and invitation.email.lower() == user.email.lower():
            VerifiedAddress.objects.create(user=user, email=user.email.lower(), how="invitation")
            done.add(user.pk)
    unusable = "!"  # UNUSABLE_PASSWORD_PREFIX: set_unusable_password()
    for user in User.objects.filter(password__startswith=unusable).exclude(email=""):
        if user.pk not in done:
            VerifiedAddress.objects.create(user=user, email=user.email.lower(), how="sso")
            done.add(user.pk)


def hash_recovery_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.filter(device__name="recovery"):
        token.token = recovery_code_hash(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("assess", "0018_result_digest"),
        ("otp_static", "0003_add_timestamps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VerifiedAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254)),
                ("verified_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("how", models.CharField(max_length=20)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verified_address",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(verify_existing, migrations.RunPython.noop),
        migrations.RunPython(hash_recovery_codes, migrations.RunPython.noop),
    ]
