"""The score bars: one bar per dimension with its known share, the thresholds that decide and
the previous result's marks; its <desc> says all of it in words."""

from django.utils.translation import gettext as _

from assess.charts.map import TICKS
from assess.charts.svg import (
    GRID,
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
        row = _Row(
            label=str(labels.get(key, key)),
            score=None if raw is None else _clamp(raw),
            known=confidence.get(key),
            before=previous.get(key),
            thresholds=[(v, str(text)) for k, v, text in thresholds if k == key],
        )
        lines = row.draw(body, y)
        parts.append(row.words())
        y += BAR_ROW + lines * BAR_THRESHOLD_LINE
    height = _scale(body, y, with_previous=bool(previous))
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


class _Row:
    """One dimension's bar: its label, the bar (or a dashed outline when nothing is known),
    the score and known share beside it, the thresholds under it, the previous score's mark."""

    def __init__(self, *, label, score, known, before, thresholds):
        self.label, self.score, self.known, self.before = label, score, known, before
        self.thresholds = thresholds  # [(value, label)]
        self.side = [] if score is None else [_score(score)]
        if known is not None:
            percent = _score(max(0, min(1, known)) * 100)
            self.side.append(_("%(percent)s%% known") % {"percent": percent})

    def draw(self, body, y):
        """Append the row's elements, from `y` down; the lines of threshold labels it took."""
        top = y + 20  # first line holds the dimension label
        body.append(_text(BAR_X, y + 14, self.label, size=13, font_weight="600"))
        self._bar(body, top)
        if self.side:
            body.append(
                _text(
                    BAR_VALUE_X,
                    top + 15,
                    " · ".join(self.side),
                    size=13,
                    font_weight=None if self.score is None else "600",
                )
            )
        placed, lines = _threshold_lines([(bar_x(v), text) for v, text in self.thresholds])
        for x, anchor, text, line in placed:
            ends = {"x1": _num(x), "y1": top - 4, "x2": _num(x), "y2": top + BAR_HEIGHT + 4}
            body.append(_el("line", **ends, stroke="#ffffff", stroke_width=3.5))
            body.append(_el("line", **ends, stroke=TEXT, stroke_width=1.5, stroke_dasharray="3 2"))
            y_text = top + BAR_HEIGHT + 16 + line * BAR_THRESHOLD_LINE
            body.append(_text(x, y_text, text, size=11, text_anchor=anchor))
        if self.before is not None:
            x = _num(bar_x(self.before))
            ends = {"x1": x, "y1": top - 2, "x2": x, "y2": top + BAR_HEIGHT + 2}
            # White underlay keeps the dark marker visible on the blue bar.
            body.append(_el("line", **ends, stroke="#ffffff", stroke_width=5))
            body.append(_el("line", **ends, stroke=TEXT, stroke_width=2.5))
        return lines

    def _bar(self, body, top):
        box = {"x": BAR_X, "y": top, "width": BAR_WIDTH, "height": BAR_HEIGHT}
        if self.score is None:
            body.append(_el("rect", **box, fill="none", stroke=MUTED, stroke_dasharray="4 3"))
            body.append(
                _text(
                    BAR_X + 8,
                    top + 14,
                    _("not enough answers"),
                    size=12,
                    fill=MUTED,
                    font_style="italic",
                )
            )
            return
        body.append(_el("rect", **box, fill="#f2f2f2", stroke=GRID, stroke_width=0.75))
        fill = dict(box, width=_num(bar_x(self.score) - BAR_X))
        body.append(_el("rect", **fill, fill=BAR_FILL))

    def words(self):
        """The row in the chart's description."""
        if self.score is None:
            words, extra = _("not enough answers"), list(self.side)
        else:
            words = _("%(score)s of 100") % {"score": _score(self.score)}
            extra = self.side[1:]
        if self.before is not None:
            extra.append(_("previously %(score)s") % {"score": _score(_clamp(self.before))})
        extra += [
            _("%(label)s at %(score)s") % {"label": t, "score": _score(_clamp(v))}
            for v, t in self.thresholds
        ]
        return f"{self.label}: {words}" + (f" ({', '.join(extra)})" if extra else "")


def _scale(body, y, *, with_previous):
    """The scale under the bars (axis and ticks in one path) and a key for the previous
    marker; the chart's height."""
    scale = [f"M{BAR_X} {y}H{BAR_X + BAR_WIDTH}"]
    for t in TICKS:
        x = bar_x(t)
        scale.append(f"M{_num(x)} {y}V{y + 5}")
        body.append(_text(x, y + 19, t, size=12, text_anchor="middle"))
    body.append(_el("path", d="".join(scale), stroke=TEXT, fill="none"))
    height = y + 30
    if with_previous:
        line = {"x1": BAR_X + 2, "y1": height, "x2": BAR_X + 2, "y2": height + 16}
        body.append(_el("line", **line, stroke=TEXT, stroke_width=2.5))
        body.append(_text(BAR_X + 12, height + 13, _("Previous assessment"), size=12))
        height += 26
    return height
