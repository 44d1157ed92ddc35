"""The layout's rules, read from the code with ``ast`` (nothing is imported or run).

- Layers: a package never imports one above it, lazily or not (the wiring modules are
  exempt: settings, ``lms/urls.py``, ``lms/celery.py``, ``lms/wsgi.py``).
- ``media_pipeline`` imports nothing of ours.
- No cycle between files through module-level imports, nor through imports made inside
  functions but for the few edges named in ``LAZY_EDGES_ALLOWED``.
- No module of ours over 600 lines outside migrations.

docs/architecture.md explains the layers; this test is what holds them.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lms", "courses", "centers", "commerce", "interop", "media_pipeline", "demo")

# Lowest first. A module may import its own layer and any layer below it.
LAYERS: list[tuple[str, ...]] = [
    (
        "lms.parsing",
        "lms.cache_generations",
        "lms.deletion",
        "lms.money",
        "lms.numbers",
        "lms.secret_box",
    ),
    ("lms.audit",),
    ("lms.accounts",),
    ("lms.competencies", "lms.organizations"),
    ("lms.records",),
    ("lms.endorsement", "lms.integrations"),
    ("courses",),
    ("centers", "commerce"),
    ("interop",),
    ("demo",),
]
# Modules that wire everything together.
WIRING = (
    "lms",
    "lms.settings",
    "lms.urls",
    "lms.celery",
    "lms.broker",
    "lms.wsgi",
    "lms.views",
)
MAX_LINES = 600
# Imports made inside a function that may close a loop, each with its reason.
LAZY_EDGES_ALLOWED = {
    # The catalog page's context is the catalog selector, which reads every training type.
    ("courses.models.pages", "courses.selectors.catalog"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).exists() else []:
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imported(module: str, node: ast.AST, is_package: bool) -> list[str]:
    """Our modules one import statement names (``from a import b`` may name module a.b)."""
    modules = _modules()
    names = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        # ``from a import b`` names module a.b when there is one, else a name in a.
        target = _resolve(module, node, is_package)
        names = [
            f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
            for alias in node.names
        ]
    ours = []
    for name in names:
        # The longest prefix that is one of our modules.
        parts = name.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        if parts:
            ours.append(".".join(parts))
    return ours


@cache
def _imports(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """(module-level imports, all imports) of one module, as our module names."""
    path = _modules()[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    top: set[str] = set()
    every: set[str] = set()

    def visit(node: ast.AST, at_top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found = set(_imported(module, child, is_package)) - {module}
                every.update(found)
                if at_top:
                    top.update(found)
            nested = at_top and not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            visit(child, nested)

    visit(tree, True)
    return frozenset(top), frozenset(every)


def _layer(module: str) -> int | None:
    best = None
    for rank, members in enumerate(LAYERS):
        for member in members:
            inside = module == member or module.startswith(member + ".")
            if inside and (best is None or len(member) > best[1]):
                best = (rank, len(member))
    return best[0] if best else None


def _is_wiring(module: str) -> bool:
    return module in WIRING or module.startswith("lms.settings.")


def upward_imports() -> list[str]:
    found = []
    for module in _modules():
        if _is_wiring(module):
            continue
        own = _layer(module)
        for target in sorted(_imports(module)[1]):
            if module.startswith("media_pipeline"):
                if not target.startswith("media_pipeline"):
                    found.append(f"{module} -> {target} (media_pipeline imports nothing of ours)")
                continue
            theirs = _layer(target)
            if _is_wiring(target) and target != "lms":
                found.append(f"{module} -> {target} (wiring modules are imported by no app)")
            elif own is not None and theirs is not None and theirs > own:
                found.append(f"{module} -> {target}")
    return found


def import_cycles(*, lazy: bool = False) -> list[list[str]]:
    """Strongly connected groups of files through module-level imports (Tarjan); with
    ``lazy``, through every import but the allowed lazy edges."""
    if lazy:
        graph = {
            module: sorted(
                target
                for target in _imports(module)[1]
                if (module, target) not in LAZY_EDGES_ALLOWED
            )
            for module in _modules()
        }
    else:
        graph = {module: sorted(_imports(module)[0]) for module in _modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        # Iterative, so a deep graph cannot reach Python's recursion limit.
        work = [(node, iter(graph[node]))]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == current:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in graph:
        if module not in index:
            connect(module)
    return groups


def long_modules() -> list[str]:
    found = []
    for path in _modules().values():
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            found.append(f"{path.relative_to(ROOT)}: {lines} lines")
    return found


def test_the_packages_are_found():
    modules = _modules()
    assert "lms.audit.models" in modules
    assert "courses.models.pages" in modules
    assert len(modules) > 100


def test_no_layer_imports_a_layer_above_it():
    assert upward_imports() == []


def test_no_import_cycle_between_files():
    assert import_cycles() == []


def test_no_import_cycle_through_imports_inside_functions():
    assert import_cycles(lazy=True) == []


def test_no_module_over_600_lines():
    assert long_modules() == []


def test_the_checks_can_fail(tmp_path, monkeypatch):
    """The reader finds an upward import, a cycle and a long module in a made-up tree."""
    for package in ("lms", "lms/audit", "lms/accounts"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "lms/audit/models.py").write_text("from lms.accounts import models\n")
    (tmp_path / "lms/accounts/models.py").write_text(
        "from . import services\n" + "x = 1\n" * MAX_LINES
    )
    (tmp_path / "lms/accounts/services.py").write_text(
        "from lms.accounts.models import x\n\ndef later():\n    from lms.audit import models\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    _modules.cache_clear()
    _imports.cache_clear()
    try:
        assert upward_imports() == ["lms.audit.models -> lms.accounts.models"]
        assert import_cycles() == [["lms.accounts.models", "lms.accounts.services"]]
        # The import inside ``later`` closes a wider loop through the audit model.
        assert import_cycles(lazy=True) == [
            ["lms.accounts.models", "lms.accounts.services", "lms.audit.models"]
        ]
        assert long_modules() == [f"lms/accounts/models.py: {MAX_LINES + 1} lines"]
    finally:
        _modules.cache_clear()
        _imports.cache_clear()
