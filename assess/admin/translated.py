"""Translations edited beside their source text: one form field per text and language
("title_fr" next to "title"), read from and written to the object's `translations`."""

from django import forms
from django.conf import settings
from django.contrib import admin

from assess import translations as i18n


def translated_names(fields):
    """The form field names of the translations of `fields`, in language order."""
    return [f"{field}_{lang}" for field in fields for lang in i18n.target_languages()]


def side_by_side(fields, translated):
    """An admin `fields` list with each translated field on one line with its translations."""
    langs = i18n.target_languages()
    return [
        (field, *(f"{field}_{lang}" for lang in langs)) if field in translated else field
        for field in fields
    ]


def _label(model, field, lang):
    verbose = str(model._meta.get_field(field).verbose_name)
    return f"{verbose[:1].upper()}{verbose[1:]} ({dict(settings.LANGUAGES).get(lang, lang)})"


def translated_form(base, model, fields, *, wide=(), size=30):
    """`base` (a ModelForm) with a field per translation of `fields`; `wide` ones are text
    areas, the others `size` characters wide. The translations are kept in the instance's
    `translations` when it is saved."""
    declared = {}
    for field in fields:
        for lang in i18n.target_languages():
            source = model._meta.get_field(field)
            declared[f"{field}_{lang}"] = forms.CharField(
                label=_label(model, field, lang),
                required=False,
                max_length=getattr(source, "max_length", None),
                widget=forms.Textarea(attrs={"rows": 3, "cols": 40})
                if field in wide
                else forms.TextInput(attrs={"size": size}),
            )
    return type(
        f"Translated{base.__name__}",
        (TranslatedFormMixin, base),
        {**declared, "translated_fields": tuple(fields)},
    )


class TranslatedFormMixin:
    translated_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for field in self.translated_fields:
            for lang in i18n.target_languages():
                name = f"{field}_{lang}"
                if name in self.fields:
                    self.initial.setdefault(name, (stored.get(lang) or {}).get(field, ""))

    def save(self, commit=True):
        stored = {lang: dict(texts) for lang, texts in (self.instance.translations or {}).items()}
        for field in self.translated_fields:
            for lang in i18n.target_languages():
                name = f"{field}_{lang}"
                if name not in self.cleaned_data:
                    continue
                text = self.cleaned_data[name].strip()
                entry = stored.setdefault(lang, {})
                if text:
                    entry[field] = text
                else:
                    entry.pop(field, None)
        self.instance.translations = {lang: t for lang, t in stored.items() if t}
        return super().save(commit)


def add_translation_displays(admin_class, model, fields):
    """Read-only displays of the translations, for the pages of published versions."""
    for field in fields:
        for lang in i18n.target_languages():

            def show(self, obj, field=field, lang=lang):
                return ((obj.translations or {}).get(lang) or {}).get(field) or "—"

            show.__name__ = f"{field}_{lang}"
            label = _label(model, field, lang)
            setattr(admin_class, show.__name__, admin.display(description=label)(show))
    return admin_class
