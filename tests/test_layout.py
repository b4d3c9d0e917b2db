"""The module layout README.md describes, checked on the source: view modules share code
through assess.access, the questionnaire runner, selectors and forms, never through each
other."""

import ast
from pathlib import Path

import assess.views

VIEWS = Path(assess.views.__file__).parent


def _imported_modules(path):
    """Every module the file imports, relative imports resolved against assess.views."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x, from .x import y
                base = "assess.views" if node.level == 1 else "assess"
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def _view_modules():
    return sorted(p for p in VIEWS.glob("*.py") if p.name != "__init__.py")


def test_there_are_view_modules_to_check():
    assert {p.stem for p in _view_modules()} >= {"assessments", "organizations", "workshops"}


def test_no_view_module_imports_another():
    names = {f"assess.views.{p.stem}" for p in _view_modules()}
    found = []
    for path in _view_modules():
        for module in _imported_modules(path):
            if module == "assess.views" or module in names or module.startswith("assess.views."):
                found.append(f"{path.name} imports {module}")
    assert found == []


def test_the_check_sees_every_form_of_import(tmp_path):
    """The test above would fail on any of these."""
    lines = [
        "import assess.views.assessments",
        "from assess.views import organizations",
        "from assess.views.workshops import questionnaire_step",
        "from .assessments import get_assessment_for_user",
        "from . import banks",
    ]
    for line in lines:
        path = tmp_path / "someview.py"
        path.write_text(line + "\n", encoding="utf-8")
        assert any(m.startswith("assess.views.") for m in _imported_modules(path)), line


ASSESS = VIEWS.parent
# After submit: the record, and everything that shows it.
AFTER_SUBMIT = [
    ASSESS / "snapshot.py",
    ASSESS / "vocabulary.py",
    *sorted((ASSESS / "report").glob("*.py")),
]


def test_nothing_that_shows_a_result_reaches_back_to_the_rules_or_live_data():
    """The flow is bank -> questionnaire -> answers -> rules -> snapshot -> presenter ->
    page/PDF/CSV, with no arrow from the presenter side back to the rules or the selectors
    (which read live answers and banks)."""
    found = [
        f"{path.relative_to(ASSESS)} imports {module}"
        for path in AFTER_SUBMIT
        for module in _imported_modules(path)
        if module.startswith(("assess.rules", "assess.selectors", "assess.services"))
        or module in ("assess.rules", "assess.selectors")
        or module.endswith((".rules", ".selectors"))
    ]
    assert found == []
    assert ASSESS / "report" / "exports.py" in AFTER_SUBMIT


def test_the_snapshot_and_the_words_import_nothing_of_the_app():
    """The words import nothing of the app; the snapshot only the words."""
    for name, allowed in (("snapshot.py", "assess.vocabulary"), ("vocabulary.py", None)):
        modules = set(_imported_modules(ASSESS / name))
        found = {m for m in modules if m.startswith("assess")}
        assert not {m for m in found if not allowed or not m.startswith(allowed)}, name


def test_no_view_module_calls_the_rules():
    """Views load, authorise and render: what the rules compute for a page is asked of the
    modules beside them (services, selectors, workshop_room, whatif, the presenter)."""
    found = [
        f"{path.name} imports {module}"
        for path in _view_modules()
        for module in _imported_modules(path)
        if module == "assess.rules" or module.startswith("assess.rules.")
    ]
    assert found == []


def _reads_data(module):
    """Whether a template tag module importing `module` could reach the database: anything of
    the app but the words and the languages, or the ORM itself."""
    if module.startswith("django.db"):
        return True
    return module.startswith("assess") and not module.startswith(
        ("assess.languages", "assess.vocabulary")
    )


def test_template_tags_read_no_database():
    """A template tag that queries runs inside a render that nobody reads as a query: peers
    and trends are read before rendering (assess.insights) and passed in."""
    tags = sorted((ASSESS / "templatetags").glob("*.py"))
    assert any(p.stem == "languages" for p in tags)
    found = [
        f"{path.name} imports {module}"
        for path in tags
        for module in _imported_modules(path)
        if _reads_data(module)
    ]
    assert found == []


def test_the_template_tag_check_sees_a_query(tmp_path):
    """The check above would fail on the tag this project once had, and on the ORM."""
    for line in ("from assess import peers, trend", "from django.db.models import Count"):
        path = tmp_path / "some_tags.py"
        path.write_text(line + "\n", encoding="utf-8")
        assert any(_reads_data(m) for m in _imported_modules(path)), line
    path.write_text("from assess.languages import text_language\n", encoding="utf-8")
    assert not any(_reads_data(m) for m in _imported_modules(path))


def test_the_top_of_assess_holds_only_what_every_room_uses():
    """Rooms by concern (README, "Layout"): a newcomer finds their room from the folder
    names; the top keeps at most 20 modules."""
    top = sorted(p.stem for p in ASSESS.glob("*.py"))
    assert len(top) <= 20, top
    rooms = {p.name for p in ASSESS.iterdir() if (p / "__init__.py").exists()}
    assert {"people", "questionnaire", "insights", "report", "banks", "rules"} <= rooms
