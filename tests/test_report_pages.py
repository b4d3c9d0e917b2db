"""The PDF's pages as a reader turns them: each chart on the same page as its caption, and no
last page holding only a few lines. Rendered for realistic companies in three languages."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from assess.report.storage import render_pdf
from tests.test_profiles import _by_name, _through_the_pages
from tests.test_report import _struct_elements, flat

# Each chart's caption, in the order of the figures.
CAPTIONS = [
    "The map places the organisation by security capacity (can the team act on shared threat "
    "data) and %(y)s. The shaded regions show which recommendation each combination gives at "
    "your other scores and under the knock-out rules that apply to your answers.",
    "Each bar is a score from 0 to 100 with the share of its questions that had a known answer; "
    "the dashed marks are the thresholds for operational and normative alliances.",
]
MM = 72 / 25.4


def _filled(page):
    """How far down the page's body its lowest line of text reaches, from 0 to 1 (the
    running header and footer, in the page's margins, left out)."""
    height = float(page.mediabox.height)
    top, bottom = height - 20 * MM, 18 * MM  # report.css: @page margin
    ys = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            ys.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    body = [y for y in ys if bottom < y < top]
    return (top - min(body)) / (top - bottom) if body else 0


@pytest.mark.parametrize("company", ["US hospital", "UK accountancy"])
def test_charts_keep_their_captions_and_the_last_page_is_not_nearly_empty(
    client, owner, bank, company
):
    assessment = _through_the_pages(client, owner, _by_name(company))
    for language in ("en", "fr", "de"):
        with translation.override(language):
            reader = PdfReader(io.BytesIO(render_pdf(assessment)))
            captions = [flat(gettext(c)).split("%(y)s")[0][:40] for c in CAPTIONS]
        pages = {p.indirect_reference.idnum: p for p in reader.pages}
        root = reader.trailer["/Root"]
        figures = list(_struct_elements(root["/StructTreeRoot"], "/Figure"))
        assert len(figures) == len(captions)
        for figure, caption in zip(figures, captions, strict=True):
            page = pages[figure.raw_get("/Pg").idnum]
            assert caption in flat(page.extract_text()), (language, caption)
        assert _filled(reader.pages[-1]) > 1 / 3, (language, len(reader.pages))
