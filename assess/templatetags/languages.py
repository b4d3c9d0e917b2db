"""`{{ text|text_lang }}`: a question bank, catalogue or frozen-result text shown on a page
in another language than its own is wrapped in <span lang="..."> (WCAG 3.1.2), so a French
page showing a question that has no French translation yet says that text is English."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, ngettext, pgettext
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


@register.filter
def colon(value):
    """`{{ label|colon }}`: a label and the colon after it, as the page's language writes it
    ("PRO-01 :" in French, with a no-break space the line cannot break at)."""
    before, _label, after = pgettext("a label and its colon", "%(label)s:").partition("%(label)s")
    return format_html("{}{}{}", before, text_lang(value), after)


@register.filter
def iso_date(value):
    """`{{ "2026-11-28"|iso_date }}`: a date frozen as ISO text (a source's as-of date), written
    the way the page's language writes dates ("28 novembre 2026", "28. November 2026");
    anything that is not such a date is shown as it is."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return value
    return date_format(day, "DATE_FORMAT")


@register.filter
def saved_ago(when):
    """`{{ a.updated|saved_ago }}`: "saved 3 days ago" as each language says it, with the
    number inside the sentence ("vor 3 Tagen gespeichert": German needs the dative, which a
    duration pasted into "vor %s" does not give)."""
    seconds = max(0, (timezone.now() - when).total_seconds())
    if seconds < 60:
        return _("saved just now")
    if seconds < 3600:
        n = int(seconds // 60)
        return ngettext("saved %(n)d minute ago", "saved %(n)d minutes ago", n) % {"n": n}
    if seconds < 86400:
        n = int(seconds // 3600)
        return ngettext("saved %(n)d hour ago", "saved %(n)d hours ago", n) % {"n": n}
    n = int(seconds // 86400)
    return ngettext("saved %(n)d day ago", "saved %(n)d days ago", n) % {"n": n}
