"""The controls mapping (what alliance membership gives an auditor) in the admin: an editor
changes a control's texts, who it applies to and what meets it; `Control.clean` runs the
same checks as the import (assess/holdings/controls.py)."""

from django import forms
from django.contrib import admin

from assess.admin.translated import side_by_side, translated_form
from assess.holdings.controls import TEXT_FIELDS
from assess.models import Control


@admin.register(Control)
class ControlAdmin(admin.ModelAdmin):
    list_display = ("framework", "reference", "title", "source_as_of", "active")
    list_filter = ("framework", "active")
    search_fields = ("key", "framework", "reference", "title")
    form = translated_form(forms.ModelForm, Control, TEXT_FIELDS, wide=("summary", "evidence"))
    fields = side_by_side(
        [
            "key",
            "framework",
            "reference",
            "title",
            "summary",
            "evidence",
            "sectors",
            "countries",
            "met_by",
            "source",
            "source_as_of",
            "order",
            "active",
        ],
        TEXT_FIELDS,
    )
