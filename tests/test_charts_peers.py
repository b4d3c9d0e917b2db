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
    assert "Exposure: higher than 7 of 10 all peers, lower than 1 of 10." in svg
    # A side no peer is on is said so, never "higher than 0 of 10".
    assert "Security capacity: lower than 10 of 10 all peers; none is lower." in svg
    assert "than 0 of 10" not in svg


def test_every_standing_is_one_honest_sentence():
    from assess.vocabulary import standing_sentence

    group = "peers of your size"
    assert standing_sentence("Exposure", 3, 2, group) == (
        "Exposure: higher than 3 of 10 peers of your size, lower than 2 of 10."
    )
    assert standing_sentence("Exposure", 10, 0, group) == (
        "Exposure: higher than 10 of 10 peers of your size; none is higher."
    )
    assert standing_sentence("Exposure", 0, 4, group) == (
        "Exposure: lower than 4 of 10 peers of your size; none is lower."
    )
    assert standing_sentence("Exposure", 0, 0, group) == (
        "Exposure: in the same band as all peers of your size."
    )


def test_the_standing_chart_is_no_wider_than_its_strip_and_wraps_its_legend():
    import re

    svg = standing_chart([{"label": "Exposure", "below": 1, "above": 1}], "all peers")
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width <= 340  # about its own size on a 390 px phone: labels stay readable
    assert 'font-size="14"' in svg
    xs = [int(x) for x in re.findall(r'<text x="(\d+)" y="\d+" font-size="12"', svg)]
    assert all(x < width for x in xs)


def test_the_standing_chart_escapes_what_it_is_given():
    svg = standing_chart([{"label": "<b>x</b>", "below": 1, "above": 1}], "A & B")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "A &amp; B" in svg
