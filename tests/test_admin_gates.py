"""The bank editor's structured fields: gates in a form of their own, JSON errors that say
where, and translations missing from a draft named before publishing."""

import pytest

from assess.models import QuestionBank
from tests.bank_helpers import change_form_data, change_url
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]


def gates_url(bank):
    return f"/admin/assess/questionbank/{bank.pk}/gates/"


def _formset_data(response):
    """The POST data of the gates page as it stands."""
    formset = response.context["formset"]
    data = {
        f"gate-{k}": v
        for k, v in {
            "TOTAL_FORMS": len(formset.forms),
            "INITIAL_FORMS": formset.initial_form_count(),
            "MIN_NUM_FORMS": 0,
            "MAX_NUM_FORMS": 1000,
        }.items()
    }
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if name == "DELETE" or (name == "when" and not value):
                continue  # a browser sends nothing for an unticked box or an empty list
            data[form[name].html_name] = "" if value is None else value
    return data


def _new_row(response):
    return len(response.context["formset"].forms) - 1


def test_an_editor_adds_a_gate_without_writing_json(client, editor, draft):
    signed_in(client, editor)
    page = client.get(gates_url(draft))
    assert page.status_code == 200
    text = page.text
    # Every gate of the draft is a row, its answers picked by their labels.
    assert text.count('class="module aligned gate-row"') == len(draft.gates) + 1
    assert 'value="CAP-06|nothing" selected' in text
    assert "CAP-06|unknown" not in text  # "Don't know" never triggers a gate
    data = _formset_data(page)
    n = _new_row(page)
    data.update(
        {
            f"gate-{n}-code": "no_budget_owner",
            f"gate-{n}-when": ["CAP-01|none", "CAP-02|none"],
            f"gate-{n}-operational": "receive",
            f"gate-{n}-normative": "",
            f"gate-{n}-text": "Nobody owns security, so contributing would have no one behind it.",
            f"gate-{n}-text_fr": "Personne n’est responsable de la sécurité.",
        }
    )
    response = client.post(gates_url(draft), data)
    assert response.status_code == 302 and response.url == change_url(draft)
    gates = QuestionBank.objects.get(pk=draft.pk).gates
    assert gates[: len(draft.gates)] == draft.gates  # the others unchanged, pledges_with kept
    assert gates[-1] == {
        "code": "no_budget_owner",
        "when": [
            {"question": "CAP-01", "choices": ["none"]},
            {"question": "CAP-02", "choices": ["none"]},
        ],
        "limits": {"operational": "receive"},
        "text": "Nobody owns security, so contributing would have no one behind it.",
        "translations": {"fr": {"text": "Personne n’est responsable de la sécurité."}},
    }


def test_a_gate_is_deleted_by_ticking_delete(client, editor, draft):
    signed_in(client, editor)
    page = client.get(gates_url(draft))
    data = _formset_data(page)
    data["gate-0-DELETE"] = "on"
    assert client.post(gates_url(draft), data).status_code == 302
    codes = [g["code"] for g in QuestionBank.objects.get(pk=draft.pk).gates]
    assert codes == [g["code"] for g in draft.gates[1:]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"operational": "", "normative": ""}, "Choose what the gate caps"),
        ({"code": "board_opposed"}, "Another gate has this code"),
        ({"when": []}, "This field is required."),
    ],
)
def test_a_wrong_gate_saves_nothing_and_keeps_what_was_typed(
    client, editor, draft, change, message
):
    signed_in(client, editor)
    page = client.get(gates_url(draft))
    data = _formset_data(page)
    n = _new_row(page)
    row = {
        "code": "typed_gate",
        "when": ["CAP-01|none"],
        "operational": "none",
        "normative": "",
        "text": "A reason typed with care",
    }
    row.update(change)
    data.update({f"gate-{n}-{k}": v for k, v in row.items()})
    response = client.post(gates_url(draft), data)
    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "'")
    assert "A reason typed with care" in response.text
    assert QuestionBank.objects.get(pk=draft.pk).gates == draft.gates


def test_a_published_version_s_gates_cannot_be_edited(client, editor, bank):
    signed_in(client, editor)
    assert client.get(gates_url(bank)).status_code == 403
    assert client.post(gates_url(bank), {}).status_code == 403


def test_the_draft_page_links_the_gates_form_and_shows_json_indented(client, editor, draft):
    signed_in(client, editor)
    page = client.get(change_url(draft)).text
    assert f'href="{gates_url(draft)}"' in page
    assert '<textarea name="gates" cols="100" rows="18" class="json-text"' in page
    assert "[\n  {\n    &quot;code&quot;: &quot;alerts_unread&quot;" in page


def test_a_json_syntax_error_says_its_line_and_column_and_keeps_the_text(client, editor, draft):
    signed_in(client, editor)
    response = client.get(change_url(draft))
    data = change_form_data(response)
    typed = '{\n  "hygiene_first": [\n    {"window": "Days 1-30" "action": "Turn on MFA"}\n  ]\n}'
    data["plans"] = typed
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    text = response.text.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Line 3, column 28: a comma is missing here, or a closing bracket or brace." in text
    assert 'The line reads: {"window": "Days 1-30" "action": "Turn on MFA"}' in text
    assert typed in text  # shown again as typed
    assert QuestionBank.objects.get(pk=draft.pk).plans == draft.plans


def test_the_draft_names_its_missing_translations_before_publishing(client, editor, draft):
    question = draft.questions.get(code="PRO-03")
    question.translations = {k: v for k, v in question.translations.items() if k != "de"}
    question.save(update_fields=["translations"])
    signed_in(client, editor)
    page = client.get(change_url(draft)).text
    assert "It passes every check, so it can be published." in page
    assert "Deutsch: 2 texts have no translation and would be shown in English." in page
    assert "PRO-03" in page[page.index("Deutsch: 2 texts") :]
