import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from assess import limits, rules
from assess import translations as i18n

SECTORS = [
    ("financial_services", _("Financial services")),
    ("healthcare", _("Healthcare and public health")),
    ("energy", _("Energy (electricity, oil and gas)")),
    ("water", _("Water and wastewater")),
    ("automotive", _("Automotive")),
    ("information_technology", _("Information technology and software")),
    ("cloud_hosting", _("Cloud, hosting and data centres")),
    ("cybersecurity", _("Security products and services")),
    ("telecommunications", _("Telecommunications")),
    ("government", _("Government and public sector")),
    ("defence_aerospace", _("Defence and aerospace")),
    ("manufacturing", _("Manufacturing and industry")),
    ("transport", _("Transport and logistics")),
    ("retail", _("Retail and consumer")),
    ("education", _("Education and research")),
    ("professional_services", _("Professional services")),
    ("other", _("Other")),
]

SIZE_BANDS = [
    ("micro", _("Fewer than 50 people")),
    ("small", _("50 to 249 people")),
    ("medium", _("250 to 999 people")),
    ("large", _("1,000 to 9,999 people")),
    ("enterprise", _("10,000 people or more")),
]


def new_token():
    """An unguessable token for a link: an organisation's invite, a workshop's or a
    participant's."""
    return secrets.token_urlsafe(24)


class OrganizationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The organisations the user is a member of (none for an anonymous visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(membership__user=user)


class Organization(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=40, choices=SECTORS)
    size_band = models.CharField(_("size"), max_length=20, choices=SIZE_BANDS)
    headquarters = CountryField(_("headquarters country"), blank=True)
    countries = CountryField(_("countries of operation"), multiple=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )
    # Anyone signed in who opens /orgs/join/<invite_token>/ and accepts becomes a member;
    # owners can issue a new one, which revokes the old link.
    invite_token = models.CharField(max_length=64, unique=True, default=new_token)
    # An owner's choice to let the latest submitted result count, anonymised, in peer
    # comparisons (assess/peers.py, docs/peer-comparison.md).
    peer_consent = models.BooleanField(_("contribute to peer comparisons"), default=False)
    # Members signed in without a second factor are sent to set one up before they see
    # anything of this organisation (assess/access.py).
    require_two_factor = models.BooleanField(_("require two-factor authentication"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dashboard", args=[self.code])

    def profile(self):
        return rules.Profile(
            sector=self.sector,
            countries=frozenset(c.code for c in self.countries),
            size_band=self.size_band,
            headquarters=self.headquarters.code or "",
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")
        CONSULTANT = "consultant", _("Consultant")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
    organization = models.ForeignKey(Organization, models.CASCADE)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership")
        ]

    def __str__(self):
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def role_phrase(self):
        return role_phrase(self.role)


def role_phrase(role):
    """A role as it reads inside a sentence ("join as owner"): lower case in English and
    French, a capitalised noun in German, so not the label lower-cased."""
    return {
        Membership.Role.OWNER: pgettext("role in a sentence", "owner"),
        Membership.Role.MEMBER: pgettext("role in a sentence", "member"),
        Membership.Role.CONSULTANT: pgettext("role in a sentence", "consultant"),
    }.get(role, role)


class BankLockedError(Exception):
    """A write to a question bank version that is no longer a draft.

    Every assessment pins the version it was answered on, so a published or retired version
    must never change; editing means creating a new draft version."""


def _check_draft(bank_id):
    if bank_id is None:
        return
    status = QuestionBank.objects.filter(pk=bank_id).values_list("status", flat=True).first()
    if status is not None and status != QuestionBank.Status.DRAFT:
        raise BankLockedError(
            _("This question bank version is %(status)s and cannot change. Create a new draft.")
            % {"status": status}
        )


class DraftOnlyMixin:
    """Refuses saving or deleting a part of a bank version that is not a draft."""

    def save(self, *args, **kwargs):
        _check_draft(self.bank_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _check_draft(self.bank_id)
        return super().delete(*args, **kwargs)


class QuestionBankQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=QuestionBank.Status.PUBLISHED)

    def current(self, slug="default"):
        """The newest published version of a bank, or None."""
        return self.published().filter(slug=slug).order_by("-version").first()


class QuestionBank(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(blank=True)
    thresholds = models.JSONField(default=dict)
    plans = models.JSONField(default=dict, blank=True)
    caveats = models.JSONField(default=list, blank=True)
    # Knock-out rules: answers that cap a track whatever the scores (docs/decision-model.md).
    gates = models.JSONField(default=list, blank=True)
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Translations of the texts, by language: {"fr": {"field": "text"}}.'),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = QuestionBankQuerySet.as_manager()

    # What a published version may never change (its status and publication date may).
    CONTENT_FIELDS = (
        "slug",
        "name",
        "version",
        "description",
        "thresholds",
        "plans",
        "caveats",
        "gates",
        "translations",
    )

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="one_bank_version")]

    def __str__(self):
        return f"{self.name} v{self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                QuestionBank.objects.filter(pk=self.pk)
                .exclude(status=self.Status.DRAFT)
                .values(*self.CONTENT_FIELDS)
                .first()
            )
            if stored and any(stored[f] != getattr(self, f) for f in self.CONTENT_FIELDS):
                raise BankLockedError(
                    _("A published or retired version cannot change. Create a new draft.")
                )
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class Section(DraftOnlyMixin, models.Model):
    bank = models.ForeignKey(QuestionBank, models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=50)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    who_knows = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who in a company usually knows these answers; named when they are unknown."),
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Translations of the texts, by language: {"fr": {"field": "text"}}.'),
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="one_section_code")]

    def __str__(self):
        return self.title


class Question(DraftOnlyMixin, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTI = "multi", _("Several answers")

    section = models.ForeignKey(Section, models.CASCADE, related_name="questions")
    # Denormalised from the section so codes are unique per bank in the database.
    bank = models.ForeignKey(QuestionBank, models.CASCADE, related_name="questions")
    code = models.CharField(max_length=30)
    text = models.TextField()
    help = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField(default=True)
    weight = models.FloatField(default=1.0)
    is_fact = models.BooleanField(
        _("fact"),
        default=False,
        help_text=_(
            "The answer is a fact the company does not decide (its business, designation, "
            "attacks suffered); “what would change this” never proposes to change it."
        ),
    )
    order = models.PositiveIntegerField(default=0)
    show_if_question = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="dependents"
    )
    show_if_choices = models.JSONField(default=list, blank=True)
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Translations of the texts, by language: {"fr": {"field": "text"}}.'),
    )

    class Meta:
        ordering = ["section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="one_question_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:60]}"


class Choice(DraftOnlyMixin, models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="choices")
    # Denormalised from the question so the bank's admin page can edit choices inline.
    bank = models.ForeignKey(QuestionBank, models.CASCADE, related_name="choices")
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    points = models.JSONField(default=dict, blank=True)
    tags = models.JSONField(default=list, blank=True)
    is_unknown = models.BooleanField(
        default=False, help_text=_("“Don't know”: counts as missing, not as zero.")
    )
    sizes = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Size bands for which this answer is plausible (empty: any); "
            "“what would change this” proposes it to no other."
        ),
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Translations of the texts, by language: {"fr": {"field": "text"}}.'),
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="one_choice_code")]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if Choice.question.is_cached(self):
            self.bank_id = self.question.bank_id
        elif self.question_id is not None:
            self.bank_id = (
                Question.objects.filter(pk=self.question_id).values_list("bank_id", flat=True).get()
            )
        super().save(*args, **kwargs)


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The assessments of the user's organisations."""
        return self.filter(organization__in=Organization.objects.for_user(user))

    def submitted(self):
        return self.filter(status=Assessment.Status.SUBMITTED)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        WORKSHOP = "workshop", _("Workshop")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, models.CASCADE, related_name="assessments")
    bank = models.ForeignKey(QuestionBank, models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SELF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    copied_from = models.ForeignKey("self", models.SET_NULL, null=True, blank=True)
    last_section = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    # The last PDF render queued for this assessment in each language ({"fr": task id of
    # Django's tasks framework}), so its report page says whether the PDF in the reader's
    # language is being prepared or failed.
    pdf_tasks = models.JSONField(default=dict, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="draft", submitted_at__isnull=True, result__isnull=True)
                    | Q(status="submitted", submitted_at__isnull=False, result__isnull=False)
                ),
                name="submitted_has_result",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.created:%Y-%m-%d}"

    def get_absolute_url(self):
        if self.is_draft:
            return reverse("section", args=[self.code, self.last_section])
        return reverse("result", args=[self.code])

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        # A snapshot holding text that cannot be encoded (saved before bank texts were
        # checked) must not take down every page that shows it: shown with U+FFFD instead.
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if instance.__dict__.get("result") is not None:
            instance.result = limits.printable(instance.result)
        return instance

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def outcome_label(self):
        return rules.outcome_labels()[self.result["outcome"]] if self.result else ""


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

    assessment = models.OneToOneField(Assessment, models.CASCADE, related_name="workshop")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    join_token = models.CharField(max_length=64, unique=True, default=new_token)
    short_code = models.CharField(max_length=8, unique=True, default=new_short_code)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    show_names = models.BooleanField(_("show participants' names on the board"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

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

    workshop = models.ForeignKey(Workshop, models.CASCADE, related_name="participants")
    name = models.CharField(_("your name"), max_length=120)
    role = models.CharField(_("your role"), max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    last_section = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Answer(models.Model):
    """One answer to one question: the assessment's own (participant empty), which for a
    workshop is the consensus, or one workshop participant's."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, models.CASCADE, null=True, blank=True, related_name="answers"
    )
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    comment = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=Q(participant__isnull=True),
                name="one_answer",
            ),
            models.UniqueConstraint(
                fields=["assessment", "question", "participant"],
                condition=Q(participant__isnull=False),
                name="one_answer_per_participant",
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id}/{self.question_id}"


class Alliance(models.Model):
    class Kind(models.TextChoices):
        OPS = "OPS", _("Operational alliance")
        ISAC = "ISAC", _("Sector ISAC or ISAO")
        GOV = "GOV", _("Government scheme")
        IR = "IR", _("Incident-response community")
        STD = "STD", _("Standards consortium")
        NORM = "NORM", _("Normative alliance")

    class Track(models.TextChoices):
        OPERATIONAL = "operational", _("Operational")
        NORMATIVE = "normative", _("Normative")
        RELATED = "related", _("Related")

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    track = models.CharField(max_length=12, choices=Track.choices)
    level = models.CharField(max_length=12, blank=True)
    summary = models.TextField(blank=True)
    sectors = models.JSONField(default=list, blank=True)
    suppliers = models.BooleanField(
        default=False, help_text=_("Also admits suppliers of its sectors.")
    )
    countries = models.JSONField(default=list, blank=True)
    size_bands = models.JSONField(default=list, blank=True)
    requires_tags = models.JSONField(default=list, blank=True)
    requires_any_tags = models.JSONField(default=list, blank=True)
    excludes_tags = models.JSONField(default=list, blank=True)
    eligibility = models.TextField(blank=True)
    cost = models.TextField(blank=True)
    commitments = models.TextField(blank=True)
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Translations of the texts, by language: {"fr": {"field": "text"}}.'),
    )
    url = models.URLField(blank=True)
    facts_as_of = models.DateField()
    confidence = models.CharField(max_length=3, blank=True)
    sources = models.JSONField(default=list, blank=True)
    # Leads only (news, trade press): shown as such, never as the evidence for a fact.
    secondary_sources = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def definition(self, lang=i18n.SOURCE_LANGUAGE):
        """The rules' view of this entry, its texts in `lang` (English where untranslated)."""
        text = {
            f: i18n.pick(getattr(self, f), self.translations, f, lang) for f in i18n.ALLIANCE_FIELDS
        }
        return rules.Alliance(
            slug=self.slug,
            name=self.name,
            kind=self.kind,
            track=self.track,
            level=self.level or None,
            summary=text["summary"],
            sectors=frozenset(self.sectors),
            suppliers=self.suppliers,
            countries=frozenset(self.countries),
            size_bands=frozenset(self.size_bands),
            requires_tags=frozenset(self.requires_tags),
            requires_any_tags=frozenset(self.requires_any_tags),
            excludes_tags=frozenset(self.excludes_tags),
            eligibility=text["eligibility"],
            cost=text["cost"],
            commitments=text["commitments"],
            url=self.url,
            facts_as_of=self.facts_as_of.isoformat(),
            confidence=self.confidence,
            sources=tuple(self.sources),
            secondary_sources=tuple(self.secondary_sources),
        )


class ReportPDF(models.Model):
    """The rendered PDF of a submitted assessment in one language, stored so a repeat download
    is instant. One per language: a colleague reading in German never replaces the French one.

    Kept in the database (not on local disk) so every app server behind the proxy serves the
    same file. `source_hash` identifies the exact snapshot, template and language it was made
    from."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="report_pdfs")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    content = models.BinaryField()
    source_hash = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language"], name="one_report_pdf_per_language"
            )
        ]

    def __str__(self):
        return f"Report PDF for {self.assessment_id} ({self.language})"


class UserPreference(models.Model):
    """What a signed-in person chose for themselves: the interface language, applied at
    sign-in and on every request (assess.middleware.UserLanguageMiddleware)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="preference")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)

    def __str__(self):
        return f"Preferences of {self.user_id}"


class Throttle(models.Model):
    """A count of attempts under one key (say, wrong workshop codes from one address) in a
    window of time. Counted in the database with an atomic UPDATE, so concurrent requests on
    every app server share one exact count; see `assess.throttle`."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


def new_sample_key():
    return secrets.randbits(62)


class LatestResult(models.Model):
    """An organisation's latest submitted result, in summary: what the portfolio lists and
    peer comparisons read, without loading result snapshots.

    Kept for every organisation with a submitted result, consenting or not: comparisons read
    only the rows of organisations whose `peer_consent` is on, so withdrawing consent takes
    effect on the next page. `sample_key` is random and kept for the organisation's lifetime;
    it orders the stable sample a comparison is computed from (docs/peer-comparison.md)."""

    organization = models.OneToOneField(
        Organization, models.CASCADE, primary_key=True, related_name="latest_result"
    )
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    outcome = models.CharField(max_length=20)
    operational_depth = models.CharField(max_length=20, blank=True)
    normative_depth = models.CharField(max_length=20, blank=True)
    confidence = models.FloatField(null=True)
    capacity = models.PositiveSmallIntegerField(null=True)
    sharing_tolerance = models.PositiveSmallIntegerField(null=True)
    exposure = models.PositiveSmallIntegerField(null=True)
    commitment_tolerance = models.PositiveSmallIntegerField(null=True)
    sample_key = models.BigIntegerField(default=new_sample_key, db_index=True)

    def __str__(self):
        return f"Latest result of {self.organization_id}"


# Invitations by e-mail and the access log live in their own module; Django finds models
# through this one.
from assess.membership_models import AccessEvent, Invitation  # noqa: E402, F401
