"""The shipped question bank and catalogue: valid, complete and loadable twice."""

from django.core.management import call_command

from assess import vocabulary
from assess.banks.catalogue import KNOWN_TAGS, catalogue_problems
from assess.banks.format import bank_problems
from assess.models import Alliance, Choice, Question, QuestionBank

# The tags the bank's answers carry: the catalogue's known tags (its one home) and a
# `serves_<sector>` for each sector the bank asks about.
TAGS = {
    *KNOWN_TAGS,
    *(
        f"serves_{s}"
        for s in (
            "energy",
            "water",
            "healthcare",
            "financial_services",
            "transport",
            "telecommunications",
            "government",
            "defence_aerospace",
            "automotive",
        )
    ),
}


def test_the_default_bank_is_valid_and_big_enough(bank_document):
    assert bank_problems(bank_document) == []
    sections = bank_document["bank"]["sections"]
    questions = [q for s in sections for q in s["questions"]]
    assert len(sections) >= 6 and len(questions) >= 30
    gates = {q["show_if"]["question"] for q in questions if q.get("show_if")}
    for q in questions:
        # Every question scores, shows a fact through tags, or decides whether others apply.
        informs = any(c.get("points") or c.get("tags") for c in q["choices"])
        assert informs or q["code"] in gates, q["code"]


def test_every_dimension_and_tag_is_reachable(default_bank):
    for dim in vocabulary.DIMENSIONS:
        # Threat pressure is read from a few questions on purpose (it only lowers a cut), and
        # the appetite for public commitments from the four that ask the board and leadership.
        least = {"threat": 3, "commitment_tolerance": 4}.get(dim, 5)
        assert sum(1 for q in default_bank.questions if q.max_points(dim) > 0) >= least, dim
    used = {t for q in default_bank.questions for c in q.choices for t in c.tags}
    assert used == TAGS


def test_the_catalogue_is_valid_with_fifteen_real_bodies(catalogue_document):
    assert catalogue_problems(catalogue_document) == []
    entries = catalogue_document["alliances"]
    assert len(entries) >= 15
    for a in entries:
        for key in ("eligibility", "cost", "commitments", "url", "facts_as_of"):
            assert a[key], (a["slug"], key)
        # Where no primary source was found the entry says so by its mark and its leads.
        assert (
            a["sources"]
            or (a["confidence"] != "V" and a["secondary_sources"])
            or (a["confidence"] == "B")
        ), a["slug"]
        tags = set(a["requires_tags"]) | set(a["requires_any_tags"]) | set(a["excludes_tags"])
        assert tags <= TAGS, a["slug"]


def test_load_defaults_is_idempotent(db, capsys):
    call_command("load_defaults")
    counts = (
        QuestionBank.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
        Alliance.objects.count(),
    )
    call_command("load_defaults")
    assert counts == (
        QuestionBank.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
        Alliance.objects.count(),
    )
    assert "already loaded" in capsys.readouterr().out
    assert counts[0] == 1 and counts[1] >= 30 and counts[3] >= 15


def test_load_defaults_keeps_admin_edits_to_the_catalogue(db):
    call_command("load_defaults")
    Alliance.objects.filter(slug="first").update(cost="Edited by an admin")
    call_command("load_defaults")
    assert Alliance.objects.get(slug="first").cost == "Edited by an admin"


def test_ensure_admin_creates_one_admin_once(db, capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = first.split("password: ")[1].split()[0]
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")  # django-axes needs the request
    assert authenticate(request, username="admin@localhost", password=password).is_superuser
    call_command("ensure_admin")
    assert "An admin account exists" in capsys.readouterr().out


def test_a_broken_bank_reports_each_problem_with_its_path(bank_document):
    import copy

    doc = copy.deepcopy(bank_document)
    q = doc["bank"]["sections"][2]["questions"][4]
    q["choices"].append(dict(q["choices"][0]))
    q["choices"][0]["points"] = {"charisma": 2}
    doc["bank"]["sections"][0]["questions"][1]["show_if"] = {"question": "ZZZ-99", "choices": ["x"]}
    doc["bank"]["thresholds"]["operational_capacity"] = 120
    problems = bank_problems(doc)
    dup = q["choices"][0]["code"]
    assert f'sections[2].questions[4].choices: duplicate code "{dup}"' in problems
    assert 'sections[2].questions[4].choices[0].points: unknown dimension "charisma"' in problems
    assert any(p.startswith("sections[0].questions[1].show_if: refers to") for p in problems)
    assert any("operational_capacity must be between 0 and 100" in p for p in problems)


def test_loading_retires_entries_the_catalogue_replaced_and_refreshes_newer_facts(db):
    import datetime

    from assess.banks.format import DATA_DIR, load_json
    from assess.banks.store import catalogue_load

    Alliance.objects.create(
        slug="ncsc-cisp",
        name="Old CiSP",
        kind="GOV",
        track="operational",
        level="receive",
        facts_as_of=datetime.date(2020, 1, 1),
        sources=["https://example.org/secondary"],
    )
    Alliance.objects.create(
        slug="fs-isac",
        name="FS-ISAC (old)",
        kind="ISAC",
        track="operational",
        level="receive",
        facts_as_of=datetime.date(2020, 1, 1),
    )
    Alliance.objects.create(
        slug="paris-call",
        name="Edited by an admin",
        kind="NORM",
        track="normative",
        level="supporter",
        facts_as_of=datetime.date(2030, 1, 1),
    )
    catalogue_load(load_json(DATA_DIR / "catalogue.json"))
    assert not Alliance.objects.get(slug="ncsc-cisp").active
    assert Alliance.objects.get(slug="gb-cisp").active
    assert Alliance.objects.get(slug="fs-isac").name.startswith("FS-ISAC (Financial")
    assert Alliance.objects.get(slug="paris-call").name == "Edited by an admin"


def test_an_entry_is_free_only_where_its_stated_cost_says_so(catalogue_document, db):
    from assess.banks.format import DATA_DIR, load_json
    from assess.banks.store import catalogue_load

    for a in catalogue_document["alliances"]:
        cost = a["cost"].lower()
        if a.get("free"):
            assert cost.startswith(("free", "no fee.")), (a["slug"], a["cost"])
        if "not stated" in cost or "reported" in cost or "believed" in cost:
            assert not a.get("free"), a["slug"]
    bad = {
        **catalogue_document,
        "alliances": [dict(catalogue_document["alliances"][0], free="yes")],
    }
    assert "alliances[0].free: expected true or false" in catalogue_problems(bad)
    catalogue_load(load_json(DATA_DIR / "catalogue.json"))
    assert Alliance.objects.get(slug="gb-cisp").free
    assert not Alliance.objects.get(slug="fr-csirt-regionaux").free
    assert Alliance.objects.get(slug="gb-cisp").definition().free
