"""Random documents and random admin form bodies (issue 14): the bank import answers with a
problem list and the admin's bank form with form errors, never with an exception."""

import copy
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.banks.format import BankError, bank_read
from assess.banks.services import bank_import_document
from tests.bank_helpers import change_form_data, change_url
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]

HOSTILE_TEXT = st.sampled_from(
    ["\ud800", "a\x00b", "x" * 5000, "", " ", "-1", "1e999", "NaN", "[]", "{}", "9" * 30]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**53, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | HOSTILE_TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def _paths(value, path=()):
    """Every path into a JSON value, for mutations."""
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _replace(doc, path, new):
    if not path:
        return new
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return doc


def _import_or_problems(data):
    with transaction.atomic():
        try:
            bank_import_document(data=data, as_next=True)  # as the admin page and CLI call it
        except BankError as e:
            assert e.problems and all(isinstance(p, str) for p in e.problems)
        transaction.set_rollback(True)


_BODIES = {}


@pytest.fixture(scope="module")
def document_paths(bank_document):
    return list(_paths(bank_document))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_mutated_bank_document_gets_a_problem_list_or_imports(
    db, bank_document, document_paths, data
):
    path = data.draw(st.sampled_from(document_paths))
    value = data.draw(JSON)
    _import_or_problems(_replace(bank_document, path, value))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=JSON)
def test_a_random_json_document_gets_a_problem_list(db, value):
    _import_or_problems(value)
    _import_or_problems({"format": "alliance-bank", "format_version": 1, "bank": value})


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()))
def test_random_bytes_are_read_or_refused_in_words(raw):
    try:
        bank_read(raw)
    except BankError as e:
        assert e.problems


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_random_admin_form_body_gets_form_errors_or_saves(client, superuser, draft, data):
    signed_in(client, superuser)
    if draft.pk not in _BODIES:  # the unchanged page's body, read once per test
        _BODIES[draft.pk] = change_form_data(client.get(change_url(draft)))
    body = dict(_BODIES[draft.pk])
    names = sorted(body)
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        name = data.draw(st.sampled_from(names) | st.text(min_size=1, max_size=20))
        body[name] = data.draw(
            st.text(max_size=40) | HOSTILE_TEXT | st.integers().map(str) | JSON.map(json.dumps)
        )
    # A form body is UTF-8 on the wire: a lone surrogate arrives only as a JSON escape.
    body = {k: v.replace("\ud800", "\\ud800") if isinstance(v, str) else v for k, v in body.items()}
    with transaction.atomic():
        response = client.post(change_url(draft), body)
        assert response.status_code in (200, 302)
        transaction.set_rollback(True)
