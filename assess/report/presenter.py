"""A submitted assessment's result, presented: the frozen snapshot -> the context the result
page, the printable report, the PDF and the answers CSV are rendered from.

Everything here reads the snapshot (`assess.snapshot`, frozen at submit), in the reader's
language where its words were frozen in it, so a result shown years later says the same
thing; nothing here calls the rules or reads live answers. The words of the result that are
not the rules' own (the threshold labels, the recommendation with its depth, "what would
change this" and how firm the result is, in sentences) are made here, once, for every place
that shows them; the outcome, depth and dimension labels are `assess.vocabulary`, which the
rules write their reasons in too.
"""

import base64
import dataclasses
import re
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assess import charts, vocabulary
from assess.holdings import compare
from assess.holdings import controls as controls_map
from assess.languages import Text
from assess.models import Assessment
from assess.questionnaire import agreement
from assess.report.pdf import STYLESHEET
from assess.snapshot import TEXT_PARTS, Snapshot, SnapshotError

TEMPLATE = "reports/report.html"


def snapshot_of(assessment):
    """The assessment's frozen result, with its words in the active language if they were
    frozen in it, else in the language it was submitted in, each word then a `Text` that
    says so (`|text_lang` marks it on the page)."""
    page = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    snap = Snapshot.from_dict(assessment.result).in_language(page)
    if snap.language == page:
        return snap
    return dataclasses.replace(
        snap, **{part: _in(getattr(snap, part), snap.language) for part in TEXT_PARTS}
    )


def _in(value, language):
    """Every string in `value` (nested lists and dicts) as a Text in `language`."""
    if isinstance(value, str):
        return Text(value, language)
    if isinstance(value, list):
        return [_in(v, language) for v in value]
    if isinstance(value, dict):
        return {k: _in(v, language) for k, v in value.items()}
    return value


def _comparison(previous, snap):
    """The result against the organisation's previous one: the outcome and each score."""
    labels = vocabulary.dimension_labels()
    scores, prev_scores = snap.score_values(), previous.score_values()
    before, after = recommendation_label(previous), recommendation_label(snap)
    return {
        # The depth counts: receive-only to contributing member is a change.
        "outcome_changed": before != after,
        "previous_outcome": before,
        "outcome": after,
        "rows": [
            {
                "label": labels[d],
                "before": prev_scores.get(d),
                "after": scores[d],
                # From the rounded figures shown, so 57 -> 68 reads +11, not +10.
                "delta": (
                    None
                    if prev_scores.get(d) is None or scores[d] is None
                    else vocabulary.shown(scores[d]) - vocabulary.shown(prev_scores[d])
                ),
            }
            for d in snap.dimensions
        ],
    }


def result_context(assessment, previous=None, *, peers, holdings=None, controls=None):
    """Everything the result page and the report need, from the frozen snapshot alone.
    `previous` is the organisation's result before this one, if any; `peers` is what the
    comparison with peers shows (`peers.shown_for`), read before rendering. `holdings` (the
    memberships held, `held.rows`) and `controls` (`held.shown_controls`) are live, read
    before rendering too; None leaves their sections out."""
    snap = snapshot_of(assessment)
    before = snapshot_of(previous) if previous is not None else None
    here = snap.map
    labels = vocabulary.dimension_labels()
    y_phrase = vocabulary.dimension_phrases()[here.y_dimension]
    map_svg = charts.position_map(
        capacity=here.x,
        risk_tolerance=here.y,
        outcome_at=here.outcome_at,
        title=_("Where you stand: security capacity against %(y)s") % {"y": y_phrase},
        previous=(before.map.x, before.map.y)
        if before and before.map.y_dimension == here.y_dimension
        else None,
        y_label=labels[here.y_dimension],
        y_phrase=y_phrase,
    )
    bars_svg = charts.dimension_bars(
        scores=snap.score_values(),
        labels=labels,
        title=_("Scores on the dimensions"),
        thresholds=[
            ("capacity", here.operational_cut, _("operational")),
            ("exposure", snap.thresholds["normative_exposure"], _("normative")),
        ],
        previous=before.score_values() if before else None,
        confidence={d: snap.scores[d]["confidence"] / 100 for d in snap.dimensions},
    )
    tracks, levels = vocabulary.outcome_short_labels(), vocabulary.depth_labels()
    featured, more = featured_alliances(
        [
            dict(
                a,
                link=_link(a["url"]),
                track_label=tracks.get(a["track"], a["track"]),
                level_label=levels.get(a.get("level"), a.get("level") or ""),
            )
            for a in snap.alliances
        ]
    )
    return {
        "snapshot": snap,
        "result": snap,
        "outcome_label": vocabulary.outcome_labels()[snap.outcome],
        "outcome_labels": vocabulary.outcome_labels(),
        "dimension_rows": [
            {"key": d, "label": labels[d], **snap.scores[d]} for d in snap.dimensions
        ],
        "map_svg": map_svg,
        "bars_svg": bars_svg,
        "comparison": dict(_comparison(before, snap), assessment=previous) if before else None,
        "plan": _plan(snap.plan),
        "recommendation": recommendation_label(snap),
        **_alliances_heading(snap),
        "featured_alliances": featured,
        "more_alliances": more,
        "more_groups": _grouped(more),
        "excluded_alliances": snap.excluded,
        "caveats": [dict(c, link=_link(c.get("source"))) for c in snap.caveats],
        "routes": routes(snap),
        "firmness": firmness(snap),
        "find_out": snap.find_out,
        "provisional": snap.provisional,
        "map_y_label": y_phrase,
        "provisional_dimensions": [labels[d] for d in snap.provisional_dimensions if d in labels],
        "held": held_context(snap, featured, holdings),
        "auditor": auditor_context(snap, holdings, controls),
        **peers,
    }


def held_for(assessment, holdings):
    """The memberships held against a submitted assessment's result, for the dashboard; None
    when its stored result cannot be read (the result page says why; the dashboard goes on)."""
    try:
        snap = snapshot_of(assessment)
    except SnapshotError:
        return None
    featured, _more = featured_alliances(snap.alliances)
    return held_context(snap, featured, holdings)


def held_context(snap, featured, holdings):
    """The memberships held against the result ("next step", "keep", "why do we still pay
    for this?"), or None when they are not shown."""
    if holdings is None:
        return None
    return dict(
        compare.compare(named=snap.alliances, featured=featured, held=holdings),
        any_held=bool(holdings),
    )


def auditor_context(snap, holdings, controls):
    """ "What this gives your auditor": the controls that apply to the organisation's sector
    and countries as frozen in the result, each with what meets it; None when not shown."""
    if controls is None:
        return None
    depths = {"operational": snap.operational_depth, "normative": snap.normative_depth}
    rows = controls_map.mapped(
        controls,
        sector=snap.organization.get("sector", ""),
        countries=snap.organization.get("countries", []),
        held=holdings or [],
        recommended_depths={t: d for t, d in depths.items() if d},
    )
    pledge = snap.normative_depth or any(h["track"] == "normative" for h in holdings or [])
    return {"rows": rows, "pledge": bool(pledge)}


def _alliances_heading(snap):
    """The alliances section's heading and its first words. A "hygiene first" result does not
    recommend joining anything: the bodies it lists are sources to read meanwhile, and the
    section says so rather than calling them alliances that match."""
    if snap.outcome == "hygiene_first":
        return {
            "alliances_heading": _("Sources to start with"),
            "alliances_intro": _(
                "None of these is a membership to pursue now. Each is a one-way source of "
                "warnings and advice that asks nothing of you in return, worth reading while "
                "the basics come first."
            ),
        }
    return {"alliances_heading": _("Alliances that match"), "alliances_intro": ""}


SUMMARY_DISPUTES = 3  # the most disputed questions the executive summary names


def _disagreement_phrase(row):
    """(how the team split on one question, in words; whether no answer was most common),
    from its frozen row. Rows frozen before the leading answers were recorded say it from
    the distribution when every participant picked one choice, and else as the share that
    differed, as they always did."""
    if "leaders" in row:
        leaders, top = row["leaders"], row["top"]
    else:
        counts = [x["count"] for x in row["distribution"]]
        if not counts or sum(counts) != row["answered"]:
            return (
                _("%(p)s%% differed from the answer given most often.")
                % {"p": row["disagreement"]},
                False,
            )
        top = max(counts)
        leaders = [x["label"] for x in row["distribution"] if x["count"] == top]
    phrase = agreement.describe(answered=row["answered"], top=top, leaders=leaders)
    return phrase, len(leaders) > 1


def workshop_context(frozen):
    """The workshop's part of the report (the disagreement appendix and the summary line),
    from the snapshot's workshop part; None for a self-assessment."""
    if not frozen:
        return None
    rows = []
    for row in frozen["disagreements"]:
        phrase, tied = _disagreement_phrase(row)
        rows.append(dict(row, phrase=phrase, tied=tied, comments=row.get("comments", [])))
    return {
        "participants": frozen["participants"],
        "roles": frozen["roles"],
        "rows": rows,
        "most_disputed": rows[:SUMMARY_DISPUTES],
        "agreed_comments": frozen.get("agreed_comments", []),
    }


def _link(url):
    """The URL if it may be a link (http or https), else "": bank and catalogue text is
    admin-edited and a javascript: link must never reach the page."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme in ("http", "https") else ""


def _short(url, limit=64):
    """A source as a reader scans it in print, without scheme and "www." and cut to `limit`
    characters; the full address is the link."""
    parts = urlsplit(url.strip())
    if not parts.hostname:
        return url
    text = parts.hostname.removeprefix("www.").rstrip(".") + parts.path.rstrip("/")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _sources(snap):
    """The catalogue entries the report cites, each with its sources and as-of date. The page
    links each source under a short text; the PDF prints the full address as plain text (a
    reader types or clicks it there, and 50-odd link annotations cost some 6% of a render)."""
    rows, seen = [], set()
    for a in snap.alliances + snap.related:
        if a["slug"] not in seen:
            seen.add(a["slug"])
            rows.append(
                {
                    "name": a["name"],
                    "as_of": a["facts_as_of"],
                    "urls": [
                        {"text": _short(u), "link": _link(u), "url": u.strip()}
                        for u in dict.fromkeys(a["sources"])
                    ],
                    "leads": [
                        {"text": _short(u), "link": _link(u), "url": u.strip()}
                        for u in dict.fromkeys(a.get("secondary_sources", ()))
                    ],
                }
            )
    return rows


def _plan(steps):
    """The plan as a timeline: by the first day of each step's window, tracks interleaved."""

    def first_day(step):
        digits = re.search(r"\d+", step.get("window", ""))
        return int(digits.group()) if digits else 0

    labels = vocabulary.outcome_labels()
    tracks = {step.get("track") for step in steps}
    return sorted(
        (
            dict(step, track_label=labels.get(step.get("track"), "") if len(tracks) > 1 else "")
            for step in steps
        ),
        key=first_day,
    )


def _answers_away(n):
    """ "one answer", "two answers" ... in words, as a board member reads them."""
    if n == 1:
        return _("one answer")
    words = {
        2: _("two answers"),
        3: _("three answers"),
        4: _("four answers"),
        5: _("five answers"),
        6: _("six answers"),
    }
    return words.get(n) or _("%(n)d answers") % {"n": n}


def _grouped(more):
    """ "Also open to you" by country and sector, as the rules grouped them (a result
    before rules 2026.12.2 has no groups: one list)."""
    if not more or "group" not in more[0]:
        return [{"label": "", "alliances": more}] if more else []
    groups = {}
    for a in more:
        groups.setdefault(a["group"], []).append(a)
    return [{"label": label, "alliances": items} for label, items in groups.items()]


# Alliances described in full, per track; the rest of the matches are listed in a line each.
# A board reads the first few of each kind; a list of twenty-five cards hides them.
FEATURED_PER_TRACK = {"operational": 4, "normative": 3}


def featured_alliances(alliances):
    """(featured, more): the first cards and the others. A result since rules 2026.12.2
    marks its first cards itself (ranked by fit, `first`), so the page, the PDF and the
    workshop report show the same ones; for an earlier one, the first matches of each track
    in the stored order."""
    if any("first" in a for a in alliances):
        return [a for a in alliances if a.get("first")], [
            a for a in alliances if not a.get("first")
        ]
    featured, more, seen = [], [], {}
    for a in alliances:
        seen[a["track"]] = seen.get(a["track"], 0) + 1
        if seen[a["track"]] <= FEATURED_PER_TRACK.get(a["track"], 3):
            featured.append(a)
        else:
            more.append(a)
    return featured, more


def recommendation_label(result):
    """The full recommendation with its depth: "Operational alliances, as a receive-only
    member"; what the cover, the title, the comparison with the previous result and the
    what-if verdict say. `result` is a snapshot or anything with the same three fields."""
    outcome = vocabulary.outcome_labels()[_field(result, "outcome")]
    depths = vocabulary.depth_labels()
    parts = [
        str(depths[d])
        for d in (_field(result, "operational_depth"), _field(result, "normative_depth"))
        if d in depths
    ]
    if not parts:
        return outcome
    return _("%(outcome)s, as %(depths)s") % {
        "outcome": outcome,
        "depths": _(" and ").join([(_("a %(depth)s") % {"depth": p}) for p in parts]),
    }


def _field(result, name):
    return result.get(name) if isinstance(result, dict) else getattr(result, name)


def routes(snap):
    """ "What would change this", sorted the way an advisor tells it: the levers that move the
    result up, the changes of direction, then what would make it worse (answers that got
    weaker: a warning, not advice), and apart from them the facts the company does not
    decide that would change it on their own. `snap`: the snapshot (its outcome and
    sensitivity)."""
    current = snap.outcome
    groups = {"up": [], "across": [], "down": []}
    facts, unreachable = [], []
    for s in snap.sensitivity:
        direction = vocabulary.outcome_direction(current, s["outcome"])
        label = vocabulary.outcome_labels()[s["outcome"]]
        if s["reachable"]:
            groups[direction].append(dict(s, label=label, direction=direction))
        elif not s.get("facts"):
            # An outcome a change of fact reaches is listed with that fact, not called out
            # of reach as well.
            unreachable.append(label)
        if s.get("facts"):
            facts.append({"label": label, "direction": direction, "changes": s["facts"]})
    return {**groups, "facts": facts, "unreachable": unreachable}


def firmness(snap):
    """How close the result is to each boundary, in words: the fewest answer changes found
    that reach another outcome, nearest first, worsenings before the rest at equal distance.
    A 100% known result can still be one answer from another outcome; this says so."""
    found = [(len(s["changes"]), s) for s in snap.sensitivity if s["reachable"] and s["changes"]]
    order = {"down": 0, "across": 1, "up": 2}
    direction = vocabulary.outcome_direction
    found.sort(key=lambda x: (x[0], order[direction(snap.outcome, x[1]["outcome"])]))
    sentences = []
    for n, s in found:
        label = vocabulary.outcome_labels()[s["outcome"]]
        direction = vocabulary.outcome_direction(snap.outcome, s["outcome"])
        if direction == "down":
            text = _("%(away)s from %(label)s, if answers got weaker.")
        elif direction == "up":
            text = _("%(away)s from %(label)s: levers to work on.")
        else:
            text = _("%(away)s from %(label)s: a change of direction.")
        text %= {"away": _answers_away(n), "label": label}
        sentences.append({"n": n, "direction": direction, "text": capfirst(text)})
    if not found and any(s.get("facts") for s in snap.sensitivity):
        summary = _(
            "Firm on what you decide: no change of a few plausible answers reaches another "
            "outcome; only a change in a fact listed under “What would change this” would."
        )
    elif not found:
        summary = _("Firm: no change of a few plausible answers reaches another outcome.")
    elif found[0][0] == 1:
        summary = _("Close to a boundary: a single answer changes the outcome.")
    elif found[0][0] <= 2:
        summary = _("Near a boundary: two answers change the outcome.")
    else:
        summary = _("Fairly firm: it takes several answers to change the outcome.")
    return {"summary": summary, "sentences": sentences}


def _svg_image(svg):
    """A chart as the PDF shows it: the same SVG as an <img> data URL, with its title and
    description as alternative text. Inline, each of its elements would also go through
    WeasyPrint's CSS cascade and box tree; as an image only the SVG renderer reads it. The
    stylesheet gives it the width the SVG asks for on the page (charts.MAP_WIDTH,
    charts.BARS_WIDTH) as a width: with max-width WeasyPrint gets an image's height wrong."""
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    alt = " ".join(unescape(m.group(1)) for m in (title, desc) if m)
    svg = re.sub(r' style="[^"]*"', "", svg, count=1)
    data = base64.b64encode(svg.encode()).decode("ascii")
    return {"src": f"data:image/svg+xml;base64,{data}", "alt": alt}


def report_context(assessment, *, for_pdf, peers, score_trend, holdings=None, controls=None):
    ctx = result_context(assessment, peers=peers, holdings=holdings, controls=controls)
    snap = ctx["snapshot"]
    limits = vocabulary.threshold_labels()
    ctx.update(
        {
            "assessment": assessment,
            "for_pdf": for_pdf,
            "org_name": snap.organization["name"],
            "organization": snap.organization,
            "submitted_at": assessment.submitted_at,
            "is_workshop": snap.kind == Assessment.Kind.WORKSHOP,
            "summary_reasons": snap.reasons[:3],
            "summary_actions": ctx["plan"][:3],
            "answer_sections": snap.answers,
            "team": workshop_context(snap.workshop),
            "sources": _sources(snap),
            "dimension_meanings": [
                {"label": vocabulary.dimension_labels()[d], "question": meaning}
                for d, meaning in vocabulary.dimension_questions().items()
            ]
            if not snap.is_legacy
            else [],
            # In the labels' order, not the stored mapping's (PostgreSQL keeps no key order).
            "threshold_rows": [
                {"label": limits.get(name, name), "value": snap.thresholds[name]}
                for name in limits
                if name in snap.thresholds
            ]
            + [
                {"label": name, "value": value}
                for name, value in sorted(snap.thresholds.items())
                if name not in limits
            ],
            "stylesheet": STYLESHEET,
            "map_img": _svg_image(ctx["map_svg"]) if for_pdf else None,
            "bars_img": _svg_image(ctx["bars_svg"]) if for_pdf else None,
            "score_trend": score_trend,
            "SITE_NAME": settings.SITE_NAME,  # the PDF is rendered without a request
        }
    )
    return ctx


# The template's line breaks and indentation between tags: whitespace-only text that
# WeasyPrint would parse and then drop, box by box. Between two tags of which one is inline
# (a link, emphasis, a span), the line break is a word space, and stays one space.
_LAYOUT_WHITESPACE = re.compile(r"(<[^<>]*>)[ \t]*\n\s*(?=<(/?)([a-zA-Z][a-zA-Z0-9]*))")
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)


def without_layout_whitespace(html):
    """`html` without the line breaks and indentation between tags, except a single space
    where a tag on either side is inline."""

    def joined(match):
        before = _TAG_NAME.match(match.group(1))
        inline = match.group(3).lower() in INLINE_TAGS or (
            before is not None and before.group(1).lower() in INLINE_TAGS
        )
        return match.group(1) + (" " if inline else "")

    return _LAYOUT_WHITESPACE.sub(joined, html)


def report_html(
    assessment, *, peers, score_trend, holdings=None, controls=None, for_pdf=False, request=None
):
    """The report as HTML. `peers`, `score_trend`, `holdings` and `controls` are read before
    rendering (`shown.for_report`): nothing in the templates queries."""
    ctx = report_context(
        assessment,
        for_pdf=for_pdf,
        peers=peers,
        score_trend=score_trend,
        holdings=holdings,
        controls=controls,
    )
    html = render_to_string(TEMPLATE, ctx, request=request)
    return without_layout_whitespace(html) if for_pdf else html
