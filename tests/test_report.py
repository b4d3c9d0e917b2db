"""The report: one template as a printable page and as a PDF, stored once, fetching nothing."""

import io
import os
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from assess import charts, vocabulary
from assess.models import Assessment, Question, ReportPDF
from assess.report import pdf
from assess.selectors import bank_view, clear_bank_cache
from assess.services import answers_save, assessment_submit
from assess.templatetags.languages import iso_date
from tests.snapshot_helpers import upgrade_stored_results

HEADINGS = [
    "Executive summary",
    "Where you stand",
    "Why",
    "Caveats",
    "What would change this",
    "Alliances that match",
    "Your first 90 days",
    "Appendix: questions and answers",
    "Method and sources",
]
LONG_WORD = "x" * 40 + "UNBROKEN" + "y" * 300
LONG_COMMENT = ("A long comment that goes on and on about the team. " * 60)[:3000] + LONG_WORD


def answer_all(assessment, *, pick="high", comment=""):
    """Answer every question of the bank in the services layer: quicker than the pages."""
    view = bank_view(assessment.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            choice = known[-1] if pick == "high" else known[0]
            values[q.code] = ((choice.code,), comment)
        answers_save(assessment=assessment, section_number=number, values=values)
    return view


def submitted(assessment, owner, **kwargs):
    answer_all(assessment, **kwargs)
    return assessment_submit(assessment=assessment, user=owner)


def download(client, assessment, run_tasks):
    """The PDF as a person gets it: the first request finds it being prepared (the web
    worker renders nothing), the task worker makes it, and the next request downloads it."""
    url = f"/a/{assessment.code}/report.pdf"
    first = client.get(url)
    assert first.status_code == 202, first.status_code
    assert "The PDF report is being prepared" in first.text
    assert run_tasks() == 1
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    return re.sub(r"\s+", " ", text)


# --- Content, structure, fonts ----------------------------------------------------------------


def test_the_pdf_has_every_section_the_outcome_the_organisation_and_metadata(
    owner_client, assessment, owner, renders, run_tasks
):
    a = submitted(assessment, owner, comment="Checked with the SOC lead.")
    response = download(owner_client, a, run_tasks)
    assert response["ETag"].strip('"') == ReportPDF.objects.get(assessment=a).source_hash
    reader, text = pdf_text(response.content)
    text = flat(text)
    pages = len(reader.pages)
    assert pages >= 8
    assert f"Page 2 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Acme Bank" in text
    assert vocabulary.outcome_labels()[a.result["outcome"]] in text
    assert flat(a.result["headline"]) in text
    for heading in HEADINGS:
        assert heading in text, heading
    # The appendix: every question that applied, with its answer and the comment.
    for section in a.result["answers"]:
        for q in section["questions"]:
            assert q["code"] in text
    assert "Checked with the SOC lead." in text
    # The catalogue facts with their as-of date, and the versions.
    first = a.result["alliances"][0]
    assert flat(first["name"]) in text and f"facts as of {iso_date(first['facts_as_of'])}" in text
    assert f"rules version {a.result['rules_version']}" in text
    meta = reader.metadata
    assert meta.title == "Alliance readiness report: Acme Bank"
    assert meta.author == "Alice"
    assert meta.subject == a.result["headline"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()

    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    assert {"Acme Bank", "Executive summary", "Method and sources"} <= set(titles(reader.outline))
    # Both charts are tagged figures whose alternative text is the chart's title and summary.
    alts = [str(f["/Alt"]) for f in _struct_elements(root["/StructTreeRoot"], "/Figure")]
    assert len(alts) == 2, alts
    assert alts[0].startswith(
        "Where you stand: security capacity against appetite for public commitments Capacity"
    )
    assert alts[1].startswith("Scores on the dimensions Security capacity:")
    assert renders == [a.pk]


def test_the_pdf_charts_are_as_wide_as_on_the_page(settings):

    css = Path(settings.BASE_DIR, "static", pdf.STYLESHEET).read_text()
    assert f".chart-map img {{ width: {charts.MAP_WIDTH}px; }}" in css
    assert f".chart-bars img {{ width: {charts.BARS_WIDTH}px; }}" in css


def _struct_elements(node, tag):
    node = node.get_object()
    if not hasattr(node, "get"):
        return
    if node.get("/S") == tag:
        yield node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        yield from _struct_elements(kid, tag)


CJK_NAME = "株式会社"
CJK_COMMENT = "担当: セキュリティ運用チーム。"


def _cjk_report(client, assessment, owner, run_tasks):
    org = assessment.organization
    org.name = "Müller & Søn — " + CJK_NAME
    org.save()
    a = submitted(assessment, owner, comment=CJK_COMMENT)
    return download(client, a, run_tasks).content


def _skip_outside_ci(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this check: {reason}")
    pytest.skip(reason)


def test_qpdf_finds_no_error_in_the_pdf(owner_client, assessment, owner, tmp_path, run_tasks):
    if not shutil.which("qpdf"):
        _skip_outside_ci("qpdf is not installed (apt-get install -y qpdf)")
    path = tmp_path / "report.pdf"
    path.write_bytes(_cjk_report(owner_client, assessment, owner, run_tasks))
    check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_every_character_is_drawn_from_an_embedded_font_that_has_its_glyph(
    owner_client, assessment, owner, run_tasks
):
    # Which fonts fontconfig picks is the machine's business (Noto Sans CJK, Droid Sans
    # Fallback...); what matters is that no character comes out as .notdef (a box).
    if not shutil.which("fc-list"):
        _skip_outside_ci("fc-list is not installed (apt-get install -y fontconfig)")
    if not subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout:
        _skip_outside_ci("no font covers Japanese (apt-get install -y fonts-noto-cjk)")
    reader = PdfReader(io.BytesIO(_cjk_report(owner_client, assessment, owner, run_tasks)))
    fonts = {}
    drawn = set()
    for page in reader.pages:
        for ref, codes in _shown_codes(page.get_contents(), page["/Resources"]):
            font = fonts.get(ref.idnum) or fonts.setdefault(ref.idnum, _EmbeddedFont(ref))
            drawn.update(font.check(code) for code in codes)
    assert set(CJK_NAME + "セキュリティ運用チーム" + "Müller&Søn—") <= drawn, sorted(drawn)


def _shown_codes(contents, resources):
    """(font reference, 2-byte codes) for each text-showing operator, forms included."""
    fonts = resources.get("/Font", {})
    font = None
    for operands, operator in contents.operations:
        if operator == b"Tf":
            font = fonts.raw_get(operands[0])
        elif operator in (b"Tj", b"'", b'"', b"TJ"):
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            for string in strings:
                if isinstance(string, str | bytes):
                    data = getattr(string, "original_bytes", string)
                    yield font, [int.from_bytes(data[i : i + 2]) for i in range(0, len(data), 2)]
        elif operator == b"Do":
            xobject = resources["/XObject"][operands[0]].get_object()
            if xobject["/Subtype"] == "/Form":
                inner = xobject.get("/Resources", resources).get_object()
                yield from _shown_codes(ContentStream(xobject, None), inner)


def _cmap(stream, kind):
    """The <code> value pairs of a CMap's begin<kind>char sections (WeasyPrint writes no ranges)."""
    text = stream.get_object().get_data().decode("latin-1")
    assert f"begin{kind}range" not in text
    sections = "".join(re.findall(rf"begin{kind}char(.*?)end{kind}char", text, re.S))
    return dict(re.findall(r"<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\d+)", sections))


class _EmbeddedFont:
    """A Type 0 font of the PDF with its embedded font program, read by fontTools."""

    def __init__(self, ref):
        font = ref.get_object()
        self.name = str(font["/BaseFont"])
        assert font["/Subtype"] == "/Type0", f"{self.name} is a {font['/Subtype']} font"
        cid_font = font["/DescendantFonts"][0].get_object()
        assert cid_font.get("/CIDToGIDMap", "/Identity") == "/Identity", self.name
        descriptor = cid_font["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert program is not None, f"{self.name} is not embedded"
        self.program = TTFont(io.BytesIO(program.get_object().get_data()))
        self.glyphs = self.program.getGlyphSet()
        self.order = self.program.getGlyphOrder()
        encoding = font["/Encoding"]
        self.cids = None
        if encoding != "/Identity-H":  # WeasyPrint's own CMap sends missing glyphs to CID 0
            self.cids = {int(code, 16): int(cid) for code, cid in _cmap(encoding, "cid").items()}
        self.text = {
            int(code, 16): bytes.fromhex(text.strip("<>")).decode("utf-16-be")
            for code, text in _cmap(font["/ToUnicode"], "bf").items()
        }

    def check(self, code):
        """The character a code draws, once its glyph is known to be in the font, not empty."""
        char = self.text.get(code, "")
        gid = code if self.cids is None else self.cids.get(code, 0)
        where = f"{char!r} (code {code:#06x}) in {self.name}"
        assert 0 < gid < len(self.order), f".notdef drawn for {where}"
        if char.strip():
            pen = BoundsPen(self.glyphs)
            self.glyphs[self.order[gid]].draw(pen)
            assert pen.bounds is not None, f"an empty glyph drawn for {where}"
        return char


def test_any_text_renders_and_long_text_wraps(owner_client, assessment, owner, run_tasks):
    org = assessment.organization
    org.name = "Müller & Søn — 株式会社"
    org.save()
    view = answer_all(assessment, comment="短い")
    q = view.sections[1].question_list[0]
    answers_save(assessment=assessment, section_number=2, values={q.code: ((), LONG_COMMENT)})
    a = assessment_submit(assessment=assessment, user=owner)
    reader, text = pdf_text(download(owner_client, a, run_tasks).content)
    assert "Müller & Søn — 株式会社" in text
    width = float(reader.pages[0].mediabox.width)
    # The unbroken word is split over lines instead of running off the page.
    assert LONG_WORD not in text
    # It may wrap at a hyphen the table cell's hyphenation adds.
    assert LONG_WORD in re.sub(r"\u2010?\s+", "", text)
    for page in reader.pages:
        xs = []

        def where(text, cm, tm, font, size, xs=xs):
            if text.strip():  # the x of the text's start in page space: tm times cm
                xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

        page.extract_text(visitor_text=where)
        assert xs and all(0 <= x < width for x in xs)


def test_the_html_report_is_the_same_template_with_links_to_the_pdf(
    owner_client, assessment, owner
):
    a = submitted(assessment, owner)
    page = owner_client.get(f"/a/{a.code}/report/")
    assert page.status_code == 200
    html = page.text
    for heading in HEADINGS:
        assert heading in html
    assert f'href="/a/{a.code}/report.pdf"' in html and f'href="/a/{a.code}/result/"' in html
    assert '<link rel="stylesheet" href="/static/css/report.css">' in html
    assert ReportPDF.objects.count() == 0  # the page does not render a PDF


def test_the_cover_says_who_answered(owner_client, assessment, owner):
    a = submitted(assessment, owner)
    assert "Alice (self-assessment)" in owner_client.get(f"/a/{a.code}/report/").text
    Assessment.objects.filter(pk=a.pk).update(
        kind=Assessment.Kind.WORKSHOP, result=dict(a.result, kind=Assessment.Kind.WORKSHOP)
    )
    page = owner_client.get(f"/a/{a.code}/report/").text
    assert "A workshop; consensus answers submitted by Alice" in page


def test_the_result_page_links_to_the_pdf_and_the_printable_report(owner_client, assessment, owner):
    a = submitted(assessment, owner)
    page = owner_client.get(f"/a/{a.code}/result/").text
    assert f'href="/a/{a.code}/report.pdf"' in page and "Download the PDF report" in page
    assert f'href="/a/{a.code}/report/"' in page and "View the printable report" in page


def test_a_draft_has_no_report_yet(owner_client, assessment):
    for url in (f"/a/{assessment.code}/report/", f"/a/{assessment.code}/report.pdf"):
        response = owner_client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == f"/a/{assessment.code}/review/"
        assert "A draft has no report yet" in response.text
    assert ReportPDF.objects.count() == 0


# --- Frozen snapshot, stored file -------------------------------------------------------------


def test_submit_freezes_the_answers_into_the_snapshot(assessment, owner):
    a = submitted(assessment, owner, comment="Frozen")
    view = bank_view(a.bank)
    sheet = a.result["answers"]
    assert [s["title"] for s in sheet] == [s.title for s in view.sections]
    q = view.sections[0].question_list[0]
    row = sheet[0]["questions"][0]
    assert row["code"] == q.code and row["text"] == q.text and row["comment"] == "Frozen"
    known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
    assert row["answers"] == [known[-1].label]
    assert a.result["kind"] == Assessment.Kind.SELF


def test_an_old_snapshot_without_answers_gets_them_from_the_stored_answers_at_migration(
    owner_client, assessment, owner
):
    """Results frozen before the appendix was kept in them (version 1) get it from their
    answers once, by the data migration; the page never reads the answers table."""
    a = submitted(assessment, owner, comment="From the answers table")
    result = dict(a.result)
    for key in ("answers", "version", "map", "language", "texts"):
        del result[key]
    Assessment.objects.filter(pk=a.pk).update(result=result)
    upgrade_stored_results()
    html = owner_client.get(f"/a/{a.code}/report/").text
    assert "From the answers table" in html
    q = bank_view(a.bank).sections[0].question_list[0]
    assert q.text.replace("'", "&#x27;") in html


def test_the_report_is_made_from_the_snapshot_and_renders_identically(
    owner_client, assessment, owner, bank, run_tasks
):
    a = submitted(assessment, owner, comment="Same every time")
    first = download(owner_client, a, run_tasks).content
    Question.objects.filter(bank=bank).update(text="Edited after submit")
    from assess.models import Alliance

    Alliance.objects.update(name="Renamed")
    ReportPDF.objects.all().delete()
    again = download(owner_client, a, run_tasks).content
    assert again == first
    assert "Edited after submit" not in pdf_text(again)[1] and "Renamed" not in pdf_text(again)[1]


def test_a_repeat_download_serves_the_stored_file_without_rendering(
    owner_client, assessment, owner, renders, django_assert_num_queries, run_tasks
):
    a = submitted(assessment, owner)
    url = f"/a/{a.code}/report.pdf"
    first = download(owner_client, a, run_tasks)
    stored = ReportPDF.objects.get(assessment=a)
    assert stored.size == len(first.content) and bytes(stored.content) == first.content
    # session, user, assessment, memberships held and controls (the key), stored file, access
    # log; no peers: the organisation does not contribute (tests/test_result.py pins peers)
    with django_assert_num_queries(7):
        second = owner_client.get(url)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert ReportPDF.objects.get(assessment=a).rendered_at == stored.rendered_at
    assert renders == [a.pk]
    assert "private" in second["Cache-Control"]
    not_modified = owner_client.get(url, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert renders == [a.pk]


def test_a_stored_file_from_another_template_or_snapshot_is_rendered_again(
    owner_client, assessment, owner, renders, run_tasks
):
    a = submitted(assessment, owner)
    first = download(owner_client, a, run_tasks)
    ReportPDF.objects.filter(assessment=a).update(source_hash="made-by-an-older-template")
    second = download(owner_client, a, run_tasks)
    assert renders == [a.pk, a.pk]
    assert second["ETag"] == first["ETag"]
    assert ReportPDF.objects.get(assessment=a).source_hash == first["ETag"].strip('"')
    assert ReportPDF.objects.count() == 1


@pytest.fixture
def template_copy(settings, tmp_path):
    """The project's templates copied to a folder the test may change, in use for the test."""
    from assess.report import storage

    shutil.copytree(Path(settings.BASE_DIR, "templates"), tmp_path / "templates")
    settings.TEMPLATES = [dict(settings.TEMPLATES[0], DIRS=[tmp_path / "templates"])]
    storage.code_digest.cache_clear()
    yield tmp_path / "templates"
    storage.code_digest.cache_clear()


def test_a_change_to_any_template_the_report_includes_gives_a_new_pdf_key(template_copy):
    from assess.report import storage

    included = storage.report_templates()
    # Partials shared with the result page, and one included by one of them.
    for name in ("reports/report.html", "assess/_reasons.html", "assess/_route.html"):
        assert template_copy / name in included, name
    # Only includes by a literal name can be followed.
    for path in included:
        text = path.read_text()
        assert text.count("{% include") == len(storage._INCLUDE.findall(text)), path
    snapshot = SimpleNamespace(
        submitted_at=None, result_digest="", result={"outcome": "operational"}
    )
    before = storage.source_hash(snapshot)
    partial = template_copy / "assess" / "_route.html"
    partial.write_bytes(partial.read_bytes().replace(b"<", b"<!-- -->\n<", 1))
    storage.code_digest.cache_clear()
    assert storage.source_hash(snapshot) != before


def test_the_pdf_key_covers_the_stylesheet_the_presenter_the_charts_and_the_labels():
    from assess.report import storage

    names = {(p.parent.name, p.name) for p in storage._code_files()}
    assert {("css", "report.css"), ("report", "presenter.py"), ("report", "pdf.py")} <= names
    assert {
        ("charts", "map.py"),
        ("assess", "vocabulary.py"),
        ("assess", "snapshot.py"),
    } <= names
    # The rules shape a result once, at submit; the snapshot holds what they said.
    assert not any(folder == "rules" for folder, _name in names)


def test_the_file_name_is_ascii_safe_with_the_full_name_in_filename_star(
    owner_client, assessment, owner, run_tasks
):
    org = assessment.organization
    org.name = 'Müller & Søn — 株式会社 "/\\'
    org.save()
    a = submitted(assessment, owner)
    header = download(owner_client, a, run_tasks)["Content-Disposition"]
    date = f"{a.submitted_at:%Y-%m-%d}"
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    assert plain == f"muller-sn-alliance-readiness-{date}.pdf"
    assert plain.isascii()
    full = re.search(r"filename\*=UTF-8''(\S+)", header).group(1)
    assert full.isascii() and unquote(full) == f"müller-søn-株式会社-alliance-readiness-{date}.pdf"
    assert header.startswith("attachment;")


# --- Safety: nothing fetched, nothing attached, text escaped ----------------------------------


class _Recorder(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"root:x:0:0:planted")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A tiny HTTP server on 127.0.0.1 that records every request it receives."""
    handler = type("Handler", (_Recorder,), {"hits": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler.hits
    server.shutdown()
    server.server_close()


class _Fetched:
    """The URLs fetched, read back from the file that the renders (in this process or in the
    worker's render child, `render_limits`) append them to."""

    def __init__(self, path):
        self.path = path

    def _urls(self):
        return self.path.read_text().splitlines() if self.path.exists() else []

    def __len__(self):
        return len(self._urls())

    def __iter__(self):
        return iter(self._urls())

    def __contains__(self, url):
        return url in self._urls()


@pytest.fixture
def fetched(monkeypatch, tmp_path):
    """Every URL WeasyPrint asks the report's fetcher for."""
    urls = _Fetched(tmp_path / "fetched.txt")
    base = pdf.url_fetcher_class()

    class Recording(base):
        def fetch(self, url, headers=None):
            with open(urls.path, "a") as f:
                f.write(url + "\n")
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf, "url_fetcher_class", lambda: Recording)
    return urls


def _no_attachments(reader):
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert "/AF" not in root
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object()["/Subtype"] != "/FileAttachment"


def test_hostile_text_in_a_question_a_comment_and_the_name_is_shown_escaped_and_fetches_nothing(
    owner_client, assessment, owner, bank, local_server, fetched, run_tasks
):
    server, hits = local_server
    img = '<img src="file:///etc/passwd">'
    link = '<link rel="attachment" href="file:///etc/passwd">'
    remote = f'<img src="{server}/pixel.png"><link rel="stylesheet" href="{server}/x.css">'
    org = assessment.organization
    org.name = f"Evil {img} Corp"
    org.save()
    first = bank_view(bank).sections[0].question_list[0]
    # A published bank refuses edits through the model, so plant the text behind its back.
    Question.objects.filter(pk=first.pk).update(text=f"Planted question {remote}")
    clear_bank_cache()
    a = submitted(assessment, owner, comment=f"Planted comment {link} {remote}")

    html = owner_client.get(f"/a/{a.code}/report/").text
    assert "<img" not in html and 'rel="attachment"' not in html
    assert f'src="{server}' not in html and f'href="{server}' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "&lt;link rel=&quot;attachment&quot;" in html

    response = download(owner_client, a, run_tasks)
    reader, text = pdf_text(response.content)
    _no_attachments(reader)
    assert hits == []
    # Only the two charts, as data: URLs (again if the report is laid out a second time,
    # compact); the stylesheet is read from our own file, once.
    assert len(set(fetched)) == 2
    assert all(u.startswith("data:image/svg+xml;base64,") for u in fetched)
    text = flat(text)
    assert f"Evil {img} Corp" in text
    assert "Planted question" in text and "Planted comment" in text
    assert "root:x:0:0" not in text


def test_the_fetcher_refuses_files_hosts_and_paths_outside_our_static_files(
    local_server, fetched, caplog
):
    server, hits = local_server
    html = f"""<!doctype html><html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="/static/css/report.css">
      <link rel="stylesheet" href="{server}/evil.css">
      <link rel="stylesheet" href="/static/../assess/settings.py">
      <link rel="stylesheet" href="/static/css/../../manage.py">
      <link rel="stylesheet" href="/static/css/report.css?x=1">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="{server}/attach.txt">
      <style>@import url("{server}/import.css");
        body {{ background: url("{server}/bg.png") }}</style>
      </head><body><p>Text</p>
      <img src="file:///etc/passwd" alt="a"><img src="{server}/img.png" alt="b">
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="c">
      <object data="{server}/object"></object><iframe src="{server}/frame"></iframe>
      <svg xmlns="http://www.w3.org/2000/svg"><image href="{server}/svg.png"/></svg>
      </body></html>"""
    reader, text = pdf_text(pdf.html_to_pdf(html))
    assert hits == []
    _no_attachments(reader)
    assert "root:" not in text
    assert "https://report.invalid/static/css/report.css" in fetched
    assert any(url.startswith("data:") for url in fetched)
    assert "file:///etc/passwd" in fetched and f"{server}/img.png" in fetched
    assert "Report refused to fetch file:///etc/passwd" in caplog.text


def test_the_fetcher_serves_only_known_static_types():
    assert pdf._static_file("https://report.invalid/static/css/report.css")
    for url in (
        "https://report.invalid/static/css/../../assess/settings.py",
        "https://report.invalid/static/%2e%2e/assess/settings.py",
        "https://report.invalid/static/js/questionnaire.js",
        "https://report.invalid/assess/settings.py",
        "https://elsewhere.example/static/css/report.css",
        "file:///work/static/css/report.css",
    ):
        assert pdf._static_file(url) is None, url


def test_a_narrow_table_cell_hyphenates_a_long_word_in_the_page_language():
    # German column headers once split mid-word with no hyphen ("Sicherheitskapazit|ät").
    html = """<!doctype html><html lang="de"><head><title>t</title></head><body>
      <table class="data" style="width: 26mm"><thead><tr><th>Sicherheitskapazität</th>
      </tr></thead><tbody><tr><td>1</td></tr></tbody></table></body></html>"""
    _reader, text = pdf_text(pdf.html_to_pdf(html, stylesheets=[pdf.report_stylesheet()]))
    lines = [line.strip() for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("Sicherheit"))
    assert lines[first][-1] in "-\u2010", lines  # split with a hyphen...
    assert lines[first][:-1] + lines[first + 1] == "Sicherheitskapazität"  # ...at a syllable
    assert lines[first][:-1] in {"Si", "Sicher", "Sicherheits", "Sicherheitska", "Sicherheitskapa"}


def test_the_pdf_html_drops_layout_whitespace_but_keeps_word_spaces_between_inline_tags():
    """Templates may break lines between tags: between blocks the break goes (WeasyPrint
    need not lay it out), beside a link or emphasis it is the space between two words."""
    from assess.report.presenter import without_layout_whitespace

    html = (
        "<ul>\n  <li>\n    <strong>Owner:</strong>\n    <a href='/x'>the CISO</a>\n  </li>\n</ul>\n"
        "<table>\n  <tr>\n    <td>1</td>\n  </tr>\n</table>"
    )
    assert without_layout_whitespace(html) == (
        "<ul><li> <strong>Owner:</strong> <a href='/x'>the CISO</a> </li></ul>"
        "<table><tr><td>1</td></tr></table>"
    )
    # A break inside text is not between tags: left as it is.
    assert without_layout_whitespace("<p>two\n words</p>") == "<p>two\n words</p>"
