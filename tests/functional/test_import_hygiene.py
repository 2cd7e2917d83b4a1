"""No import cycle anywhere in agent_tui and screens, counting TYPE_CHECKING imports or not; every
module of agent_tui in a layer of the import-linter contract; the screens never name the App."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent_tui", "screens")


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(
                        child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_cycle_finder_finds_a_cycle():
    """Not vacuous: a graph with a loop in it is caught, a straight line is not."""
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.z")
    assert cycles(graph) == []
    graph.add_import(importer="a.z", imported="a.x")
    assert cycles(graph) == [["a.x", "a.y", "a.z"]]


@pytest.mark.parametrize("type_checking", [False, True], ids=["runtime", "with-type-checking"])
def test_no_import_cycle_in_the_package(type_checking):
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=not type_checking,
                              cache_dir=None)
    assert cycles(graph) == []


def test_every_module_of_agent_tui_is_in_a_layer():
    """A new top-level module must be placed in the layers contract, or it is checked by none."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(contract["layers"] for contract in contracts
                  if contract["type"] == "layers" and not contract.get("containers"))
    declared = {name.strip() for layer in layers for name in re.split(r"[:|]", layer)}
    package = ROOT / "agent_tui"
    modules = {f"agent_tui.{path.stem}" for path in package.glob("*.py")
               if path.stem != "__init__"}
    modules |= {f"agent_tui.{path.parent.name}" for path in package.glob("*/__init__.py")}
    assert modules - declared == set()


def test_no_screen_names_the_app_class():
    """Not even under TYPE_CHECKING: screens see the App through screens.widgets.host."""
    named = [str(path.relative_to(ROOT)) for path in (ROOT / "screens").rglob("*.py")
             if re.search(r"^\s*(from agent_tui\.app\b|import agent_tui\.app\b)",
                          path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert named == []


def _members(protocol: type) -> set[str]:
    names: set[str] = set()
    for cls in protocol.__mro__:
        if cls.__module__.startswith(("agent_tui", "screens")):
            names |= {name for name in vars(cls) if not name.startswith("_")}
            names |= set(getattr(cls, "__annotations__", {}))
    return names


def test_the_app_offers_all_that_its_protocols_promise(tmp_path, make_app):
    """The screens and the controllers know the App only by these Protocols: nothing in them
    may go missing from the App (no type checker runs here, so this is the check)."""
    from agent_tui.app.host import AppHost
    from screens.widgets.host import AgentHost

    app = make_app(tmp_path / "store.db")
    promised = _members(AppHost)
    assert _members(AgentHost) <= promised and "save_call" in promised
    assert sorted(promised - set(dir(app))) == []  # dir: no property is run
