"""The peer comparison chart, pure: ten cells per score, said in words too."""

from assess.charts.peers import HIGHER, LOWER, SAME, standing_chart


def test_the_standing_chart_draws_ten_cells_per_score_and_says_it_in_words():
    svg = standing_chart(
        [
            {"label": "Exposure", "below": 7, "above": 1},
            {"label": "Security capacity", "below": 0, "above": 10},
        ],
        "all peers",
    )
    # Each colour: the cells it fills, and one legend swatch.
    assert svg.count(f'fill="{LOWER}"') == 7 + 0 + 1
    assert svg.count(f'fill="{HIGHER}"') == 1 + 10 + 1
    assert svg.count(f'fill="{SAME}"') == 2 + 0 + 1
    assert 'role="img"' in svg and "Where you stand among all peers" in svg
    assert "Exposure: higher than 7 of 10, lower than 1 of 10." in svg
    assert "Security capacity: higher than 0 of 10, lower than 10 of 10." in svg


def test_the_standing_chart_escapes_what_it_is_given():
    svg = standing_chart([{"label": "<b>x</b>", "below": 1, "above": 1}], "A & B")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "A &amp; B" in svg
