import math
import os
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

# gettext needs settings; under pytest-django the project settings are used.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)

from django.utils import translation  # noqa: E402

from assess import charts  # noqa: E402

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "Co"'


def outcome_at(capacity, risk):
    # Four quadrants: low capacity -> hygiene first, etc.
    if capacity < 30:
        return "hygiene_first"
    if risk < 40:
        return "both" if capacity >= 60 else "operational"
    return "normative"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted XML)


def regions(root):
    """Region rects: they carry fill-opacity and, unlike legend swatches, no stroke."""
    return [r for r in root.iter(NS + "rect") if r.get("fill-opacity") and not r.get("stroke")]


def marker(root, name):
    return next(c for c in root.iter(NS + "circle") if c.get("id", "").endswith("-" + name))


def lines_at(root, value):
    x = f"{charts.bar_x(value):g}"
    return [line for line in root.iter(NS + "line") if line.get("x1") == x]


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(NS + "text")]


def ids(root):
    return [el.get("id") for el in root.iter() if el.get("id")]


def make_map(**kwargs):
    args = {"capacity": 62, "risk_tolerance": 48, "outcome_at": outcome_at, "title": "Map"}
    return charts.position_map(**{**args, **kwargs})


def make_bars(**kwargs):
    args = {
        "scores": {"net": 62, "gov": 35},
        "title": "Scores",
        "labels": {"net": "Network", "gov": "Governance"},
    }
    return charts.dimension_bars(**{**args, **kwargs})


def region_fill_at(root, capacity, risk):
    x, y = charts.map_xy(capacity, risk)
    for rect in regions(root):
        rx, ry = float(rect.get("x")), float(rect.get("y"))
        if rx <= x < rx + float(rect.get("width")) and ry <= y < ry + float(rect.get("height")):
            return rect.get("fill")
    return None


@pytest.mark.parametrize("svg", [make_map(), make_bars()])
def test_accessible_svg_root(svg):
    root = parse(svg)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ")
    # Its own size, for the page's CSS to scale down: a style attribute would be refused by
    # the Content-Security-Policy, and a width of 100% blew small labels up on wide screens.
    assert root.get("width") == root.get("viewBox").split()[2]
    assert root.get("height") == root.get("viewBox").split()[3]
    assert root.get("style") is None
    title, desc = root.find(NS + "title"), root.find(NS + "desc")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert desc.text
    assert "<script" not in svg and "href" not in svg and "class=" not in svg


def test_map_desc_names_region():
    desc = parse(make_map()).find(NS + "desc").text
    assert desc.startswith("Capacity 62 of 100, risk tolerance 48 of 100: in the Normative region.")
    desc = parse(make_map(capacity=70, risk_tolerance=10)).find(NS + "desc").text
    assert "in the Both region" in desc


def test_map_marker_position():
    root = parse(make_map(capacity=62, risk_tolerance=48))
    you = marker(root, "you")
    size = charts.MAP_PLOT_SIZE
    assert float(you.get("cx")) == pytest.approx(charts.MAP_PLOT_X + 0.62 * size, abs=0.05)
    assert float(you.get("cy")) == pytest.approx(charts.MAP_PLOT_Y + 0.52 * size, abs=0.05)
    assert you.get("stroke") == charts.TEXT
    assert "You" in texts(root)


def test_map_marker_is_clamped():
    root = parse(make_map(capacity=140, risk_tolerance=-5))
    you = marker(root, "you")
    assert float(you.get("cx")) == charts.MAP_PLOT_X + charts.MAP_PLOT_SIZE
    assert float(you.get("cy")) == charts.MAP_PLOT_Y + charts.MAP_PLOT_SIZE
    assert "Capacity 100 of 100, risk tolerance 0 of 100" in root.find(NS + "desc").text


def test_map_regions_use_outcome_colours():
    root = parse(make_map())
    assert region_fill_at(root, 80, 20) == charts.OUTCOME_COLOURS["both"]
    assert region_fill_at(root, 10, 90) == charts.OUTCOME_COLOURS["hygiene_first"]
    assert region_fill_at(root, 45, 20) == charts.OUTCOME_COLOURS["operational"]
    assert region_fill_at(root, 60, 60) == charts.OUTCOME_COLOURS["normative"]


def test_map_merges_cells_and_covers_the_plot():
    for step in (5, 7):
        rects = regions(parse(make_map(step=step)))
        rows = -(-100 // step)
        # Each row holds at most 3 runs with this outcome_at, not 100/step cells.
        assert len(rects) <= rows * 3
        area = sum(float(r.get("width")) * float(r.get("height")) for r in rects)
        assert area == pytest.approx(charts.MAP_PLOT_SIZE**2, rel=1e-3)


def test_map_outcome_at_called_at_cell_centres():
    calls = []

    def spy(capacity, risk):
        calls.append((capacity, risk))
        return "operational"

    make_map(outcome_at=spy, step=25)
    assert (12.5, 12.5) in calls and (87.5, 87.5) in calls
    assert len([c for c in calls if c != (62, 48)]) == 16


def test_map_legend_lists_only_outcomes_that_appear():
    root = parse(make_map(outcome_at=lambda c, r: "both" if c > 50 else "operational"))
    labels = texts(root)
    assert "Both" in labels and "Operational" in labels
    assert "Normative" not in labels and "Hygiene first" not in labels


def test_map_unknown_outcome_is_an_error():
    with pytest.raises(ValueError):
        make_map(outcome_at=lambda c, r: "maybe")


def test_map_previous_and_others():
    root = parse(make_map(previous=(20, 30), others=[("Acme", 80, 80)]))
    prev = marker(root, "previous")
    assert float(prev.get("cx")) == pytest.approx(charts.map_xy(20, 30)[0], abs=0.05)
    assert prev.get("fill") == "#ffffff"  # hollow
    assert any(line.get("stroke-dasharray") for line in root.iter(NS + "line"))
    assert {"Previous", "Acme"} <= set(texts(root))
    desc = root.find(NS + "desc").text
    assert "Previous assessment: capacity 20, risk tolerance 30, in the Hygiene first" in desc
    assert "Acme at capacity 80, risk tolerance 80" in desc


def test_a_participant_at_the_team_median_stays_visible_and_so_does_the_median():
    team = [("Ann", 50, 50), ("Ben", 52, 49), ("Cy", 90, 10)]
    root = parse(make_map(capacity=50, risk_tolerance=50, others=team, marker_label="Median"))
    circles = list(root.iter(NS + "circle"))
    median = marker(root, "you")
    dots = [c for c in circles if c.get("fill") == charts.MUTED]
    assert len(dots) == len(team)
    # The median is a hollow ring drawn under every dot: nothing is drawn over a dot.
    assert median.get("fill") == "none"
    assert circles.index(median) < circles.index(dots[0]) and circles[-1] is dots[-1]

    def r(c, edge=1):
        return float(c.get("r")) + edge * float(c.get("stroke-width")) / 2

    centre = (float(median.get("cx")), float(median.get("cy")))
    ring_in, ring_out = r(median, -1), r(median)
    for dot in dots[:2]:
        d = math.dist(centre, (float(dot.get("cx")), float(dot.get("cy"))))
        # Ann, exactly on the median, sits inside the ring's hole; Ben, beside it, covers
        # less than a quarter of the ring.
        if d + r(dot) < ring_in:
            continue
        assert d > r(dot) and 2 * math.degrees(math.asin(r(dot) / d)) < 90, d
    ann = dots[0]
    assert (float(ann.get("cx")), float(ann.get("cy"))) == centre
    assert r(ann) < ring_in < ring_out


def test_map_escapes_hostile_input():
    svg = make_map(title=HOSTILE, others=[(HOSTILE, 50, 50), ('a" onload="x', 10, 10)])
    assert "<script" not in svg and '" onload' not in svg
    root = parse(svg)
    assert root.find(NS + "title").text == HOSTILE
    assert HOSTILE in texts(root)
    assert HOSTILE in root.find(NS + "desc").text


def test_bars_values_and_clamping():
    root = parse(make_bars(scores={"a": 150, "b": -20, "c": 40.4}, labels={}))
    bars = [r for r in root.iter(NS + "rect") if r.get("fill") == charts.BAR_FILL]
    assert [float(r.get("width")) for r in bars] == pytest.approx(
        [charts.BAR_WIDTH, 0, 0.404 * charts.BAR_WIDTH], abs=0.05
    )
    assert {"100", "0", "40"} <= set(texts(root))
    assert root.find(NS + "desc").text == "a: 100 of 100; b: 0 of 100; c: 40 of 100."


def test_bars_none_score_says_not_enough_answers():
    root = parse(
        make_bars(scores={"net": None, "gov": 50}, confidence={"net": 0.2}, previous={"gov": None})
    )
    assert "not enough answers" in texts(root)
    rects = list(root.iter(NS + "rect"))
    assert any(r.get("stroke-dasharray") and r.get("fill") == "none" for r in rects)
    assert len([r for r in root.iter(NS + "rect") if r.get("fill") == charts.BAR_FILL]) == 1
    assert "Network: not enough answers (20% known)" in root.find(NS + "desc").text


def test_bars_order_confidence_previous_thresholds():
    root = parse(
        make_bars(
            scores={"gov": 35, "net": 62},
            confidence={"net": 0.8},
            previous={"net": 45},
            thresholds=[("net", 50, "Minimum")],
        )
    )
    labels = texts(root)
    assert labels.index("Governance") < labels.index("Network")
    assert "62 · 80% known" in labels and "Minimum" in labels
    assert any(line.get("stroke") == charts.TEXT for line in lines_at(root, 45))  # previous
    assert any(line.get("stroke-dasharray") for line in lines_at(root, 50))  # threshold
    desc = root.find(NS + "desc").text
    assert desc == (
        "Governance: 35 of 100; Network: 62 of 100 (80% known, previously 45, Minimum at 50)."
    )


def test_bars_escape_hostile_input():
    svg = make_bars(
        scores={"x": 10}, labels={"x": HOSTILE}, title=HOSTILE, thresholds=[("x", 20, HOSTILE)]
    )
    assert "<script" not in svg
    root = parse(svg)
    assert texts(root).count(HOSTILE) == 2  # dimension label and threshold label
    assert root.find(NS + "title").text == HOSTILE


def test_ids_unique_between_charts_and_deterministic():
    charts_svg = [make_map(), make_map(capacity=10), make_bars(), make_bars(scores={"net": 1})]
    all_ids = [i for svg in charts_svg for i in ids(parse(svg))]
    assert len(all_ids) == len(set(all_ids))
    assert make_map(previous=(1, 2)) == make_map(previous=(1, 2))
    assert make_bars(previous={"net": 3}) == make_bars(previous={"net": 3})


def test_text_is_large_and_dark_enough():
    for svg in (
        make_map(previous=(20, 30), others=[("A", 5, 5)]),
        make_bars(scores={"net": None}, thresholds=[("net", 10, "t")]),
    ):
        for t in parse(svg).iter(NS + "text"):
            assert float(t.get("font-size")) >= 11
            assert t.get("fill") in (charts.TEXT, charts.MUTED, "#ffffff")  # white = halo


def test_a_crowd_of_participants_is_drawn_without_labels():
    crowd = [(f"Person {i}", i % 100, (i * 7) % 100) for i in range(200)]
    svg = charts.position_map(
        capacity=50, risk_tolerance=50, outcome_at=lambda c, r: "both", title="Team", others=crowd
    )
    assert svg.count("<circle") >= 200
    assert "Person 17" not in svg
    assert "200 other participants" in svg
