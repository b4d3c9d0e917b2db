"""What the memberships held already answer in a new assessment's questionnaire.

Each rule names a question and a choice of the default bank and the memberships that make
that answer true; a bank without that question or choice is left alone. The answer is saved
with a comment that says where it came from, so the person answering sees it and can change
it. Only facts a membership proves are filled in: a signed pledge is a public commitment
(RSK-05); FIRST admits as a full member only an established incident-response team (CAP-04)
sponsored by two member teams, the first outside the applicant's own group (CAP-05). A
liaison of FIRST proves neither, so it fills in nothing."""

from django.utils.translation import gettext as _


def _pledges(rows):
    return [
        r for r in rows if r["track"] == "normative" and r["depth"] in ("signatory", "supporter")
    ]


def _first_full_member(rows):
    return [r for r in rows if r["slug"] == "first" and "liaison" not in r["tier"].casefold()]


RULES = [
    ("RSK-05", "pledge", _pledges),
    ("CAP-04", "csirt", _first_full_member),
    ("CAP-05", "two", _first_full_member),
]


def answers(rows, view):
    """{question code: ([choice code], comment)} for the bank `view`, from the held rows."""
    questions = {q.code: q for q in view.questions}
    found = {}
    for code, choice, match in RULES:
        q = questions.get(code)
        if q is None or code in found or choice not in {c.code for c in q.choice_list}:
            continue
        if bodies := match(rows):
            names = ", ".join(r["name"] for r in bodies)
            comment = _(
                "Filled in from your recorded memberships (%(names)s): change it if it is "
                "not right."
            ) % {"names": names}
            found[code] = ([choice], comment)
    return found
