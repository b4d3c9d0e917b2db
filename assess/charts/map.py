"""The position map: security capacity (x) against the appetite the normative track reads
(y), shaded by the outcome at each cell, with "You", the previous position and a workshop's
participants as markers; its <desc> says all of it in words."""

import math
from itertools import pairwise

from django.utils.translation import gettext as _

from assess.charts.svg import (
    MUTED,
    TEXT,
    _clamp,
    _el,
    _id_prefix,
    _num,
    _score,
    _svg,
    _text,
)
from assess.vocabulary import outcome_short_labels

# Okabe-Ito colours, chosen so that at REGION_OPACITY over white they stay
# apart in greyscale print too (lightest to darkest: normative, both, hygiene
# first, operational). Okabe-Ito green would print like the blue.
OUTCOME_COLOURS: dict[str, str] = {
    "operational": "#0072B2",
    "normative": "#F0E442",
    "both": "#E69F00",
    "hygiene_first": "#D55E00",
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
        region = outcome_short_labels()[_outcome(outcome_at, c, r)]
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
            body.append(_text(MAP_LEGEND_X + 26, legend_y + 14, outcome_short_labels()[code]))
            legend_y += 28
    return body


# A team's marker when its participants are on the map: a ring whose hole is wider than a
# participant's dot, drawn under the dots, so a participant at (or near) the team's median
# stays visible inside or across it.
TEAM_RING_R = 11
TEAM_RING_STROKE = 3
DOT_R = 4.5
DOT_STROKE = 1.5


def _map_markers(prefix, here, prev, others, marker_label):
    """The markers: others first, so "You" is drawn on top of them, then the previous
    position with an arrow to today's; labels after all markers, placed so they avoid the
    markers and each other. With others, the marker is the team's and goes under them."""
    body = []
    x, y = map_xy(*here)
    right_first, left_first = (
        ["right", "left", "above", "below"],
        ["left", "right", "above", "below"],
    )
    if others:
        ring = TEAM_RING_R + TEAM_RING_STROKE / 2
        taken = [(x - ring, y - ring, 2 * ring, 2 * ring)]
        labels = [(x, y, ring, marker_label or _("You"), 14, "700", right_first)]
        body.append(
            _el(
                "circle",
                id=f"{prefix}-you",
                cx=_num(x),
                cy=_num(y),
                r=TEAM_RING_R,
                fill="none",
                stroke=TEXT,
                stroke_width=TEAM_RING_STROKE,
            )
        )
    else:
        taken = [(x - 10, y - 10, 20, 20)]
        labels = [(x, y, 9, marker_label or _("You"), 14, "700", right_first)]
    for name, c, r in others:
        ox, oy = map_xy(c, r)
        body.append(
            _el(
                "circle",
                cx=_num(ox),
                cy=_num(oy),
                r=DOT_R,
                fill=MUTED,
                stroke="#ffffff",
                stroke_width=DOT_STROKE,
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
    if not others:
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
