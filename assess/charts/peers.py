"""PURE: the peer comparison and trend charts, as self-contained SVG in the style of
assess/charts.py (the same in the browser and the PDF), each with a title and a description
that say in words what it shows; the pages give a sentence or a table beside each too."""

from django.utils.translation import gettext as _

from assess.charts.svg import GRID, MUTED, TEXT, _el, _id_prefix, _num, _svg, _text
from assess.vocabulary import standing_sentence

LOWER = "#0072B2"  # Okabe-Ito blue: peers below you
HIGHER = "#E69F00"  # Okabe-Ito orange: peers above you
SAME = "#d9d9d9"  # peers in your band

STRIP_X = 16
CELL = 30
STRIP_WIDTH = CELL * 10
ROW = 50
# No wider than the strip: drawn at its own size (never scaled up), so its 14 px labels
# stay 14 px at 1280 and about 13 px on a 390 px phone.
STANDING_WIDTH = STRIP_X + STRIP_WIDTH + STRIP_X
LABEL_SIZE = 14
LEGEND_SIZE = 12


def standing_chart(rows, group_label):
    """Ten cells per score, one per tenth of the peers: blue for those whose score is in a
    lower band than yours, orange for a higher band, grey for your own band.

    rows: dicts with label, below and above (tenths, whole)."""
    prefix = _id_prefix(
        "peers", group_label, tuple((r["label"], r["below"], r["above"]) for r in rows)
    )
    body = []
    for i, r in enumerate(rows):
        top = 8 + i * ROW
        body.append(_text(STRIP_X, top + 12, r["label"], size=LABEL_SIZE))
        for cell in range(10):
            if cell < r["below"]:
                fill = LOWER
            elif cell >= 10 - r["above"]:
                fill = HIGHER
            else:
                fill = SAME
            body.append(
                _el(
                    "rect",
                    x=_num(STRIP_X + cell * CELL + 1),
                    y=_num(top + 18),
                    width=CELL - 2,
                    height=18,
                    fill=fill,
                )
            )
    legend_y = 8 + len(rows) * ROW + 6
    x = STRIP_X
    for fill, word in (
        (LOWER, _("lower than you")),
        (SAME, _("your band")),
        (HIGHER, _("higher than you")),
    ):
        width = 16 + round(0.6 * LEGEND_SIZE * len(word)) + 14
        if x > STRIP_X and x + width > STANDING_WIDTH:  # the next line rather than cut off
            x, legend_y = STRIP_X, legend_y + 18
        body.append(_el("rect", x=_num(x), y=_num(legend_y - 10), width=12, height=12, fill=fill))
        body.append(_text(x + 16, legend_y, word, size=LEGEND_SIZE, fill=MUTED))
        x += width
    height = legend_y + 10
    desc = " ".join(
        standing_sentence(r["label"], r["below"], r["above"], group_label) for r in rows
    )
    title = _("Where you stand among %(group)s, in tenths of the group") % {"group": group_label}
    return _svg(prefix, STANDING_WIDTH, height, title, desc, "".join(body))


TREND_X = 48
TREND_TOP = 16
TREND_PLOT_W = 290
TREND_PLOT_H = 160
# The legend is under the plot, a line a series, so no label is cut off in any language and
# the chart, drawn at its own size, stays readable on a 390 px phone.
TREND_WIDTH = TREND_X + TREND_PLOT_W + 24
TREND_LEGEND_TOP = TREND_TOP + TREND_PLOT_H + 44
TREND_LEGEND_LINE = 20
SERIES = (
    ("#0072B2", "circle"),
    ("#D55E00", "square"),
    ("#009E73", "diamond"),
    ("#CC79A7", "triangle"),
)


def _marker(shape, x, y, colour):
    if shape == "circle":
        return _el("circle", cx=_num(x), cy=_num(y), r=4, fill=colour)
    if shape == "square":
        return _el("rect", x=_num(x - 4), y=_num(y - 4), width=8, height=8, fill=colour)
    if shape == "diamond":
        corners = ((0, -5), (5, 0), (0, 5), (-5, 0))
    else:
        corners = ((0, -5), (5, 4), (-5, 4))
    pts = " ".join(f"{_num(x + dx)},{_num(y + dy)}" for dx, dy in corners)
    return _el("polygon", points=pts, fill=colour)


def trend_chart(dates, series):
    """Scores over time: one line per dimension across the results, oldest on the left.

    dates: labels of the results in order; series: (label, [score or None per result])."""
    prefix = _id_prefix("trend", tuple(dates), tuple((s[0], tuple(s[1])) for s in series))
    n = len(dates)

    def x_of(i):
        return TREND_X + (TREND_PLOT_W * i / (n - 1) if n > 1 else TREND_PLOT_W / 2)

    def y_of(v):
        return TREND_TOP + TREND_PLOT_H * (1 - v / 100)

    body = []
    for tick in (0, 25, 50, 75, 100):
        y = y_of(tick)
        body.append(
            _el(
                "line",
                x1=TREND_X,
                x2=TREND_X + TREND_PLOT_W,
                y1=_num(y),
                y2=_num(y),
                stroke=GRID,
                stroke_width=0.5,
            )
        )
        body.append(_text(TREND_X - 8, y + 4, tick, size=11, fill=MUTED, text_anchor="end"))
    # At most four dates under the axis (the first, the last, some between): more would
    # overlap; the table beside the chart gives every one.
    step = max(1, -(-(n - 1) // 3))
    shown = {i for i in range(0, n, step) if n - 1 - i >= step or i == n - 1} | {n - 1}
    for i, d in enumerate(dates):
        if i in shown:
            body.append(
                _text(
                    x_of(i),
                    TREND_TOP + TREND_PLOT_H + 18,
                    d,
                    size=11,
                    fill=MUTED,
                    text_anchor="end"
                    if i == n - 1 and n > 1
                    else "start"
                    if i == 0 and n > 1
                    else "middle",
                )
            )
    for row, ((label, values), (colour, shape)) in enumerate(zip(series, SERIES, strict=False)):
        pts = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)
            body.append(_el("polyline", points=path, fill="none", stroke=colour, stroke_width=2))
        body.extend(_marker(shape, x, y, colour) for x, y in pts)
        y = TREND_LEGEND_TOP + row * TREND_LEGEND_LINE
        body.append(_marker(shape, TREND_X - 32, y - 4, colour))
        body.append(_text(TREND_X - 22, y, label, size=13, fill=TEXT))
    height = TREND_LEGEND_TOP + max(len(series) - 1, 0) * TREND_LEGEND_LINE + 8
    desc = " ".join(
        "{}: {}.".format(
            label,
            ", ".join(f"{d} {'—' if v is None else v}" for d, v in zip(dates, values, strict=True)),
        )
        for label, values in series
    )
    title = _("Scores over time, from the oldest result to the newest")
    return _svg(prefix, TREND_WIDTH, height, title, desc, "".join(body))
