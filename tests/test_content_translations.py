"""Translated question banks and catalogue: the pages, the rules, the JSON and the admin read
each text in the active language, and fall back to English, marked as English."""

import copy
import html
import json
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from assess import rules
from assess import translations as i18n
from assess.banks.catalogue import catalogue_problems
from assess.banks.format import BankError, bank_problems
from assess.banks.services import translation_gaps
from assess.banks.store import bank_dumps, bank_export, bank_import, catalogue_load
from assess.models import Alliance, Choice, Question, QuestionBank, Section
from assess.selectors import answers_of, bank_view, catalogue, clear_bank_cache
from tests.bank_helpers import change_form_data, question_url, row_prefix, section_url
from tests.conftest import answer_everything, signed_in

pytest_plugins = ["tests.bank_fixtures"]

PRO_01 = {
    "en": "Which of these best describes your organisation's main line of business?",
    "fr": "Laquelle de ces descriptions correspond le mieux à l’activité principale de votre "
    "organisation\u202f?",
    "de": "Welche dieser Beschreibungen trifft das Hauptgeschäft Ihrer Organisation am besten?",
}
PROFILE_TITLE = {
    "en": "Organisation profile and systemic importance",
    "fr": "Profil de l’organisation et importance systémique",
    "de": "Profil der Organisation und systemische Bedeutung",
}
DONT_KNOW = {"en": "Don't know", "fr": "Je ne sais pas", "de": "Weiß nicht"}


def url(assessment, number):
    return f"/a/{assessment.code}/s/{number}/"


# --- Picking a text (pure) ---------------------------------------------------------------------


def test_a_translation_is_picked_and_a_missing_one_falls_back_to_english_marked():
    t = {"fr": {"title": "Titre"}, "de": {"title": "  "}}
    assert i18n.pick("Title", t, "title", "fr") == "Titre"
    assert not hasattr(i18n.pick("Title", t, "title", "fr"), "lang")
    fallback = i18n.pick("Title", t, "title", "de")  # blank counts as missing
    assert fallback == "Title" and fallback.lang == "en"
    assert i18n.pick("Title", t, "title", "en") == "Title"
    assert not hasattr(i18n.pick("Title", t, "title", "en"), "lang")


def test_the_active_language_is_reduced_to_an_offered_one():
    with translation.override("de-at"):
        assert i18n.current() == "de"
    with translation.override("fr"):
        assert i18n.current() == "fr"
    with translation.override("es"):
        assert i18n.current() == "en"


def test_plan_steps_caveats_and_gates_are_localised_without_their_translations():
    plans = {
        "hygiene_first": [
            {"window": "Days 1-30", "action": "Act", "owner": "cio", "translations": {}},
            {"action": "Do", "owner": "cio", "translations": {"de": {"action": "Tun"}}},
        ]
    }
    fr = i18n.localized_plans(plans, "de")["hygiene_first"]
    assert [s["action"] for s in fr] == ["Act", "Tun"]
    assert fr[0]["action"].lang == "en" and fr[0]["window"].lang == "en"
    assert all("translations" not in s for s in fr)
    # The stored document is not changed.
    assert "translations" in plans["hygiene_first"][1]


# --- The default bank and catalogue ----------------------------------------------------------


def test_the_default_bank_is_complete_in_french_and_german(bank_document):
    assert i18n.document_gaps(bank_document["bank"]) == {}
    assert bank_problems(bank_document) == []


def test_the_default_bank_keeps_the_chosen_terms(bank_document):
    text = json.dumps(bank_document, ensure_ascii=False)
    assert "réception seule" in text and "Empfangsmitgliedschaft" in text
    assert "renseignement sur les menaces" in text and "Bedrohungsinformationen" in text
    for banned in ("Traffic-Light", "feu tricolore", "nur Empfang"):
        assert banned not in text


def test_the_catalogue_is_complete_in_french_and_german(catalogue_document):
    assert catalogue_problems(catalogue_document) == []
    missing = [
        f"{a['slug']}.{field} ({lang})"
        for a in catalogue_document["alliances"]
        for lang in ("fr", "de")
        for field in i18n.missing(a, a.get("translations"), i18n.ALLIANCE_FIELDS, lang)
    ]
    assert missing == []


def test_catalogue_translations_keep_names_and_numbers(catalogue_document):
    first = next(a for a in catalogue_document["alliances"] if a["slug"] == "first")
    assert "2 800 US$" in first["translations"]["fr"]["cost"]
    assert "2.800 US-Dollar" in first["translations"]["de"]["cost"]
    assert "name" not in first["translations"]["fr"]


def test_load_defaults_loads_the_translations_and_a_second_run_changes_nothing(db):
    call_command("load_defaults")
    q = Question.objects.get(bank__slug="default", code="PRO-01")
    assert q.translations["fr"]["text"] == PRO_01["fr"]
    assert Alliance.objects.get(slug="first").definition("de").cost.startswith("Vollmitglied")
    before = {
        m: list(m.objects.order_by("pk").values_list("pk", "translations"))
        for m in (QuestionBank, Section, Question, Choice, Alliance)
    }
    call_command("load_defaults")
    after = {
        m: list(m.objects.order_by("pk").values_list("pk", "translations"))
        for m in (QuestionBank, Section, Question, Choice, Alliance)
    }
    assert after == before


def test_load_defaults_adds_translations_to_a_version_loaded_without_them(db, bank_document):
    """An installation that loaded this version before it was translated gets the
    translations, and nothing else of the published version changes."""
    bare = copy.deepcopy(bank_document)
    for _path, obj, _fields in i18n._document_parts(bare["bank"]):
        obj.pop("translations", None)
    bank = bank_import(bare)
    english = bank_export(bank)
    call_command("load_defaults")
    bank.refresh_from_db()
    assert (
        Question.objects.get(bank=bank, code="PRO-01").translations["de"]["text"] == (PRO_01["de"])
    )
    assert bank.gates[0]["translations"]["fr"]["text"].startswith("Personne ne traite")
    assert i18n.document_gaps(bank_export(bank)["bank"]) == {}
    # Only translations changed.
    again = bank_export(bank)
    for _p, obj, _f in i18n._document_parts(again["bank"]):
        obj.pop("translations", None)
    for _p, obj, _f in i18n._document_parts(english["bank"]):
        obj.pop("translations", None)
    assert again == english


# --- bank_view and the catalogue per language, and their cache --------------------------------


def test_bank_view_reads_every_text_in_the_requested_language(bank):
    for lang in ("en", "fr", "de"):
        view = bank_view(bank, lang)
        assert view.by_code["PRO-01"].text == PRO_01[lang]
        assert view.sections[0].title == PROFILE_TITLE[lang]
        assert view.by_code["PRO-01"].choice_list[-1].label == DONT_KNOW[lang]
        d = view.definition
        assert d.question("PRO-01").text == PRO_01[lang]
        assert d.question("PRO-01").choices[-1].label == DONT_KNOW[lang]
    fr = bank_view(bank, "fr").definition
    assert fr.gates[1].text.startswith("Votre conseil d’administration s’oppose")
    assert fr.plans["hygiene_first"][0].window == "Jours 1 à 30"
    assert any("HIPAA" in c.text and "exception" in c.text for c in fr.caveats)
    assert "Verantwortliche" in bank_view(bank, "de").definition.who_knows["profile"]


def test_bank_view_follows_the_active_language(bank):
    with translation.override("de"):
        assert bank_view(bank).by_code["PRO-01"].text == PRO_01["de"]
    with translation.override("fr"):
        assert bank_view(bank).by_code["PRO-01"].text == PRO_01["fr"]


def test_the_cache_keeps_each_language_apart(bank, django_assert_num_queries):
    fr = bank_view(bank, "fr")
    en = bank_view(bank, "en")
    with django_assert_num_queries(0):
        assert bank_view(bank, "fr") is fr
        assert bank_view(bank, "en") is en
    assert en.by_code["PRO-01"].text == PRO_01["en"]
    assert fr.by_code["PRO-01"].text == PRO_01["fr"]
    assert en.by_code["PRO-01"] is not fr.by_code["PRO-01"]


def test_the_catalogue_reads_the_active_language_with_english_fallback(db):
    call_command("load_defaults")
    first = Alliance.objects.get(slug="first")
    first.translations = {"fr": {"cost": "Cotisation annuelle"}}
    first.save()
    with translation.override("fr"):
        entry = next(a for a in catalogue() if a.slug == "first")
    assert entry.cost == "Cotisation annuelle"
    assert entry.name == first.name  # names stay as the bodies write them
    assert entry.summary == first.summary and entry.summary.lang == "en"
    english = next(a for a in catalogue("en") if a.slug == "first")
    assert english.cost == first.cost


def test_the_rules_give_french_reasons_under_a_french_override(owner_client, assessment):
    answer_everything(owner_client, assessment, pick="low")
    with translation.override("fr"):
        view = bank_view(assessment.bank)
        codes = {c: tuple(a.choice_codes) for c, a in answers_of(assessment, view).items()}
        result = rules.evaluate(view.definition, codes, None, catalogue()).as_dict()
    english = bank_view(assessment.bank, "en")
    drivers = [d for reason in result["reasons"] for d in reason.get("drivers", ())]
    assert drivers, "no reason names the answers behind it"
    for d in drivers:
        assert d["text"] == view.by_code[d["question"]].text
        assert d["text"] != english.by_code[d["question"]].text
    labels = {c.label for q in view.questions for c in q.choice_list}
    assert all(d["answer"] in labels or "," in d["answer"] for d in drivers)


# --- The questionnaire page -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_question_page_shows_the_translated_texts(owner_client, assessment, lang):
    response = owner_client.get(url(assessment, 1), HTTP_ACCEPT_LANGUAGE=lang)
    text = html.unescape(response.text)
    assert PROFILE_TITLE[lang] in text
    assert f"<legend>{PRO_01[lang]}" in text
    assert DONT_KNOW[lang] in text
    assert PRO_01["en"] not in text
    # Nothing in the page's content is marked as an English fallback (the <html> element's
    # own lang is the interface's, set by the other half of issue #17).
    assert 'lang="en"' not in text.split("<main", 1)[1]


def test_a_missing_translation_falls_back_to_english_marked_as_english(owner_client, assessment):
    q = Question.objects.get(bank=assessment.bank, code="PRO-01")
    Question.objects.filter(pk=q.pk).update(
        translations={"fr": {"help": q.translations["fr"]["help"]}}
    )
    c = q.choices.get(code="user")
    Choice.objects.filter(pk=c.pk).update(translations={})
    clear_bank_cache()
    response = owner_client.get(url(assessment, 1), HTTP_ACCEPT_LANGUAGE="fr")
    text = html.unescape(response.text)
    assert f'<legend><span lang="en">{PRO_01["en"]}</span>' in text
    assert f'for="q-PRO-01-user" lang="en">{c.label}</label>' in text
    assert q.translations["fr"]["help"] in text  # the rest stays French
    assert PROFILE_TITLE["fr"] in text


def test_the_section_page_queries_do_not_grow_with_languages(
    owner_client, assessment, settings, django_assert_num_queries
):
    for lang in ("en", "fr", "de"):  # the published bank is loaded once per language
        with django_assert_num_queries(SECTION_PAGE_QUERIES + 3):
            owner_client.get(url(assessment, 3), HTTP_ACCEPT_LANGUAGE=lang)
    for lang in ("en", "fr", "de"):
        with django_assert_num_queries(SECTION_PAGE_QUERIES):
            owner_client.get(url(assessment, 3), HTTP_ACCEPT_LANGUAGE=lang)
    clear_bank_cache()
    settings.LANGUAGES = [("en", "English")]
    owner_client.get(url(assessment, 3))
    with django_assert_num_queries(SECTION_PAGE_QUERIES):
        owner_client.get(url(assessment, 3))


# The same whatever the language and however many languages are offered: the translations
# are in the rows the page reads anyway, and the loaded bank is cached per language.
SECTION_PAGE_QUERIES = 4


# --- The JSON format ---------------------------------------------------------------------------


def test_export_and_import_keep_the_translations(bank):
    exported = bank_export(bank)
    assert exported["format_version"] == 3
    again = bank_import(json.loads(bank_dumps(exported)), version=7, status="draft")
    q = Question.objects.get(bank=again, code="PRO-01")
    assert q.translations["fr"]["text"] == PRO_01["fr"]
    assert again.plans["hygiene_first"][0]["translations"]["de"]["window"] == "Tag 1–30"
    assert bank_export(again)["bank"] == dict(exported["bank"], version=7)


def test_a_format_2_file_still_imports_in_english(db, bank_document):
    doc = copy.deepcopy(bank_document)
    doc["format_version"] = 2
    for _path, obj, _fields in i18n._document_parts(doc["bank"]):
        obj.pop("translations", None)
    imported = bank_import(doc, status="draft")
    assert bank_view(imported, "fr").by_code["PRO-01"].text == PRO_01["en"]
    assert bank_view(imported, "fr").by_code["PRO-01"].text.lang == "en"
    assert set(i18n.document_gaps(bank_export(imported)["bank"])) == {"fr", "de"}


def test_a_bad_language_or_field_is_refused_with_its_path(db, bank_document):
    doc = copy.deepcopy(bank_document)
    q = doc["bank"]["sections"][1]["questions"][2]
    q["translations"]["xx"] = {"text": "?"}
    q["translations"]["fr"]["colour"] = "bleu"
    doc["bank"]["sections"][0]["questions"][0]["choices"][1]["translations"]["de"] = "Text"
    doc["bank"]["gates"][0]["translations"]["fr"]["action"] = "Agir"
    doc["bank"]["sections"][0]["translations"]["fr"]["title"] = "x" * 201
    doc["bank"]["plans"]["hygiene_first"][0]["translations"]["de"]["action"] = "a" * 501
    with pytest.raises(BankError) as error:
        bank_import(doc)
    problems = error.value.problems
    assert (
        'sections[1].questions[2].translations: unknown language "xx", expected one of '
        "['fr', 'de']" in problems
    )
    assert any(
        p.startswith('sections[1].questions[2].translations.fr: "colour" is not a text')
        for p in problems
    )
    assert "sections[0].questions[0].choices[1].translations.de: expected an object of texts" in (
        problems
    )
    assert any(p.startswith('bank.gates[0].translations.fr: "action"') for p in problems)
    assert "sections[0].translations.fr.title: 201 characters, over the limit of 200" in problems
    assert (
        "bank.plans.hygiene_first[0].translations.de.action: 501 characters, over the limit "
        "of 500" in problems
    )
    assert QuestionBank.objects.count() == 0


def test_the_catalogue_checks_and_loads_translations(db, catalogue_document):
    doc = copy.deepcopy(catalogue_document)
    doc["alliances"][0]["translations"] = {"fr": {"summary": "Résumé"}, "it": {"cost": "?"}}
    doc["alliances"][1]["translations"] = {"de": {"url": "https://anders.example/"}}
    problems = catalogue_problems(doc)
    assert any(p.startswith('alliances[0].translations: unknown language "it"') for p in problems)
    assert any(p.startswith('alliances[1].translations.de: "url" is not a text') for p in problems)
    del doc["alliances"][0]["translations"]["it"]
    del doc["alliances"][1]["translations"]
    catalogue_load(doc)
    slug = doc["alliances"][0]["slug"]
    assert Alliance.objects.get(slug=slug).definition("fr").summary == "Résumé"


# --- Publishing and the admin ------------------------------------------------------------------


def _gaps_text(gaps):
    return {lang: [str(p) for p in items] for lang, items in gaps}


def test_publish_lists_each_missing_text_and_publishes_with_english_fallback(
    client, draft, superuser
):
    q = draft.questions.get(code="CAP-04")
    q.translations = {"de": q.translations["de"]}
    q.save()
    gate = dict(draft.gates[0])
    gate["translations"] = {"fr": gate["translations"]["fr"]}
    draft.gates = [gate, *draft.gates[1:]]
    draft.save()
    signed_in(client, superuser)
    page = client.get(f"/admin/assess/questionbank/{draft.pk}/publish/")
    text = html.unescape(page.text)
    assert "Français: 2 texts in English" in text
    assert "Deutsch: 1 text in English" in text
    assert f'<a href="{question_url(q)}">Question CAP-04 “' in text
    assert "text: not translated; shown in English" in text
    assert "help: not translated; shown in English" in text
    assert "Gate 1" in text or "gate" in text.lower()
    response = client.post(f"/admin/assess/questionbank/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    with translation.override("fr"):
        assert bank_view(draft).by_code["CAP-04"].text.lang == "en"


def test_a_complete_draft_says_every_text_is_translated(client, draft, superuser):
    assert translation_gaps(draft) == []
    signed_in(client, superuser)
    page = client.get(f"/admin/assess/questionbank/{draft.pk}/publish/")
    assert "Every text has a translation in every offered language." in page.text


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_translations_are_edited_beside_their_source_text(client, draft, request, who):
    signed_in(client, request.getfixturevalue(who))
    section = draft.sections.get(code="profile")
    response = client.get(section_url(section))
    page = response.text
    # Side by side: the French and German fields on the title's own row.
    row = page.split('name="title"', 1)[1].split("form-row", 1)[0]
    assert 'name="title_fr"' in row and 'name="title_de"' in row
    assert PROFILE_TITLE["fr"] in html.unescape(page)
    data = change_form_data(response)
    data["title_de"] = "Profil und Bedeutung"
    data["intro_fr"] = ""
    response = client.post(section_url(section), data)
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.translations["de"]["title"] == "Profil und Bedeutung"
    assert "intro" not in section.translations["fr"]
    assert section.translations["fr"]["title"] == PROFILE_TITLE["fr"]

    q = draft.questions.get(code="PRO-01")
    response = client.get(question_url(q))
    data = change_form_data(response)
    prefix = row_prefix(response, "choice", code="user")
    data[f"{prefix}-label_fr"] = "Nous utilisons la technologie pour un autre métier"
    data["help_de"] = "Neue Hilfe"
    response = client.post(question_url(q), data)
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.translations["de"]["help"] == "Neue Hilfe"
    assert q.choices.get(code="user").translations["fr"]["label"].startswith("Nous utilisons")


def test_a_published_version_shows_its_translations_read_only(client, bank, superuser):
    signed_in(client, superuser)
    section = bank.sections.get(code="profile")
    q = bank.questions.get(code="PRO-01")
    page = html.unescape(client.get(section_url(section)).text)
    assert PROFILE_TITLE["de"] in page and 'name="title_de"' not in page
    page = html.unescape(client.get(question_url(q)).text)
    assert PRO_01["fr"] in page and DONT_KNOW["de"] in page
    assert 'name="text_fr"' not in page
    data = {"title_fr": "Changé"}
    client.post(section_url(section), data)
    section.refresh_from_db()
    assert section.translations["fr"]["title"] == PROFILE_TITLE["fr"]


def test_the_catalogue_admin_edits_translations(client, superuser, db):
    call_command("load_defaults")
    signed_in(client, superuser)
    first = Alliance.objects.get(slug="first")
    url = f"/admin/assess/alliance/{first.pk}/change/"
    response = client.get(url)
    assert 'name="cost_fr"' in response.text and 'name="summary_de"' in response.text
    data = change_form_data(response)
    data["cost_de"] = "Jahresbeitrag"
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:3000]
    first.refresh_from_db()
    assert first.translations["de"]["cost"] == "Jahresbeitrag"
    assert first.definition("de").cost == "Jahresbeitrag"


def test_the_review_page_marks_an_untranslated_question_as_english(owner_client, assessment):
    q = Question.objects.get(bank=assessment.bank, code="PRO-03")
    Question.objects.filter(pk=q.pk).update(translations={"de": q.translations["de"]})
    clear_bank_cache()
    text = html.unescape(
        owner_client.get(f"/a/{assessment.code}/review/", HTTP_ACCEPT_LANGUAGE="fr").text
    )
    assert f'<span lang="en">{q.text}</span>' in text
    assert PRO_01["fr"] in text and PROFILE_TITLE["fr"] in text
    english = html.unescape(owner_client.get(f"/a/{assessment.code}/review/").text)
    assert PRO_01["en"] in english and '<span lang="en">' not in english


@pytest.mark.parametrize(
    ("lang", "name"), [("fr", "Préparation aux alliances"), ("de", "Allianzbereitschaft")]
)
def test_the_bank_is_named_once_in_the_page_language(owner_client, assessment, lang, name):
    # The bank's one name, translated: it once read "Alliance readiness v3" on the French
    # dashboard and questionnaire, beside a French name nobody saw.
    org = assessment.organization
    for path in (f"/orgs/{org.code}/", url(assessment, 1), f"/a/{assessment.code}/review/"):
        text = html.unescape(owner_client.get(path, HTTP_ACCEPT_LANGUAGE=lang).text)
        assert name in text, path
        assert "Alliance readiness" not in text, path


# Names the bodies themselves write in English, an acronym with its expansion: they stay
# as they are in every language (docs/glossary.md).
OFFICIAL_ENGLISH_NAMES = {
    "fs-isac", "european-fi-isac", "health-isac", "ee-isac", "ong-isac", "energysec-isao",
    "waterisac", "auto-isac", "eucc-isac", "csa-cloud-cisc", "comms-isac", "gsma-t-isac",
    "dib-cs-program", "mts-isac", "ls-isao", "gb-cisp", "us-ciscp", "jp-j-csip", "jp-jpcert-cc",
    "ch-fs-csc",
}  # fmt: skip
DESCRIBING = re.compile(
    r"\b(no membership scheme|national CSIRT|alerts|warnings|run by|operated by|hosted by"
    r"|services?|system|platform|network|partnership|partners|community|communities|regional"
    r"|centre|center|program|programme|Paris Call)\b",
    re.IGNORECASE,
)


def test_a_name_that_describes_a_body_in_english_is_translated(catalogue_document):
    # "Regional CSIRTs (CSIRT régionaux)" and "(national CSIRT; no membership scheme)" were
    # English inside French and German pages.
    untranslated = [
        f"{a['slug']} ({lang}): {a['name']}"
        for a in catalogue_document["alliances"]
        if DESCRIBING.search(a["name"]) and a["slug"] not in OFFICIAL_ENGLISH_NAMES
        for lang in ("fr", "de")
        if not a.get("translations", {}).get(lang, {}).get("name")
    ]
    assert untranslated == []


def test_the_rules_read_a_translated_name_and_keep_an_untranslated_one(db):
    call_command("load_defaults")
    regional = Alliance.objects.get(slug="fr-csirt-regionaux")
    assert regional.definition("fr").name == "CSIRT régionaux"
    assert regional.definition("de").name == "Regionale CSIRTs (CSIRT régionaux)"
    assert regional.definition("en").name == "Regional CSIRTs (CSIRT régionaux)"
    paris = Alliance.objects.get(slug="paris-call")
    assert paris.definition("fr").name.startswith("Appel de Paris")
    assert paris.definition("de").name.startswith("Pariser Appell")
    first = Alliance.objects.get(slug="first")
    assert first.definition("fr").name == first.name  # FIRST writes its name one way
