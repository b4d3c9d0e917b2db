"""The alliance catalogue: the bodies a result can name, with their facts, sources and
translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assess import rules
from assess import translations as i18n
from assess.models.banks import translations_field


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

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    level = models.CharField(_("level"), max_length=12, blank=True)
    # What it asks of a newcomer; `level` is what it expects of members over time.
    newcomer_level = models.CharField(_("newcomer level"), max_length=12, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    suppliers = models.BooleanField(
        _("suppliers"), default=False, help_text=_("Also admits suppliers of its sectors.")
    )
    countries = models.JSONField(_("countries"), default=list, blank=True)
    size_bands = models.JSONField(_("size bands"), default=list, blank=True)
    requires_tags = models.JSONField(_("requires tags"), default=list, blank=True)
    requires_any_tags = models.JSONField(_("requires any tags"), default=list, blank=True)
    excludes_tags = models.JSONField(_("excludes tags"), default=list, blank=True)
    # Who it does not admit (rules.EXCLUSIONS) and, for a pledge, what signing binds a company
    # to (rules.FRICTION_FEATURES -> true or false).
    exclusions = models.JSONField(_("exclusions"), default=list, blank=True)
    friction = models.JSONField(_("friction"), default=dict, blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    cost = models.TextField(_("cost"), blank=True)
    # Only what the operator states: a cost that is not stated is not "free".
    free = models.BooleanField(
        _("free"), default=False, help_text=_("The operator states that joining costs nothing.")
    )
    commitments = models.TextField(_("commitments"), blank=True)
    translations = translations_field()
    url = models.URLField(_("url"), blank=True)
    facts_as_of = models.DateField(_("facts as of"))
    confidence = models.CharField(_("confidence"), max_length=3, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    # Leads only (news, trade press): shown as such, never as the evidence for a fact.
    secondary_sources = models.JSONField(_("secondary sources"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        """The catalogue import's checks of the matching data (tags, exclusions, newcomer
        level, a pledge's friction profile), for an entry edited in the admin."""
        from django.core.exceptions import ValidationError

        from assess.banks.catalogue import _fit_problems
        from assess.models import SECTORS

        entry = {
            "track": self.track,
            "level": self.level or None,
            "newcomer_level": self.newcomer_level or None,
            "exclusions": self.exclusions,
            "requires_tags": self.requires_tags,
            "requires_any_tags": self.requires_any_tags,
            "excludes_tags": self.excludes_tags,
        }
        if self.friction or self.track == self.Track.NORMATIVE:
            entry["friction"] = self.friction
        problems = _fit_problems(entry, "entry", {code for code, _label in SECTORS})
        if problems:
            raise ValidationError([p.removeprefix("entry.") for p in problems])

    def definition(self, lang=i18n.SOURCE_LANGUAGE):
        """The rules' view of this entry, its texts in `lang` (English where untranslated)."""
        text = {
            f: i18n.pick(getattr(self, f), self.translations, f, lang) for f in i18n.ALLIANCE_FIELDS
        }
        return rules.Alliance(
            slug=self.slug,
            name=i18n.alliance_name(self.name, self.translations, lang),
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
            free=self.free,
            commitments=text["commitments"],
            url=self.url,
            facts_as_of=self.facts_as_of.isoformat(),
            confidence=self.confidence,
            sources=tuple(self.sources),
            secondary_sources=tuple(self.secondary_sources),
            newcomer_level=self.newcomer_level or None,
            exclusions=frozenset(self.exclusions),
            friction=rules.friction_features(self.friction),
        )
