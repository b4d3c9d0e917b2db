"""One stored PDF per language of a result: made when first asked for in that language, the
"being prepared" page per language, and a download in one language never replaces another's.
The PDF says its language (/Lang) and its headings are in it."""

import io

from django.test import Client
from pypdf import PdfReader

from assess.models import ReportPDF, UserPreference
from tests.conftest import signed_in
from tests.test_report import submitted


def reader_of(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def outline_titles(reader):
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(reader.outline))


def member_in(user, language):
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    client = signed_in(Client(), user)
    client.post("/language/", {"language": language, "next": "/"})
    return client


def test_two_members_in_two_languages_get_two_pdfs_each_rendered_once(
    assessment, owner, member, run_tasks, renders
):
    a = submitted(assessment, owner)  # queues the English render, as submitting does
    assert run_tasks() == 1
    french, german = member_in(owner, "fr"), member_in(member, "de")
    url, status = f"/a/{a.code}/report.pdf", f"/a/{a.code}/report/status/"

    # The English PDF is ready, but neither reader's language is: each page says so.
    assert french.get(status).json()["state"] == "preparing"
    pending = german.get(url)
    assert pending.status_code == 202
    assert "Der PDF-Bericht wird erstellt" in pending.text
    assert set(a.__class__.objects.get(pk=a.pk).pdf_tasks) == {"en", "fr", "de"}
    assert run_tasks() == 2
    assert sorted(renders) == [a.pk] * 3

    fr_pdf, de_pdf = reader_of(french.get(url)), reader_of(german.get(url))
    assert fr_pdf.trailer["/Root"]["/Lang"] == "fr"
    assert de_pdf.trailer["/Root"]["/Lang"] == "de"
    assert "Synthèse" in outline_titles(fr_pdf) and "Méthode et sources" in outline_titles(fr_pdf)
    assert "Zusammenfassung" in outline_titles(de_pdf)
    assert "Methode und Quellen" in outline_titles(de_pdf)
    assert fr_pdf.metadata.title == "Rapport de préparation aux alliances : Acme Bank".replace(
        " :", "\u00a0:"
    )
    assert de_pdf.metadata.title == "Bericht zur Allianzbereitschaft: Acme Bank"

    stored = {p.language: p.rendered_at for p in ReportPDF.objects.filter(assessment=a)}
    assert set(stored) == {"en", "fr", "de"}
    # Downloading again, in turn, replaces nothing and renders nothing.
    for _ in range(3):
        reader_of(german.get(url))
        reader_of(french.get(url))
    assert {p.language: p.rendered_at for p in ReportPDF.objects.filter(assessment=a)} == stored
    assert len(renders) == 3 and run_tasks() == 0
    english = signed_in(Client(), member)
    english.post("/language/", {"language": "en", "next": "/"})
    assert reader_of(english.get(url)).trailer["/Root"]["/Lang"] == "en"


def test_the_printable_report_says_its_language(owner_client, assessment, owner):
    a = submitted(assessment, owner)
    for language, heading in [("fr", "Synthèse"), ("de", "Zusammenfassung")]:
        owner_client.post("/language/", {"language": language, "next": "/"})
        page = owner_client.get(f"/a/{a.code}/report/").text
        assert f'<html lang="{language}">' in page and heading in page
