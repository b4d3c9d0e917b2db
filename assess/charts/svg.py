"""The SVG primitives every chart is drawn with: the palette, escaping, numbers as short text,
elements, text with a halo, deterministic ids, and the <svg> with its title and description."""

import hashlib
import math
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT = "#1a1a1a"  # 17:1 on white
MUTED = "#4d4d4d"  # 8.5:1 on white
GRID = "#8c8c8c"  # lines only, never text


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
        # Its own size, scaled down (never up) by the page's CSS: a style attribute would be
        # refused by the site's Content-Security-Policy, and 100% blew 13 px labels up to 36.
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"'
        f"{_attrs({'font_family': FONT})}>"
        f'<title id="{prefix}-title">{escape(str(title))}</title>'
        f'<desc id="{prefix}-desc">{escape(str(desc))}</desc>'
        f"{body}</svg>"
    )
