"""A one-line text box that never holds what a terminal would obey.

Typing cannot produce escape sequences, but pasting can, and a pasted value is drawn as it is.
Textual runs ``validate_value`` on every assignment to the ``value`` reactive (typed, pasted or
set by code), so the box itself is where the cleaning happens.
"""

from __future__ import annotations

from textual.widgets import Input

from agent_tui.domain.text import sanitize


class SafeInput(Input):
    def on_mount(self) -> None:
        # The app may turn blinking off (config ui.cursor_blink): over SSH every blink costs bytes.
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    def validate_value(self, value: str) -> str:
        return sanitize(value, limit=self.max_length or None)
