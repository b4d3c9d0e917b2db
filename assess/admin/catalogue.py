"""The alliance catalogue, organisations and assessments in the admin."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from assess import translations as i18n
from assess.admin.translated import side_by_side, translated_form
from assess.models import Alliance, Assessment, Membership, Organization
from assess.ownership import deletion

_WIDE = i18n.ALLIANCE_FIELDS
_TRANSLATED = (*i18n.ALLIANCE_NAME_FIELDS, *i18n.ALLIANCE_FIELDS)


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "track", "level", "facts_as_of", "confidence", "active")
    list_filter = ("kind", "track", "level", "confidence", "active")
    search_fields = ("name", "slug", "summary", "eligibility")
    list_editable = ("active",)
    form = translated_form(forms.ModelForm, Alliance, _TRANSLATED, wide=_WIDE)
    fieldsets = [
        (
            None,
            {
                "fields": side_by_side(
                    ["name", "slug", "kind", "track", "level", "active", "summary", "url"],
                    _TRANSLATED,
                )
            },
        ),
        (
            gettext_lazy("Who it fits"),
            {
                "fields": [
                    "sectors",
                    "suppliers",
                    "countries",
                    "size_bands",
                    "requires_tags",
                    "requires_any_tags",
                    "excludes_tags",
                    "newcomer_level",
                    "exclusions",
                    "friction",
                ]
            },
        ),
        (
            gettext_lazy("Facts"),
            {
                "fields": side_by_side(
                    [
                        "eligibility",
                        "cost",
                        "free",
                        "commitments",
                        "facts_as_of",
                        "confidence",
                        "sources",
                        "secondary_sources",
                    ],
                    i18n.ALLIANCE_FIELDS,
                )
            },
        ),
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "size_band", "created")
    list_filter = ("sector", "size_band")
    search_fields = ("name",)
    inlines = [MembershipInline]

    # Deleting here purges at once, as `cleanup` does after an owner's grace period: every row
    # naming the organisation, the accounts that belonged to it alone and the admin-log
    # entries about it (the deletion's own among them).
    def delete_model(self, request, obj):
        deletion.organization_purge(obj)

    def delete_queryset(self, request, queryset):
        for org in queryset:
            deletion.organization_purge(org)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("organization", "bank", "status", "kind", "created", "submitted_at")
    list_filter = ("status", "kind")
    list_select_related = ("organization", "bank")

    # Assessments change only through the app (answers, submit): a result is frozen, and an
    # edit here could break that promise or the submitted-has-result constraint.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
