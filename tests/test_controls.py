"""The controls mapping (assess/data/controls.json): checked at import like the catalogue,
loaded once, editable in the admin under the same checks."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from assess.banks.format import DATA_DIR, BankError
from assess.banks.store import load_defaults
from assess.holdings.controls import controls_load, controls_problems
from assess.models import Control
from tests.conftest import make_user


@pytest.fixture(scope="module")
def document():
    with open(DATA_DIR / "controls.json", encoding="utf-8") as f:
        return json.load(f)


def test_the_shipped_mapping_has_no_problems(document):
    assert controls_problems(document) == []
    keys = {c["key"] for c in document["controls"]}
    assert {"iso27001-a5-6", "iso27001-a5-7", "nis2-art-29", "dora-art-45"} <= keys
    for c in document["controls"]:  # every control in all three languages
        assert set(c["translations"]) == {"fr", "de"}, c["key"]
        assert {"summary", "evidence"} <= set(c["translations"]["fr"]), c["key"]


def test_load_defaults_adds_the_controls_once_and_keeps_an_editors_change(db, document):
    load_defaults()
    assert Control.objects.count() == len(document["controls"])
    Control.objects.filter(key="iso27001-a5-6").update(evidence="Our own wording")
    load_defaults()
    assert Control.objects.count() == len(document["controls"])
    assert Control.objects.get(key="iso27001-a5-6").evidence == "Our own wording"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c.update(sectors=["shipping"]), "controls[0].sectors: unknown sectors"),
        (lambda c: c.update(source="http://example.com"), "controls[0].source: expected an https"),
        (
            lambda c: c.update(source_as_of="07/12/2026"),
            "controls[0].source_as_of: expected a date",
        ),
        (lambda c: c.update(countries=["Germany"]), "controls[0].countries: expected two-letter"),
        (
            lambda c: c.update(met_by={"tracks": ["operational"], "depths": ["signatory"]}),
            "controls[0].met_by: no depth fits the tracks",
        ),
        (
            lambda c: c.update(met_by={"tracks": ["sideways"], "depths": ["receive"]}),
            "controls[0].met_by.tracks: unknown tracks",
        ),
        (lambda c: c.update(title=""), "controls[0].title: expected a non-empty string"),
        (
            lambda c: c.update(translations={"xx": {"title": "?"}}),
            'controls[0].translations: unknown language "xx"',
        ),
    ],
)
def test_a_bad_entry_is_refused_with_its_path_and_nothing_is_loaded(db, document, change, problem):
    bad = copy.deepcopy(document)
    change(bad["controls"][0])
    problems = controls_problems(bad)
    assert any(p.startswith(problem) for p in problems), problems
    with pytest.raises(BankError):
        controls_load(bad)
    assert not Control.objects.exists()


def test_a_duplicate_key_is_refused(document):
    bad = copy.deepcopy(document)
    bad["controls"].append(copy.deepcopy(bad["controls"][0]))
    assert any("duplicate key" in p for p in controls_problems(bad))


def test_an_edit_in_the_admin_runs_the_same_checks(db, document):
    controls_load(document)
    control = Control.objects.get(key="dora-art-45")
    control.met_by = {"tracks": ["operational"], "depths": ["nonsense"]}
    with pytest.raises(ValidationError, match="unknown depths"):
        control.full_clean()


def test_an_editor_changes_a_control_in_the_admin(db, client, document):
    controls_load(document)
    editor = make_user("ed@bank.example")
    editor.is_staff = editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    control = Control.objects.get(key="dora-art-45")
    url = f"/admin/assess/control/{control.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: form[k].value() for k in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["met_by"] = json.dumps(control.met_by)
    data["sectors"] = json.dumps(control.sectors)
    data["countries"] = json.dumps(control.countries)
    data["translations"] = json.dumps(control.translations)
    data["active"] = "on"
    data["evidence"] = "The register of notifications to the supervisor"
    data["met_by"] = json.dumps({"tracks": ["operational"], "depths": ["nonsense"]})
    response = client.post(url, data)
    assert response.status_code == 200 and "unknown depths" in response.text
    data["met_by"] = json.dumps(control.met_by)
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    assert Control.objects.get(pk=control.pk).evidence == data["evidence"]
