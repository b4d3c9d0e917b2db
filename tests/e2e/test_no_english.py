"""No English sentence on a French or German page: every page outside the admin, walked in a
real browser at 1280 and 390 px, read as a person sees it. A text marked lang="en" (a bank or
catalogue text that has no translation yet) is said to be English and does not count."""

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_every_page import pages  # noqa: F401 (a fixture)

# The words English cannot write a sentence without, and neither French nor German has
# ("on", "an", "was", "will", "not" and "or" are French or German words too).
ENGLISH = {
    "the", "and", "of", "your", "you", "is", "are", "to", "with", "this", "that", "which",
    "for", "be", "it", "has", "have", "been", "from", "answers", "answer", "would", "these",
    "under", "their", "our", "we", "they", "what", "when", "who", "how", "why", "can", "could",
    "should", "into", "about", "only", "than", "each", "any", "were", "yet", "after",
    "result", "rules", "earlier", "saved", "submitted", "people",
    "as", "join", "member", "sign", "full", "put", "stay", "using", "free", "first", "see",
}  # fmt: skip
# Names that stay as their owners write them (docs/glossary.md), and the test's own data.
NAMES = re.compile(
    r"Charter of Trust|Forum of Incident Response and Security Teams|Cybersecurity Tech Accord"
    r"|Cyber Threat Alliance|Code of Conduct|A comment long enough to wrap|Every Page Ltd|Peer \d+"
)
URL = re.compile(r"\S+\.\S+/\S*")

# The page's visible text, leaving out what is marked as another language than the page's.
VISIBLE_TEXT = """() => {
  const lang = document.documentElement.lang;
  const copy = document.body.cloneNode(true);
  for (const el of copy.querySelectorAll('[lang], script, style, template, [hidden]')) {
    if (el.matches('script, style, template, [hidden]') || el.lang !== lang) el.remove();
  }
  document.body.after(copy);
  copy.style.position = 'absolute';
  const text = copy.innerText;
  copy.remove();
  return text;
}"""


WHATIF_CHANGED = "document.querySelector('[data-whatif-count]')?.dataset.whatifCount !== '0'"


def english_sentences(text):
    found = []
    for line in text.splitlines():
        line = URL.sub("", NAMES.sub("", line))
        for sentence in re.split(r"(?<=[.!?:;])\s+", line):
            words = re.findall(r"[A-Za-z']+", sentence.lower())
            if len({w for w in words if w in ENGLISH}) >= 2:
                found.append(sentence.strip())
    return found


def test_the_detector_finds_english_and_lets_french_and_german_through():
    assert english_sentences("With your saved answers: Both")
    assert english_sentences("Bereit. Your result was frozen under earlier rules.")
    assert english_sentences("Recommendation: put cyber hygiene first and stay on the sidelines.")
    assert english_sentences(
        "Recommendation: join operational alliances as a contributing member, and sign a "
        "normative alliance as a full signatory."
    )
    assert not english_sentences("Ce qui changerait ce résultat : vos réponses, la tendance.")
    assert not english_sentences("Was das ändern würde: Ihre Antworten, die Tendenz, an Land.")
    assert not english_sentences(
        "Charter of Trust et Forum of Incident Response and Security Teams"
    )


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["fr", "de"])
def test_no_page_says_an_english_sentence(site, new_context, ciso, pages, language, width):  # noqa: F811
    public, private = pages
    context = new_context(locale=language, viewport={"width": width, "height": 900})
    page = context.new_page()
    english = {}

    def read(path):
        page.goto(site + path)
        if page.get_attribute("html", "lang") != language:
            return  # a PDF, or a redirect to a page the test reads on its own
        for details in page.locator("details:not([open]) > summary").all():
            if details.is_visible():
                details.click()  # what a reader opens is read too
        if "/what-if/" in path:
            read_what_if(path)
        found = english_sentences(page.evaluate(VISIBLE_TEXT))
        if found:
            english[path] = found[:4]

    def read_what_if(path):
        # The verdict as first shown (unchanged answers: the frozen words), then for a changed
        # answer (today's rules, worded in the page's language).
        found = english_sentences(page.evaluate(VISIBLE_TEXT))
        page.locator("main input[type=radio]:not(:checked)").first.check()
        page.wait_for_function(WHATIF_CHANGED)
        found += english_sentences(page.evaluate(VISIBLE_TEXT))
        if found:
            english[path + " (changed)"] = found[:4]

    for path in public:
        read(path)
    sign_in(page, site, ciso)
    for path in private:
        read(path)
    assert english == {}, "\n".join(f"{p}: {s}" for p, found in english.items() for s in found)
