"""F1 help: what the screen in front of you is for, and every key that works there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable

from agent_tui.domain.line_break import break_lines, width_of
from agent_tui.keymap import ACTIONS_BY_ID
from screens.widgets.columns import add_columns
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable, bindings_of

if TYPE_CHECKING:
    from screens.widgets.host import AgentHost


# The panel's width, as help.tcss sets it.
PANEL_SHARE, PANEL_MAX = 90, 100


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
            yield Prose(Content(t("help.title")), id="help-title")
            yield Prose(Content(t(help_key)), id="help-text")
            yield self._keys_table(app)
            yield Prose(Content(t("help.remap")), id="help-remap")

    def _keys_table(self, app: AgentHost) -> DataTable[object]:
        t = app.t
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
        rows = [(" / ".join(keys_by_id[action_id]), tooltips[action_id], action_id)
                for action_id in ACTIONS_BY_ID if action_id in keys_by_id]
        # What each key does wraps in its column (by the line-breaking rules); the action id
        # (what the config's [keymap] names) is shown only where every row then fits one line.
        key_width = max((width_of(keys) for keys, _, _ in rows), default=0)
        id_width = max((len(action_id) for _, _, action_id in rows), default=0)
        does_width = max((width_of(does) for _, does, _ in rows), default=0)
        # Less the table's own vertical scrollbar (2): with more rows than the panel shows (the
        # board, KPI, QA and knowledge-base keys made it so at 80x24) it takes its place.
        room = self._panel_room(app.size.width) - (key_width + 2) - 2 - 2
        with_ids = does_width <= room - (id_width + 2)
        table: DataTable[object] = MeasuredTable(id="help-keys", cursor_type="row")
        add_columns(table, [("key", t("help.col_key")), ("action", t("help.col_action"))]
                    + ([("id", t("help.col_id"))] if with_ids else []),
                    essential=("key", "action"))
        for keys, does, action_id in rows:
            lines = break_lines(does, max(room, 10))
            table.add_row(cell(keys), Text("\n").join(cell(line, width=None) for line in lines),
                          *([cell(action_id)] if with_ids else []), height=len(lines))
        return table

    @staticmethod
    def _panel_room(screen_width: int) -> int:
        """The cells inside the panel (help.tcss: 90% of the screen, at most 100, a border and
        a padding of one each side, and room for the scrollbar)."""
        return min(PANEL_MAX, screen_width * PANEL_SHARE // 100) - 2 - 2 - 2

    def action_dismiss(self) -> None:
        self.dismiss()
