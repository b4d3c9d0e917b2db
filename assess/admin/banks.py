"""A question bank version's page: its fields and thresholds, its sections (drag them into
order) and the list of its questions, each a link to its own page; and the version's life
(publish, new draft, retire, export, import, preview)."""

import io
import zipfile
from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assess import rules
from assess.admin import gates
from assess.admin.base import (
    BankAdminBase,
    SortableInline,
    SortableLabelledFormSet,
    labelled_formset,
)
from assess.admin.forms import BankImportForm, QuestionBankForm, SectionForm
from assess.admin.parts import ReadOnlyInline
from assess.banks.format import MAX_IMPORT_BYTES, BankError
from assess.banks.services import (
    bank_import_document,
    bank_new_draft,
    bank_publish,
    bank_retire,
    publish_problems,
    translation_gaps,
)
from assess.banks.store import bank_dumps, bank_export
from assess.models import Question, QuestionBank, Section


def _problem_list(problems):
    return render_to_string("admin/assess/questionbank/problems.html", {"problems": problems})


def _bank_of(request, object_id, model_admin):
    bank = model_admin.get_object(request, object_id)
    if bank is None:
        raise Http404
    return bank


class SectionInline(SortableInline):
    """The sections in order: drag a row by its handle (or use its arrows) and save. Each
    section's introduction and the order of its questions are on the section's own page."""

    model = Section
    form = SectionForm
    formset = labelled_formset(SortableLabelledFormSet, "section")
    fields = ("title", "code", "who_knows")
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        from django import forms

        kwargs["widgets"] = {
            "title": forms.TextInput(attrs={"size": 40}),
            "code": forms.TextInput(attrs={"size": 14}),
            "who_knows": forms.TextInput(attrs={"size": 40}),
        }
        return super().get_formset(request, obj, **kwargs)


class SectionReadOnlyInline(ReadOnlyInline):
    model = Section
    fields = ("title", "code", "who_knows")
    readonly_fields = fields
    show_change_link = True


def bank_contents(bank):
    """The bank's sections, each with its questions, for the list on the bank's page."""
    questions = {}
    for q in (
        Question.objects.filter(bank=bank)
        .select_related("show_if_question")
        .annotate(n_choices=Count("choices"))
        .order_by("order", "id")
    ):
        questions.setdefault(q.section_id, []).append(q)
    return [
        (section, questions.get(section.pk, []))
        for section in Section.objects.filter(bank=bank).order_by("order", "id")
    ]


@admin.register(QuestionBank)
class QuestionBankAdmin(BankAdminBase, admin.ModelAdmin):
    form = QuestionBankForm
    list_display = ("name", "slug", "version", "status", "published_at", "assessment_count")
    list_filter = ("status", "slug")
    search_fields = ("name", "slug", "description")
    actions = ["new_draft_action", "publish_action", "retire_action", "export_action"]
    change_form_template = "admin/assess/questionbank/change_form.html"
    change_list_template = "admin/assess/questionbank/change_list.html"
    readonly_fields = ("status", "published_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_assessments=Count("assessments"))

    @admin.display(description=gettext_lazy("Assessments"), ordering="n_assessments")
    def assessment_count(self, obj):
        return obj.n_assessments

    def get_fieldsets(self, request, obj=None):
        thresholds = [f"t_{n}" for n in rules.Thresholds.names()]
        if obj is not None and not obj.is_draft:
            thresholds = ["thresholds_table"]
        return [
            (
                None,
                {"fields": ["name", "slug", "version", "status", "published_at", "description"]},
            ),
            (
                _("Thresholds (0-100)"),
                {
                    "fields": thresholds,
                    "description": _(
                        "Each cut-off applies to a score from 0 to 100 that a respondent's "
                        "answers earn on one dimension; a score at or above the cut counts as "
                        "reaching it. Under each one: what it decides."
                    ),
                },
            ),
            (
                _("Gates, plans and caveats (JSON, see FORMAT.md)"),
                {
                    "fields": ["gates", "plans", "caveats"],
                    "classes": ["collapse"],
                    "description": _(
                        "Gates are easier to edit in their own form: use “Edit the gates” "
                        "at the top of the page. A JSON error names its line and column."
                    ),
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ("status", "published_at", "thresholds_table")

    @admin.display(description=gettext_lazy("Thresholds"))
    def thresholds_table(self, obj):
        return format_html(
            '<table class="thresholds"><tbody>{}</tbody></table>',
            format_html_join(
                "",
                "<tr><th>{}</th><td>{}</td></tr>",
                (
                    (
                        name.replace("_", " ").capitalize(),
                        (obj.thresholds or {}).get(name, "—"),
                    )
                    for name in rules.Thresholds.names()
                ),
            ),
        )

    def get_inlines(self, request, obj):
        if obj is not None and not obj.is_draft:
            return [SectionReadOnlyInline]
        return [SectionInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                bank=obj,
                contents=bank_contents(obj),
                can_change_banks=super().has_change_permission(request),
                can_add_questions=obj.is_draft and request.user.has_perm("assess.add_question"),
                bank_assessments=obj.assessments.count(),
                newer=QuestionBank.objects.filter(slug=obj.slug, version__gt=obj.version)
                .order_by("-version")
                .first(),
            )
            if obj.is_draft and request.method == "GET":
                document = bank_export(obj)  # read once for both checks
                context["problems"] = publish_problems(obj, document)
                context["gaps"] = translation_gaps(obj, document)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- URLs of the bank's own pages

    def get_urls(self):
        from assess.admin import preview

        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/", wrap(preview.preview_start), name="assess_questionbank_preview"
            ),
            path(
                "<int:pk>/preview/s/<int:number>/",
                wrap(preview.preview_section),
                name="assess_questionbank_preview_section",
            ),
            path(
                "<int:pk>/preview/review/",
                wrap(preview.preview_review),
                name="assess_questionbank_preview_review",
            ),
            path(
                "<int:pk>/preview/restart/",
                wrap(preview.preview_restart),
                name="assess_questionbank_preview_restart",
            ),
            path("import/", wrap(self.import_view), name="assess_questionbank_import"),
            path(
                "<path:object_id>/gates/",
                wrap(partial(gates.gates_view, self)),
                name="assess_questionbank_gates",
            ),
            path(
                "<path:object_id>/publish/",
                wrap(self.publish_view),
                name="assess_questionbank_publish",
            ),
            path(
                "<path:object_id>/new-draft/",
                wrap(self.new_draft_view),
                name="assess_questionbank_new_draft",
            ),
            path(
                "<path:object_id>/retire/",
                wrap(self.retire_view),
                name="assess_questionbank_retire",
            ),
            path(
                "<path:object_id>/export/",
                wrap(self.export_view),
                name="assess_questionbank_export",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, bank, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "bank": bank,
            "original": bank,
            "title": title,
            "has_view_permission": True,
        }

    def _confirm(self, request, object_id, *, kind, title, run, permission):
        bank = _bank_of(request, object_id, self)
        if not permission(request):
            raise PermissionDenied
        change_url = reverse("admin:assess_questionbank_change", args=[bank.pk])
        if request.method == "POST":
            try:
                result = run(bank=bank, user=request.user)
            except BankError as e:
                self.message_user(
                    request,
                    format_html("{} {}", _("Nothing changed:"), _problem_list(e.problems)),
                    messages.ERROR,
                )
                return HttpResponseRedirect(change_url)
            self.message_user(request, _("Done: %(bank)s.") % {"bank": result}, messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:assess_questionbank_change", args=[result.pk])
            )
        context = self._context(request, bank, title)
        context.update(
            {
                "kind": kind,
                "problems": publish_problems(bank) if kind == "publish" else [],
                "gaps": translation_gaps(bank) if kind == "publish" else [],
                "assessments": bank.assessments.count(),
                "current": QuestionBank.objects.current(bank.slug),
                "change_url": change_url,
            }
        )
        return TemplateResponse(request, "admin/assess/questionbank/confirm.html", context)

    def publish_view(self, request, object_id):
        return self._confirm(
            request,
            object_id,
            kind="publish",
            title=_("Publish this version"),
            run=bank_publish,
            permission=lambda r: super(QuestionBankAdmin, self).has_change_permission(r),
        )

    def new_draft_view(self, request, object_id):
        return self._confirm(
            request,
            object_id,
            kind="new_draft",
            title=_("Create a new draft version"),
            run=bank_new_draft,
            permission=self.has_add_permission,
        )

    def retire_view(self, request, object_id):
        return self._confirm(
            request,
            object_id,
            kind="retire",
            title=_("Retire this version"),
            run=bank_retire,
            permission=lambda r: super(QuestionBankAdmin, self).has_change_permission(r),
        )

    def export_view(self, request, object_id):
        bank = _bank_of(request, object_id, self)
        if not self.has_view_permission(request, bank):
            raise PermissionDenied
        return _json_download(bank)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        problems = []
        if request.method == "POST":
            form = BankImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    bank = bank_import_document(
                        data=form.document,
                        user=request.user,
                        as_next=form.cleaned_data["as_next"],
                        source=form.cleaned_data["file"].name,
                    )
                except BankError as e:
                    problems = e.problems
                else:
                    self.message_user(
                        request,
                        _("Imported %(bank)s as a draft. Check and preview it, then publish it.")
                        % {"bank": bank},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:assess_questionbank_change", args=[bank.pk])
                    )
        else:
            form = BankImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a question bank"),
            "form": form,
            "problems": problems,
            "limit_mib": MAX_IMPORT_BYTES // 1024 // 1024,
        }
        return TemplateResponse(request, "admin/assess/questionbank/import.html", context)

    # --- Changelist actions

    def _each(self, request, queryset, run, done):
        ok = 0
        for bank in queryset.order_by("slug", "version"):
            try:
                result = run(bank=bank, user=request.user)
            except BankError as e:
                self.message_user(
                    request,
                    format_html("{}: {}", str(bank), _problem_list(e.problems)),
                    messages.ERROR,
                )
            else:
                ok += 1
                self.message_user(request, done % {"bank": result}, messages.SUCCESS)
        return ok

    @admin.action(description=gettext_lazy("Create a new draft version"), permissions=["add"])
    def new_draft_action(self, request, queryset):
        self._each(request, queryset, bank_new_draft, _("Created %(bank)s."))

    @admin.action(description=gettext_lazy("Publish"), permissions=["change"])
    def publish_action(self, request, queryset):
        self._each(request, queryset, bank_publish, _("Published %(bank)s."))

    @admin.action(description=gettext_lazy("Retire"), permissions=["change"])
    def retire_action(self, request, queryset):
        self._each(request, queryset, bank_retire, _("Retired %(bank)s."))

    @admin.action(description=gettext_lazy("Export as JSON"), permissions=["view"])
    def export_action(self, request, queryset):
        banks = list(queryset.order_by("slug", "version"))
        if len(banks) == 1:
            return _json_download(banks[0])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for bank in banks:
                archive.writestr(_filename(bank), bank_dumps(bank_export(bank)))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="question-banks.zip"'
        return response


def _filename(bank):
    return f"{bank.slug}-v{bank.version}.json"


def _json_download(bank):
    response = HttpResponse(
        bank_dumps(bank_export(bank)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(bank)}"'
    return response
