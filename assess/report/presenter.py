"""A submitted assessment's result, presented: the frozen snapshot -> the context the result
page, the printable report, the PDF and the answers CSV are rendered from.

Everything here reads `assessment.result` (the snapshot frozen at submit), so a result shown
years later says the same thing. The words of the result that are not the rules' own (the
threshold labels, the recommendation with its depth, "what would change this" and how firm
the result is, in sentences) are made here, once, for every place that shows them; the
outcome, depth and dimension labels are the rules' vocabulary (`rules.vocabulary`), which
the reasons are written in.
"""

import base64
import re
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assess import agreement, charts, rules
from assess.models import Assessment
from assess.report.pdf import STYLESHEET
from assess.rules import legacy, maps
from assess.selectors import answer_sheet, answers_of, bank_view

TEMPLATE = "reports/report.html"


def outcome_with_depth(result):
    """The outcome with its depths, e.g. "Operational alliances (contributing member)"."""
    depths = rules.depth_labels()
    parts = [
        depths[d]
        for d in (result.get("operational_depth"), result.get("normative_depth"))
        if d in depths
    ]
    label = rules.outcome_labels()[result["outcome"]]
    return f"{label} ({', '.join(parts)})" if parts else str(label)


def _comparison(previous, result):
    """The result against the organisation's previous one: the outcome and each score."""
    labels = rules.dimension_labels()
    scores, prev_scores = maps.scores_of(result), maps.scores_of(previous.result)
    before, after = outcome_with_depth(previous.result), outcome_with_depth(result)
    return {
        "assessment": previous,
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
                    else rules.shown(scores[d]) - rules.shown(prev_scores[d])
                ),
            }
            for d in maps.map_of(result).dimensions
        ],
    }


def result_context(assessment, previous=None):
    """Everything the result page and the report need, from the frozen snapshot alone."""
    result = assessment.result
    here = maps.map_of(result)
    dims = here.dimensions
    scores = maps.scores_of(result)
    labels = rules.dimension_labels()
    prev_scores = maps.scores_of(previous.result) if previous is not None else None
    comparison = _comparison(previous, result) if previous is not None else None
    before = maps.map_of(previous.result) if previous is not None else None
    y_phrase = rules.dimension_phrases()[here.y_dimension]
    map_svg = charts.position_map(
        capacity=here.x,
        risk_tolerance=here.y,
        outcome_at=here.outcome_at,
        title=_("Where you stand: security capacity against %(y)s") % {"y": y_phrase},
        previous=(before.x, before.y)
        if before and before.y_dimension == here.y_dimension
        else None,
        y_label=labels[here.y_dimension],
        y_phrase=y_phrase,
    )
    bars_svg = charts.dimension_bars(
        scores=scores,
        labels=labels,
        title=_("Scores on the dimensions"),
        thresholds=[
            ("capacity", maps.operational_cut(result), _("operational")),
            ("exposure", result["thresholds"]["normative_exposure"], _("normative")),
        ],
        previous=prev_scores,
        confidence={d: result["scores"][d]["confidence"] / 100 for d in dims},
    )
    featured, more = featured_alliances(
        [dict(a, link=_link(a["url"])) for a in result["alliances"]]
    )
    return {
        "result": result,
        "outcome_label": rules.outcome_labels()[result["outcome"]],
        "outcome_labels": rules.outcome_labels(),
        "dimension_rows": [{"key": d, "label": labels[d], **result["scores"][d]} for d in dims],
        "map_svg": map_svg,
        "bars_svg": bars_svg,
        "comparison": comparison,
        "plan": _plan(result),
        "recommendation": recommendation_label(result),
        "featured_alliances": featured,
        "more_alliances": more,
        "caveats": [dict(c, link=_link(c.get("source"))) for c in result["caveats"]],
        "routes": routes(result),
        "firmness": firmness(result),
        "find_out": result.get("find_out", []),
        # Results frozen before rules 2026.11.4 called it "insufficient".
        "provisional": bool(result.get("provisional", result.get("insufficient"))),
        "map_y_label": y_phrase,
        "provisional_dimensions": [
            labels[d] for d in result.get("provisional_dimensions", []) if d in labels
        ],
    }


def threshold_labels():
    return {
        "operational_capacity": _("Security capacity a receive-only member needs"),
        "operational_capacity_threatened": _(
            "The same, when threat pressure on the sector is high"
        ),
        "threat_high": _("Threat pressure counted as high"),
        "contributing_capacity": _("Security capacity needed to contribute, not only receive"),
        "contributing_sharing_tolerance": _("Appetite for sharing needed to contribute"),
        "normative_exposure": _("Exposure from which normative alliances pay off"),
        "normative_commitment_tolerance": _(
            "Appetite for public commitments a normative pledge needs"
        ),
        "signatory_exposure": _("Exposure needed for a full signatory role"),
        "signatory_commitment_tolerance": _(
            "Appetite for public commitments a full signatory role needs"
        ),
        "geopolitical_high": _("Geopolitical exposure counted as high"),
        "geopolitical_override_commitment_tolerance": _(
            "Appetite for public commitments a pledge needs under high geopolitical exposure"
        ),
        "commitment_tolerance_low": _("Appetite for public commitments counted as low"),
        "min_known_share": _(
            "Known answers a dimension that could change the outcome needs, below which the "
            "result is provisional (%)"
        ),
        "min_answered_share": _("Share of questions answered below which it is provisional (%)"),
        # Thresholds of results frozen under rules 2026.11.3.
        "contributing_risk_tolerance": _("Risk tolerance needed to contribute"),
        "normative_risk_tolerance": _("Risk tolerance needed for a normative pledge"),
        "signatory_risk_tolerance": _("Risk tolerance needed for a full signatory role"),
        "geopolitical_override_risk_tolerance": _(
            "Risk tolerance that outweighs high geopolitical exposure"
        ),
        "risk_tolerance_low": _("Risk tolerance counted as low"),
        "min_confidence": _("Confidence below which the result is provisional (%)"),
    }


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


def workshop_context(result):
    """The workshop's part of the report (the disagreement appendix and the summary line),
    from the frozen snapshot alone; None for a self-assessment."""
    frozen = result.get("workshop")
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


def answer_sections(assessment):
    """The appendix: frozen in the snapshot since it was added there; read from the answers
    (which cannot change after submit) for snapshots older than that."""
    frozen = assessment.result.get("answers")
    if frozen is not None:
        return frozen
    view = bank_view(assessment.bank)
    return answer_sheet(view, answers_of(assessment, view))


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


def _sources(result):
    """The catalogue entries the report cites, each with its sources and as-of date. The page
    links each source under a short text; the PDF prints the full address as plain text (a
    reader types or clicks it there, and 50-odd link annotations cost some 6% of a render)."""
    rows, seen = [], set()
    for a in result["alliances"] + result["related"]:
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


def _plan(result):
    """The plan as a timeline: by the first day of each step's window, tracks interleaved."""

    def first_day(step):
        digits = re.search(r"\d+", step.get("window", ""))
        return int(digits.group()) if digits else 0

    labels = rules.outcome_labels()
    tracks = {step.get("track") for step in result["plan"]}
    return sorted(
        (
            dict(step, track_label=labels.get(step.get("track"), "") if len(tracks) > 1 else "")
            for step in result["plan"]
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


# Alliances described in full, per track; the rest of the matches are listed in a line each.
# A board reads the first few of each kind; a list of twenty-five cards hides them.
FEATURED_PER_TRACK = {"operational": 4, "normative": 3}


def featured_alliances(alliances):
    """(featured, more): the first matches of each track in the catalogue's order (the
    organisation's own sector and countries first), and the others."""
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
    member"; what the cover and the title say."""
    outcome = rules.outcome_labels()[result["outcome"]]
    depths = rules.depth_labels()
    parts = [
        str(depths[d])
        for d in (result.get("operational_depth"), result.get("normative_depth"))
        if d in depths
    ]
    if not parts:
        return outcome
    return _("%(outcome)s, as %(depths)s") % {
        "outcome": outcome,
        "depths": _(" and ").join([(_("a %(depth)s") % {"depth": p}) for p in parts]),
    }


def routes(result):
    """ "What would change this", sorted the way an advisor tells it: the levers that move the
    result up, the changes of direction, then what would make it worse (answers that got
    weaker: a warning, not advice), and apart from them the facts the company does not
    decide that would change it on their own."""
    current = result["outcome"]
    groups = {"up": [], "across": [], "down": []}
    facts, unreachable = [], []
    for s in result.get("sensitivity") or []:
        direction = rules.outcome_direction(current, s["outcome"])
        label = rules.outcome_labels()[s["outcome"]]
        if s["reachable"]:
            groups[direction].append(dict(s, label=label, direction=direction))
        else:
            unreachable.append(label)
        if s.get("facts"):
            facts.append({"label": label, "direction": direction, "changes": s["facts"]})
    return {**groups, "facts": facts, "unreachable": unreachable}


def firmness(result):
    """How close the result is to each boundary, in words: the fewest answer changes found
    that reach another outcome, nearest first, worsenings before the rest at equal distance.
    A 100% known result can still be one answer from another outcome; this says so."""
    found = [
        (len(s["changes"]), s)
        for s in result.get("sensitivity") or []
        if s["reachable"] and s["changes"]
    ]
    order = {"down": 0, "across": 1, "up": 2}
    found.sort(
        key=lambda x: (x[0], order[rules.outcome_direction(result["outcome"], x[1]["outcome"])])
    )
    sentences = []
    for n, s in found:
        label = rules.outcome_labels()[s["outcome"]]
        direction = rules.outcome_direction(result["outcome"], s["outcome"])
        if direction == "down":
            text = _("%(away)s from %(label)s, if answers got weaker.")
        elif direction == "up":
            text = _("%(away)s from %(label)s: levers to work on.")
        else:
            text = _("%(away)s from %(label)s: a change of direction.")
        text %= {"away": _answers_away(n), "label": label}
        sentences.append({"n": n, "direction": direction, "text": capfirst(text)})
    if "sensitivity" not in result:
        summary = ""
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
    description as alternative text. Inline, each of its ~65 elements would also go through
    WeasyPrint's CSS cascade and box tree (~2.5% of a render); as an image only the SVG
    renderer reads it. The stylesheet gives it the width the SVG asks for on the page
    (charts.MAP_WIDTH, charts.BARS_WIDTH) as a width: with max-width WeasyPrint gets an
    image's height wrong."""
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    alt = " ".join(unescape(m.group(1)) for m in (title, desc) if m)
    svg = re.sub(r' style="[^"]*"', "", svg, count=1)
    data = base64.b64encode(svg.encode()).decode("ascii")
    return {"src": f"data:image/svg+xml;base64,{data}", "alt": alt}


def report_context(assessment, *, for_pdf):
    result = assessment.result
    ctx = result_context(assessment)
    kind = result.get("kind", assessment.kind)
    limits = threshold_labels()
    ctx.update(
        {
            "assessment": assessment,
            "for_pdf": for_pdf,
            "org_name": result["organization"]["name"],
            "organization": result["organization"],
            "submitted_at": assessment.submitted_at,
            "is_workshop": kind == Assessment.Kind.WORKSHOP,
            "summary_reasons": result["reasons"][:3],
            "summary_actions": ctx["plan"][:3],
            "answer_sections": answer_sections(assessment),
            "team": workshop_context(result),
            "sources": _sources(result),
            "dimension_meanings": [
                {"label": rules.dimension_labels()[d], "question": meaning}
                for d, meaning in rules.dimension_questions().items()
            ]
            if not legacy.is_legacy(result)
            else [],
            "threshold_rows": [
                {"label": limits.get(name, name), "value": value}
                for name, value in result["thresholds"].items()
            ],
            "stylesheet": STYLESHEET,
            "map_img": _svg_image(ctx["map_svg"]) if for_pdf else None,
            "bars_img": _svg_image(ctx["bars_svg"]) if for_pdf else None,
            "SITE_NAME": settings.SITE_NAME,  # the PDF is rendered without a request
        }
    )
    return ctx


# The template's line breaks and indentation between tags: whitespace-only text that
# WeasyPrint would parse and then drop, box by box. Spaces that separate inline content are
# written on one line in the template, so no run with a line break is meant as a space.
_LAYOUT_WHITESPACE = re.compile(r">[ \t]*\n\s*<")


def report_html(assessment, *, for_pdf=False, request=None):
    html = render_to_string(TEMPLATE, report_context(assessment, for_pdf=for_pdf), request=request)
    return _LAYOUT_WHITESPACE.sub("><", html) if for_pdf else html
