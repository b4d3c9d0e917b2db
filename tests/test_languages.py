"""English, French and German: the switcher on every page, the choice kept in the session
and on the account, the browser's language as the first guess, the lang attributes, dates
in the language, the admin in the user's language, e-mails and error pages."""

import re
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from assess.models import Assessment, UserPreference
from assess.services import participant_join, workshop_start
from assess.views.workshops import SESSION_PARTICIPANTS
from tests.conftest import PASSWORD, sent_mail, signed_in
from tests.test_report import submitted


def html_lang(response):
    return re.search(r'<html lang="([^"]*)"', response.text).group(1)


def switch(client, language, next_url="/"):
    return client.post("/language/", {"language": language, "next": next_url})


def test_the_browser_language_is_the_first_guess(db):
    for accept, lang, words in [
        ("de-DE,de;q=0.9,en;q=0.5", "de", "Konto anlegen"),
        ("fr-FR,fr;q=0.9", "fr", "Créer un compte"),
        ("en-GB,en;q=0.9", "en", "Create an account"),
        # Not offered (no complete catalogue): English, not a half-translated page.
        ("es-ES,es;q=0.9", "en", "Create an account"),
        ("nl,pl;q=0.8", "en", "Create an account"),
    ]:
        response = Client(headers={"accept-language": accept}).get("/")
        assert html_lang(response) == lang, accept
        assert words in response.text, accept
        assert response["Content-Language"] == lang


def test_the_switcher_is_a_labelled_form_that_works_without_javascript(db):
    client = Client(headers={"accept-language": "de"})
    page = client.get("/accounts/login/?next=/orgs/new/").text
    form = re.search(r'<form method="post" action="/language/".*?</form>', page, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<label for="language-switcher" class="visually-hidden">Sprache</label>' in form
    assert '<input type="hidden" name="next" value="/accounts/login/?next=/orgs/new/">' in form
    assert '<option value="de" lang="de" selected>Deutsch</option>' in form
    assert '<option value="fr" lang="fr">Français</option>' in form
    assert '<option value="en" lang="en">English</option>' in form
    assert '<button type="submit"' in form
    response = switch(client, "fr", "/accounts/login/?next=/orgs/new/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/orgs/new/"
    assert response.cookies["django_language"].value == "fr"
    page = client.get(response.url)
    assert html_lang(page) == "fr" and "Mot de passe oublié" in page.text


def test_the_switcher_refuses_a_language_not_offered_and_a_foreign_next(db):
    client = Client()
    response = switch(client, "es", "/")
    assert "django_language" not in response.cookies
    assert html_lang(client.get("/")) == "en"
    response = switch(client, "de", "https://evil.example/")
    assert response.status_code == 302 and "evil.example" not in response.url
    assert client.get("/language/").status_code == 405  # a form only, never a link


def test_a_signed_in_choice_is_kept_on_the_account_and_applied_at_the_next_sign_in(owner):
    client = signed_in(Client(), owner)
    switch(client, "de")
    assert UserPreference.objects.get(user=owner).language == "de"
    assert html_lang(client.get("/orgs/new/")) == "de"
    client.post("/accounts/logout/")
    # Another browser, in French, with no cookie: the account's German wins at sign-in.
    other = Client(headers={"accept-language": "fr"})
    assert html_lang(other.get("/accounts/login/")) == "fr"
    response = other.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    page = other.get("/orgs/new/")
    assert html_lang(page) == "de" and "Beschreiben Sie Ihre Organisation" in page.text


def test_an_account_with_no_choice_keeps_the_language_it_signed_in_with(owner):
    client = Client(headers={"accept-language": "fr"})
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert UserPreference.objects.get(user=owner).language == "fr"
    assert html_lang(client.get("/orgs/new/")) == "fr"


def test_signing_up_in_german_keeps_german(db):
    client = Client(headers={"accept-language": "de"})
    response = client.post("/accounts/signup/", {"email": "greta@werk.example"})
    assert response.status_code == 200 and "Sehen Sie in Ihren E-Mails nach" in response.text
    message = sent_mail()[0]
    assert message.subject == "Erstellen Sie Ihr Konto bei Alliance Readiness"
    link = re.search(r"https?://[^/\s]+(/accounts/signup/\S+/)", message.body)[1]
    response = client.post(link, {"name": "Greta", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, response.text[:2000]
    assert UserPreference.objects.get(user__email="greta@werk.example").language == "de"
    page = client.get(response.url)
    assert "Willkommen. Beschreiben Sie zunächst Ihre Organisation." in page.text


def test_a_participant_keeps_their_language_in_their_session(org, owner, bank):
    workshop = workshop_start(organization=org, user=owner)
    person = participant_join(workshop=workshop, name="Jean", role="ciso")
    client = Client(headers={"accept-language": "en"})
    session = client.session
    session[SESSION_PARTICIPANTS] = {str(workshop.pk): person.token}
    session.save()
    url = f"/p/{person.token}/s/1/"
    assert html_lang(client.get(url)) == "en"
    switch(client, "fr", url)
    assert client.session["language"] == "fr"
    client.cookies.pop("django_language")  # the session alone remembers it
    page = client.get(url)
    assert html_lang(page) == "fr" and "Enregistrer et continuer" in page.text
    assert '<option value="fr" lang="fr" selected>' in page.text
    # The facilitator, in English, still sees the board in English.
    board = signed_in(Client(headers={"accept-language": "en"}), owner).get(
        f"/workshops/{workshop.assessment.code}/"
    )
    assert html_lang(board) == "en" and "Who has joined" in board.text


def test_the_admin_is_english_for_an_english_user_with_a_german_browser(owner):
    owner.is_staff = owner.is_superuser = True
    owner.save()
    UserPreference.objects.create(user=owner, language="en")
    client = Client(headers={"accept-language": "de-DE,de;q=0.9"})
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    page = client.get("/admin/")
    assert html_lang(page) == "en"
    assert "Site administration" in page.text and "Website-Verwaltung" not in page.text
    switch(client, "de", "/admin/")
    page = client.get("/admin/")
    assert html_lang(page) == "de" and "Website-Verwaltung" in page.text


def test_dates_are_written_the_way_each_language_writes_them(owner_client, assessment, owner):
    a = submitted(assessment, owner)
    when = datetime(2026, 3, 9, 10, 0, tzinfo=timezone.UTC)
    Assessment.objects.filter(pk=a.pk).update(submitted_at=when, created=when)
    expected = {
        "en": ("9 March 2026", "9 Mar 2026"),
        "fr": ("9 mars 2026", "09/03/2026"),
        "de": ("9. März 2026", "09.03.2026"),
    }
    for language, (long, short) in expected.items():
        switch(owner_client, language)
        result = owner_client.get(f"/a/{a.code}/result/").text
        assert long in result, language
        dashboard = owner_client.get(f"/orgs/{a.organization.code}/").text
        assert short in dashboard, language
        # No other language's month name inside the page (the German-in-English bug).
        for other in {"März", "mars", "March"} - {long.split()[1]}:
            assert other not in result, (language, other)


def test_error_pages_are_in_the_language(db):
    client = Client(headers={"accept-language": "de"})
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert html_lang(page) == "de" and "Diese Seite wurde nicht gefunden" in page.text
    assert 'action="/language/"' in page.text
    switch(client, "fr", "/no-such-page/")
    page = client.get("/no-such-page/")
    assert html_lang(page) == "fr" and "Nous n'avons pas trouvé cette page" in page.text


def test_the_server_error_page_says_its_language(db):
    from django.template.loader import render_to_string
    from django.utils import translation

    for language, words in [("fr", "Une erreur s'est produite"), ("de", "Etwas ist schief")]:
        with translation.override(language):
            page = render_to_string("500.html")
        assert f'<html lang="{language}">' in page and words in page


@pytest.mark.parametrize(
    "language, words",
    [("fr", "Définissez un nouveau mot de passe ici"), ("de", "Legen Sie hier ein neues")],
)
def test_the_password_reset_email_is_in_the_language(owner, language, words):
    client = Client(headers={"accept-language": language})
    assert client.post("/accounts/password_reset/", {"email": owner.email}).status_code == 302
    assert len(sent_mail()) == 1 and words in sent_mail()[0].body


def test_a_bank_text_with_no_translation_is_marked_as_english_on_a_french_page(
    owner_client, assessment
):
    from django.utils.html import escape

    from assess.models import Question
    from assess.selectors import bank_view, clear_bank_cache

    first = bank_view(assessment.bank).section(1).question_list[0]
    # The default bank is translated: take this question's French away, as in a bank whose
    # translators have not finished.
    Question.objects.filter(pk=first.pk).update(translations={})
    clear_bank_cache()
    question = escape(first.text)
    page = owner_client.get(f"/a/{assessment.code}/s/1/").text
    assert f"<legend>{question}" in page  # English page: no span needed
    switch(owner_client, "fr")
    page = owner_client.get(f"/a/{assessment.code}/s/1/")
    assert html_lang(page) == "fr"
    assert f'<legend><span lang="en">{question}</span>' in page.text


def test_a_text_that_says_its_language_is_marked_only_where_it_differs():
    from django.template import Context, Template
    from django.utils import translation

    from assess.languages import Text

    template = Template(
        "{% load languages %}"
        "{{ a|text_lang }}|{{ b|text_lang }}|{{ c|text_lang }}|{{ d|text_lang }}"
    )
    context = Context(
        {"a": Text("Capacité", "fr"), "b": Text("Capacity <b>", "en"), "c": "", "d": "Plain <i>"}
    )
    # A plain string is in the page's language: never marked, always escaped.
    with translation.override("fr"):
        assert template.render(context) == (
            'Capacité|<span lang="en">Capacity &lt;b&gt;</span>||Plain &lt;i&gt;'
        )
    with translation.override("en"):
        assert template.render(context) == (
            '<span lang="fr">Capacité</span>|Capacity &lt;b&gt;||Plain &lt;i&gt;'
        )


def test_relative_and_frozen_dates_and_invitations_follow_the_language(
    owner_client, assessment, owner
):
    from django.utils import translation

    from assess.models import Invitation
    from assess.templatetags.languages import iso_date
    from tests.test_members import invite

    three_days_ago = timezone.now() - timezone.timedelta(days=3, minutes=5)
    Assessment.objects.filter(pk=assessment.pk).update(updated=three_days_ago)
    org = assessment.organization
    for language, saved in (
        ("fr", "enregistrée il y a 3 jours"),
        ("de", "vor 3 Tagen gespeichert"),
    ):
        switch(owner_client, language)
        page = owner_client.get(f"/orgs/{org.code}/").text
        assert saved in page  # never "vor 3 Tage"
    # A source's as-of date, frozen as ISO text, written the way the page writes dates.
    for language, written in (
        ("en", "28 November 2026"),
        ("fr", "28 novembre 2026"),
        ("de", "28. November 2026"),
    ):
        with translation.override(language):
            assert iso_date("2026-11-28") == written
    assert iso_date("not a date") == "not a date"
    # The invitation's expiry in German: "14. Dezember 2026", not "14 Dezember 2026".
    switch(owner_client, "de")
    invite(owner_client, org, "carol@client.example", "member")
    expires = Invitation.objects.get().expires
    with translation.override("de"):
        from django.utils.formats import date_format

        day = date_format(timezone.localtime(expires), "DATE_FORMAT")
    assert re.match(r"\d+\. \w+ \d{4}$", day)
    assert f"am {day} um " in sent_mail()[-1].body
