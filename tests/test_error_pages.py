"""Error pages: ours, with no trace of the error for the visitor, and every 500 logged."""

import logging
import unittest

import pytest
from django.conf import settings as django_settings
from django.template import loader
from django.test import Client

from tests.error_urls import SECRET_DETAIL

BOOM = "/test-only/boom/"


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_failing_page_shows_our_500_page_and_nothing_of_the_error(failing_site, db):
    response = failing_site.get(BOOM)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "The error was logged" in page
    assert 'href="/static/vendor/bootstrap/css/bootstrap.min.css"' in page
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, "error_urls.py"):
        assert leak not in page


def test_every_500_is_logged_through_django_request_with_the_traceback(failing_site, db):
    with unittest.TestCase().assertLogs("django.request", logging.ERROR) as logs:
        failing_site.get(BOOM)
    [record] = logs.records
    assert record.getMessage() == f"Internal Server Error: {BOOM}"
    assert record.exc_info[0] is RuntimeError and SECRET_DETAIL in str(record.exc_info[1])
    assert record.status_code == 500


def test_the_logging_settings_send_django_request_errors_somewhere():
    config = django_settings.LOGGING["loggers"]["django.request"]
    assert config["level"] == "ERROR" and config["handlers"] == ["console", "mail_admins"]
    logger = logging.getLogger("django.request")
    assert logger.isEnabledFor(logging.ERROR)
    assert any(isinstance(h, logging.StreamHandler) for h in logger.handlers)


def test_the_500_page_renders_with_no_request_context_and_no_database():
    # No `db` fixture: pytest-django fails the test if the template touches the database.
    page = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in page


def test_an_unknown_page_shows_our_404_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert "Traceback" not in response.text and "URLconf" not in response.text
