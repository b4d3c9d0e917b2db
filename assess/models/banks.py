"""Question banks: a versioned bank, its sections, questions and choices. A published
version never changes (`DraftOnlyMixin`); editing means a new draft."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assess import translations as i18n


def translations_field():
    """The translations of a row's texts, by language ({"fr": {"field": "text"}}): banks, their
    parts and the catalogue (`assess.translations` picks one)."""
    return models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Translations of the texts, by language: {"fr": {"field": "text"}}.'),
    )


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

    slug = models.SlugField(_("slug"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    thresholds = models.JSONField(_("thresholds"), default=dict)
    plans = models.JSONField(_("plans"), default=dict, blank=True)
    caveats = models.JSONField(_("caveats"), default=list, blank=True)
    # Knock-out rules: answers that cap a track whatever the scores (docs/decision-model.md).
    gates = models.JSONField(_("gates"), default=list, blank=True)
    translations = translations_field()
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

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
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
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
    def shown_name(self):
        """The name in the active language (English, marked as such, where untranslated)."""
        return i18n.pick(self.name, self.translations, "name", i18n.current())

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class Section(DraftOnlyMixin, models.Model):
    bank = models.ForeignKey(
        QuestionBank, models.CASCADE, related_name="sections", verbose_name=_("bank")
    )
    code = models.SlugField(_("code"), max_length=50)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("intro"), blank=True)
    who_knows = models.CharField(
        _("who knows"),
        max_length=200,
        blank=True,
        help_text=_("Who in a company usually knows these answers; named when they are unknown."),
    )
    translations = translations_field()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="one_section_code")]

    def __str__(self):
        return self.title


class Question(DraftOnlyMixin, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTI = "multi", _("Several answers")

    section = models.ForeignKey(
        Section, models.CASCADE, related_name="questions", verbose_name=_("section")
    )
    # Denormalised from the section so codes are unique per bank in the database.
    bank = models.ForeignKey(
        QuestionBank, models.CASCADE, related_name="questions", verbose_name=_("bank")
    )
    code = models.CharField(_("code"), max_length=30)
    text = models.TextField(_("text"))
    help = models.TextField(_("help"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField(_("required"), default=True)
    weight = models.FloatField(_("weight"), default=1.0)
    is_fact = models.BooleanField(
        _("fact"),
        default=False,
        help_text=_(
            "The answer is a fact the company does not decide (its business, designation, "
            "attacks suffered); “what would change this” never proposes to change it."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    show_if_question = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="dependents"
    )
    show_if_choices = models.JSONField(_("show if choices"), default=list, blank=True)
    translations = translations_field()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="one_question_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:60]}"


class Choice(DraftOnlyMixin, models.Model):
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    # Denormalised from the question so the bank's admin page can edit choices inline.
    bank = models.ForeignKey(
        QuestionBank, models.CASCADE, related_name="choices", verbose_name=_("bank")
    )
    code = models.CharField(_("code"), max_length=30)
    label = models.CharField(_("label"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)
    points = models.JSONField(_("points"), default=dict, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    is_unknown = models.BooleanField(
        _("is unknown"), default=False, help_text=_("“Don't know”: counts as missing, not as zero.")
    )
    sizes = models.JSONField(
        _("sizes"),
        default=list,
        blank=True,
        help_text=_(
            "Size bands for which this answer is plausible (empty: any); "
            "“what would change this” proposes it to no other."
        ),
    )
    translations = translations_field()

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
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
