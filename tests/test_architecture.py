"""The house's rules, checked from the code's own imports.

Data flows one way: the data layer, shared methods and domain rules know
nothing of any playbook, of the run layer or of the sample generator; a
playbook knows nothing of another playbook or of the run layer; no import
cycles; no module so long that it holds several sub-domains.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "smkit"
MAX_LINES = 600
# Below the playbooks: everything a playbook may build on.
FOUNDATION = ("smkit.data", "smkit.methods", "smkit.rules", "smkit.params", "smkit.paths", "smkit.viz", "smkit.requirements")
# Above them: the runner and the notebook's own side of a run (setup, save_summary), and the sample generator.
ABOVE = ("smkit.run", "smkit.playbook", "smkit.sample")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """The smkit modules ``path`` imports, wherever in the file (a function-level
    import is still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test) for n in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:  # annotations only: no dependency when the code runs
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("smkit")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            if base.startswith("smkit"):
                submodules = {f"{base}.{a.name}" for a in node.names} & modules
                # ``from smkit import paths`` depends on smkit.paths, not on smkit's own __init__
                found |= submodules if submodules else {base}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(path, name, set(modules)) if m in modules and m != name} for name, path in modules.items()}


def _under(name: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _playbook_of(name: str) -> str | None:
    parts = name.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 and parts[1] == "playbooks" else None


def test_the_import_graph_is_read():
    graph = _graph()
    assert "smkit.data.store" in graph and "smkit.run.runner" in graph
    assert "smkit.data.store" in graph["smkit.data.ingest"]  # the reader sees real edges


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    # A package's __init__ re-exporting its own modules is not a cycle of layers.
    real = [c for c in cycles if not any(_under(c[i + 1], c[i]) or _under(c[i], c[i + 1]) for i in range(len(c) - 1))]
    assert not real, real


def test_nothing_below_the_playbooks_imports_a_playbook_the_runner_or_the_sample():
    bad = [(name, dep) for name, deps in _graph().items() if _under(name, FOUNDATION) for dep in deps if _under(dep, ("smkit.playbooks", *ABOVE))]
    assert not bad, bad


def test_a_playbook_imports_no_other_playbook_and_nothing_above_it():
    bad = []
    for name, deps in _graph().items():
        own = _playbook_of(name)
        if own is None:
            continue
        for dep in deps:
            other = _playbook_of(dep)
            if _under(dep, ABOVE) or (other and other != own):
                bad.append((name, dep))
    assert not bad, bad


def test_the_data_layer_knows_nothing_of_analysis():
    bad = [(n, d) for n, deps in _graph().items() if _under(n, "smkit.data") for d in deps if not _under(d, ("smkit.data", "smkit.paths", "smkit.params"))]
    assert not bad, bad


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_holds_several_sub_domains(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by sub-domain"
