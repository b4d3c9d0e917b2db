"""What the question bank's admin pages share: drag-and-drop ordering (django-admin-sortable2),
an accessible name on every input of a table of rows, and one history per bank version."""

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assess.banks import limits

BANK_MEDIA = forms.Media(
    js=["js/admin_bank.js"],
    css={"all": ["css/admin_bank.css"]},
)


class BankAdminBase(SortableAdminBase):
    """A page whose rows can be dragged into order, with the bank pages' own style and script.

    sortable2 names a patched copy of the changelist's actions.js after the running Django
    version and ships none for 6.1; these pages have no changelist rows to sort, so Django's own
    actions.js stays."""

    @property
    def media(self):
        media = super().media
        js = [
            "admin/js/actions.js"
            if str(getattr(s, "_path", s)).startswith("adminsortable2/js/actions-")
            else s
            for s in media._js
        ]
        return forms.Media(css=media._css, js=js) + BANK_MEDIA


class LabelledRowsMixin:
    """Gives every input of an inline row a name a screen reader can say ("Label, choice
    team"): a table's column headings do not label its inputs."""

    row_noun = gettext_lazy("row")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk:
            row = f"{self.row_noun} {self.row_name(form.instance)}"
        else:
            row = _("new %(noun)s") % {"noun": self.row_noun}
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = field.label or name.replace("_", " ").capitalize()
            if name == "DELETE":
                label = _("Delete")
            field.widget.attrs["aria-label"] = f"{label}, {row}"

    def row_name(self, obj):
        return getattr(obj, "code", None) or str(obj)


class LabelledFormSet(LabelledRowsMixin, BaseInlineFormSet):
    pass


class SortableLabelledFormSet(LabelledRowsMixin, CustomInlineFormSet):
    pass


def labelled_formset(base, noun):
    return type(f"{noun.title()}FormSet", (base,), {"row_noun": noun})


class PartForm(forms.ModelForm):
    """A form for a part of a bank: its texts are held to the bank's limits."""

    def clean(self):
        cleaned = super().clean()
        limits.form_limit_errors(self)
        return cleaned


class SortableInline(SortableTabularInline):
    # sortable2 picks its template by the running Django version and has none for 6.1; the
    # admin's tabular inline template did not change from 6.0 to 6.1 (tests/test_admin_pages.py
    # compares them), so its 6.0 copy fits.
    template = "adminsortable2/edit_inline/tabular-django-6.0.html"
    extra = 0


class DraftOnlyAdmin(admin.ModelAdmin):
    """A part of a bank version: editable while the version is a draft, read-only after, and
    every change is also written to its bank version's history."""

    history_name = ""

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.bank.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.bank.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def _log_on_bank(self, request, obj, message):
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=[obj.bank], action_flag=CHANGE, change_message=message
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._log_on_bank(
            request, obj, [{"added": {"name": self.history_name, "object": str(obj)}}]
        )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        bank_message = []
        for item in message:
            if "changed" in item and "name" not in item["changed"]:
                item = {
                    "changed": {"name": self.history_name, "object": str(obj), **item["changed"]}
                }
            bank_message.append(item)
        if bank_message:
            self._log_on_bank(request, obj, bank_message)
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._log_on_bank(
                request, obj, [{"deleted": {"name": self.history_name, "object": str(obj)}}]
            )
        return super().log_deletions(request, queryset)
