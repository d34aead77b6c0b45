"""The house's shape: no import cycle between any two modules of ``seating``.

The direction of the layers (faces -> application -> core) is import-linter's contract in
pyproject.toml, run by ``make lint``; this test finds cycles inside a layer as well, which a
layers contract does not see (e.g. two modules of the season planner importing each other).
Every import counts, also one inside a function: a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import seating

PACKAGE = Path(seating.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> Iterator[str]:
    """The ``seating`` modules that ``path`` imports (a name imported from a package counts as
    the submodule when it is one, else as the package itself)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in modules]
            targets = targets or [source]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph() -> dict[str, set[str]]:
    """Module -> the ``seating`` modules it imports, from the source files."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: set(_imports(path, set(files))) for name, path in files.items()}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    # solve imports the season planner inside a function, only for seasons.
    assert "seating.season.planner" in graph["seating.solve"]
    assert "seating.compile.problem" in graph["seating.compile.plans"]


def test_no_module_imports_itself_back():
    graph = {name: deps for name, deps in import_graph().items() if name != "seating"}
    # The root package re-exports the public API; no module of seating imports it.
    importers = sorted(name for name, deps in graph.items() if "seating" in deps)
    assert importers == []
    assert cycles(graph) == []
