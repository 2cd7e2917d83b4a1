"""The App's keys as agents read them, and its command palette: Textual's own App hooks
(``get_key_display``, ``action_command_palette``, ``get_system_commands``), which only a subclass
can override — so a base class of the App, as ``TerminalGuard`` is, not a controller."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from agent_tui.app.training import training_commands
from agent_tui.keymap import DEFAULT_KEYMAP


class PaletteAndKeys(App[None]):
    def get_key_display(self, binding: Binding) -> str:
        """F-keys as agents know them from 3270 keyboards: F1, not f1 (shift+F4, not shift+f4)."""
        display = super().get_key_display(binding)
        shift, _, key = display.rpartition("shift+")
        if key[:1] == "f" and key[1:].isdigit():
            return f"{shift}{'shift+' if _ else ''}{key.upper()}"
        return {"pgup": "PgUp", "pgdn": "PgDn"}.get(display, display)

    def action_command_palette(self) -> None:
        """Textual's palette, with a placeholder in the agent's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            palette = CommandPalette(id="--command-palette",
                                     placeholder=self.t("palette.placeholder"))
            self.push_screen(palette)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every action of the keymap by name, then the theme, translated.

        Textual's own entries (keys panel, screenshot, maximise) are left out: their names are
        English only, and F1 help already lists every key."""
        for entry in DEFAULT_KEYMAP:
            if entry.id == "palette":
                continue
            if entry.app_level:
                callback = getattr(self, f"action_{entry.action}")
            elif hasattr(screen, f"action_{entry.action}"):
                callback = getattr(screen, f"action_{entry.action}")
            else:
                continue
            yield SystemCommand(self.t(entry.label_key), self.t(entry.help_key), callback)
        yield SystemCommand(self.t("palette.theme"), self.t("palette.theme_tip"),
                            self.action_change_theme)
        yield from training_commands(self)

    if TYPE_CHECKING:
        def t(self, key: str, /, **values: object) -> str: ...  # the catalog: AgentApp's
