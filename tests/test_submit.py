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
    assert len(sql) == 26, "\n".join(s[:150] for s in sql)


def test_each_language_words_the_same_result_as_a_full_evaluation_in_it(
    org, bank, owner, settings, catalogue
):
    """The other languages are worded from the bodies the result named, not the whole
    catalogue: what they say is what an evaluation over the whole catalogue says."""
    from assess.services import assessment_evaluate

    workshop, _people = team_workshop(org, owner, SPLIT)
    submitted = assessment_submit(assessment=workshop.assessment, user=owner)
    for code in ("fr", "de"):
        with translation.override(code):
            full = assessment_evaluate(submitted, with_sensitivity=False).as_dict()
        texts = submitted.result["texts"][code]
        assert texts["alliances"] and texts["excluded"]
        for part in ("alliances", "related", "excluded", "reasons", "headline"):
            assert texts[part] == full[part], (code, part)
