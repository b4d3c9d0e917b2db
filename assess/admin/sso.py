from django.contrib import admin

from assess.models import SSODomain


@admin.register(SSODomain)
class SSODomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "organization", "role")
    search_fields = ("domain", "organization__name")
    autocomplete_fields = ("organization",)
