"""Submit freezes the result in every offered language: the rules' search and every read of
the database happen once, whatever the number of languages; only the words are written again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assess.banks.store import catalogue_load
from assess.selectors import bank_view
from assess.services import assessment_submit
from tests.workshop_helpers import SPLIT, team_workshop

ONE_LANGUAGE = [("en", "English")]


def _submit_queries(org, owner, settings, languages):
    settings.LANGUAGES = languages
    workshop, _people = team_workshop(org, owner, SPLIT)
    # A server reads a published bank once per process and language (selectors.bank_view):
    # warm it in every language, as a server that has shown the bank has.
    for code, _name in languages:
        with translation.override(code):
            bank_view(workshop.assessment.bank)
    with CaptureQueriesContext(connection) as queries:
        submitted = assessment_submit(assessment=workshop.assessment, user=owner)
    return submitted, [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def catalogue(db, default_catalogue, catalogue_document):
    catalogue_load(catalogue_document)


def test_a_workshops_submit_reads_the_same_in_three_languages_as_in_one(
    org, bank, owner, settings, catalogue
):
    assert len(settings.LANGUAGES) == 3
    three, three_sql = _submit_queries(org, owner, settings, settings.LANGUAGES)
    one, one_sql = _submit_queries(org, owner, settings, ONE_LANGUAGE)
    assert set(three.result["texts"]) == {"fr", "de"} and one.result["texts"] == {}
    assert three.result["workshop"]["participants"] == 3
    assert len(three_sql) == len(one_sql), "\n".join(s[:150] for s in three_sql)


def test_a_workshops_submit_costs_a_fixed_number_of_queries(org, bank, owner, settings, catalogue):
    _submitted, sql = _submit_queries(org, owner, settings, settings.LANGUAGES)
    assert len(sql) == 25, "\n".join(s[:150] for s in sql)
