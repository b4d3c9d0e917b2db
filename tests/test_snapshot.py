"""The frozen result as one typed record (assess/snapshot.py): what submit stores, that nothing
after submit reads the rules or the live answers, the map's frozen regions, the words frozen
per language, and the data migration that brought older results to version 2."""

import re

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from assess import charts, rules, snapshot, vocabulary
from assess.insights import shown
from assess.models import Answer, Assessment, Question
from assess.report.presenter import report_html
from assess.rules import maps
from assess.services import assessment_submit
from tests.conftest import answer_everything
from tests.snapshot_helpers import upgrade_stored_results


def submitted(client, assessment, pick="high"):
    answer_everything(client, assessment, pick=pick)
    client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    return assessment


def test_submit_stores_a_version_2_record_that_reads_back_unchanged(owner_client, assessment):
    a = submitted(owner_client, assessment)
    stored = a.result
    snap = snapshot.Snapshot.from_dict(stored)
    assert snap.version == snapshot.VERSION == 2
    assert snap.language == "en"
    assert snap.to_dict() == stored
    assert snap.outcome == stored["outcome"] and snap.answers and snap.map.rows
    assert snap.organization["name"] == a.organization.name


@pytest.mark.parametrize("pick", ["high", "low", "mixed"])
def test_the_frozen_map_gives_the_rules_outcome_at_every_point(owner_client, assessment, pick):
    """Every whole-number point of the plane, and the chart drawn from it is the chart the
    live rules would draw."""
    a = submitted(owner_client, assessment, pick)
    live = maps.map_of(a.result)
    frozen = snapshot.Snapshot.from_dict(a.result).map
    for c in range(101):
        for r in range(101):
            assert frozen.outcome_at(c, r) == live.outcome_at(c, r), (c, r)
    assert frozen.outcome_at(frozen.x, frozen.y) == a.result["outcome"]

    def draw(outcome_at):
        return charts.position_map(
            capacity=live.x, risk_tolerance=live.y, outcome_at=outcome_at, title="Map"
        )

    assert draw(frozen.outcome_at) == draw(live.outcome_at)


def test_nothing_after_submit_calls_the_rules_or_reads_live_answers(
    owner_client, assessment, monkeypatch
):
    """The result page, the printable report and the answers CSV are made from the record
    alone: with the rules made to fail, the bank reworded and the answers gone, they say
    exactly what they said."""
    a = submitted(owner_client, assessment)
    urls = (f"/a/{a.code}/result/", f"/a/{a.code}/report/", f"/a/{a.code}/answers.csv")

    def pages():
        # The form's CSRF token is masked afresh on every response.
        return [
            re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", owner_client.get(url).content)
            for url in urls
        ]

    pages()  # the first shows "Submitted", once
    before = pages()

    def refuse(*args, **kwargs):
        raise AssertionError("the rules were called after submit")

    for name in ("evaluate", "decide", "outcome_at", "sensitivity", "is_visible"):
        monkeypatch.setattr(rules, name, refuse)
    monkeypatch.setattr(rules.maps, "outcome_at", refuse)
    monkeypatch.setattr(rules.maps, "map_of", refuse)
    Question.objects.filter(bank=a.bank).update(text="Reworded after submit")
    Answer.objects.filter(assessment=a).delete()
    after = pages()
    assert after == before
    assert b"Reworded after submit" not in b"".join(after)


def test_a_record_of_another_version_or_with_a_damaged_map_is_refused(owner_client, assessment):
    a = submitted(owner_client, assessment)
    old = {k: v for k, v in a.result.items() if k != "version"}
    with pytest.raises(snapshot.SnapshotError, match="version 1"):
        snapshot.Snapshot.from_dict(old)
    missing = dict(a.result)
    del missing["reasons"]
    with pytest.raises(snapshot.SnapshotError, match="lacks reasons"):
        snapshot.Snapshot.from_dict(missing)
    damaged = dict(a.result, map=dict(a.result["map"], rows=[[101, "h100"]]))
    with pytest.raises(snapshot.SnapshotError, match="damaged row"):
        snapshot.Snapshot.from_dict(damaged)
    short = dict(a.result, map=dict(a.result["map"], rows=[[100, "h101"]]))
    with pytest.raises(snapshot.SnapshotError, match="100 rows"):
        snapshot.Snapshot.from_dict(short)


def test_the_words_are_frozen_in_every_language_offered(assessment, owner, settings, bank, client):
    """A result submitted with three languages on offer keeps its words in each; the search
    for what would change it ran once, its steps are the same in every language."""
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    answer_everything(_signed_in(client, owner), assessment, pick="mixed")
    with translation.override("en"):
        a = assessment_submit(assessment=assessment, user=owner)
    snap = snapshot.Snapshot.from_dict(a.result)
    assert snap.language == "en" and set(snap.texts) == {"fr", "de"}
    for code in ("fr", "de"):
        assert set(snap.texts[code]) == set(snapshot.TEXT_PARTS)
        shown = snap.in_language(code)
        assert shown.language == code
        assert [s["outcome"] for s in shown.sensitivity] == [s["outcome"] for s in snap.sensitivity]
        assert [[c["to_codes"] for c in s["changes"]] for s in shown.sensitivity] == [
            [c["to_codes"] for c in s["changes"]] for s in snap.sensitivity
        ]
        assert len(shown.answers) == len(snap.answers)
    # A language not frozen reads the words as submitted.
    assert snap.in_language("it") is snap


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_migration_brings_an_old_result_to_version_2(owner_client, assessment):
    """A result stored before the record existed: no version, no map, no answer appendix,
    no gates or things to find out (older rules), "insufficient" for provisional."""
    a = submitted(owner_client, assessment, "mixed")
    current = dict(a.result)
    old = {
        k: v
        for k, v in current.items()
        if k not in ("version", "map", "language", "texts", "answers", "gates", "find_out")
    }
    old["insufficient"] = old.pop("provisional")
    Assessment.objects.filter(pk=a.pk).update(result=old)
    upgrade_stored_results()
    a.refresh_from_db()
    snap = snapshot.Snapshot.from_dict(a.result)
    assert snap.answers == current["answers"]
    assert snap.map.rows == snapshot.RegionMap.from_dict(current["map"]).rows
    assert snap.provisional == current["provisional"]
    assert snap.gates == [] and snap.find_out == [] and snap.texts == {}
    # Running it again changes nothing.
    upgrade_stored_results()
    a.refresh_from_db()
    assert snapshot.Snapshot.from_dict(a.result) == snap
    assert "Your first 90 days" in report_html(a, **shown.for_report(a))


_THRESHOLDS = rules.Thresholds.names()


@settings(max_examples=60, deadline=None)
@given(
    scores=st.fixed_dictionaries({d: st.integers(0, 100) for d in vocabulary.DIMENSIONS}),
    thresholds=st.fixed_dictionaries(
        {name: st.one_of(st.integers(0, 100), st.floats(0, 100)) for name in _THRESHOLDS}
    ),
    caps=st.fixed_dictionaries(
        {
            "operational": st.sampled_from(vocabulary.TRACK_DEPTHS["operational"]),
            "normative": st.sampled_from(vocabulary.TRACK_DEPTHS["normative"]),
        }
    ),
)
def test_the_map_asked_only_at_thresholds_is_the_map_asked_everywhere(scores, thresholds, caps):
    """Any scores, thresholds (whole or not) and gates: the regions frozen from the
    thresholds' values alone are the outcome the rules give at every whole-number point."""
    # The bank's own order between thresholds (the threatened cut at most the usual one, and
    # so on), as publishing checks it: sort each chain.
    for chain in (
        ("operational_capacity_threatened", "operational_capacity", "contributing_capacity"),
        ("normative_exposure", "signatory_exposure"),
        ("normative_commitment_tolerance", "signatory_commitment_tolerance"),
    ):
        for name, value in zip(chain, sorted(thresholds[n] for n in chain), strict=True):
            thresholds[name] = value
    assert not rules.Thresholds.problems(thresholds)
    result = {
        "scores": {d: {"score": v} for d, v in scores.items()},
        "thresholds": thresholds,
        "caps": caps,
    }
    live = maps.map_of(result)
    frozen = rules.frozen_map(result)
    for c in range(101):
        for r in range(101):
            assert frozen.outcome_at(c, r) == live.outcome_at(c, r), (c, r)


def test_a_result_reads_in_each_language_it_was_frozen_in(owner_client, assessment):
    """Submitted in English, the result's reasons, plan and answer sheet are frozen in French
    and German too: a French reader sees French words, unmarked; the English page is
    unchanged."""
    from django.utils.html import escape

    from tests.test_languages import switch

    a = submitted(owner_client, assessment, "mixed")
    snap = snapshot.Snapshot.from_dict(a.result)
    assert snap.language == "en" and set(snap.texts) == {"fr", "de"}
    french = snap.in_language("fr")
    assert french.headline != snap.headline
    assert french.answers[0]["title"] != snap.answers[0]["title"]  # the bank's French
    assert french.reasons[0]["text"] != snap.reasons[0]["text"]
    switch(owner_client, "fr")
    page = owner_client.get(f"/a/{a.code}/result/").text
    assert escape(french.reasons[0]["text"]) in page
    assert escape(snap.reasons[0]["text"]) not in page
    assert '<span lang="en">' not in page
    report = owner_client.get(f"/a/{a.code}/report/").text
    assert escape(french.answers[0]["questions"][0]["text"]) in report


def test_words_frozen_only_in_english_are_marked_english_on_a_french_page(owner_client, assessment):
    """A result frozen before the site offered French (or upgraded by the migration) keeps
    its English words; a French page marks them lang="en" rather than pass them as French."""
    from django.utils.html import escape

    from tests.test_languages import switch

    a = submitted(owner_client, assessment, "mixed")
    english_only = dict(a.result, texts={})
    Assessment.objects.filter(pk=a.pk).update(result=english_only)
    switch(owner_client, "fr")
    page = owner_client.get(f"/a/{a.code}/result/").text
    assert f'<span lang="en">{escape(a.result["reasons"][0]["text"])}</span>' in page
    assert f'<span lang="en">{escape(a.result["headline"])}</span>' in page


def test_the_dimensions_come_in_the_models_order_whatever_order_the_database_keeps(
    owner_client, assessment
):
    """PostgreSQL's JSON keeps no key order: a stored result read back with its scores in
    another order still lists (and charts) its dimensions in the model's order."""
    a = submitted(owner_client, assessment)
    shuffled = dict(a.result, scores=dict(reversed(list(a.result["scores"].items()))))
    snap = snapshot.Snapshot.from_dict(shuffled)
    assert list(shuffled["scores"])[0] != vocabulary.DIMENSIONS[0]
    assert snap.dimensions == vocabulary.DIMENSIONS
    assert list(snap.score_values()) == list(vocabulary.DIMENSIONS)
