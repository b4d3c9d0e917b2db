import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assess import limits, rules
from assess.bank_services import (
    bank_import_document,
    bank_new_draft,
    bank_publish,
    bank_retire,
    publish_problems,
)
from assess.banks import (
    DATA_DIR,
    MAX_IMPORT_BYTES,
    BankError,
    bank_dumps,
    bank_export,
    bank_read,
    load_json,
)
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

ADMIN_MEDIA = forms.Media(js=["js/admin_reorder.js"], css={"all": ["css/admin_bank.css"]})

THRESHOLD_HELP = {
    "operational_capacity": gettext_lazy(
        "Security capacity from which a receive-only operational membership is recommended."
    ),
    "operational_capacity_threatened": gettext_lazy(
        "The same when threat pressure on the sector is high (not above the one before)."
    ),
    "threat_high": gettext_lazy("Threat pressure counted as high."),
    "contributing_capacity": gettext_lazy(
        "Security capacity from which a contributing (not receive-only) membership fits."
    ),
    "contributing_sharing_tolerance": gettext_lazy("Appetite for sharing a contributor needs."),
    "normative_exposure": gettext_lazy("Exposure from which normative alliances are recommended."),
    "normative_commitment_tolerance": gettext_lazy(
        "Appetite for public commitments a normative pledge needs."
    ),
    "signatory_exposure": gettext_lazy(
        "Exposure from which signing (not only supporting) a normative alliance fits."
    ),
    "signatory_commitment_tolerance": gettext_lazy(
        "Appetite for public commitments a full signatory needs."
    ),
    "geopolitical_high": gettext_lazy("Geopolitical exposure counted as high."),
    "geopolitical_override_commitment_tolerance": gettext_lazy(
        "Appetite for public commitments a pledge needs when geopolitical exposure is high."
    ),
    "commitment_tolerance_low": gettext_lazy(
        "Appetite for public commitments below which high geopolitical exposure adds a caveat."
    ),
    "min_known_share": gettext_lazy(
        "Least share of known answers (%) on a dimension that could change the outcome, "
        "for a firm recommendation."
    ),
    "min_answered_share": gettext_lazy(
        "Least share of shown questions answered (%) for a firm recommendation."
    ),
}
DIMENSION_SHORT = {
    "capacity": gettext_lazy("Capacity"),
    "sharing_tolerance": gettext_lazy("Sharing"),
    "threat": gettext_lazy("Threat"),
    "exposure": gettext_lazy("Exposure"),
    "commitment_tolerance": gettext_lazy("Commit."),
    "geopolitical_exposure": gettext_lazy("Geopol."),
}


def _number(value):
    """4.0 -> 4, so a saved form writes the same JSON as the shipped files."""
    return int(value) if float(value).is_integer() else value


def _codes(text):
    return [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]


def _problem_list(problems):
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))


def _bank_of(request, object_id, model_admin):
    bank = model_admin.get_object(request, object_id)
    if bank is None:
        raise Http404
    return bank


# --- Options shared by the inline forms of one bank page -------------------------------------


class BankOptions:
    """The select options of one bank, read once per page however many rows it has."""

    def __init__(self, bank):
        self.bank = bank
        self.sections = list(Section.objects.filter(bank=bank).order_by("order", "id"))
        self.questions = list(
            Question.objects.filter(bank=bank)
            .select_related("section")
            .order_by("section__order", "order", "id")
        )
        self.question_code = {q.pk: q.code for q in self.questions}
        self.choice_codes = {}
        for qid, code in Choice.objects.filter(bank=bank).values_list("question_id", "code"):
            self.choice_codes.setdefault(qid, set()).add(code)

    @classmethod
    def of(cls, bank):
        if bank is None or bank.pk is None:
            return None
        if not hasattr(bank, "_admin_options"):
            bank._admin_options = cls(bank)
        return bank._admin_options

    def section_choices(self):
        return [("", "---------")] + [(s.pk, s.code) for s in self.sections]

    def question_choices(self):
        return [("", "---------")] + [(q.pk, f"{q.code}: {q.text}"[:40]) for q in self.questions]


class FixedChoiceWidget(forms.HiddenInput):
    """The value travels hidden; the person sees what it is."""

    def __init__(self, label, attrs=None):
        super().__init__(attrs)
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        return format_html('{}<span class="fixed-choice">{}</span>', hidden, self.label)

    @property
    def is_hidden(self):
        return False


class BankPartFormSet(BaseInlineFormSet):
    """Passes the bank's options to every row so no row queries for its select lists."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if isinstance(self.instance, QuestionBank):
            bank = self.instance
        else:
            bank = self.instance.bank if self.instance.bank_id else None
        kwargs["options"] = BankOptions.of(bank)
        return kwargs


class _OptionsForm(forms.ModelForm):
    def __init__(self, *args, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        if "order" in self.fields:  # left blank: the row goes after the others
            self.fields["order"].required = False
        if options is not None:
            # No "add another" icons beside every row's select: rows are added in place.
            for field in self.fields.values():
                if isinstance(field.widget, RelatedFieldWidgetWrapper):
                    field.widget = field.widget.widget

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def clean(self):
        cleaned = super().clean()
        limits.form_limit_errors(self)
        return cleaned


class QuestionForm(_OptionsForm):
    show_if_choices = forms.CharField(
        label=gettext_lazy("… answered with"),
        required=False,
        help_text=gettext_lazy("Choice codes of that question, separated by commas."),
        widget=forms.TextInput(attrs={"size": 9}),
    )

    class Meta:
        model = Question
        fields = (
            "bank",
            "section",
            "order",
            "code",
            "text",
            "help",
            "kind",
            "required",
            "weight",
            "is_fact",
            "show_if_question",
        )
        labels = {"show_if_question": gettext_lazy("Show only if")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "help": forms.Textarea(attrs={"rows": 2, "cols": 18}),
            "code": forms.TextInput(attrs={"size": 7}),
            "order": forms.NumberInput(attrs={"class": "vSmallNumber order-field"}),
            "weight": forms.NumberInput(attrs={"class": "vSmallNumber", "step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["show_if_choices"] = ", ".join(self.instance.show_if_choices or [])
        if self.options is not None:
            # The querysets, not only the options shown: a posted id of another bank's section
            # or question is refused as not one of the choices.
            bank = self.options.bank
            if "section" in self.fields:
                self.fields["section"].queryset = Section.objects.filter(bank=bank)
                self.fields["section"].choices = self.options.section_choices()
            if "show_if_question" in self.fields:
                self.fields["show_if_question"].queryset = Question.objects.filter(bank=bank)
                self.fields["show_if_question"].choices = [
                    c for c in self.options.question_choices() if c[0] != self.instance.pk
                ]
        elif "section" in self.fields:  # a new question on its own page: drafts only
            self.fields["section"].queryset = Section.objects.filter(
                bank__status=QuestionBank.Status.DRAFT
            ).select_related("bank")
            self.fields["show_if_question"].queryset = Question.objects.filter(
                bank__status=QuestionBank.Status.DRAFT
            )

    def clean_show_if_choices(self):
        return _codes(self.cleaned_data.get("show_if_choices"))

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("show_if_question")
        wanted = cleaned.get("show_if_choices") or []
        section = cleaned.get("section") or (
            self.instance.section if self.instance.section_id else None
        )
        if source is None:
            if wanted:
                self.add_error("show_if_question", _("Pick the question these choices belong to."))
            return cleaned
        bank_id = section.bank_id if section else self.instance.bank_id
        if source.pk == self.instance.pk:
            self.add_error("show_if_question", _("A question cannot depend on itself."))
        elif source.bank_id != bank_id:
            self.add_error("show_if_question", _("Pick a question of the same bank."))
        elif section is not None and (source.section.order, source.order) >= (
            section.order,
            cleaned.get("order") or 0,
        ):
            self.add_error(
                "show_if_question",
                _(
                    "%(code)s comes later in the bank. A condition can only depend on an "
                    "earlier question; reorder the questions or pick another one."
                )
                % {"code": source.code},
            )
        if not wanted:
            self.add_error(
                "show_if_choices",
                _("Name at least one choice code of %(code)s.") % {"code": source.code},
            )
            return cleaned
        if self.options is not None:
            known = self.options.choice_codes.get(source.pk, set())
        else:
            known = set(source.choices.values_list("code", flat=True))
        missing = [c for c in wanted if c not in known]
        if missing:
            self.add_error(
                "show_if_choices",
                _(
                    "%(code)s has no choice %(missing)s; its choices are %(known)s. "
                    "Save new choices first, then refer to them."
                )
                % {
                    "code": source.code,
                    "missing": ", ".join(missing),
                    "known": ", ".join(sorted(known)) or "none",
                },
            )
        return cleaned

    def save(self, commit=True):
        self.instance.show_if_choices = (
            self.cleaned_data.get("show_if_choices", []) if self.instance.show_if_question else []
        )
        return super().save(commit)


class _ChoiceForm(_OptionsForm):
    """Points per dimension as plain number fields, written to the `points` JSON."""

    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separated by commas; see the tag list in FORMAT.md."),
        widget=forms.TextInput(attrs={"size": 14}),
    )
    sizes = forms.CharField(
        label=gettext_lazy("Sizes"),
        required=False,
        help_text=gettext_lazy(
            "Size bands this answer is plausible for, separated by commas (empty: any): "
            "micro, small, medium, large, enterprise."
        ),
        widget=forms.TextInput(attrs={"size": 10}),
    )

    class Meta:
        model = Choice
        fields = ("question", "order", "code", "label", "is_unknown")
        widgets = {
            "code": forms.TextInput(attrs={"size": 8}),
            "label": forms.TextInput(attrs={"size": 30}),
            "order": forms.NumberInput(attrs={"class": "vSmallNumber order-field"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        points = self.instance.points or {}
        for dim in rules.DIMENSIONS:
            if f"points_{dim}" in self.fields:
                self.initial.setdefault(f"points_{dim}", points.get(dim))
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
            self.initial["sizes"] = ", ".join(self.instance.sizes or [])
        if self.options is not None and "question" in self.fields:
            self.fields["question"].queryset = Question.objects.filter(bank=self.options.bank)
            if self.instance.pk:
                # A choice stays with its question; a plain label keeps a 170-row page fast.
                label = self.options.question_code.get(self.instance.question_id, "")
                self.fields["question"].widget = FixedChoiceWidget(label=label)
            else:
                self.fields["question"].choices = self.options.question_choices()

    def clean_tags(self):
        return _codes(self.cleaned_data.get("tags"))

    def clean_sizes(self):
        sizes = _codes(self.cleaned_data.get("sizes"))
        unknown = sorted(set(sizes) - set(rules.SIZE_BANDS))
        if unknown:
            raise forms.ValidationError(
                _("Unknown size bands: %(bad)s. Use %(ok)s.")
                % {"bad": ", ".join(unknown), "ok": ", ".join(rules.SIZE_BANDS)}
            )
        return sizes

    def clean(self):
        cleaned = super().clean()
        question = cleaned.get("question")
        bank = cleaned.get("bank")
        if question is not None and bank is not None and question.bank_id != bank.pk:
            self.add_error("question", _("Pick a question of this bank."))
        return cleaned

    def save(self, commit=True):
        old = self.instance.points or {}
        points = {}
        for dim in rules.DIMENSIONS:
            value = self.cleaned_data.get(f"points_{dim}")
            if value:
                points[dim] = _number(value)
            elif dim in old and value is not None:
                points[dim] = 0  # keep an explicit zero that was there
        self.instance.points = points
        self.instance.tags = self.cleaned_data.get("tags", [])
        self.instance.sizes = self.cleaned_data.get("sizes", [])
        return super().save(commit)


ChoiceForm = type(
    "ChoiceForm",
    (_ChoiceForm,),
    {
        f"points_{dim}": forms.FloatField(
            label=DIMENSION_SHORT[dim],
            required=False,
            min_value=0,
            max_value=rules.MAX_POINTS,
            widget=forms.NumberInput(attrs={"class": "vSmallNumber points", "step": "any"}),
        )
        for dim in rules.DIMENSIONS
    },
)


def _choice_fields():
    return [f"points_{d}" for d in rules.DIMENSIONS]


def _points_display(obj):
    return ", ".join(f"{d} {_number(v)}" for d, v in (obj.points or {}).items() if v) or "—"


def _show_if_display(obj):
    if not obj.show_if_question_id:
        return "—"
    return f"{obj.show_if_question.code} ∈ {', '.join(obj.show_if_choices)}"


# --- Inlines ----------------------------------------------------------------------------------


class DraftOnlyInline:
    """Rows of a published or retired version are shown, never editable."""

    formset = BankPartFormSet
    extra = 0

    def _editable(self, obj):
        return obj is None or getattr(obj, "is_draft", True)

    def get_readonly_fields(self, request, obj=None):
        if self._editable(obj):
            return super().get_readonly_fields(request, obj)
        return self.get_fields(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        if not self._editable(obj):
            kwargs["fields"] = ()  # shown through the read-only fields above
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class SectionInline(DraftOnlyInline, admin.TabularInline):
    model = Section
    form = _OptionsForm
    fields = ("order", "code", "title", "intro", "who_knows")
    classes = ("reorderable", "compact")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["widgets"] = {
            "intro": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "order": forms.NumberInput(attrs={"class": "vSmallNumber order-field"}),
            "code": forms.TextInput(attrs={"size": 12}),
            "who_knows": forms.TextInput(attrs={"size": 24}),
        }
        return super().get_formset(request, obj, **kwargs)


class QuestionInline(DraftOnlyInline, admin.TabularInline):
    model = Question
    fk_name = "bank"
    form = QuestionForm
    classes = ("reorderable",)
    show_change_link = True
    editable_fields = (
        "section",
        "order",
        "code",
        "text",
        "help",
        "kind",
        "required",
        "weight",
        "is_fact",
        "show_if_question",
        "show_if_choices",
    )
    readonly_view = (
        "section",
        "order",
        "code",
        "text",
        "kind",
        "required",
        "weight",
        "is_fact",
        "show_if",
    )
    verbose_name_plural = gettext_lazy("Questions (a condition may only name an earlier one)")

    def get_fields(self, request, obj=None):
        return self.editable_fields if self._editable(obj) else self.readonly_view

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section", "show_if_question")
            .order_by("section__order", "order", "id")
        )

    @admin.display(description=gettext_lazy("Shown only if"))
    def show_if(self, obj):
        return _show_if_display(obj)


class ChoiceInline(DraftOnlyInline, admin.TabularInline):
    """Every choice of the bank, grouped by question, on the bank's own page."""

    model = Choice
    fk_name = "bank"
    form = ChoiceForm
    classes = ("reorderable", "compact")
    verbose_name_plural = gettext_lazy("Choices (points per dimension, 0 to 4)")

    def get_fields(self, request, obj=None):
        if self._editable(obj):
            return ("question", "order", "code", "label", *_choice_fields(), "tags", "is_unknown")
        return ("question", "order", "code", "label", "points_display", "tags", "is_unknown")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question__section")
            .order_by("question__section__order", "question__order", "question_id", "order", "id")
        )

    @admin.display(description=gettext_lazy("Points"))
    def points_display(self, obj):
        return _points_display(obj)


class QuestionChoiceInline(ChoiceInline):
    """The choices of one question, on the question's page."""

    fk_name = "question"
    classes = ("reorderable", "compact")
    verbose_name_plural = gettext_lazy("Choices (points per dimension, 0 to 4)")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in fields if f != "question"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("order", "id")

    def _editable(self, obj):
        return obj is None or obj.bank.is_draft


# --- Question banks ---------------------------------------------------------------------------


class SafeJSONField(forms.JSONField):
    """A JSON field whose input cannot raise: a number of more than 4,300 digits or nesting
    deep enough to exhaust the stack gets a form error, as does any value that
    `limits.json_problems` refuses (too deep, unsafe numbers, text that cannot be stored)."""

    def to_python(self, value):
        try:
            value = super().to_python(value)
        except (ValueError, RecursionError) as e:
            if isinstance(e, forms.ValidationError):
                raise
            raise forms.ValidationError(
                _("Enter a valid JSON value: %(why)s") % {"why": str(e)[:200] or "too deep"},
                code="invalid",
            ) from e
        problems = limits.json_problems(value, "value")
        if problems:
            raise forms.ValidationError(problems)
        return value

    def bound_data(self, data, initial):
        # Shown again as typed when refused: the parsed value may not even be printable.
        try:
            value = super().bound_data(data, initial)
        except (ValueError, RecursionError):
            return forms.fields.InvalidJSONInput(data)
        if limits.json_problems(value, "value"):
            return forms.fields.InvalidJSONInput(data)
        return value

    def has_changed(self, initial, data):
        try:
            return super().has_changed(initial, data)
        except (ValueError, RecursionError, forms.ValidationError):
            return True


class _QuestionBankForm(forms.ModelForm):
    """Thresholds as one number field each (0-100) instead of raw JSON."""

    class Meta:
        model = QuestionBank
        fields = ("name", "slug", "version", "description", "plans", "caveats", "gates")
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        field_classes = {"plans": SafeJSONField, "caveats": SafeJSONField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.thresholds or {}
        if not self.instance.pk:
            current = load_json(DATA_DIR / "default_bank.json")["bank"]["thresholds"]
        for name in rules.Thresholds.names():
            if f"t_{name}" in self.fields:
                self.initial.setdefault(f"t_{name}", current.get(name))

    def _questions(self):
        """This bank's question codes -> their choice codes, for plan and gate conditions."""
        questions = {}
        if self.instance.pk:
            for code, choice in Choice.objects.filter(bank=self.instance).values_list(
                "question__code", "code"
            ):
                questions.setdefault(code, set()).add(choice)
        return questions

    def clean_plans(self):
        from assess.banks import _plans_problems

        plans = self.cleaned_data.get("plans") or {}
        problems = _plans_problems(plans, self._questions()) + limits.plans_limit_problems(plans)
        if problems:
            raise forms.ValidationError(problems)
        return plans

    def clean_gates(self):
        from assess.banks import _gates_problems

        gates = self.cleaned_data.get("gates") or []
        unknown = set()
        if self.instance.pk:
            unknown = set(
                Choice.objects.filter(bank=self.instance, is_unknown=True).values_list(
                    "question__code", "code"
                )
            )
        problems = _gates_problems(gates, self._questions(), unknown)
        problems += limits.gates_limit_problems(gates)
        if problems:
            raise forms.ValidationError(problems)
        return gates

    def clean_caveats(self):
        from assess.banks import _caveats_problems

        caveats = self.cleaned_data.get("caveats") or []
        problems = _caveats_problems(caveats) + limits.caveats_limit_problems(caveats)
        if problems:
            raise forms.ValidationError(problems)
        return caveats

    def clean(self):
        cleaned = super().clean()
        limits.form_limit_errors(self)
        return cleaned

    def save(self, commit=True):
        if all(f"t_{name}" in self.cleaned_data for name in rules.Thresholds.names()):
            self.instance.thresholds = {
                name: _number(self.cleaned_data[f"t_{name}"]) for name in rules.Thresholds.names()
            }
        return super().save(commit)


QuestionBankForm = type(
    "QuestionBankForm",
    (_QuestionBankForm,),
    {
        f"t_{name}": forms.FloatField(
            label=name.replace("_", " ").capitalize(),
            min_value=0,
            max_value=100,
            help_text=THRESHOLD_HELP.get(name, ""),
            widget=forms.NumberInput(attrs={"class": "vSmallNumber", "step": "any"}),
        )
        for name in rules.Thresholds.names()
    },
)


class BankImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question bank file (JSON)"),
        help_text=gettext_lazy("The format is described in assess/data/FORMAT.md; at most 1 MiB."),
    )
    as_next = forms.BooleanField(
        label=gettext_lazy("Import as the next free version of its bank"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Leave ticked unless the version number in the file is new. The import is a draft: "
            "check it, preview it and publish it from the list."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MiB; the limit is %(limit)d MiB. Is it the right file?")
                % {"size": upload.size / 1024 / 1024, "limit": MAX_IMPORT_BYTES // 1024 // 1024}
            )
        try:
            self.document = bank_read(upload.read())
        except BankError as e:
            raise forms.ValidationError(e.problems) from e
        return upload


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    form = QuestionBankForm
    list_display = ("name", "slug", "version", "status", "published_at", "assessment_count")
    list_filter = ("status", "slug")
    search_fields = ("name", "slug", "description")
    actions = ["new_draft_action", "publish_action", "retire_action", "export_action"]
    change_form_template = "admin/assess/questionbank/change_form.html"
    change_list_template = "admin/assess/questionbank/change_list.html"
    readonly_fields = ("status", "published_at")

    @property
    def media(self):
        return super().media + ADMIN_MEDIA

    def get_queryset(self, request):
        from django.db.models import Count

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
                        "Each cut-off applies to a score from 0 to 100; docs/decision-model.md "
                        "says what each one decides."
                    ),
                },
            ),
            (
                _("Gates, plans and caveats (JSON, see FORMAT.md)"),
                {"fields": ["gates", "plans", "caveats"], "classes": ["collapse"]},
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
                    (name, (obj.thresholds or {}).get(name, "—"))
                    for name in rules.Thresholds.names()
                ),
            ),
        )

    def get_inlines(self, request, obj):
        if obj is None:
            return [SectionInline]
        return [SectionInline, QuestionInline, ChoiceInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        _save_in_order(formset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        bank = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if bank is not None:
            extra_context["bank"] = bank
            extra_context["can_change_banks"] = super().has_change_permission(request)
            extra_context["bank_assessments"] = bank.assessments.count()
            extra_context["newer"] = (
                QuestionBank.objects.filter(slug=bank.slug, version__gt=bank.version)
                .order_by("-version")
                .first()
            )
            if bank.is_draft and request.method == "GET":
                extra_context["problems"] = publish_problems(bank)
        return super().change_view(request, object_id, form_url, extra_context)

    # --- URLs of the bank's own pages

    def get_urls(self):
        from assess.views import banks as preview

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


def _save_in_order(formset):
    """Save an inline formset; a new row left at order 0 goes after its siblings, not first."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        if obj.pk is None and not obj.order:
            if isinstance(obj, Choice):
                siblings = Choice.objects.filter(question_id=obj.question_id)
            else:
                siblings = type(obj).objects.filter(bank_id=obj.bank_id)
            last = siblings.order_by("-order").values_list("order", flat=True).first()
            obj.order = (last or 0) + 1
        obj.save()
    formset.save_m2m()


def _filename(bank):
    return f"{bank.slug}-v{bank.version}.json"


def _json_download(bank):
    response = HttpResponse(
        bank_dumps(bank_export(bank)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(bank)}"'
    return response


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """One question with its choices; every change also shows in its bank's history."""

    form = QuestionForm
    list_display = ("code", "text", "bank", "section", "kind", "required", "weight", "show_if")
    list_filter = ("bank", "section__code", "kind", "required")
    search_fields = ("code", "text", "help")
    list_select_related = ("section", "bank", "show_if_question")
    inlines = [QuestionChoiceInline]
    fields = (
        "bank",
        "section",
        "order",
        "code",
        "text",
        "help",
        "kind",
        "required",
        "weight",
        "is_fact",
        "show_if_question",
        "show_if_choices",
    )

    @property
    def media(self):
        return super().media + ADMIN_MEDIA

    @admin.display(description=gettext_lazy("Shown only if"))
    def show_if(self, obj):
        return _show_if_display(obj)

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else self.fields[1:]

    def get_readonly_fields(self, request, obj=None):
        return ("bank",) if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        options = BankOptions.of(obj.bank) if obj is not None else None

        class BoundQuestionForm(form):
            def __init__(self, *args, **kw):
                kw.setdefault("options", options)
                super().__init__(*args, **kw)

        return BoundQuestionForm

    def save_model(self, request, obj, form, change):
        if obj.section_id:
            obj.bank_id = obj.section.bank_id
        if obj.pk is None and not obj.order:
            last = Question.objects.filter(section_id=obj.section_id).order_by("-order").first()
            obj.order = last.order + 1 if last else 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        _save_in_order(formset)

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
        self._log_on_bank(request, obj, [{"added": {"name": "question", "object": str(obj)}}])
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        bank_message = []
        for item in message:
            if "changed" in item and "name" not in item["changed"]:
                item = {"changed": {"name": "question", "object": str(obj), **item["changed"]}}
            bank_message.append(item)
        if bank_message:
            self._log_on_bank(request, obj, bank_message)
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._log_on_bank(request, obj, [{"deleted": {"name": "question", "object": str(obj)}}])
        return super().log_deletions(request, queryset)


# --- Catalogue and the rest -------------------------------------------------------------------


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "track", "level", "facts_as_of", "confidence", "active")
    list_filter = ("kind", "track", "level", "confidence", "active")
    search_fields = ("name", "slug", "summary", "eligibility")
    list_editable = ("active",)
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "track", "level", "active", "summary", "url"]}),
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
                ]
            },
        ),
        (
            gettext_lazy("Facts"),
            {
                "fields": [
                    "eligibility",
                    "cost",
                    "commitments",
                    "facts_as_of",
                    "confidence",
                    "sources",
                    "secondary_sources",
                ]
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
