"""Reading and keyboard use: error text with enough contrast, focus that can be seen, and a
result that says how close it is to another outcome."""

from tests.e2e.conftest import check_accessibility

# Relative luminance and contrast ratio, WCAG 2.2's formulas, computed in the page from the
# colours the browser actually uses.
CONTRAST = """
(() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = c.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      const parts = c.match(/[\\d.]+/g);
      if (parts && (parts.length < 4 || Number(parts[3]) > 0.5)) return rgb(c);
    }
    return [255, 255, 255];
  };
  window.__ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  window.__textContrast = el => window.__ratio(rgb(getComputedStyle(el).color), background(el));
  window.__outline = el => {
    const s = getComputedStyle(el);
    return {width: parseFloat(s.outlineWidth), style: s.outlineStyle,
            contrast: window.__ratio(rgb(s.outlineColor), background(el.parentElement))};
  };
})();
"""


def _errors_contrast(page):
    page.evaluate(CONTRAST)
    ratios = page.evaluate(
        """() => [...document.querySelectorAll('.invalid-feedback, .errorlist, .text-danger')]
             .filter(e => e.getClientRects().length && e.innerText.trim())
             .map(e => [e.innerText.trim().slice(0, 40), window.__textContrast(e)])"""
    )
    assert ratios, "no error text was shown"
    return ratios


def test_error_messages_have_enough_contrast(site, new_context):
    page = new_context().new_page()
    page.goto(f"{site}/accounts/signup/")
    page.fill("input[name=email]", "not-an-address")
    page.click("main [type=submit]")
    for text, ratio in _errors_contrast(page):
        assert ratio >= 4.5, f"{text!r} is {ratio:.2f}:1"
    check_accessibility(page)

    page.goto(f"{site}/join/")
    page.fill("main input[type=text]", "WRONG-CODE")
    page.click("main [type=submit]")
    for text, ratio in _errors_contrast(page):
        assert ratio >= 4.5, f"{text!r} is {ratio:.2f}:1"
    check_accessibility(page)


def test_keyboard_focus_is_plainly_visible(site, new_context):
    """Tabbing through the sign-in page: every focused control gets an outline of at least
    2px with 3:1 against what is around it (the skip link, the navigation on the dark bar,
    the form's fields and button)."""
    page = new_context().new_page()
    page.goto(f"{site}/accounts/login/")
    page.evaluate(CONTRAST)
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                 const name = e.tagName + (e.name ? '[' + e.name + ']' : '');
                 return [name + ' ' + (e.innerText || '').trim().slice(0, 20),
                         window.__outline(e)]; }"""
        )
        if focused[0].startswith("BODY"):
            continue  # focus still on the page itself
        seen.append(focused[0])
        outline = focused[1]
        assert outline["style"] != "none" and outline["width"] >= 2, focused
        assert outline["contrast"] >= 3, focused
    assert any("INPUT[password]" in s for s in seen), seen
    assert any(s.startswith("A ") for s in seen), seen
