"""{{ text|marked }}: a bank or catalogue text, wrapped in <span lang="en"> when it is the
English fallback of a missing translation, so a screen reader reads it as English."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def marked(text):
    lang = getattr(text, "lang", None)
    if lang:
        return format_html('<span lang="{}">{}</span>', lang, str(text))
    return text
