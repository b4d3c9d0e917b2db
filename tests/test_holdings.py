"""The memberships an organisation holds: recording and changing them, who may, bad input,
a retired catalogue body, and the list's queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assess.models import AccessEvent, Alliance, Holding, Membership
from assess.people import access_log
from tests.conftest import make_user, signed_in

TODAY = datetime.date.today()
NEXT_YEAR = TODAY + datetime.timedelta(days=200)


@pytest.fixture
def catalogue(bank):
    return Alliance.objects.get(slug="first")


@pytest.fixture
def consultant(org):
    user = make_user("carl@consult.example", "Carl")
    Membership.objects.create(user=user, organization=org, role=Membership.Role.CONSULTANT)
    return user


def _post(**over):
    data = {
        "alliance": "",
        "body_name": "",
        "depth": "receive",
        "tier": "",
        "since": "",
        "annual_cost": "",
        "currency": "",
        "renewal_date": "",
        "owner_role": "",
        "owner": "",
        "contribution": "",
        "notes": "",
    }
    data.update({k: str(v) for k, v in over.items()})
    return data


def test_an_owner_records_a_catalogue_body_and_a_free_text_one(client, owner, org, catalogue):
    signed_in(client, owner)
    response = client.post(
        f"/orgs/{org.code}/memberships/new/",
        _post(
            alliance=catalogue.pk,
            depth="contribute",
            tier="Full member",
            since="2024-03-01",
            annual_cost="4500.00",
            currency="EUR",
            renewal_date=NEXT_YEAR.isoformat(),
            owner_role="SOC lead",
            owner=owner.pk,
            contribution="Incident reports",
        ),
    )
    assert response.status_code == 302
    client.post(
        f"/orgs/{org.code}/memberships/new/",
        _post(body_name="Regional Banking Security Circle", annual_cost="800", currency="GBP"),
    )
    first, circle = Holding.objects.order_by("body_name")
    assert (first.body_name, first.alliance, first.annual_cost, first.currency) == (
        catalogue.name,
        catalogue,
        Decimal("4500.00"),
        "EUR",
    )
    assert (circle.alliance, circle.annual_cost) == (None, Decimal("800"))
    page = client.get(f"/orgs/{org.code}/memberships/").text
    assert catalogue.name in page and "Regional Banking Security Circle" in page
    assert "SOC lead" in page
    logged = AccessEvent.objects.filter(action=AccessEvent.Action.HOLDING_ADDED)
    assert sorted(access_log.describe(e) for e in logged) == sorted(
        [catalogue.name, "Regional Banking Security Circle"]
    )


def test_a_member_edits_and_removes_and_the_log_records_both(client, member, org, catalogue):
    holding = Holding.objects.create(organization=org, alliance=catalogue, depth="receive")
    signed_in(client, member)
    response = client.post(
        f"/orgs/{org.code}/memberships/{holding.pk}/",
        _post(alliance=catalogue.pk, depth="contribute", annual_cost="10", currency="USD"),
    )
    assert response.status_code == 302
    holding.refresh_from_db()
    assert (holding.depth, holding.currency) == ("contribute", "USD")
    assert client.post(f"/orgs/{org.code}/memberships/{holding.pk}/remove/").status_code == 302
    assert not Holding.objects.exists()
    actions = list(
        AccessEvent.objects.filter(organization=org, user=member)
        .exclude(action=AccessEvent.Action.SIGNED_IN)
        .order_by("created", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [AccessEvent.Action.HOLDING_CHANGED, AccessEvent.Action.HOLDING_REMOVED]


def test_a_consultant_sees_the_list_but_cannot_change_it(client, consultant, org, catalogue):
    holding = Holding.objects.create(organization=org, alliance=catalogue, depth="receive")
    signed_in(client, consultant)
    page = client.get(f"/orgs/{org.code}/memberships/")
    assert page.status_code == 200 and catalogue.name in page.text
    assert f"/memberships/{holding.pk}/remove/" not in page.text
    assert client.get(f"/orgs/{org.code}/memberships/new/").status_code == 403
    assert client.post(f"/orgs/{org.code}/memberships/new/", _post(body_name="X")).status_code == (
        403
    )
    assert client.post(f"/orgs/{org.code}/memberships/{holding.pk}/remove/").status_code == 403
    assert Holding.objects.count() == 1


def test_another_organisations_membership_is_not_found(
    client, owner, org, other_org, outsider, catalogue
):
    theirs = Holding.objects.create(
        organization=other_org, body_name="Rival Circle", depth="receive"
    )
    signed_in(client, owner)
    assert client.get(f"/orgs/{org.code}/memberships/{theirs.pk}/").status_code == 404
    assert client.post(f"/orgs/{org.code}/memberships/{theirs.pk}/remove/").status_code == 404
    assert Holding.objects.filter(pk=theirs.pk).exists()
    assert "Rival Circle" not in client.get(f"/orgs/{org.code}/memberships/").text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("renewal_date", (TODAY - datetime.timedelta(days=1)).isoformat(), "This date has passed"),
        ("annual_cost", "-5", "A cost cannot be negative"),
        ("currency", "XYZ", "is not a currency we know"),
        ("since", (TODAY + datetime.timedelta(days=3)).isoformat(), "cannot be in the future"),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(
    client, owner, org, field, value, message
):
    signed_in(client, owner)
    data = _post(
        body_name="Regional Banking Security Circle",
        annual_cost="800",
        currency="GBP",
        notes="Renewed by the CFO last time",
        owner_role="CISO",
    )
    data[field] = value
    response = client.post(f"/orgs/{org.code}/memberships/new/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Nothing was saved" in text
    assert "Regional Banking Security Circle" in text and "Renewed by the CFO last time" in text
    assert not Holding.objects.exists()


def test_a_cost_needs_its_currency_and_a_body_needs_a_name(client, owner, org):
    signed_in(client, owner)
    response = client.post(f"/orgs/{org.code}/memberships/new/", _post(annual_cost="100"))
    text = response.content.decode()
    assert "Say which currency the cost is in." in text
    assert "Pick a body from the catalogue or type its name." in text
    assert not Holding.objects.exists()


def test_the_database_refuses_a_negative_cost_or_a_cost_without_currency(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Holding.objects.create(
            organization=org, body_name="X", depth="receive", annual_cost=-1, currency="EUR"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Holding.objects.create(organization=org, body_name="X", depth="receive", annual_cost=1)


def test_a_body_retired_from_the_catalogue_stays_readable_and_editable(
    client, owner, org, catalogue
):
    holding = Holding.objects.create(organization=org, alliance=catalogue, depth="receive")
    Alliance.objects.filter(pk=catalogue.pk).update(active=False)
    signed_in(client, owner)
    page = client.get(f"/orgs/{org.code}/memberships/").text
    assert catalogue.name in page and "retired from the catalogue" in page
    form = client.get(f"/orgs/{org.code}/memberships/{holding.pk}/").text
    assert f'value="{catalogue.pk}" selected' in form
    response = client.post(
        f"/orgs/{org.code}/memberships/{holding.pk}/",
        _post(alliance=catalogue.pk, depth="receive", notes="still useful"),
    )
    assert response.status_code == 302
    # Deleting the entry outright keeps the record under its name.
    Alliance.objects.filter(pk=catalogue.pk).delete()
    holding.refresh_from_db()
    assert (holding.alliance, holding.body_name, holding.notes) == (
        None,
        catalogue.name,
        "still useful",
    )
    assert catalogue.name in client.get(f"/orgs/{org.code}/memberships/").text


def test_a_retired_body_cannot_be_picked_for_a_new_record(client, owner, org, catalogue):
    Alliance.objects.filter(pk=catalogue.pk).update(active=False)
    signed_in(client, owner)
    response = client.post(f"/orgs/{org.code}/memberships/new/", _post(alliance=catalogue.pk))
    assert response.status_code == 200
    assert not Holding.objects.exists()


def test_the_list_reads_in_a_constant_number_of_queries(
    client, owner, org, catalogue, django_assert_num_queries
):
    signed_in(client, owner)
    client.get(f"/orgs/{org.code}/memberships/")  # the session and the user are cached after

    def count():
        with django_assert_num_queries(5) as ctx:
            client.get(f"/orgs/{org.code}/memberships/")
        return len(ctx.captured_queries)

    Holding.objects.create(organization=org, alliance=catalogue, depth="receive")
    first = count()
    for n in range(5):
        Holding.objects.create(organization=org, body_name=f"Body {n}", depth="receive")
    assert count() == first


def test_a_new_assessment_starts_with_what_the_memberships_answer(client, owner, org, catalogue):
    from assess.models import Answer, Assessment

    Holding.objects.create(organization=org, alliance=catalogue, depth="contribute")
    Holding.objects.create(
        organization=org, alliance=Alliance.objects.get(slug="paris-call"), depth="signatory"
    )
    signed_in(client, owner)
    client.post(f"/orgs/{org.code}/assessments/new/")
    a = Assessment.objects.get(organization=org)
    given = {
        ans.question.code: ({c.code for c in ans.choices.all()}, ans.comment)
        for ans in Answer.objects.filter(assessment=a)
    }
    assert given["CAP-05"][0] == {"two"} and catalogue.name in given["CAP-05"][1]
    assert given["RSK-05"][0] == {"pledge"} and "Paris Call" in given["RSK-05"][1]
    assert given["CAP-04"][0] == {"csirt"}
    assert set(given) == {"CAP-04", "CAP-05", "RSK-05"}
    page = client.get(f"/a/{a.code}/s/1/")
    assert page.status_code == 200


def test_a_liaison_of_first_or_a_body_outside_the_rules_fills_in_nothing(
    client, owner, org, catalogue
):
    from assess.models import Answer, Assessment

    Holding.objects.create(
        organization=org, alliance=catalogue, depth="receive", tier="Liaison member"
    )
    Holding.objects.create(organization=org, body_name="Some ISAC", depth="receive")
    signed_in(client, owner)
    client.post(f"/orgs/{org.code}/assessments/new/")
    a = Assessment.objects.get(organization=org)
    assert not Answer.objects.filter(assessment=a).exists()
