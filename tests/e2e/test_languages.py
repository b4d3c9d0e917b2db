"""The full path, sign-up to PDF, in French and in German in a real browser whose language is
French or German: every page in that language (lang attribute, words from the catalogue),
axe and the Nu HTML Checker clean, and the PDF's /Lang and headings checked with pypdf."""

import io
import json
import os
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import PASSWORD, run_queued_tasks, sent_mail
from tests.e2e.conftest import check_accessibility, no_sideways_scroll
from tests.e2e.test_workshop_report_admin import answer_all
from tests.test_valid_html import _checker

# SCREENSHOTS=/some/folder keeps a PNG of the dashboard, result and report at 1280 and 390 px.
SHOTS = os.environ.get("SCREENSHOTS")


def words(language, text):
    with translation.override(language):
        return gettext(text)


def outline_titles(items):
    found = []
    for item in items:
        found += outline_titles(item) if isinstance(item, list) else [item.title]
    return found


def valid_html(pages, tmp_path):
    jar = _checker()
    files = []
    for name, html in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_text(html, encoding="utf-8")
        files.append(str(target))
    run = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = next((o for o in (run.stdout, run.stderr) if '"messages"' in o), None)
    assert output is not None, run.stderr[-500:]
    errors = [m for m in json.loads(output)["messages"] if m.get("type") == "error"]
    assert errors == [], [f"{Path(m['url']).name}: {m['message']}" for m in errors]


def look(page, language, name, pages):
    """The page is in the language, accessible and kept for the HTML check."""
    assert page.get_attribute("html", "lang") == language, page.url
    pages[name] = page.content()  # before axe's script is added to it
    check_accessibility(page)
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            if width == 390:
                no_sideways_scroll(page)
            page.screenshot(path=f"{SHOTS}/{language}-{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language, browser_locale", [("fr", "fr-FR"), ("de", "de-DE")])
def test_sign_up_to_pdf_in_the_browsers_language(
    site, new_context, language, browser_locale, tmp_path
):
    page = new_context(locale=browser_locale, accept_downloads=True).new_page()
    pages = {}
    page.goto(site)
    assert words(language, "Create an account") != "Create an account"
    look(page, language, "welcome", pages)
    page.goto(f"{site}/accounts/signup/")
    look(page, language, "signup", pages)
    page.fill("#id_email", f"rssi.{language}@corp.example")
    page.click("main [type=submit]")
    page.wait_for_url("**/accounts/signup/")
    assert words(language, "Check your e-mail") in page.inner_text("main")
    look(page, language, "signup-sent", pages)
    assert (
        words(language, "Create your account on %(site_name)s")
        % {"site_name": "Alliance Readiness"}
        == sent_mail()[-1].subject
    )
    page.goto(re.search(r"http://\S+/accounts/signup/\S+/", sent_mail()[-1].body)[0])
    look(page, language, "signup-complete", pages)
    page.fill("#id_name", "Camille Weber")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main [type=submit]")
    page.wait_for_url("**/orgs/new/")
    assert words(language, "Describe your organisation") in page.inner_text("main")
    look(page, language, "organisation-new", pages)
    page.fill("#id_name", "Stadtwerke Musterstadt")
    page.select_option("#id_sector", "energy")
    page.select_option("#id_size_band", "medium")
    page.select_option("#id_headquarters", "DE")
    page.check("#id_countries_DE")
    page.check("#id_countries_FR")
    page.click("main [type=submit]")
    page.wait_for_url(re.compile(r".*/orgs/[0-9a-f-]+/$"))
    look(page, language, "dashboard", pages)
    page.click(f"main >> text={words(language, 'Start a new assessment')}")
    page.wait_for_url(re.compile(r".*/s/1/$"))
    look(page, language, "section-1", pages)
    answer_all(page, pick_last=True)
    page.wait_for_url(re.compile(r".*/review/$"))
    look(page, language, "review", pages)
    page.click(f"text={words(language, 'Submit and see the recommendation')}")
    page.wait_for_url(re.compile(r".*/result/$"))
    preparing = words(
        language,
        "The PDF report is being prepared. It usually takes a few seconds; the download "
        "appears here when it is ready.",
    )
    assert preparing.split(".")[0] in page.inner_text("main")  # "Le rapport PDF est en ..."
    assert not preparing.startswith("The PDF")
    look(page, language, "result", pages)
    assert run_queued_tasks() == 1  # queued in the language the person submitted in
    download = words(language, "Download the PDF report")
    page.wait_for_selector(f"text={download}", state="visible", timeout=30_000)
    with page.expect_download() as info:
        page.click(f"text={download}")
    reader = pypdf.PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert reader.trailer["/Root"]["/Lang"] == language
    titles = outline_titles(reader.outline)
    for heading in ("Executive summary", "Where you stand", "Method and sources"):
        assert words(language, heading) in titles, (heading, titles)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert words(language, "Alliance readiness report") in text
    assert "Stadtwerke Musterstadt" in text
    page.goto(page.url.replace("/result/", "/report/"))
    look(page, language, "report", pages)
    valid_html(pages, tmp_path)
