"""A submitted assessment's report, by concern:

- `presenter`: the frozen result snapshot -> the context every view of it is rendered from
  (the result page, the printable report, the PDF, the answers CSV), and the report's HTML;
- `pdf`: the WeasyPrint engine (HTML -> tagged PDF, the fetcher, fonts, the stylesheet);
- `storage`: the stored PDF, its key, and the download's file name.

The names below are what the views use.
"""

from assess.report.presenter import held_for, report_html, result_context
from assess.report.storage import content_disposition, source_hash

__all__ = ["content_disposition", "held_for", "report_html", "result_context", "source_hash"]
