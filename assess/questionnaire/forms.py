"""The questionnaire page's form: a choice and a comment per question."""

from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assess.vocabulary import and_list

COMMENT_MAX = 4000


def _stand_alone_message(choices):
    """The error for an answer that must stand alone ("Don't know", "None of these") ticked
    with others, quoting the labels the person sees, in the page's language."""
    labels = [gettext("“%(text)s”") % {"text": c.label} for c in choices]
    if len(labels) == 1:
        return gettext(
            "%(label)s cannot be combined with other answers. Untick it or the others."
        ) % {"label": labels[0]}
    return gettext(
        "%(labels)s cannot be combined with each other or with other answers. Keep one answer."
    ) % {"labels": and_list(labels)}


class SectionForm(forms.Form):
    """One questionnaire page: a choice field and a comment field per question.

    Nothing is required here: unanswered required questions are listed on the review page,
    not forced, so a person can save a half-finished page and come back."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if not self.is_bound:
            return  # a page being shown: rows() reads the initial answers, no field needed
        for q in questions:
            options = [(c.code, c.label) for c in q.choice_list]
            if q.kind == "multi":
                field = forms.MultipleChoiceField(choices=options, required=False)
            else:
                field = forms.ChoiceField(choices=options, required=False)
            field.label = q.text
            self.fields[f"q_{q.code}"] = field
            self.fields[f"c_{q.code}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=COMMENT_MAX, widget=forms.Textarea
            )

    def clean(self):
        cleaned = super().clean()
        for q in self.questions:
            picked = cleaned.get(f"q_{q.code}")
            if q.kind != "multi" or not picked or len(picked) < 2:
                continue
            alone = [c for c in q.choice_list if c.is_unknown or c.code == "none"]
            picked_alone = [c for c in alone if c.code in picked]
            if picked_alone:
                self.add_error(f"q_{q.code}", _stand_alone_message(picked_alone))
        return cleaned

    @staticmethod
    def initial_for(questions, answers):
        """Initial form data from saved answers ({code: object with .choice_codes and
        .comment})."""
        initial = {}
        for q in questions:
            answer = answers.get(q.code)
            if answer is None:
                continue
            initial[f"q_{q.code}"] = SectionForm.choice_initial(q, answer.choice_codes)
            initial[f"c_{q.code}"] = answer.comment
        return initial

    @staticmethod
    def choice_initial(question, picked):
        """A question's initial value from its picked choice codes: the list for a multiple
        choice, else the one code ("" for none)."""
        picked = list(picked)
        return picked if question.kind == "multi" else (picked or [""])[0]

    def values(self):
        """question code -> (choice codes, comment), from cleaned data."""
        out = {}
        for q in self.questions:
            picked = self.cleaned_data.get(f"q_{q.code}") or ()
            if isinstance(picked, str):
                picked = (picked,) if picked else ()
            out[q.code] = (tuple(picked), self.cleaned_data.get(f"c_{q.code}", "").strip())
        return out

    def rows(self):
        """What the templates need per question, in order, worked out here once: the pages
        render these by hand (each question a fieldset with a legend) rather than through
        widgets. Values come straight from the data or the initial answers, and the radio or
        checkbox inputs with their labels are joined here (`choices_html`), because bound
        fields, widgets and per-input template tags cost more than the rest of the page
        (bench/bench_step.py measures the step; its figures are in bench/RESULTS.md)."""
        rows = []
        errors = self.errors if self.is_bound else {}
        for q in self.questions:
            name, comment_name = f"q_{q.code}", f"c_{q.code}"
            if self.is_bound:
                picked = self.data.getlist(name) if q.kind == "multi" else [self.data.get(name)]
                comment_value = self.data.get(comment_name, "")
            else:
                value = self.initial.get(name)
                picked = value if isinstance(value, list | tuple) else [value]
                comment_value = self.initial.get(comment_name, "")
            selected = {str(v) for v in picked if v}
            field_errors, comment_errors = errors.get(name, []), errors.get(comment_name, [])
            input_type = "checkbox" if q.kind == "multi" else "radio"
            rows.append(
                {
                    "question": q,
                    # What the question cards show, as plain values: the template looks up a
                    # dict key directly, while a model attribute costs it a failed key lookup
                    # (an exception) first.
                    "q": {
                        "code": q.code,
                        "text": q.text,
                        "help": q.help,
                        "required": q.required,
                        "multi": q.kind == "multi",
                        "show_if_code": q.show_if_code,
                        "show_if_choices": " ".join(q.show_if_choices or ()),
                        "show_if_text": getattr(q, "show_if_text", ""),
                    },
                    "choices_html": _choice_inputs(
                        q, name, input_type, selected, invalid=bool(field_errors)
                    ),
                    "selected": selected,
                    "input_type": input_type,
                    "name": name,
                    "errors": list(field_errors),
                    "comment_name": comment_name,
                    "comment_id": f"id_{comment_name}",
                    "comment_label": gettext(
                        "Comment on %(code)s (optional; it appears in the report)"
                    )
                    % {"code": q.code},
                    "comment_value": comment_value or "",
                    "comment_errors": list(comment_errors),
                }
            )
        return rows


def _choice_inputs(question, name, input_type, selected, *, invalid):
    """A question's radio buttons or checkboxes with their labels, as one safe string: the
    markup a template loop would write, joined here because per-input template tags are
    the costly part of a questionnaire page (see `SectionForm.rows`)."""
    name = escape(name)
    extra = ' aria-invalid="true"' if invalid else ""
    parts = []
    for c in question.choice_list:
        choice_id = escape(f"q-{question.code}-{c.code}")
        checked = " checked" if c.code in selected else ""
        # An untranslated label (English in a French page) says its language.
        lang = f' lang="{escape(c.label.lang)}"' if hasattr(c.label, "lang") else ""
        parts.append(
            f'<div class="form-check"><input class="form-check-input" type="{input_type}" '
            f'name="{name}" id="{choice_id}" value="{escape(c.code)}"{checked}{extra}> '
            f'<label class="form-check-label" for="{choice_id}"{lang}>{escape(c.label)}</label>'
            "</div>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every value is escaped above  # nosec B308 B703
