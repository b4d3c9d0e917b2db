"""Workshops: a facilitated assessment, its participants, and the throttle on wrong
workshop codes."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assess.models.assessments import Assessment
from assess.models.organizations import new_token


def new_short_code():
    # No 0/O or 1/I/L: the code is read aloud and typed in a workshop room.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class WorkshopQuerySet(models.QuerySet):
    def for_user(self, user):
        """The workshops of the user's organisations' assessments."""
        return self.filter(assessment__in=Assessment.objects.for_user(user))


class Workshop(models.Model):
    """A facilitated assessment: participants answer on their own, the facilitator settles
    the consensus, which is the assessment's own answer set."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    assessment = models.OneToOneField(
        Assessment, models.CASCADE, related_name="workshop", verbose_name=_("assessment")
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    join_token = models.CharField(_("join token"), max_length=64, unique=True, default=new_token)
    short_code = models.CharField(
        _("short code"), max_length=8, unique=True, default=new_short_code
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    show_names = models.BooleanField(_("show participants' names on the board"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Participants' names and comments replaced after WORKSHOP_NAMES_RETENTION_DAYS
    # (assess/ownership/retention.py).
    anonymised = models.BooleanField(_("anonymised"), default=False, editable=False)

    objects = WorkshopQuerySet.as_manager()

    def __str__(self):
        return f"Workshop for {self.assessment}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class Participant(models.Model):
    class Role(models.TextChoices):
        CISO = "ciso", _("CISO or security lead")
        CIO = "cio", _("CIO or IT lead")
        LEGAL = "legal", _("Legal counsel")
        RISK = "risk", _("Risk or compliance")
        BOARD = "board", _("Board or executive")
        OTHER = "other", _("Other")

    workshop = models.ForeignKey(
        Workshop, models.CASCADE, related_name="participants", verbose_name=_("workshop")
    )
    name = models.CharField(_("your name"), max_length=120)
    role = models.CharField(_("your role"), max_length=10, choices=Role.choices)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    last_section = models.PositiveIntegerField(_("last section"), default=1)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Throttle(models.Model):
    """A count of attempts under one key (say, wrong workshop codes from one address) in a
    window of time. Counted in the database with an atomic UPDATE, so concurrent requests on
    every app server share one exact count; see `assess.people.throttle`."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires = models.DateTimeField(_("expires"), db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
