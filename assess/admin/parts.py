"""The parts of a bank version, each on its own page: a section lists its questions (drag them
into order), a question edits its choices (drag them into order). Published parts are shown,
never editable."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from assess import translations as i18n
from assess.admin.base import (
    BankAdminBase,
    DraftOnlyAdmin,
    LabelledFormSet,
    SortableInline,
    SortableLabelledFormSet,
    labelled_formset,
)
from assess.admin.forms import BankOptions, ChoiceForm, QuestionForm, SectionForm, points_fields
from assess.admin.translated import (
    add_translation_displays,
    side_by_side,
    translated_form,
    translated_names,
)
from assess.models import Choice, Question, Section


def points_display(obj):
    return ", ".join(f"{d} {v:g}" for d, v in (obj.points or {}).items() if v) or "—"


def show_if_display(obj):
    if not obj.show_if_question_id:
        return "—"
    return f"{obj.show_if_question.code} ∈ {', '.join(obj.show_if_choices)}"


class ReadOnlyInline(admin.TabularInline):
    """Rows of a published or retired version: shown, never editable."""

    extra = 0
    can_delete = False
    formset = LabelledFormSet

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Choices, on the question's page ----------------------------------------------------------


class ChoiceInline(SortableInline):
    model = Choice
    fk_name = "question"
    form = translated_form(ChoiceForm, Choice, i18n.CHOICE_FIELDS, size=20)
    formset = labelled_formset(SortableLabelledFormSet, "choice")
    fields = (
        "code",
        "label",
        *translated_names(i18n.CHOICE_FIELDS),
        *points_fields(),
        "tags",
        "sizes",
        "is_unknown",
    )
    classes = ("bank-choices",)
    verbose_name_plural = gettext_lazy("Choices (points per dimension, 0 to 4)")


class ChoiceReadOnlyInline(ReadOnlyInline):
    model = Choice
    fk_name = "question"
    fields = (
        "code",
        "label",
        *translated_names(i18n.CHOICE_FIELDS),
        "points_shown",
        "tags",
        "sizes",
        "is_unknown",
    )
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Choices")

    @admin.display(description=gettext_lazy("Points"))
    def points_shown(self, obj):
        return points_display(obj)


# --- Questions, on their section's page -------------------------------------------------------


class _QuestionRows:
    model = Question
    fk_name = "section"
    fields = ("question", "kind", "required", "choice_count", "condition")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Questions")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("show_if_question")
            .annotate(n_choices=Count("choices"))
            .order_by("order", "id")
        )

    @admin.display(description=gettext_lazy("Question"))
    def question(self, obj):
        return format_html(
            '<a href="{}">{}</a> {}', _change_url("question", obj.pk), obj.code, obj.text
        )

    @admin.display(description=gettext_lazy("Choices"))
    def choice_count(self, obj):
        return obj.n_choices

    @admin.display(description=gettext_lazy("Shown only if"))
    def condition(self, obj):
        return show_if_display(obj)


class QuestionOrderInline(_QuestionRows, SortableInline):
    """The section's questions in order: drag a row by its handle (or use its arrows) and save."""

    formset = labelled_formset(SortableLabelledFormSet, "question")
    ordering = ("order", "id")  # within the section (sortable2 reads the first)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # on the question's own page, with its choices


class QuestionReadOnlyInline(_QuestionRows, ReadOnlyInline):
    pass


def _change_url(model_name, pk):
    from django.urls import reverse

    return reverse(f"admin:assess_{model_name}_change", args=[pk])


@admin.register(Section)
class SectionAdmin(BankAdminBase, DraftOnlyAdmin):
    form = translated_form(SectionForm, Section, i18n.SECTION_FIELDS, wide=("intro",))
    history_name = "section"
    change_form_template = "admin/assess/bank_part_change_form.html"
    list_display = ("title", "code", "bank")
    list_select_related = ("bank",)

    def get_fields(self, request, obj=None):
        return side_by_side(("bank", "title", "code", "who_knows", "intro"), i18n.SECTION_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("bank",)

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [QuestionOrderInline if obj.bank.is_draft else QuestionReadOnlyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("bank")

    def get_model_perms(self, request):
        return {}  # reached from its bank's page, not listed on the admin index

    def has_add_permission(self, request):
        return False  # added on its bank's page

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["bank"] = obj.bank
            if obj.bank.is_draft and self.has_add_question_permission(request):
                context["add_question_url"] = f"{_add_url('question')}?section={obj.pk}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_add_question_permission(self, request):
        return request.user.has_perm("assess.add_question")


def _add_url(model_name):
    from django.urls import reverse

    return reverse(f"admin:assess_{model_name}_add")


@admin.register(Question)
class QuestionAdmin(BankAdminBase, DraftOnlyAdmin):
    """One question with its choices; every change also shows in its bank's history."""

    form = translated_form(QuestionForm, Question, i18n.QUESTION_FIELDS, wide=i18n.QUESTION_FIELDS)
    history_name = "question"
    change_form_template = "admin/assess/bank_part_change_form.html"
    list_display = ("code", "text", "bank", "section", "kind", "required", "weight", "show_if")
    list_filter = ("bank", "section__code", "kind", "required")
    search_fields = ("code", "text", "help")
    list_select_related = ("section", "bank", "show_if_question")
    # The form's own fields, with the bank first and the condition's answers after them.
    fields = side_by_side(
        ("bank", *QuestionForm.Meta.fields, "show_if_choices"), i18n.QUESTION_FIELDS
    )

    @admin.display(description=gettext_lazy("Shown only if"))
    def show_if(self, obj):
        return show_if_display(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("bank", "section")

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else self.fields[1:]

    def get_readonly_fields(self, request, obj=None):
        return ("bank",) if obj is not None else ()

    def get_inlines(self, request, obj):
        if obj is not None and not obj.bank.is_draft:
            return [ChoiceReadOnlyInline]
        return [ChoiceInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "show_if_question" and hasattr(field.widget, "can_add_related"):
            # It names an existing, earlier question: no "add" or "delete" beside it.
            field.widget.can_add_related = field.widget.can_delete_related = False
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        options = BankOptions(obj.bank) if obj is not None else None

        class BoundQuestionForm(form):
            def __init__(self, *args, **kw):
                kw.setdefault("options", options)
                super().__init__(*args, **kw)

        return BoundQuestionForm

    def save_model(self, request, obj, form, change):
        if obj.section_id:
            obj.bank_id = obj.section.bank_id
        if obj.pk is None or "section" in form.changed_data:
            # New here, or moved here: it goes after the section's other questions.
            last = (
                Question.objects.filter(section_id=obj.section_id)
                .exclude(pk=obj.pk)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            obj.order = (last or 0) + 1
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(bank=obj.bank, section=obj.section)
        return super().render_change_form(request, context, add, change, form_url, obj)


add_translation_displays(ChoiceReadOnlyInline, Choice, i18n.CHOICE_FIELDS)
add_translation_displays(SectionAdmin, Section, i18n.SECTION_FIELDS)
add_translation_displays(QuestionAdmin, Question, i18n.QUESTION_FIELDS)
