"""Spreadsheet exports. Every cell is neutralised against formula injection: answers,
comments and names are typed by people, and a spreadsheet runs a cell that starts with =."""

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assess.report.presenter import snapshot_of
from assess.report.storage import download_name

# A spreadsheet reads a cell starting with one of these as a formula (tab and carriage return
# can hide one behind them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """The text, with a single quote in front if a spreadsheet would take it as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(text, disposition):
    """A CSV download: UTF-8 with a byte-order mark, so that spreadsheet programs read it as
    UTF-8, and kept by no shared cache (it holds an organisation's data)."""
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = disposition
    patch_cache_control(response, private=True, no_cache=True)
    return response


def csv_text(rows):
    """Rows of cells as CSV text; the cells that people typed are already `csv_safe`."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def answers_csv(assessment):
    """The frozen answer appendix of a submitted assessment, one row per question shown: the
    same answers the report lists, whatever changed in the bank since."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Organisation"),
            pgettext("date column", "Submitted"),
            _("Section"),
            _("Question code"),
            _("Question"),
            _("Answer"),
            _("Comment"),
        ]
    )
    snap = snapshot_of(assessment)
    organization = snap.organization["name"]
    submitted = f"{assessment.submitted_at:%Y-%m-%d}"
    for number, section in enumerate(snap.answers, start=1):
        for q in section["questions"]:
            row = [
                organization,
                submitted,
                f"{number}. {section['title']}",
                q["code"],
                q["text"],
                "; ".join(q["answers"]),
                q["comment"],
            ]
            writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()


def answers_csv_disposition(assessment):
    """An attachment named like the PDF report, ASCII for old clients and full (RFC 5987)."""

    def name(ascii_only):
        stem = download_name(assessment, ascii_only=ascii_only).removesuffix(".pdf")
        return f"{stem}-answers.csv"

    return f"attachment; filename=\"{name(True)}\"; filename*=UTF-8''{quote(name(False), safe='')}"
