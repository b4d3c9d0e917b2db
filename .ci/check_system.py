"""Checks the system libraries and fonts the PDF reports need (make setup runs it).

Prints what is missing, what that would break, and the one apt-get line that installs it.
Exits 1 only when WeasyPrint cannot load at all (no PDF could be made); a missing font or
HarfBuzz-Subset only degrades the PDF, so it warns. Tools only the tests use (Chromium, Java,
qpdf) are not checked here: those tests skip with the reason printed.
Run with the project's Python: .venv/bin/python .ci/check_system.py"""

import os
import shutil
import subprocess
import sys
import warnings

LIBRARIES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libfontconfig1"]


def weasyprint_problem():
    """None when WeasyPrint loads its libraries, else what went wrong."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # HarfBuzz-Subset's absence is reported below
        try:
            from weasyprint.text import ffi
        except OSError as error:
            return str(error).splitlines()[0], None
    return None, ffi


def fonts_covering(pattern):
    out = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True)
    return out.stdout.strip()


def main():
    missing = []  # (Debian packages, what breaks without them)
    problem, ffi = weasyprint_problem()
    if problem:
        missing.append((LIBRARIES, f"every PDF report: WeasyPrint cannot load ({problem})"))
    elif ffi.harfbuzz_subset is None:
        missing.append(
            (
                ["libharfbuzz-subset0"],
                "fast font subsetting: PDFs fall back to fontTools, slower and warned about "
                "(future WeasyPrint requires it)",
            )
        )
    if not shutil.which("fc-list"):
        missing.append((["fontconfig"], "this check of the fonts (fc-list)"))
    else:
        if not fonts_covering("Liberation Sans:style=Regular"):
            missing.append(
                (["fonts-liberation"], "the report's typeface: another one, with other metrics")
            )
        if not fonts_covering("DejaVu Sans:style=Book"):
            missing.append(
                (["fonts-dejavu-core"], "symbols Liberation lacks: drawn as empty boxes")
            )
        uncovered = [
            name
            for lang, name in [("zh-cn", "Chinese"), ("ja", "Japanese"), ("ko", "Korean")]
            if not fonts_covering(f":lang={lang}")
        ]
        if uncovered:
            names = ", ".join(uncovered)
            missing.append((["fonts-noto-cjk"], f"text in {names}: drawn as empty boxes"))
    if not missing:
        print("PDF libraries and fonts: all present")
        return 0
    print("PDF reports need system packages that are missing:")
    for packages, breaks in missing:
        print(f"  {' '.join(packages)}: without it, {breaks}")
    packages = dict.fromkeys(p for group, _ in missing for p in group)
    sudo = "sudo " if os.geteuid() else ""
    print(f"Install them with:\n  {sudo}apt-get install -y {' '.join(packages)}")
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())
