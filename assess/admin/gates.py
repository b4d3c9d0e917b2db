"""A draft bank's gates as a form: one row a gate (its code, the answers that trigger it,
how far it caps each track, the reason shown and its translations), so an editor never
hand-edits JSON to add or change one. The rows are checked as an import checks them, and a
refused save keeps everything typed."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assess import translations as i18n
from assess.banks import limits
from assess.banks.format import _gates_problems
from assess.models import Choice
from assess.vocabulary import depth_labels

# The keys this form edits; any other (`pledges_with`) is kept as it was.
EDITED = ("code", "when", "limits", "text")


class GateForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=60)
    when = forms.MultipleChoiceField(
        label=gettext_lazy("Answers that trigger it"),
        help_text=gettext_lazy(
            "Pick one or more answers (Ctrl or ⌘ to pick several). Answers to one question "
            "are alternatives; answers to two questions must both hold."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "gate-when"}),
    )
    operational = forms.ChoiceField(label=gettext_lazy("Operational sharing"), required=False)
    normative = forms.ChoiceField(label=gettext_lazy("Normative pledges"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Reason shown"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("What the result says when the gate holds, in a board's words."),
    )
    index = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].choices = answers
        depths = depth_labels()
        none = _("no cap")
        self.fields["operational"].choices = [
            ("", none),
            ("none", _("none recommended")),
            ("receive", _("at most %(depth)s") % {"depth": depths["receive"]}),
        ]
        self.fields["normative"].choices = [
            ("", none),
            ("none", _("none recommended")),
            ("supporter", _("at most %(depth)s") % {"depth": depths["supporter"]}),
        ]
        for lang in i18n.target_languages():
            self.fields[f"text_{lang}"] = forms.CharField(
                label=_("Reason shown (%(language)s)") % {"language": _language_name(lang)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "lang": lang}),
            )

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("code") and not (
            cleaned.get("operational") or cleaned.get("normative")
        ):
            raise forms.ValidationError(
                _("Choose what the gate caps: operational sharing, normative pledges or both.")
            )
        return cleaned


class BaseGateFormSet(forms.BaseFormSet):
    def __init__(self, *args, answers, **kwargs):
        self.answers = answers
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "answers": self.answers}

    def clean(self):
        codes = set()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if code in codes:
                form.add_error("code", _("Another gate has this code; each needs its own."))
            codes.add(code)


GateFormSet = forms.formset_factory(
    GateForm,
    formset=BaseGateFormSet,
    extra=1,
    can_delete=True,
    max_num=limits.COUNT_LIMITS.get("gates", 100),
)


def _language_name(lang):
    return str(dict(settings.LANGUAGES).get(lang, lang))


def answer_options(bank):
    """The answers a gate may name, grouped by question in the bank's order: ("Q|choice",
    label) pairs under each question. "Don't know" is left out: it never settles anything."""
    groups = {}
    for q_code, q_text, c_code, c_label in (
        Choice.objects.filter(bank=bank, is_unknown=False)
        .order_by("question__section__order", "question__order", "question_id", "order", "id")
        .values_list("question__code", "question__text", "code", "label")
    ):
        groups.setdefault((q_code, q_text), []).append(
            (f"{q_code}|{c_code}", f"{c_code}: {c_label}")
        )
    return [(f"{code}. {text[:90]}", options) for (code, text), options in groups.items()]


def initial_rows(gates):
    rows = []
    for i, g in enumerate(gates or ()):
        caps = g.get("limits") or {}
        row = {
            "code": g.get("code", ""),
            "when": [
                f"{c['question']}|{x}" for c in g.get("when") or () for x in c.get("choices", ())
            ],
            "operational": caps.get("operational", ""),
            "normative": caps.get("normative", ""),
            "text": g.get("text", ""),
            "index": i,
        }
        for lang in i18n.target_languages():
            row[f"text_{lang}"] = ((g.get("translations") or {}).get(lang) or {}).get("text", "")
        rows.append(row)
    return rows


def gates_from(formset, before):
    """The gates the rows describe, each keeping the keys the form does not edit."""
    gates = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or formset._should_delete_form(form):
            continue
        index = data.get("index")
        old = before[index] if index is not None and 0 <= index < len(before) else {}
        when = {}
        for value in data["when"]:
            question, choice = value.split("|", 1)
            when.setdefault(question, []).append(choice)
        gate = {k: v for k, v in old.items() if k not in EDITED and k != "translations"}
        gate.update(
            code=data["code"],
            when=[{"question": q, "choices": c} for q, c in when.items()],
            limits={t: data[t] for t in ("operational", "normative") if data[t]},
            text=data["text"].strip(),
        )
        translations = {
            lang: {
                **((old.get("translations") or {}).get(lang) or {}),
                "text": data[f"text_{lang}"].strip(),
            }
            for lang in i18n.target_languages()
            if data.get(f"text_{lang}", "").strip()
        }
        if translations:
            gate["translations"] = translations
        gates.append(gate)
    return gates


def _questions(bank):
    questions, unknown = {}, set()
    for q, c, is_unknown in Choice.objects.filter(bank=bank).values_list(
        "question__code", "code", "is_unknown"
    ):
        questions.setdefault(q, set()).add(c)
        if is_unknown:
            unknown.add((q, c))
    return questions, unknown


def gates_view(model_admin, request, object_id):
    """The gates page of a draft bank (published and retired versions are read-only)."""
    bank = model_admin.get_object(request, object_id)
    if bank is None:
        raise Http404
    if not model_admin.has_change_permission(request, bank):
        raise PermissionDenied
    change_url = reverse("admin:assess_questionbank_change", args=[bank.pk])
    answers = answer_options(bank)
    before = list(bank.gates or [])
    problems = []
    if request.method == "POST":
        formset = GateFormSet(request.POST, answers=answers, prefix="gate")
        if formset.is_valid():
            gates = gates_from(formset, before)
            questions, unknown = _questions(bank)
            problems = _gates_problems(gates, questions, unknown) + limits.gates_limit_problems(
                gates
            )
            if not problems:
                bank.gates = gates
                bank.save(update_fields=["gates"])
                model_admin.message_user(
                    request,
                    _("The gates are saved: %(n)s in all.") % {"n": len(gates)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
    else:
        formset = GateFormSet(initial=initial_rows(before), answers=answers, prefix="gate")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "bank": bank,
        "original": bank,
        "title": _("Gates of %(bank)s") % {"bank": bank},
        "formset": formset,
        "problems": problems,
        "change_url": change_url,
        "languages": [(lang, _language_name(lang)) for lang in i18n.target_languages()],
    }
    return TemplateResponse(request, "admin/assess/questionbank/gates.html", context)
