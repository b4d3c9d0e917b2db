"""A submitted assessment's report: frozen result snapshot -> HTML -> PDF, stored once.

One template (reports/report.html) is both the printable HTML page and the PDF source, built
from `assessment.result` alone, so a report re-rendered years later says the same thing.

WeasyPrint is imported inside the functions that use it: the import alone takes about 0.6 s,
which no other page should pay. It fetches nothing on behalf of content: `ReportURLFetcher`
serves only our own static files and `data:` URLs.
"""

import base64
import hashlib
import json
import logging
import mimetypes
import re
import ssl
import threading
from functools import cache
from html import unescape
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from assess import agreement, charts, rules
from assess.models import Assessment, ReportPDF
from assess.rules import legacy, maps
from assess.selectors import answer_sheet, answers_of, bank_view

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step at INFO, which the root logger would print for each
# PDF; its warnings and errors still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

TEMPLATE = "reports/report.html"
STYLESHEET = "css/report.css"
# Bump when something that shapes the PDF changes outside the files hashed in `_code_digest`
# (say, labels in rules.py or a translation), so stored PDFs are made again.
REPORT_VERSION = "2"
# The PDF's HTML resolves relative URLs against this origin. ".invalid" never resolves
# (RFC 2606), and the fetcher serves only STATIC_URL below it, from our own files.
BASE_URL = "https://report.invalid/"
FETCH_TIMEOUT = 5
PDF_VARIANT = "pdf/ua-1"
_STATIC_TYPES = {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2"}


# --- Context ----------------------------------------------------------------------------------


def _headline_of(result):
    """The outcome with its depths, e.g. "Operational alliances (contributing member)"."""
    depths = rules.depth_labels()
    parts = [
        depths[d]
        for d in (result.get("operational_depth"), result.get("normative_depth"))
        if d in depths
    ]
    label = rules.outcome_labels()[result["outcome"]]
    return f"{label} ({', '.join(parts)})" if parts else str(label)


def result_context(assessment, previous=None):
    """Everything the result page and the report need, from the frozen snapshot alone."""
    result = assessment.result
    here = maps.map_of(result)
    dims = here.dimensions
    scores = maps.scores_of(result)
    labels = rules.dimension_labels()
    prev_scores = None
    comparison = None
    if previous is not None:
        prev_scores = maps.scores_of(previous.result)
        before, after = _headline_of(previous.result), _headline_of(result)
        comparison = {
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
                for d in dims
            ],
        }
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
    featured, more = featured_alliances(result["alliances"])
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
    plan = _plan(result)
    ctx.update(
        {
            "assessment": assessment,
            "for_pdf": for_pdf,
            "org_name": result["organization"]["name"],
            "organization": result["organization"],
            "submitted_at": assessment.submitted_at,
            "is_workshop": kind == Assessment.Kind.WORKSHOP,
            "caveats": [dict(c, link=_link(c.get("source"))) for c in result["caveats"]],
            "alliances": [dict(a, link=_link(a["url"])) for a in ctx["featured_alliances"]],
            "more_alliances": [dict(a, link=_link(a["url"])) for a in ctx["more_alliances"]],
            "plan": plan,
            "summary_reasons": result["reasons"][:3],
            "summary_actions": plan[:3],
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


# --- Fetching: our own static files and data: URLs, nothing else -------------------------------


def _static_file(url):
    """The path of one of our static files for a URL under STATIC_URL, or None."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return None
    name = unquote(url[len(prefix) :])
    if Path(name).suffix.lower() not in _STATIC_TYPES:
        return None
    try:
        # Collected files first (hashed names in production), then the source folders.
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
        return finders.find(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None


def url_fetcher_class():
    """The fetcher class; built on first use so WeasyPrint is imported only for a PDF."""
    return _fetcher_class()


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # Never used (https is refused below), but URLFetcher builds an HTTPS handler, and the
    # default context would load the system's CA store on every render (about 20 ms). This
    # one trusts no CA, so it could not open a connection even if it were ever reached.
    no_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    class ReportURLFetcher(URLFetcher):
        """Serves our static files and data: URLs and refuses every other URL, so content
        can make WeasyPrint read no file and reach no host."""

        def __init__(self, **kwargs):
            kwargs.setdefault("timeout", FETCH_TIMEOUT)
            kwargs.setdefault("allowed_protocols", ("data",))
            kwargs.setdefault("allow_redirects", False)
            kwargs.setdefault("ssl_context", no_tls)
            super().__init__(**kwargs)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                logger.warning("Report refused to fetch %s", url[:200])
                raise ValueError("the report fetches only its own static files")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as f:
                body = f.read()
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return ReportURLFetcher


_local = threading.local()


def _font_config():
    """One FontConfiguration per thread: making one costs about 25 ms a render, and the
    report declares no @font-face that could make one render differ from another."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


# --- Rendering and storing --------------------------------------------------------------------


# Rules of WeasyPrint's user-agent stylesheet that match every element through a universal
# pseudo-element: each makes WeasyPrint compute one more style per element (six per element,
# about 4,700 styles for a full report, some 4% of a render), though the report has no
# footnotes or notes and only its list items show a marker.
_UA_UNUSED = re.compile(
    r"^::(footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}\n]*\}$",
    re.MULTILINE,
)
_UA_MARKER = re.compile(r"^::marker \{", re.MULTILINE)
# Its @page rules for the footnote area, the note area and all 16 margin boxes: WeasyPrint
# computes a style for each of them on every page (pages differ by their index): some 8% of
# a full report's render. The report's stylesheet styles the three margin boxes it uses
# (alignment included); the others stay empty.
_UA_PAGE_AREAS = re.compile(r"^  @[a-z-]+ +\{[^}\n]*\}\n", re.MULTILINE)


@cache
def html_class():
    """weasyprint.HTML with a user-agent stylesheet trimmed of the universal pseudo-element
    rules the report does not use (`_UA_UNUSED`) and of the page areas' defaults
    (`_UA_PAGE_AREAS`), and ::marker for li only; plain
    weasyprint.HTML if this WeasyPrint's stylesheet does not look as expected."""
    import weasyprint
    from weasyprint import html as weasy_html
    from weasyprint.css.counters import CounterStyle

    ua = getattr(weasy_html, "UA", "")
    trimmed, unused = _UA_UNUSED.subn("", ua)
    trimmed, markers = _UA_MARKER.subn("li::marker {", trimmed)
    trimmed, areas = _UA_PAGE_AREAS.subn("", trimmed)
    expected = (unused, markers, areas) == (5, 1, 18)
    if not expected or not hasattr(weasyprint.HTML, "_ua_stylesheets"):
        logger.warning("WeasyPrint's user-agent stylesheet changed; the report uses it as is")
        return weasyprint.HTML
    # Its @counter-style rules are in UA_COUNTER_STYLE already, which documents copy; parse
    # them into a throwaway registry rather than redefine them there.
    sheet = weasyprint.CSS(string=trimmed, counter_style=CounterStyle())

    class ReportHTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet]

    return ReportHTML


def html_to_pdf(html, *, url_fetcher=None, stylesheets=()):
    """PDF bytes for report HTML: tagged PDF/UA-1, fonts embedded, nothing fetched."""
    fetcher = url_fetcher or url_fetcher_class()()
    document = html_class()(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=list(stylesheets), pdf_variant=PDF_VARIANT, font_config=_font_config()
    )


def report_stylesheet():
    """The report's stylesheet, parsed once per process and again when the file changes:
    parsing it costs about 40 ms, some 5% of a render. The PDF's HTML has no <link> to it."""
    url = urljoin(BASE_URL, settings.STATIC_URL) + STYLESHEET
    found = _static_file(url)
    if found is None:
        raise FileNotFoundError(
            f"the report's stylesheet {STYLESHEET} is not among the static files"
        )
    path = Path(found)
    return _parsed_stylesheet(url, str(path), path.stat().st_mtime_ns)


@cache
def _parsed_stylesheet(url, path, _mtime_ns):
    import weasyprint

    # The report declares no @font-face or @counter-style, so one parse serves every render
    # (it would have to be made per FontConfiguration otherwise).
    return weasyprint.CSS(filename=path, base_url=url, url_fetcher=url_fetcher_class()())


def render_pdf(assessment):
    """The PDF's bytes, rendered within the worker's time and memory limits (render_limits)."""
    from assess.render_limits import render_limited

    html = breakable(report_html(assessment, for_pdf=True))
    stylesheet = report_stylesheet()
    _warm_up(stylesheet)
    return render_limited(lambda: html_to_pdf(html, stylesheets=[stylesheet]))


@cache
def _warm_up(stylesheet):
    """One small render in this process, so each render child inherits WeasyPrint's caches
    (fonts, shaping, the user-agent stylesheet) rather than building them again."""
    html = (
        '<!doctype html><html lang="en"><head><title>-</title></head><body><h1>Aa</h1>'
        "<p>Aa <b>Bb</b> <i>Cc</i></p><table><tr><td>1</td></tr></table></body></html>"
    )
    html_to_pdf(html, stylesheets=[stylesheet])


# A run of this many characters with no break opportunity gets a zero-width space, so a line
# can break there: WeasyPrint's layout costs the square of an unbroken word's length.
BREAK_EVERY = 40
_TEXT_NODE = re.compile(r">([^<]+)<")
_LONG_RUN = re.compile(r"(?:&#?[A-Za-z0-9]+;|[^\s&<>\u200b-])" + f"{{{BREAK_EVERY + 1},}}")
_UNIT = re.compile(r"&#?[A-Za-z0-9]+;|.", re.S)


def _break_run(match):
    units = _UNIT.findall(match.group())
    return "\u200b".join(
        "".join(units[i : i + BREAK_EVERY]) for i in range(0, len(units), BREAK_EVERY)
    )


def breakable(html):
    """The HTML with a zero-width space every BREAK_EVERY characters in each longer run of
    text without spaces or hyphens (tags, attributes and entities untouched)."""
    return _TEXT_NODE.sub(lambda m: ">" + _LONG_RUN.sub(_break_run, m.group(1)) + "<", html)


@cache
def _code_digest():
    """Digest of the files that shape the PDF besides the snapshot, and WeasyPrint's version."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    files = sorted((root / "templates" / "reports").glob("*.html"))
    files += [root / "static" / STYLESHEET, Path(charts.__file__), Path(__file__)]
    # The labels and words of the result come from the rules' vocabulary.
    files += sorted(Path(rules.__file__).parent.glob("*.py"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(metadata.version("weasyprint").encode())
    return digest.hexdigest()


def source_hash(assessment):
    """Identifies the PDF an assessment's report would render to, now."""
    payload = json.dumps(
        [
            REPORT_VERSION,
            _code_digest(),
            translation.get_language(),
            assessment.submitted_at.isoformat() if assessment.submitted_at else None,
            assessment.result,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def report_pdf(assessment):
    """The stored ReportPDF for a submitted assessment, rendered and stored first if there is
    none yet or it was made from another snapshot, template or language."""
    wanted = source_hash(assessment)
    stored = ReportPDF.objects.filter(assessment=assessment).first()
    if stored is not None and stored.source_hash == wanted:
        return stored
    return report_pdf_store(assessment=assessment, source_hash=wanted)


def report_pdf_store(*, assessment, source_hash):
    """Render and store; safe to run twice at once (the later write wins, both are equal)."""
    content = render_pdf(assessment)
    values = {"content": content, "source_hash": source_hash, "size": len(content)}
    try:
        with transaction.atomic():
            stored, _created = ReportPDF.objects.update_or_create(
                assessment=assessment, defaults=values
            )
    except IntegrityError:  # another request stored it between our read and our write
        stored = ReportPDF.objects.get(assessment=assessment)
    return stored


def download_name(assessment, *, ascii_only):
    """`<org>-alliance-readiness-<date>.pdf`, as a safe file name."""
    name = assessment.result["organization"]["name"]
    slug = slugify(name, allow_unicode=not ascii_only)[:80].strip("-_") or "organisation"
    return f"{slug}-alliance-readiness-{assessment.submitted_at:%Y-%m-%d}.pdf"


def content_disposition(assessment):
    """An attachment with an ASCII file name for old clients and the full one (RFC 5987)."""
    plain = download_name(assessment, ascii_only=True)
    full = download_name(assessment, ascii_only=False)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"
