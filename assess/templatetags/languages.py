"""`{{ text|text_lang }}`: a question bank, catalogue or frozen-result text shown on a page
in another language than its own is wrapped in <span lang="..."> (WCAG 3.1.2), so a French
page showing a question that has no French translation yet says that text is English."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assess.languages import text_language

register = template.Library()


@register.filter
def text_lang(value):
    if value in (None, ""):
        return ""
    language = text_language(value)
    if language is None or language == (get_language() or "en").split("-")[0]:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', language, value)


@register.filter
def quoted(value):
    """`{{ text|quoted }}`: a quotation in the marks of the page's language (“…”, « … »,
    „…“), the text marked with its own language where it differs (`text_lang`)."""
    before, _text, after = _("“%(text)s”").partition("%(text)s")
    return format_html("{}{}{}", before, text_lang(value), after)
