"""The PDF engine: report HTML -> tagged PDF bytes with WeasyPrint.

WeasyPrint is imported inside the functions that use it: the import alone costs more than a
whole page of the site (bench/RESULTS.md, "The PDF engine's fixed costs"), which no other page
should pay. It fetches nothing on behalf of content: `ReportURLFetcher`
serves only our own static files and `data:` URLs.
"""

import logging
import mimetypes
import re
import ssl
import threading
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step at INFO, which the root logger would print for each
# PDF; its warnings and errors still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = "css/report.css"
# The PDF's HTML resolves relative URLs against this origin. ".invalid" never resolves
# (RFC 2606), and the fetcher serves only STATIC_URL below it, from our own files.
BASE_URL = "https://report.invalid/"
FETCH_TIMEOUT = 5
PDF_VARIANT = "pdf/ua-1"
_STATIC_TYPES = {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2"}


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
    # default context would load the system's CA store on every render (bench/RESULTS.md). This
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
    """One FontConfiguration per thread: making one is a noticeable part of a render
    (bench/RESULTS.md), and the report declares no @font-face that could make one render
    differ from another."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


# --- Rendering ---------------------------------------------------------------------------------


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


# A last page filled less than this is laid out once more, compact (report.css, html.compact).
LAST_PAGE_MIN = 1 / 3
_HTML_TAG = re.compile(r"<html\b")


def html_to_pdf(html, *, url_fetcher=None, stylesheets=()):
    """PDF bytes for report HTML: tagged PDF/UA-1, fonts embedded, nothing fetched. When the
    last page holds only a few lines (a list that ran over by a little), the report is laid
    out again a little tighter and kept if that saves the page."""
    from weasyprint import DEFAULT_OPTIONS

    fetcher = url_fetcher or url_fetcher_class()()
    options = {**DEFAULT_OPTIONS, "stylesheets": list(stylesheets), "pdf_variant": PDF_VARIANT}

    def render(source):
        document = html_class()(string=source, base_url=BASE_URL, url_fetcher=fetcher)
        return document.render(font_config=_font_config(), **options)

    document = render(html)
    if len(document.pages) > 1 and last_page_filled(document) < LAST_PAGE_MIN:
        compact = render(_HTML_TAG.sub('<html class="compact"', html, count=1))
        if len(compact.pages) < len(document.pages):
            document = compact
    return document.write_pdf(**{key: options[key] for key in DEFAULT_OPTIONS})


def last_page_filled(document):
    """How much of the last page's height its content takes, from 0 to 1; the running
    header and footer in the margins do not count. 1 if this WeasyPrint's layout boxes do
    not look as expected (they are not its public API): the report is then laid out once."""
    try:
        from weasyprint.formatting_structure.boxes import MarginBox

        page = document.pages[-1]._page_box
    except (ImportError, AttributeError):
        logger.warning("WeasyPrint's page boxes changed; the report is laid out once")
        return 1
    top = page.content_box_y()
    bottom = top
    for child in page.children:
        if isinstance(child, MarginBox):
            continue
        for box in child.descendants():
            if box.height and box.element_tag not in ("html", "body", "main", "section"):
                bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) / page.height


def report_stylesheet():
    """The report's stylesheet, parsed once per process and again when the file changes:
    parsing it is a noticeable part of a render (bench/RESULTS.md). The PDF's HTML has no
    <link> to it."""
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


@cache
def warm_up(stylesheet):
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
