"""Styles live in .tcss files beside their screens (DESIGN.md): no screen under screens/ keeps
inline CSS, each CSS_PATH names a file that is there, and no .tcss file is left unused. (A
widget's own DEFAULT_CSS, under screens/widgets/, stays with the widget.)"""

from __future__ import annotations

import inspect
from pathlib import Path

from tests.screen import screen_classes

SCREENS = Path(__file__).resolve().parents[2] / "screens"


def _css_paths(cls: type) -> list[str]:
    paths = cls.__dict__.get("CSS_PATH") or []
    return [paths] if isinstance(paths, str | Path) else list(paths)


def test_no_screen_keeps_inline_styles():
    classes = screen_classes()
    assert len(classes) >= 20  # every screen and dialog, not a vacuous pass
    inline = [cls.__name__ for cls in classes
              if cls.__dict__.get("DEFAULT_CSS") or cls.__dict__.get("CSS")]
    assert inline == []


def test_every_css_path_is_a_file_beside_its_screen_and_every_tcss_is_used():
    from agent_tui.app import AgentApp

    used = set()
    for cls in screen_classes():
        for name in _css_paths(cls):
            path = (SCREENS / name).resolve()
            assert path.is_file(), f"{cls.__name__}.CSS_PATH names {name}, which is not there"
            assert path.parent == SCREENS, f"{cls.__name__}'s styles are not beside it"
            used.add(path)
    app_file = Path(inspect.getfile(AgentApp)).parent
    used |= {(app_file / name).resolve() for name in _css_paths(AgentApp)}
    assert set(SCREENS.glob("*.tcss")) == used
