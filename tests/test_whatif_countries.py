"""The organisation's countries: a checkbox list (no Ctrl-click), chosen countries first, kept
when an edit is saved or sent back with an error."""

import re

from assess.models import Organization
from tests.conftest import signed_in


def _profile(**changes):
    data = {
        "name": "Acme Bank",
        "sector": "financial_services",
        "size_band": "large",
        "headquarters": "GB",
        "countries": ["GB", "DE"],
    }
    data.update(changes)
    return data


def _ticked(page):
    return re.findall(
        r'name="countries" value="([A-Z]{2})" id="id_countries_[A-Z]{2}" checked', page
    )


def _listed(page):
    return re.findall(r'name="countries" value="([A-Z]{2})"', page)


def test_the_field_is_a_checkbox_list_in_a_fieldset(owner_client, org):
    page = owner_client.get(f"/orgs/{org.code}/edit/").text
    assert "Hold Ctrl" not in page and '<select name="countries"' not in page
    assert re.search(
        r'<fieldset class="mb-3 countries"[^>]*aria-describedby="id_countries_help"', page
    )
    assert "<legend" in page and "Countries of operation</legend>" in page
    assert len(_listed(page)) > 240  # every country, as a checkbox
    assert '<label class="form-label small mb-1" for="id_countries_filter">' in page


def test_the_edit_page_ticks_the_chosen_countries_and_lists_them_first(owner_client, org):
    page = owner_client.get(f"/orgs/{org.code}/edit/").text
    assert sorted(_ticked(page)) == ["DE", "GB"]
    assert _listed(page)[:2] == ["DE", "GB"]  # Germany, United Kingdom: above Afghanistan
    assert "2 countries chosen" in page


def test_saving_an_edit_keeps_the_ticked_countries(owner_client, org):
    response = owner_client.post(
        f"/orgs/{org.code}/edit/", _profile(name="Acme Bank plc", countries=["GB", "DE", "JP"])
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Acme Bank plc"
    assert sorted(c.code for c in org.countries) == ["DE", "GB", "JP"]
    page = owner_client.get(f"/orgs/{org.code}/edit/").text
    assert sorted(_ticked(page)) == ["DE", "GB", "JP"]


def test_unticking_every_country_saves_none(owner_client, org):
    data = _profile()
    del data["countries"]  # a form with no box ticked sends no value at all
    assert owner_client.post(f"/orgs/{org.code}/edit/", data).status_code == 302
    org.refresh_from_db()
    assert list(org.countries) == []


def test_a_page_sent_back_with_an_error_keeps_every_tick(owner_client, org):
    response = owner_client.post(
        f"/orgs/{org.code}/edit/", _profile(name="", countries=["FR", "JP"])
    )
    assert response.status_code == 200
    page = response.text
    assert "Some details need correcting" in page
    assert sorted(_ticked(page)) == ["FR", "JP"]  # as posted, not as saved
    assert "2 countries chosen" in page
    org.refresh_from_db()
    assert sorted(c.code for c in org.countries) == ["DE", "GB"]


def test_a_forged_country_is_named_and_the_rest_kept(owner_client, org):
    response = owner_client.post(f"/orgs/{org.code}/edit/", _profile(countries=["GB", "XX"]))
    assert response.status_code == 200
    page = response.text
    assert re.search(
        r'<div class="countries-errors mb-2" id="id_countries_errors">.*XX is not one', page, re.S
    )
    assert 'aria-describedby="id_countries_help id_countries_errors"' in page
    assert _ticked(page) == ["GB"]
    assert 'value="JP" id="id_countries_JP" aria-invalid="true"' in page
    org.refresh_from_db()
    assert sorted(c.code for c in org.countries) == ["DE", "GB"]


def test_a_new_organisation_gets_its_ticked_countries(client, owner):
    signed_in(client, owner)
    page = client.get("/orgs/new/").text
    assert _ticked(page) == [] and "No country chosen yet" in page
    response = client.post("/orgs/new/", _profile(name="Newco", countries=["IE", "NL"]))
    assert response.status_code == 302
    org = Organization.objects.get(name="Newco")
    assert sorted(c.code for c in org.countries) == ["IE", "NL"]


def test_the_filter_words_cover_other_names_and_accents(owner_client, org):
    page = owner_client.get(f"/orgs/{org.code}/edit/").text
    assert re.search(
        r'<li data-search="united kingdom gb uk britain[^"]*"><input[^>]*value="GB"', page
    )
    assert re.search(r'<li data-search="cote d ivoire ci"><input[^>]*value="CI"', page)
