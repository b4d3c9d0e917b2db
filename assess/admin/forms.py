"""The forms of the question bank's admin pages: a bank version, a section, a question with its
choices, and the import of a bank file."""

import json

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assess import rules, vocabulary
from assess.admin.base import PartForm
from assess.banks import limits
from assess.banks.format import DATA_DIR, MAX_IMPORT_BYTES, BankError, bank_read, load_json
from assess.models import Choice, Question, QuestionBank, Section

# What each threshold decides, in the words of docs/decision-model.md, so an editor need not
# read the code or the docs to change one.
THRESHOLD_HELP = {
    "operational_capacity": gettext_lazy(
        "Security capacity a company needs before it is advised to join an operational "
        "(threat-sharing) alliance as a receive-only member. Below it the advice is cyber "
        "hygiene first: shared warnings would go unread."
    ),
    "operational_capacity_threatened": gettext_lazy(
        "The lower capacity bar used instead when threat pressure on the sector is high (see "
        "“Threat high”): warnings about campaigns against one's own sector are the easiest "
        "intelligence to act on. Must not be above the usual bar."
    ),
    "threat_high": gettext_lazy(
        "Threat pressure from which a sector counts as under high pressure, so that the lower "
        "capacity bar above applies. 100 means it never does."
    ),
    "contributing_capacity": gettext_lazy(
        "Security capacity needed to be advised to contribute (share back), not only receive. "
        "Must not be below the receive-only bar."
    ),
    "contributing_sharing_tolerance": gettext_lazy(
        "Appetite for sharing needed, with the capacity above, to be advised to contribute: "
        "what is shared can leak or create liability, and the company must accept that risk."
    ),
    "normative_exposure": gettext_lazy(
        "Exposure (systemically important, a target of sophisticated attackers, or a way into "
        "such targets) from which a normative alliance, a public pledge on norms, is advised."
    ),
    "normative_commitment_tolerance": gettext_lazy(
        "Appetite for public commitments needed, with enough exposure, to be advised to "
        "support a normative alliance (a light pledge such as the Paris Call)."
    ),
    "signatory_exposure": gettext_lazy(
        "Exposure needed to be advised to sign as a full member (public commitments with yearly "
        "reporting, such as the Tech Accord) rather than only support. Must not be below the "
        "supporter bar."
    ),
    "signatory_commitment_tolerance": gettext_lazy(
        "Appetite for public commitments needed to sign as a full member. Must not be below "
        "the supporter bar."
    ),
    "geopolitical_high": gettext_lazy(
        "Geopolitical exposure from which it counts as high: governments weigh on the business, "
        "so a pledge needs the higher appetite below."
    ),
    "geopolitical_override_commitment_tolerance": gettext_lazy(
        "Appetite for public commitments a pledge needs when geopolitical exposure is high, "
        "instead of the usual bar: the pledge can then be read as a position against a "
        "government the company depends on."
    ),
    "commitment_tolerance_low": gettext_lazy(
        "When geopolitical exposure is high and the appetite for public commitments is below "
        "this, the result adds a caveat: have legal counsel and government relations review "
        "any public statement or sharing agreement first."
    ),
    "min_known_share": gettext_lazy(
        "Least share (%) of a dimension's questions that must have a known answer (not "
        "“Don't know” or blank) when those unknown answers could change the result. Below it "
        "the result is marked provisional and says what to find out first, and from whom."
    ),
    "min_answered_share": gettext_lazy(
        "Least share (%) of the questions shown that must be answered. Below it the result is "
        "marked provisional."
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
DIMENSION_LONG = {
    "capacity": gettext_lazy("Capacity points"),
    "sharing_tolerance": gettext_lazy("Appetite for sharing points"),
    "threat": gettext_lazy("Threat pressure points"),
    "exposure": gettext_lazy("Exposure points"),
    "commitment_tolerance": gettext_lazy("Appetite for public commitments points"),
    "geopolitical_exposure": gettext_lazy("Geopolitical exposure points"),
}
WIDE_TEXT = {"rows": 4, "cols": 80, "class": "vLargeTextField"}


def number(value):
    """4.0 -> 4, so a saved form writes the same JSON as the shipped files."""
    return int(value) if float(value).is_integer() else value


def codes(text):
    return [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]


class BankOptions:
    """The select options of one bank version, read once per page."""

    def __init__(self, bank):
        self.bank = bank
        self.sections = list(Section.objects.filter(bank=bank).order_by("order", "id"))
        self.questions = list(
            Question.objects.filter(bank=bank)
            .select_related("section")
            .order_by("section__order", "order", "id")
        )
        self.choice_codes = {}
        for qid, code in Choice.objects.filter(bank=bank).values_list("question_id", "code"):
            self.choice_codes.setdefault(qid, set()).add(code)

    def section_choices(self):
        return [("", "---------")] + [(s.pk, f"{s.title} ({s.code})") for s in self.sections]

    def question_choices(self, exclude=None):
        return [("", "---------")] + [
            (q.pk, f"{q.code}: {q.text}"[:70]) for q in self.questions if q.pk != exclude
        ]


class SectionForm(PartForm):
    class Meta:
        model = Section
        fields = ("title", "code", "who_knows", "intro")
        widgets = {"intro": forms.Textarea(attrs=WIDE_TEXT)}


class QuestionForm(PartForm):
    show_if_choices = forms.CharField(
        label=gettext_lazy("… answered with"),
        required=False,
        help_text=gettext_lazy("Choice codes of that question, separated by commas."),
    )

    class Meta:
        model = Question
        fields = (
            "section",
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
        help_texts = {
            "text": gettext_lazy("The question as the respondent reads it."),
            "help": gettext_lazy("Shown under the question: what it means, who usually knows."),
            "show_if_question": gettext_lazy(
                "An earlier question; this one is shown only when it is answered with one of "
                "the choices below."
            ),
        }
        widgets = {
            "text": forms.Textarea(attrs=WIDE_TEXT),
            "help": forms.Textarea(attrs=WIDE_TEXT),
            "weight": forms.NumberInput(attrs={"class": "vSmallNumber", "step": "any"}),
        }

    def __init__(self, *args, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        if self.instance.pk:
            self.initial["show_if_choices"] = ", ".join(self.instance.show_if_choices or [])
        if options is not None:
            # The querysets, not only the options shown: a posted id of another bank's section
            # or question is refused as not one of the choices.
            if "section" in self.fields:
                self.fields["section"].queryset = Section.objects.filter(bank=options.bank)
                self.fields["section"].choices = options.section_choices()
            if "show_if_question" in self.fields:
                self.fields["show_if_question"].queryset = Question.objects.filter(
                    bank=options.bank
                )
                self.fields["show_if_question"].choices = options.question_choices(
                    exclude=self.instance.pk
                )
        elif "section" in self.fields:  # a new question on its own page: drafts only
            self.fields["section"].queryset = Section.objects.filter(
                bank__status=QuestionBank.Status.DRAFT
            ).select_related("bank")
            self.fields["show_if_question"].queryset = Question.objects.filter(
                bank__status=QuestionBank.Status.DRAFT
            )

    def clean_show_if_choices(self):
        return codes(self.cleaned_data.get("show_if_choices"))

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
        # A question moved to another section goes to its end (see QuestionAdmin.save_model).
        if section is not None and section.pk != self.instance.section_id:
            position = (section.order, float("inf"))
        else:
            position = (section.order if section else 0, self.instance.order or float("inf"))
        if source.pk == self.instance.pk:
            self.add_error("show_if_question", _("A question cannot depend on itself."))
        elif source.bank_id != bank_id:
            self.add_error("show_if_question", _("Pick a question of the same bank."))
        elif section is not None and (source.section.order, source.order) >= position:
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


class _ChoiceForm(PartForm):
    """Points per dimension as plain number fields, written to the `points` JSON."""

    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separated by commas; see the tag list in FORMAT.md."),
        widget=forms.TextInput(attrs={"size": 16}),
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
        fields = ("code", "label", "is_unknown")
        labels = {"is_unknown": gettext_lazy("Don't know")}
        widgets = {
            "code": forms.TextInput(attrs={"size": 10}),
            "label": forms.TextInput(attrs={"size": 34}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        points = self.instance.points or {}
        for dim in vocabulary.DIMENSIONS:
            if f"points_{dim}" in self.fields:
                self.initial.setdefault(f"points_{dim}", points.get(dim))
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
            self.initial["sizes"] = ", ".join(self.instance.sizes or [])

    def clean_tags(self):
        return codes(self.cleaned_data.get("tags"))

    def clean_sizes(self):
        sizes = codes(self.cleaned_data.get("sizes"))
        unknown = sorted(set(sizes) - set(vocabulary.SIZE_BANDS))
        if unknown:
            raise forms.ValidationError(
                _("Unknown size bands: %(bad)s. Use %(ok)s.")
                % {"bad": ", ".join(unknown), "ok": ", ".join(vocabulary.SIZE_BANDS)}
            )
        return sizes

    def save(self, commit=True):
        old = self.instance.points or {}
        points = {}
        for dim in vocabulary.DIMENSIONS:
            value = self.cleaned_data.get(f"points_{dim}")
            if value:
                points[dim] = number(value)
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
            help_text=DIMENSION_LONG[dim],
            required=False,
            min_value=0,
            max_value=vocabulary.MAX_POINTS,
            widget=forms.NumberInput(attrs={"class": "vSmallNumber points", "step": "any"}),
        )
        for dim in vocabulary.DIMENSIONS
    },
)


def points_fields():
    return [f"points_{d}" for d in vocabulary.DIMENSIONS]


# What Python's JSON reader says, in an editor's words (json.JSONDecodeError.msg).
JSON_MISTAKES = {
    "Expecting ',' delimiter": gettext_lazy(
        "a comma is missing here, or a closing bracket or brace"
    ),
    "Expecting ':' delimiter": gettext_lazy("a colon is missing after a name"),
    "Expecting property name enclosed in double quotes": gettext_lazy(
        "a name in double quotes was expected: is there a comma before a closing brace, or a "
        "name in single quotes?"
    ),
    "Expecting value": gettext_lazy(
        "a value was expected: is there a comma before a closing bracket, or a word without "
        "double quotes?"
    ),
    "Extra data": gettext_lazy("there is more after the end of the value"),
    "Unterminated string starting at": gettext_lazy("a text is not closed by a double quote"),
    "Invalid control character at": gettext_lazy(
        "a text holds a line break or a tab: write it as \\n or \\t"
    ),
}


def json_syntax_error(text, error):
    """A JSON syntax error as an editor can act on it: where (line and column), what is
    wrong, and the line itself."""
    why = JSON_MISTAKES.get(error.msg)
    if why is None:
        why = _("this is not valid JSON")
    lines = text.splitlines() or [""]
    line = lines[min(error.lineno, len(lines)) - 1].strip()
    if len(line) > 80:
        line = line[:79] + "…"
    return _("Line %(line)s, column %(column)s: %(why)s. The line reads: %(text)s") % {
        "line": error.lineno,
        "column": error.colno,
        "why": why,
        "text": line,
    }


class SafeJSONField(forms.JSONField):
    """A JSON field whose input cannot raise: a number of more than 4,300 digits or nesting
    deep enough to exhaust the stack gets a form error, as does any value that
    `limits.json_problems` refuses (too deep, unsafe numbers, text that cannot be stored). A
    syntax error says its line and column; the value is shown indented, one item a line."""

    widget = forms.Textarea(
        attrs={"rows": 18, "cols": 100, "class": "json-text", "spellcheck": "false"}
    )

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values and not self.disabled:
            try:
                json.loads(value)
            except json.JSONDecodeError as e:
                raise forms.ValidationError(json_syntax_error(value, e), code="invalid") from e
            except (ValueError, RecursionError):
                pass  # said below
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

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)

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
        field_classes = {"plans": SafeJSONField, "caveats": SafeJSONField, "gates": SafeJSONField}

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
        from assess.banks.format import _plans_problems

        plans = self.cleaned_data.get("plans") or {}
        problems = _plans_problems(plans, self._questions()) + limits.plans_limit_problems(plans)
        if problems:
            raise forms.ValidationError(problems)
        return plans

    def clean_gates(self):
        from assess.banks.format import _gates_problems

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
        from assess.banks.format import _caveats_problems

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
                name: number(self.cleaned_data[f"t_{name}"]) for name in rules.Thresholds.names()
            }
        return super().save(commit)


# The form class is made at import, before any language is active: its labels are lazy.
_threshold_label = lazy(lambda name: vocabulary.threshold_labels()[name], str)


QuestionBankForm = type(
    "QuestionBankForm",
    (_QuestionBankForm,),
    {
        f"t_{name}": forms.FloatField(
            label=_threshold_label(name),
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
