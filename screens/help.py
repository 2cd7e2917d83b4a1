"""F1 help: what the screen in front of you is for, and every key that works there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from agent_tui.keymap import ACTIONS_BY_ID
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable, bindings_of

if TYPE_CHECKING:
    from screens.widgets.host import AgentHost


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [("escape,f1,f3,ctrl+g", "dismiss", "")]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        app: AgentHost = self.app  # type: ignore[assignment]
        t = app.t
        help_key = getattr(self.about, "HELP_KEY", "help.general")
        with VerticalScroll(id="help-panel"):
            yield Static(Content(t("help.title")), id="help-title")
            yield Static(Content(t(help_key)), id="help-text")
            table: DataTable[object] = MeasuredTable(id="help-keys", cursor_type="row")
            table.add_columns(t("help.col_key"), t("help.col_action"), t("help.col_id"))
            # Textual holds one binding per key; group them back by action id, in keymap order.
            # Only the workstation's own actions: a text box's editing keys are not help.
            keys_by_id: dict[str, list[str]] = {}
            tooltips: dict[str, str] = {}
            # The active bindings, plus the screen's own (a focused text box can shadow Enter).
            screen_bindings = bindings_of(self.about)
            active = [active.binding for active in self.about.active_bindings.values()]
            for binding in active + screen_bindings:
                if binding.id in ACTIONS_BY_ID and (
                    app.get_key_display(binding) not in keys_by_id.get(binding.id, [])
                ):
                    keys_by_id.setdefault(binding.id, []).append(app.get_key_display(binding))
                    tooltips[binding.id] = binding.tooltip
            for action_id in ACTIONS_BY_ID:
                if action_id in keys_by_id:
                    keys = " / ".join(keys_by_id[action_id])
                    table.add_row(cell(keys), cell(tooltips[action_id], width=None),
                                  cell(action_id))
            yield table
            yield Static(Content(t("help.remap")), id="help-remap")

    def action_dismiss(self) -> None:
        self.dismiss()
