"""The key bar: one line at the bottom with the keys of the screen in front, as Footer shows them.

Textual's Footer makes a widget per key and rebuilds them on every focus change; in 8.2.8 each
rebuild leaves its keys bound to the footer (``data_bind(compact=...)`` watchers are never
removed), so a session grew by about 0.6 MB per call. This bar is one widget drawing one line of
Content: nothing to leak, and fewer bytes per change for agents on thin links.

On a narrow terminal (80 columns) not every key fits: the bar keeps the essential ones, in this
order (``PRIORITY``): F1 help and F10 commands (the way to every other key), then the screen's own
keys, then back, search, queue, call, quit; the rest stay in help and the palette. A key is
dropped whole, never cut mid-word, and the kept ones stay in their usual order.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from screens.widgets.textual_private import bindings_of

# Keymap ids of the app-wide keys, most essential first; the screen's own keys come after the
# first two (help, and the palette that reaches every other action).
PRIORITY = ("help", "palette", "", "back", "search", "queue", "new_call", "quit", "save")
SEPARATOR = "  "


def _rank(binding_id: str | None, own: bool) -> int:
    if own:
        return PRIORITY.index("")
    return PRIORITY.index(binding_id) if binding_id in PRIORITY else len(PRIORITY)


def fitting(parts: list[tuple[int, Content]], width: int) -> list[Content]:
    """The parts (rank, text) that fit in ``width`` cells, the lowest ranks kept first, in the
    order they were given."""
    kept: set[int] = set()
    used = 0
    for index in sorted(range(len(parts)), key=lambda index: parts[index][0]):
        size = parts[index][1].cell_length + (len(SEPARATOR) if kept else 0)
        if used + size <= width:
            kept.add(index)
            used += size
    return [text for index, (_rank_, text) in enumerate(parts) if index in kept]


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Content:
        parts: list[tuple[int, Content]] = []
        shown_actions: set[str] = set()
        # Bindings come one per key, the keymap's first key (the F-key) first: show that one.
        bindings = [(active.binding, active.enabled, active.node is not self.app)
                    for active in self.screen.active_bindings.values()]
        if self.screen.is_modal:
            # A dialog's active bindings stop at the dialog, but the app's priority keys (F1
            # help, F3 back) still work over it: show them too.
            bindings += [(binding, True, False) for binding in bindings_of(self.app)
                         if binding.priority and self.app.check_action(binding.action, ())]
        # The F-key of each action first: which binding of an action comes first in the map
        # changes with the focused widget, and the bar should not.
        # A shifted F-key counts as one (listed before the F-key above F12 a terminal sends).
        bindings.sort(key=lambda pair: not pair[0].key.startswith(("f", "shift+f")))
        for binding, enabled, own in bindings:
            if not binding.show or not binding.description or binding.action in shown_actions:
                continue
            shown_actions.add(binding.action)
            key = Content(self.app.get_key_display(binding)).stylize("bold $footer-key-foreground")
            label = Content(binding.description)
            parts.append((_rank(binding.id, own), Content.assemble(
                key, " ", label if enabled else label.stylize("dim"))))
        return Content(SEPARATOR).join(fitting(parts, self.size.width or 10_000))
