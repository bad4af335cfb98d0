"""Architecture rules checked on the source (issue 10).

(a) Templates hold no decisions: no role checks and no status/kind compared with a string literal
    (they ask the view's action sets and the models' state properties).
(b) No function-level import of a project module (a cycle breaker in disguise), except in
    AppConfig.ready(), migrations and management commands.
(c) The kernel of `jiedao/` imports no feature app: imports flow one way, apps → kernel, and only
    the listed non-kernel parts of `jiedao/` (reporting, the home page, URLs...) import the apps.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FEATURE_APPS = ("communities", "showcase", "assessment", "disclosure")
PROJECT_PACKAGES = ("jiedao", *FEATURE_APPS)

# -- (a) templates --------------------------------------------------------------------------------------

# The menu is built by jiedao/navigation.py; its template only draws what that module allows.
ROLE_CHECK_ALLOWED = {"templates/includes/navbar.html"}
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
ROLE_CHECK = re.compile(r"\b(user_roles|has_role|perms\.|is_staff|is_superuser|groups)\b")
_NAME = r"[\w.]*(?:status|kind|state)\w*"
_LITERAL = r"(?:\"[^\"]*\"|'[^']*')"
STATUS_LITERAL = re.compile(
    rf"\b{_NAME}\s*(?:==|!=|(?:not\s+)?in)\s*{_LITERAL}|{_LITERAL}\s*(?:==|!=|(?:not\s+)?in)\s*{_NAME}\b"
)


def _templates():
    for directory in [ROOT / "templates", *ROOT.glob("*/templates")]:
        yield from sorted(directory.rglob("*.html"))
        yield from sorted(directory.rglob("*.txt"))


def template_offences() -> list[str]:
    found = []
    for path in _templates():
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for match in TAG.finditer(text):
            tag = match.group(0)
            line = text.count("\n", 0, match.start()) + 1
            if name not in ROLE_CHECK_ALLOWED and ROLE_CHECK.search(tag):
                found.append(f"{name}:{line}: role check {tag!r}")
            if STATUS_LITERAL.search(tag):
                found.append(f"{name}:{line}: status compared with a string {tag!r}")
    return found


def test_the_scan_catches_what_it_must():
    for tag in [
        '{% if object.status == "draft" %}',
        "{% if object.status in 'submitted cleared approved' %}",
        "{% elif status == 'all' %}",
        "{% if u.kind != 'village' %}",
        "{% if 'done' == report.status %}",
    ]:
        assert STATUS_LITERAL.search(tag), tag
    for tag in ["{% if perms.communities.change_community %}", "{% if 'staff' in user_roles %}", "{{ user.is_staff }}"]:
        assert ROLE_CHECK.search(tag), tag
    for tag in ["{% if object.is_published %}", "{% if actions.approve %}", "{{ object.get_status_display }}"]:
        assert not STATUS_LITERAL.search(tag) and not ROLE_CHECK.search(tag), tag


def test_templates_make_no_role_checks_and_compare_no_status_with_a_string():
    offences = template_offences()
    assert not offences, "\n".join(offences)


# -- (b) and (c): imports ---------------------------------------------------------------------------------


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path


def _imported(node, module_path: str) -> list[str]:
    """The absolute module names an import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolve against the importing module's package
        parts = module_path.removesuffix(".py").split("/")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        return [".".join([*parts, node.module] if node.module else parts)]
    return [node.module or ""]


def _top(name: str) -> str:
    return name.split(".")[0]


def _function_imports(tree, module_path: str):
    """(line, module) of each import inside a function body, except in AppConfig.ready()."""

    def visit(node, in_function: bool, exempt: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                is_ready = child.name == "ready" and module_path.endswith("/apps.py")
                yield from visit(child, True, exempt or is_ready)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if in_function and not exempt:
                    for name in _imported(child, module_path):
                        yield child.lineno, name
            else:
                yield from visit(child, in_function, exempt)

    yield from visit(tree, False, False)


def _exempt_from_function_rule(module_path: str) -> bool:
    return "/migrations/" in module_path or "/management/commands/" in module_path


def function_level_project_imports() -> list[str]:
    found = []
    for package in PROJECT_PACKAGES:
        for name, path in _modules(package):
            if _exempt_from_function_rule(name):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), name)
            for line, module in _function_imports(tree, name):
                if _top(module) in PROJECT_PACKAGES:
                    found.append(f"{name}:{line}: imports {module} inside a function")
    return found


def test_no_function_level_imports_of_project_modules():
    offences = function_level_project_imports()
    assert not offences, "\n".join(offences)


# The parts of jiedao/ that are not the kernel: they may import the feature apps.
NON_KERNEL = (
    "jiedao/reporting/",  # the dashboard and the annual report
    "jiedao/todo/providers.py",  # 我的待办 gathers every app's todo_items (jiedao/todo/items.py is kernel)
    "jiedao/todo/views.py",
    "jiedao/urls.py",
    "jiedao/views.py",  # the home page lists the communities
    "jiedao/navigation.py",
    "jiedao/demo.py",
    "jiedao/management/",
    "jiedao/settings.py",
    "jiedao/migrations/",
)


def kernel_imports_of_apps() -> list[str]:
    found = []
    for name, path in _modules("jiedao"):
        if name.startswith(NON_KERNEL):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for module in _imported(node, name):
                    if _top(module) in FEATURE_APPS:
                        found.append(f"{name}:{node.lineno}: the kernel imports {module}")
    return found


def test_the_kernel_imports_no_feature_app():
    offences = kernel_imports_of_apps()
    assert not offences, "\n".join(offences)


def test_the_non_kernel_parts_exist():
    """The list above names what is there (a renamed module must not widen the exemption silently)."""
    for part in NON_KERNEL:
        assert (ROOT / part).exists(), part


# -- settings -------------------------------------------------------------------------------------------

SETTING_READ = re.compile(r"\bsettings\.([A-Z][A-Z0-9_]+)|getattr\(\s*settings\s*,\s*[\"']([A-Z][A-Z0-9_]+)[\"']")


def undeclared_settings() -> list[str]:
    """Settings the code reads that neither jiedao/settings.py nor Django's defaults declare."""
    from django.conf import global_settings

    declared = set(re.findall(r"^([A-Z][A-Z0-9_]+)\s*[:=]", (ROOT / "jiedao/settings.py").read_text(), re.M))
    declared |= {name for name in dir(global_settings) if name.isupper()}
    found = []
    for package in PROJECT_PACKAGES:
        for name, path in _modules(package):
            for match in SETTING_READ.finditer(path.read_text(encoding="utf-8")):
                setting = match.group(1) or match.group(2)
                if setting not in declared:
                    found.append(f"{name}: reads settings.{setting}")
    return found


def test_every_setting_the_code_reads_is_declared():
    offences = undeclared_settings()
    assert not offences, "\n".join(offences)


# -- permission matrices ----------------------------------------------------------------------------------


def test_every_url_namespace_has_a_permission_matrix_that_asserts_coverage():
    """Each app's matrix test calls tests.matrix.assert_matrix_covers for its namespace(s), so a new
    URL without a row in the matrix fails that test."""
    from django.urls import get_resolver

    covered = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        source = path.read_text(encoding="utf-8")
        covered |= set(re.findall(r"assert_matrix_covers\(\s*[\"'](\w+)[\"']", source))
        if "assert_matrix_covers(namespace" in source:  # a test parametrized over its namespaces
            for group in re.findall(r"parametrize\(\s*[\"']namespace[\"']\s*,\s*\[([^\]]*)\]", source):
                covered |= set(re.findall(r"[\"'](\w+)[\"']", group))
    namespaces = set(get_resolver().namespace_dict) - {"admin"}  # Django's admin has its own checks
    assert namespaces <= covered, f"no coverage assertion for {sorted(namespaces - covered)}"
