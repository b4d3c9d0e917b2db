"""The stored PDFs of a report, one per language: each rendered once (in the task worker),
kept under a key that changes whenever the snapshot, the language or anything that shapes the
PDF changes."""

import hashlib
import json
import re
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils import translation
from django.utils.text import slugify

from assess.holdings import held
from assess.insights import peers, shown
from assess.models import ReportPDF, result_digest
from assess.report import pdf, presenter


def render_pdf(assessment):
    """The PDF's bytes, rendered within the worker's time and memory limits (render_limits)."""
    from assess.report.render_limits import render_limited

    html = presenter.report_html(assessment, **shown.for_report(assessment), for_pdf=True)
    html = pdf.breakable(html)
    stylesheet = pdf.report_stylesheet()
    pdf.warm_up(stylesheet)
    return render_limited(lambda: pdf.html_to_pdf(html, stylesheets=[stylesheet]))


# --- The key ------------------------------------------------------------------------------------

# `{% include "name" %}` with a literal name; the report includes no template by a variable.
_INCLUDE = re.compile(r"""\{%\s*include\s+(["'])(.+?)\1""")


def report_templates(name=presenter.TEMPLATE):
    """The files of the report's template and of every template it includes, at any depth
    (partials shared with the result page among them), as the template loaders find them."""
    found, todo = {}, [name]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = Path(get_template(name).origin.name)
        found[name] = path
        todo += [m.group(2) for m in _INCLUDE.finditer(path.read_text(encoding="utf-8"))]
    return [found[n] for n in sorted(found)]


def _code_files():
    """Every file besides the snapshot that shapes the PDF: the templates, the stylesheet,
    the presenter and the PDF engine, the snapshot's reader, the charts, the team's wording,
    the labels (`vocabulary`), and translations if any. Not the rules: the snapshot holds
    everything they said."""
    root = Path(settings.BASE_DIR) / "assess"
    files = report_templates()
    files.append(Path(finders.find(pdf.STYLESHEET)))
    files += sorted((root / "report").glob("*.py"))
    files += sorted((root / "charts").glob("*.py"))
    files += [root / name for name in ("vocabulary.py", "snapshot.py")]
    files.append(root / "questionnaire" / "agreement.py")
    files += [root / "insights" / n for n in ("peer_stats.py", "peers.py", "trend.py")]
    files += sorted((root / "holdings").glob("*.py"))
    for folder in settings.LOCALE_PATHS:
        files += sorted(Path(folder).glob("**/*.mo"))
    return files


@cache
def code_digest():
    """Digest of `_code_files` and WeasyPrint's version: any change to them gives every
    report a new key, so its stored PDF is made again; nothing to bump by hand. Once per
    process: code and templates change only with a deploy, which restarts it."""
    digest = hashlib.sha256()
    for path in _code_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(metadata.version("weasyprint").encode())
    return digest.hexdigest()


def source_hash(assessment):
    """Identifies the PDF an assessment's report would render to, now."""
    payload = json.dumps(
        [
            code_digest(),
            translation.get_language(),
            assessment.submitted_at.isoformat() if assessment.submitted_at else None,
            assessment.result_digest or result_digest(assessment.result),
            peers.fingerprint(assessment),  # peers' consent and results change
            held.fingerprint(assessment),  # memberships held and the controls mapping
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Storing ------------------------------------------------------------------------------------


def report_pdf(assessment):
    """The stored ReportPDF for a submitted assessment in the active language, rendered and
    stored first if there is none yet in that language or it was made from another snapshot
    or template. The PDFs in other languages are left as they are."""
    wanted = source_hash(assessment)
    language = translation.get_language()
    stored = ReportPDF.objects.filter(assessment=assessment, language=language).first()
    if stored is not None and stored.source_hash == wanted:
        return stored
    return report_pdf_store(assessment=assessment, source_hash=wanted)


def report_pdf_store(*, assessment, source_hash):
    """Render in the active language and store as that language's PDF; safe to run twice at
    once (the later write wins, both are equal)."""
    language = translation.get_language()
    content = render_pdf(assessment)
    values = {"content": content, "source_hash": source_hash, "size": len(content)}
    try:
        with transaction.atomic():
            stored, _created = ReportPDF.objects.update_or_create(
                assessment=assessment, language=language, defaults=values
            )
    except IntegrityError:  # another request stored it between our read and our write
        stored = ReportPDF.objects.get(assessment=assessment, language=language)
    return stored


def download_name(assessment, *, ascii_only):
    """`<org>-alliance-readiness-<date>.pdf`, as a safe file name."""
    name = getattr(assessment, "frozen_name", None) or assessment.result["organization"]["name"]
    slug = slugify(name, allow_unicode=not ascii_only)[:80].strip("-_") or "organisation"
    return f"{slug}-alliance-readiness-{assessment.submitted_at:%Y-%m-%d}.pdf"


def content_disposition(assessment):
    """An attachment with an ASCII file name for old clients and the full one (RFC 5987)."""
    plain = download_name(assessment, ascii_only=True)
    full = download_name(assessment, ascii_only=False)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"
