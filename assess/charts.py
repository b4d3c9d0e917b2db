"""Inline SVG charts for assessment results.

Every function returns a self-contained SVG string (no scripts, no external
references, no CSS classes) meant to be embedded in a template with |safe and
to render the same in browsers and in WeasyPrint PDFs. Everything that comes
from arguments is escaped here, so callers may pass user-entered text.
"""

import hashlib
import math
from html import escape
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT = "#1a1a1a"  # 17:1 on white
MUTED = "#4d4d4d"  # 8.5:1 on white
GRID = "#8c8c8c"  # lines only, never text

# Okabe-Ito colours, chosen so that at REGION_OPACITY over white they stay
# apart in greyscale print too (lightest to darkest: normative, both, hygiene
# first, operational). Okabe-Ito green would print like the blue.
OUTCOME_COLOURS: dict[str, str] = {
    "operational": "#0072B2",
    "normative": "#F0E442",
    "both": "#E69F00",
    "hygiene_first": "#D55E00",
}
# Marked for translation here, translated at render time with _().
OUTCOME_LABELS: dict[str, str] = {
    "operational": gettext_noop("Operational"),
    "normative": gettext_noop("Normative"),
    "both": gettext_noop("Both"),
    "hygiene_first": gettext_noop("Hygiene first"),
}
REGION_OPACITY = 0.7

# position_map layout, in viewBox units (= CSS px at full size).
MAP_PLOT_X = 64
MAP_PLOT_Y = 16
MAP_PLOT_SIZE = 360
MAP_LEGEND_X = MAP_PLOT_X + MAP_PLOT_SIZE + 28
MAP_WIDTH = MAP_LEGEND_X + 160
MAP_HEIGHT = MAP_PLOT_Y + MAP_PLOT_SIZE + 64
TICKS = (0, 25, 50, 75, 100)

# dimension_bars layout.
BAR_X = 16
BAR_WIDTH = 400
BAR_HEIGHT = 20
BAR_TOP = 8
BAR_ROW = 54  # label line + bar + gap
BAR_THRESHOLD_LINE = 14  # extra height per line of threshold labels
BAR_VALUE_X = BAR_X + BAR_WIDTH + 12
BARS_WIDTH = BAR_VALUE_X + 160
BAR_FILL = "#0072B2"


def _clamp(value):
    return min(100.0, max(0.0, float(value)))


def _num(value):
    """Coordinate as short text: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _score(value):
    """Score as a whole number for people, rounding halves up."""
    return str(math.floor(value + 0.5))


def _attrs(attrs):
    return "".join(
        f' {key.rstrip("_").replace("_", "-")}="{escape(str(val))}"'
        for key, val in attrs.items()
        if val is not None
    )


def _el(tag, **attrs):
    return f"<{tag}{_attrs(attrs)}/>"


def _text(x, y, content, *, size=13, fill=TEXT, halo=False, **attrs):
    """A <text>; with halo, a white outline copy is drawn underneath so the
    text stays readable (contrast as on white) over coloured regions."""
    base = dict(x=_num(x), y=_num(y), font_size=size, **attrs)
    body = escape(str(content))
    out = ""
    if halo:
        out = (
            f'<text{_attrs(base)} fill="#ffffff" stroke="#ffffff" stroke-width="4"'
            f' stroke-linejoin="round">{body}</text>'
        )
    return out + f'<text{_attrs(base)} fill="{fill}">{body}</text>'


def _id_prefix(kind, *parts):
    # Derived from the inputs so output is deterministic; distinct charts get
    # distinct prefixes (identical charts on one page are identical anyway).
    digest = hashlib.sha256(repr((kind,) + parts).encode()).hexdigest()
    return f"{kind}{digest[:8]}"


def _svg(prefix, width, height, title, desc, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img"'
        f' viewBox="0 0 {width} {height}" width="100%"'
        f' style="max-width:{width}px;height:auto"'
        f' aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"'
        f"{_attrs({'font_family': FONT})}>"
        f'<title id="{prefix}-title">{escape(str(title))}</title>'
        f'<desc id="{prefix}-desc">{escape(str(desc))}</desc>'
        f"{body}</svg>"
    )


def _outcome(outcome_at, capacity, risk):
    code = outcome_at(capacity, risk)
    if code not in OUTCOME_COLOURS:
        raise ValueError(f"outcome_at returned unknown outcome {code!r}")
    return code


# Beyond this many participants their dots go unlabelled: names would only pile up, and
# placing them costs time quadratic in their number.
MAX_NAMED_OTHERS = 12


def map_xy(capacity, risk_tolerance):
    """viewBox coordinates of a (capacity, risk tolerance) point on the map."""
    x = MAP_PLOT_X + _clamp(capacity) / 100 * MAP_PLOT_SIZE
    y = MAP_PLOT_Y + (1 - _clamp(risk_tolerance) / 100) * MAP_PLOT_SIZE
    return x, y


def _overlap(a, b):
    """Overlapping area of two (x, y, width, height) boxes."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def _label_cost(box, taken):
    """How much a label box would cover markers, earlier labels, or lie outside the plot."""
    plot = (MAP_PLOT_X, MAP_PLOT_Y, MAP_PLOT_SIZE, MAP_PLOT_SIZE)
    outside = box[2] * box[3] - _overlap(box, plot)
    # Rounded so float noise does not beat the preferred side of a tie.
    return round(sum(_overlap(box, t) for t in taken) + 2 * outside, 1)


def _place_labels(labels, taken):
    """Greedy placement of marker labels, in priority order. Each label
    (x, y, marker radius, text, size, weight, preferred sides) takes the first
    spot beside its marker that hits no marker, no earlier label and stays in
    the plot, else the spot that overlaps least. Text width is estimated."""
    out = []
    for x, y, r, text, size, weight, sides in labels:
        w, h, gap = len(str(text)) * size * (0.66 if weight else 0.6), size * 1.2, r + 4
        spots = {
            "right": (x + gap, y + size * 0.35, "start", (x + gap, y - h / 2, w, h)),
            "left": (x - gap, y + size * 0.35, "end", (x - gap - w, y - h / 2, w, h)),
            "above": (x, y - gap - size * 0.3, "middle", (x - w / 2, y - gap - h, w, h)),
            "below": (x, y + gap + size * 0.9, "middle", (x - w / 2, y + gap, w, h)),
        }
        costs = [_label_cost(spots[side][3], taken) for side in sides]
        tx, ty, anchor, box = spots[sides[costs.index(min(costs))]]  # first of equal costs
        taken.append(box)
        out.append(
            _text(tx, ty, text, size=size, halo=True, font_weight=weight, text_anchor=anchor)
        )
    return out


def position_map(
    *,
    capacity: float,
    risk_tolerance: float,
    outcome_at,
    title: str,
    step: int = 5,
    previous: tuple[float, float] | None = None,
    others: list[tuple[str, float, float]] | None = None,
    marker_label: str | None = None,
    y_label: str | None = None,
    y_phrase: str | None = None,
) -> str:
    """Capacity (x) by an appetite (y) map, shaded by the outcome that
    outcome_at(capacity, y) gives at the centre of each cell. The y axis is the appetite for
    public commitments today (`y_label`, and `y_phrase` inside sentences); results frozen
    before rules 2026.11.4 plot their one risk tolerance, the default. `risk_tolerance` is
    the y value either way."""
    y_label = str(y_label or _("Risk tolerance"))
    y_word = str(y_phrase or _("risk tolerance"))
    if step <= 0:
        raise ValueError("step must be positive")
    capacity, risk_tolerance = _clamp(capacity), _clamp(risk_tolerance)
    others = others or []
    prev = (_clamp(previous[0]), _clamp(previous[1])) if previous is not None else None

    regions, seen = _map_regions(outcome_at, step)
    desc = _map_description(outcome_at, (capacity, risk_tolerance), prev, others, y_word)
    # The regions stand in for outcome_at, which itself cannot be hashed.
    prefix = _id_prefix(
        "map",
        capacity,
        risk_tolerance,
        step,
        previous,
        others,
        str(title),
        str(marker_label),
        y_label,
        "".join(regions),
    )
    body = regions + _map_frame(y_label) + _map_legend(seen)
    body += _map_markers(prefix, (capacity, risk_tolerance), prev, others, marker_label)
    return _svg(prefix, MAP_WIDTH, MAP_HEIGHT, title, desc, "".join(body))


def _map_regions(outcome_at, step):
    """(the shaded regions as rects, the outcomes they show). One rect per run of equal
    outcomes in a row of cells; consecutive rows with the same runs are merged into one band
    so no hairline seams show between them."""
    scale = MAP_PLOT_SIZE / 100
    edges = [min(100, i * step) for i in range(math.ceil(100 / step) + 1)]
    bands, seen = [], set()  # [r0, r1, runs]
    for r0, r1 in pairwise(edges):
        row = [
            (c0, c1, _outcome(outcome_at, (c0 + c1) / 2, (r0 + r1) / 2))
            for c0, c1 in pairwise(edges)
        ]
        runs = []
        while row:
            c0, c1, code = row.pop(0)
            while row and row[0][2] == code:
                c1 = row.pop(0)[1]
            seen.add(code)
            runs.append((c0, c1, code))
        if bands and bands[-1][2] == runs:
            bands[-1][1] = r1
        else:
            bands.append([r0, r1, runs])
    regions = []
    for r0, r1, runs in bands:
        for c0, c1, code in runs:
            x, y = map_xy(c0, r1)
            regions.append(
                _el(
                    "rect",
                    x=_num(x),
                    y=_num(y),
                    width=_num((c1 - c0) * scale),
                    height=_num((r1 - r0) * scale),
                    fill=OUTCOME_COLOURS[code],
                    fill_opacity=REGION_OPACITY,
                    shape_rendering="crispEdges",
                )
            )
    return regions, seen


def _map_description(outcome_at, here, prev, others, y_word):
    """The map in words (its <desc>): where the organisation stands and in which region, where
    it stood before, and the other participants shown."""

    def where(c, r):
        region = _(OUTCOME_LABELS[_outcome(outcome_at, c, r)])
        return {"capacity": _score(c), "risk": _score(r), "region": region, "y": y_word}

    desc = _(
        "Capacity %(capacity)s of 100, %(y)s %(risk)s of 100: in the %(region)s region."
    ) % where(*here)
    if prev is not None:
        desc += " " + _(
            "Previous assessment: capacity %(capacity)s, %(y)s %(risk)s, in the %(region)s region."
        ) % where(*prev)
    if len(others) > MAX_NAMED_OTHERS:
        desc += " " + _("%(n)s other participants are shown as small unlabelled dots.") % {
            "n": len(others)
        }
    elif others:
        desc += " " + _("Other participants: %(list)s.") % {
            "list": "; ".join(
                _("%(name)s at capacity %(capacity)s, %(y)s %(risk)s")
                % {
                    "name": name,
                    "capacity": _score(_clamp(c)),
                    "risk": _score(_clamp(r)),
                    "y": y_word,
                }
                for name, c, r in others
            )
        }
    return desc


def _map_frame(y_label):
    """Axes, light guide lines at the inner ticks, tick labels and the axis titles. The
    guides and the ticks are one path each: every SVG element is a styled box in WeasyPrint's
    PDF."""
    body = []
    x0, y0 = MAP_PLOT_X, MAP_PLOT_Y + MAP_PLOT_SIZE
    guides, ticks = [], []
    for t in TICKS:
        x, y = map_xy(t, t)
        if 0 < t < 100:
            guides.append(f"M{_num(x)} {MAP_PLOT_Y}V{y0}M{x0} {_num(y)}H{x0 + MAP_PLOT_SIZE}")
        ticks.append(f"M{_num(x)} {y0}V{y0 + 6}M{x0 - 6} {_num(y)}H{x0}")
        body.append(_text(x, y0 + 21, t, size=12, text_anchor="middle"))
        body.append(_text(x0 - 10, y + 4, t, size=12, text_anchor="end"))
    body.append(_el("path", d="".join(guides), stroke="#ffffff", stroke_opacity=0.7, fill="none"))
    body.append(_el("path", d="".join(ticks), stroke=TEXT, fill="none"))
    body.append(
        _el(
            "rect",
            x=x0,
            y=MAP_PLOT_Y,
            width=MAP_PLOT_SIZE,
            height=MAP_PLOT_SIZE,
            fill="none",
            stroke=TEXT,
        )
    )
    body.append(
        _text(
            x0 + MAP_PLOT_SIZE / 2,
            y0 + 48,
            _("Security capacity"),
            size=14,
            font_weight="600",
            text_anchor="middle",
        )
    )
    ly = MAP_PLOT_Y + MAP_PLOT_SIZE / 2
    body.append(
        _text(
            18,
            ly,
            y_label,
            size=14,
            font_weight="600",
            text_anchor="middle",
            transform=f"rotate(-90 18 {_num(ly)})",
        )
    )
    return body


def _map_legend(seen):
    """The outcomes shown, beside the plot so the legend never covers a region."""
    body = [_text(MAP_LEGEND_X, MAP_PLOT_Y + 12, _("Recommendation"), size=13, font_weight="600")]
    legend_y = MAP_PLOT_Y + 26
    for code in OUTCOME_COLOURS:
        if code in seen:
            body.append(
                _el(
                    "rect",
                    x=MAP_LEGEND_X,
                    y=legend_y,
                    width=18,
                    height=18,
                    fill=OUTCOME_COLOURS[code],
                    fill_opacity=REGION_OPACITY,
                    stroke=MUTED,
                )
            )
            body.append(_text(MAP_LEGEND_X + 26, legend_y + 14, _(OUTCOME_LABELS[code])))
            legend_y += 28
    return body


def _map_markers(prefix, here, prev, others, marker_label):
    """The markers: others first, so "You" is drawn on top of them, then the previous
    position with an arrow to today's; labels after all markers, placed so they avoid the
    markers and each other."""
    body = []
    x, y = map_xy(*here)
    right_first, left_first = (
        ["right", "left", "above", "below"],
        ["left", "right", "above", "below"],
    )
    taken = [(x - 10, y - 10, 20, 20)]
    labels = [(x, y, 9, marker_label or _("You"), 14, "700", right_first)]
    for name, c, r in others:
        ox, oy = map_xy(c, r)
        body.append(
            _el(
                "circle",
                cx=_num(ox),
                cy=_num(oy),
                r=4.5,
                fill=MUTED,
                stroke="#ffffff",
                stroke_width=1.5,
            )
        )
        taken.append((ox - 5, oy - 5, 10, 10))
        if len(others) <= MAX_NAMED_OTHERS:
            labels.append((ox, oy, 5, name, 12, None, right_first))
    if prev is not None:
        px, py = map_xy(*prev)
        body += _map_previous(prefix, (x, y), (px, py))
        taken.append((px - 7, py - 7, 14, 14))
        # Both labels prefer the side facing away from the other marker.
        labels[0] = labels[0][:6] + (left_first if px > x else right_first,)
        labels.insert(
            1, (px, py, 7, _("Previous"), 12, None, left_first if px <= x else right_first)
        )
    body.append(
        _el(
            "circle",
            id=f"{prefix}-you",
            cx=_num(x),
            cy=_num(y),
            r=8,
            fill="#ffffff",
            stroke=TEXT,
            stroke_width=3,
        )
    )
    body.append(_el("circle", cx=_num(x), cy=_num(y), r=3, fill=TEXT))
    return body + _place_labels(labels, taken)


def _map_previous(prefix, you, previous):
    """The previous position's marker, with a dashed arrow to today's when there is room."""
    (x, y), (px, py) = you, previous
    body = []
    dist = math.hypot(x - px, y - py)
    if dist > 22:  # arrow only when there is room between the markers
        ux, uy = (x - px) / dist, (y - py) / dist
        sx, sy, ex, ey = px + ux * 9, py + uy * 9, x - ux * 12, y - uy * 12
        body.append(
            _el(
                "line",
                x1=_num(sx),
                y1=_num(sy),
                x2=_num(ex - ux * 6),
                y2=_num(ey - uy * 6),
                stroke=TEXT,
                stroke_width=1.5,
                stroke_dasharray="5 4",
            )
        )
        head = [
            (ex, ey),
            (ex - ux * 9 - uy * 5, ey - uy * 9 + ux * 5),
            (ex - ux * 9 + uy * 5, ey - uy * 9 - ux * 5),
        ]
        body.append(
            _el("polygon", points=" ".join(f"{_num(a)},{_num(b)}" for a, b in head), fill=TEXT)
        )
    body.append(
        _el(
            "circle",
            id=f"{prefix}-previous",
            cx=_num(px),
            cy=_num(py),
            r=6,
            fill="#ffffff",
            fill_opacity=0.6,
            stroke=TEXT,
            stroke_width=2,
        )
    )
    return body


def bar_x(value):
    """viewBox x of a score on the bars' scale."""
    return BAR_X + _clamp(value) / 100 * BAR_WIDTH


def _threshold_lines(items, size=11):
    """Assign threshold labels to lines under the bar so they do not overlap.
    Returns [(x, anchor, label, line_no)]; widths are estimated."""
    placed, line_ends = [], []
    for x, label in sorted(items):
        width = len(label) * size * 0.6
        anchor, start = "middle", x - width / 2
        if start < BAR_X:
            anchor, start = "start", x - 2
        elif start + width > BAR_X + BAR_WIDTH:
            anchor, start = "end", x + 2 - width
        line = next((i for i, end in enumerate(line_ends) if start > end + 6), len(line_ends))
        if line == len(line_ends):
            line_ends.append(0)
        line_ends[line] = start + width
        placed.append((x, anchor, label, line))
    return placed, len(line_ends)


def dimension_bars(
    *,
    scores: dict[str, float | None],
    labels: dict[str, str],
    title: str,
    thresholds: list[tuple[str, float, str]] | None = None,
    previous: dict[str, float] | None = None,
    confidence: dict[str, float] | None = None,
) -> str:
    """Horizontal bars, one per dimension in the order of `scores` (0-100,
    clamped; None draws a dashed outline saying 'not enough answers')."""
    thresholds, previous, confidence = thresholds or [], previous or {}, confidence or {}
    body, parts, y = [], [], BAR_TOP

    for key, raw in scores.items():
        label = str(labels.get(key, key))
        score = None if raw is None else _clamp(raw)
        known = confidence.get(key)
        before = previous.get(key)
        marks = [(bar_x(v), str(text)) for k, v, text in thresholds if k == key]
        placed, lines = _threshold_lines(marks)
        top = y + 20  # first line holds the dimension label

        body.append(_text(BAR_X, y + 14, label, size=13, font_weight="600"))
        value_text = _("not enough answers") if score is None else _score(score)
        if score is None:
            body.append(
                _el(
                    "rect",
                    x=BAR_X,
                    y=top,
                    width=BAR_WIDTH,
                    height=BAR_HEIGHT,
                    fill="none",
                    stroke=MUTED,
                    stroke_dasharray="4 3",
                )
            )
            body.append(
                _text(BAR_X + 8, top + 14, value_text, size=12, fill=MUTED, font_style="italic")
            )
        else:
            body.append(
                _el(
                    "rect",
                    x=BAR_X,
                    y=top,
                    width=BAR_WIDTH,
                    height=BAR_HEIGHT,
                    fill="#f2f2f2",
                    stroke=GRID,
                    stroke_width=0.75,
                )
            )
            body.append(
                _el(
                    "rect",
                    x=BAR_X,
                    y=top,
                    width=_num(bar_x(score) - BAR_X),
                    height=BAR_HEIGHT,
                    fill=BAR_FILL,
                )
            )
        side = [] if score is None else [_score(score)]
        if known is not None:
            side.append(_("%(percent)s%% known") % {"percent": _score(max(0, min(1, known)) * 100)})
        if side:
            body.append(
                _text(
                    BAR_VALUE_X,
                    top + 15,
                    " · ".join(side),
                    size=13,
                    font_weight=None if score is None else "600",
                )
            )

        for x, anchor, text, line in placed:
            ends = {"x1": _num(x), "y1": top - 4, "x2": _num(x), "y2": top + BAR_HEIGHT + 4}
            body.append(_el("line", **ends, stroke="#ffffff", stroke_width=3.5))
            body.append(_el("line", **ends, stroke=TEXT, stroke_width=1.5, stroke_dasharray="3 2"))
            body.append(
                _text(
                    x,
                    top + BAR_HEIGHT + 16 + line * BAR_THRESHOLD_LINE,
                    text,
                    size=11,
                    text_anchor=anchor,
                )
            )
        if before is not None:
            x = _num(bar_x(before))
            ends = {"x1": x, "y1": top - 2, "x2": x, "y2": top + BAR_HEIGHT + 2}
            # White underlay keeps the dark marker visible on the blue bar.
            body.append(_el("line", **ends, stroke="#ffffff", stroke_width=5))
            body.append(_el("line", **ends, stroke=TEXT, stroke_width=2.5))

        words = value_text if score is None else _("%(score)s of 100") % {"score": _score(score)}
        extra = side[1:] if score is not None else list(side)
        if before is not None:
            extra.append(_("previously %(score)s") % {"score": _score(_clamp(before))})
        extra += [
            _("%(label)s at %(score)s") % {"label": t, "score": _score(_clamp(v))}
            for k, v, t in thresholds
            if k == key
        ]
        parts.append(f"{label}: {words}" + (f" ({', '.join(extra)})" if extra else ""))
        y += BAR_ROW + lines * BAR_THRESHOLD_LINE

    # Scale under the bars (axis and ticks in one path), and a key for the previous marker.
    scale = [f"M{BAR_X} {y}H{BAR_X + BAR_WIDTH}"]
    for t in TICKS:
        x = bar_x(t)
        scale.append(f"M{_num(x)} {y}V{y + 5}")
        body.append(_text(x, y + 19, t, size=12, text_anchor="middle"))
    body.append(_el("path", d="".join(scale), stroke=TEXT, fill="none"))
    height = y + 30
    if previous:
        body.append(
            _el(
                "line",
                x1=BAR_X + 2,
                y1=height,
                x2=BAR_X + 2,
                y2=height + 16,
                stroke=TEXT,
                stroke_width=2.5,
            )
        )
        body.append(_text(BAR_X + 12, height + 13, _("Previous assessment"), size=12))
        height += 26

    desc = "; ".join(parts) + "." if parts else _("No dimensions to show.")
    prefix = _id_prefix(
        "bars",
        tuple(scores.items()),
        tuple(sorted(map(str, labels.items()))),
        str(title),
        tuple(map(str, thresholds)),
        tuple(previous.items()),
        tuple(confidence.items()),
    )
    return _svg(prefix, BARS_WIDTH, _num(height), title, desc, "".join(body))
