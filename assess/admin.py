from django.contrib import admin

from assess.models import (
    Alliance,
    Assessment,
    Choice,
    Membership,
    Organization,
    Question,
    QuestionBank,
    Section,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "code", "title", "intro")


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "version", "status", "published_at")
    list_filter = ("status", "slug")
    search_fields = ("name", "slug")
    inlines = [SectionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("order", "code", "label", "points", "tags", "is_unknown")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "section", "kind", "required", "weight")
    list_filter = ("bank", "section__code", "kind", "required")
    search_fields = ("code", "text")
    list_select_related = ("section",)
    raw_id_fields = ("show_if_question",)
    inlines = [ChoiceInline]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "track", "level", "facts_as_of", "confidence", "active")
    list_filter = ("kind", "track", "confidence", "active")
    search_fields = ("name", "slug", "summary")


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


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("organization", "bank", "status", "kind", "created", "submitted_at")
    list_filter = ("status", "kind")
    list_select_related = ("organization", "bank")
    readonly_fields = ("code", "result", "submitted_at", "submitted_by", "created_by")
