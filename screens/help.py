"""F1 help: what the screen in front of you is for, and every key that works there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from agent_tui.app import AgentApp


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,f1,f3,ctrl+g", "dismiss", "")]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        app: AgentApp = self.app  # type: ignore[assignment]
        t = app.t
        help_key = getattr(self.about, "HELP_KEY", "help.general")
        with VerticalScroll(id="help-panel"):
            yield Static(Content(t("help.title")), id="help-title")
            yield Static(Content(t(help_key)), id="help-text")
            table: DataTable[Content] = DataTable(id="help-keys", cursor_type="row")
            table.add_columns(t("help.col_key"), t("help.col_action"), t("help.col_id"))
            seen: set[str] = set()
            for _key, active in self.about.active_bindings.items():
                binding = active.binding
                if not binding.description or binding.id in seen:
                    continue
                seen.add(binding.id or binding.action)
                keys = app.get_key_display(binding)
                alternatives = [part.strip() for part in binding.key.split(",")][1:]
                if alternatives:
                    keys += " / " + " / ".join(alternatives)
                table.add_row(
                    Content(keys),
                    Content(binding.tooltip or binding.description),
                    Content(binding.id or ""),
                )
            yield table
            yield Static(Content(t("help.remap")), id="help-remap")

    def action_dismiss(self) -> None:
        self.dismiss()
