"""After the decision: the alliances an organisation belongs to and the pledges it has signed
(holdings), the reminders sent about them, and the controls they give an auditor evidence
for (assess/holdings/, docs/decision-model.md, "After the decision")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assess.models.banks import translations_field
from assess.models.catalogue import Alliance
from assess.models.organizations import Organization

# The currencies a cost may be recorded in (ISO 4217 codes): those of the countries the
# catalogue's bodies bill in, and their neighbours. Costs are summed per currency, never
# converted.
CURRENCIES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "CAD",
    "AUD",
    "NZD",
    "JPY",
    "SGD",
    "INR",
)


class HoldingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(organization__in=Organization.objects.for_user(user))


class Holding(models.Model):
    """One body the organisation belongs to, or one pledge it has signed."""

    class Depth(models.TextChoices):
        RECEIVE = "receive", _("Receive-only member")
        CONTRIBUTE = "contribute", _("Contributing member")
        SIGNATORY = "signatory", _("Signatory of a pledge")
        SUPPORTER = "supporter", _("Supporter or observer")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="holdings")
    # The catalogue's entry, if the body is in it. Its name is copied to `body_name` on save,
    # so a record stays readable when the entry is retired, renamed or deleted.
    alliance = models.ForeignKey(
        Alliance, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("body")
    )
    body_name = models.CharField(_("name of the body"), max_length=200, blank=True)
    since = models.DateField(_("member since"), null=True, blank=True)
    depth = models.CharField(_("depth"), max_length=12, choices=Depth.choices)
    tier = models.CharField(_("tier"), max_length=100, blank=True)
    annual_cost = models.DecimalField(
        _("annual cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, choices=[(c, c) for c in CURRENCIES]
    )
    renewal_date = models.DateField(_("next renewal"), null=True, blank=True)
    owner_role = models.CharField(_("internal owner (a role)"), max_length=100, blank=True)
    # Who receives the renewal reminders; the organisation's owners when nobody is named.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reminders go to"),
    )
    contribution = models.TextField(_("what we contribute"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = HoldingQuerySet.as_manager()

    class Meta:
        ordering = ["body_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_cost__isnull=True) | models.Q(annual_cost__gte=0),
                name="holding_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_cost__isnull=True) | ~models.Q(currency=""),
                name="holding_cost_has_currency",
            ),
            models.CheckConstraint(condition=~models.Q(body_name=""), name="holding_names_a_body"),
        ]

    def __str__(self):
        return self.body_name

    def save(self, *args, **kwargs):
        if self.alliance is not None:
            self.body_name = self.alliance.name
        super().save(*args, **kwargs)

    def clean(self):
        if self.alliance is not None:
            self.body_name = self.alliance.name
        if self.alliance_id is None and not self.body_name.strip():
            raise ValidationError(
                {"body_name": _("Pick a body from the catalogue or type its name.")}
            )

    @property
    def slug(self):
        return self.alliance.slug if self.alliance is not None else ""

    @property
    def retired(self):
        """The body was in the catalogue and has since been retired from it."""
        return self.alliance is not None and not self.alliance.active


class ReminderSent(models.Model):
    """A reminder e-mailed once: its key (kind, what it is about, the date it is about,
    the address) is unique, so a second run of `send_reminders` sends nothing again."""

    class Kind(models.TextChoices):
        RENEWAL = "renewal", _("Renewal")
        REASSESS = "reassess", _("Re-assessment")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    holding = models.ForeignKey(Holding, models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=300, unique=True)
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key


class ReminderOptOut(models.Model):
    """A person who unsubscribed from one organisation's reminders."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_reminder_opt_out")
        ]

    def __str__(self):
        return f"{self.user_id} in {self.organization_id}"


class Control(models.Model):
    """One control an auditor or regulator asks about that membership of a sharing body or
    a pledge helps answer: bank-like data, loaded from assess/data/controls.json
    (`load_defaults`, checked by assess/holdings/controls.py) and editable in the admin."""

    key = models.SlugField(max_length=60, unique=True)
    framework = models.CharField(max_length=120)
    reference = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    # In our own words; never the standard's text.
    summary = models.TextField()
    evidence = models.TextField()
    # Who it applies to: empty lists mean everyone.
    sectors = models.JSONField(default=list, blank=True)
    countries = models.JSONField(default=list, blank=True)
    # What answers it: {"tracks": [...], "depths": [...]}; see controls.py.
    met_by = models.JSONField(default=dict)
    source = models.URLField()
    source_as_of = models.DateField()
    order = models.PositiveSmallIntegerField(default=0)
    translations = translations_field()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "key"]

    def __str__(self):
        return f"{self.framework} {self.reference}"

    def clean(self):
        from assess.holdings.controls import control_problems

        problems = control_problems(self.document(), "control")
        if problems:
            raise ValidationError([p.removeprefix("control.") for p in problems])

    def document(self):
        """This control as an entry of controls.json."""
        return {
            "key": self.key,
            "framework": self.framework,
            "reference": self.reference,
            "title": self.title,
            "summary": self.summary,
            "evidence": self.evidence,
            "sectors": self.sectors,
            "countries": self.countries,
            "met_by": self.met_by,
            "source": self.source,
            "source_as_of": self.source_as_of.isoformat()
            if hasattr(self.source_as_of, "isoformat")
            else self.source_as_of,
            "order": self.order,
            "translations": self.translations,
        }
