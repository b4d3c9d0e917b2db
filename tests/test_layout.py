"""The module layout README.md describes, checked on the source: view modules share code
through assess.access, assess.questionnaire, selectors and forms, never through each other."""

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
