"""Inline SVG charts for assessment results.

Every function returns a self-contained SVG string (no scripts, no external references, no
CSS classes) meant to be embedded in a template with |safe and to render the same in browsers
and in WeasyPrint PDFs. Everything that comes from arguments is escaped, so callers may pass
user-entered text. `svg` holds the primitives; `map` and `bars` one chart each.
"""

from assess.charts.bars import BAR_FILL, BAR_WIDTH, BARS_WIDTH, bar_x, dimension_bars
from assess.charts.map import (
    MAP_PLOT_SIZE,
    MAP_PLOT_X,
    MAP_PLOT_Y,
    MAP_WIDTH,
    OUTCOME_COLOURS,
    map_xy,
    position_map,
)
from assess.charts.svg import MUTED, TEXT

__all__ = [
    "BAR_FILL",
    "BAR_WIDTH",
    "BARS_WIDTH",
    "MAP_PLOT_SIZE",
    "MAP_PLOT_X",
    "MAP_PLOT_Y",
    "MAP_WIDTH",
    "MUTED",
    "OUTCOME_COLOURS",
    "TEXT",
    "bar_x",
    "dimension_bars",
    "map_xy",
    "position_map",
]
