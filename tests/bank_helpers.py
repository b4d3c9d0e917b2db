"""Form data and names shared by the question bank admin tests (fixtures: bank_fixtures)."""

import copy

from django.forms import CheckboxInput

EDITORS = "Question bank editors"


def change_url(bank):
    return f"/admin/assess/questionbank/{bank.pk}/change/"


def question_url(question):
    return f"/admin/assess/question/{question.pk}/change/"


def section_url(section):
    return f"/admin/assess/section/{section.pk}/change/"


def _form_data(form):
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif value is None:
            data[bound.html_name] = ""
        else:
            data[bound.html_name] = value
    return data


def change_form_data(response):
    """The POST data a browser would send for an unchanged admin change page."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return copy.deepcopy(data)


def row_prefix(response, model_name, **match):
    """The prefix of the inline row on the page whose object has the given attributes."""
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.model._meta.model_name != model_name:
            continue
        for form in formset.forms:
            obj = form.instance
            if obj.pk and all(getattr(obj, k) == v for k, v in match.items()):
                return form.prefix
    raise AssertionError(f"no {model_name} row with {match}")


def formset_prefix(response, model_name):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model._meta.model_name == model_name:
            return inline.formset.prefix
    raise AssertionError(f"no {model_name} inline")
