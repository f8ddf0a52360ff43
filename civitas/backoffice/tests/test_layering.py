"""The back-office is the top of the house: no other app imports it.

The layering: the back-office (``civitas.backoffice``) composes the admin pages of the
organization and its spaces out of what the apps below provide; apps with an admin page of
their own (moderation, spam, authorizations, the components) guard it with the decorators
of ``civitas.organizations.access`` or their own rules, never with the back-office's. The
only place that names the back-office is the project's ``urls.py``, which mounts it at
``/admin/`` (and ``settings.py``, which installs it). Removing the back-office would then
leave every other app importable, and a change in it can never break another app.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKOFFICE = "civitas.backoffice"
# Who may name the back-office: the URL configuration that mounts it, the settings that install it.
ALLOWED = {ROOT / "urls.py", ROOT / "settings.py"}
LOADERS = {"import_module", "__import__", "include"}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)


def _resolve(module: str | None, level: int, importer: str) -> str:
    if not level:
        return module or ""
    package = importer.split(".")[:-level]
    return ".".join([*package, module] if module else package)


def backoffice_imports(source: str, importer: str) -> list[str]:
    """What a module's source takes from the back-office: imports, and modules loaded by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module, node.level, importer)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            names = [node.args[0].value] if called in LOADERS and isinstance(node.args[0].value, str) else []
        else:
            continue
        hits = [name for name in names if name == BACKOFFICE or name.startswith(BACKOFFICE + ".")]
        if hits:
            found.append(f"line {node.lineno}: {hits[0]}")
    return found


def _application_modules():
    for path in sorted(ROOT.rglob("*.py")):
        inside = path.relative_to(ROOT).parts
        if inside[0] == "backoffice" or "tests" in inside or path in ALLOWED:
            continue
        yield path


def test_no_app_imports_the_backoffice():
    offenders = {}
    modules = list(_application_modules())
    assert len(modules) > 300, "the walk must see the whole code base"
    for path in modules:
        hits = backoffice_imports(path.read_text(encoding="utf-8"), _module_name(path))
        if hits:
            offenders[str(path.relative_to(ROOT.parent))] = hits
    assert offenders == {}, (
        "only civitas/urls.py may name the back-office; take organization-admin checks from "
        f"civitas.organizations.access: {offenders}"
    )


def test_the_check_sees_every_way_of_importing():
    importer = "civitas.moderation.views"
    assert backoffice_imports("from civitas.backoffice.decorators import x", importer)
    assert backoffice_imports("import civitas.backoffice.views as v", importer)
    assert backoffice_imports("from civitas import backoffice", importer)
    assert backoffice_imports("from ..backoffice import decorators", importer)
    assert backoffice_imports("def f():\n    from civitas.backoffice import views", importer)
    assert backoffice_imports("importlib.import_module('civitas.backoffice.forms')", importer)
    assert backoffice_imports("path('x/', include('civitas.backoffice.urls'))", importer)
    assert not backoffice_imports("from civitas.organizations.access import login_first", importer)
    assert not backoffice_imports("from civitas.backoffice_extra import x", importer)
    assert not backoffice_imports("render(request, 'backoffice/spam.html')", importer)
