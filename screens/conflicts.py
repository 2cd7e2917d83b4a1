"""shift+F5: the changes the hub refused or answered with a conflict, each with the hub's answer and
its current state, to redo on that state (F7) or drop (Delete), one by one and on purpose.

The hub's answer is a reason code (``agent_tui.sync.reasons``); it is shown translated, saying what
happened and what the agent can do (in full below the table, for the highlighted row). A code this
workstation does not know reads as a generic line, never as the bare code."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.stored import MARK
from agent_tui.domain.times import stamp
from agent_tui.sync.conflicts import CannotRedo, Conflict, drop, open_conflicts, redo
from agent_tui.sync.reasons import catalog_entry
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

WHY_WIDTH = 48  # cells: the table shows the start of the hub's answer; the line below, all


class ConflictsScreen(AgentScreen[None]):
    ACTION_IDS = ("conflict_redo", "conflict_drop")
    HELP_KEY = "conflicts.help"
    CSS_PATH = "conflicts.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[Conflict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose(id="conflicts-status")
        yield MeasuredTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        yield Prose(id="conflicts-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one(DataTable)
        # Why, optional, last (the line under the table says it whole for the selected one):
        # what the hub has now must stay in sight at 80 columns.
        keys = ("when", "what", "case", "now", "why")
        add_columns(table, [(key, t(f"conflicts.column_{key}")) for key in keys],
                    essential=keys[:-1])
        self.set_focus(table)
        self.load()

    @work(thread=True, exclusive=True, group="conflicts")
    def load(self) -> None:
        self.use_store(open_conflicts, self.show)

    def show(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        t = self.agent_app.t
        table = self.query_one(DataTable)
        with self.app.batch_update():
            table.clear()
            for conflict in conflicts:
                current = conflict.current or {}
                now = t(f"case.status.{current['status']}") if "status" in current else "-"
                if current.get("escalated_to"):
                    now += f" → {current['escalated_to']}"
                what = f"{MARK} {conflict.name}" if conflict.damaged else conflict.name
                table.add_row(
                    cell(stamp(conflict.created_at)), cell(what),
                    cell(str(current.get("number") or conflict.args.get("case_id") or "-")),
                    cell(now), _cut(cell(self.why(conflict)), WHY_WIDTH),
                    key=str(conflict.id))
            fit_columns(table)
        self.query_one("#conflicts-status", Static).update(Content(
            t("conflicts.title") if conflicts else t("conflicts.empty")))
        self._show_detail()

    def why(self, conflict: Conflict) -> str:
        """The hub's answer, translated: what it was and what happened, and what to do."""
        t = self.agent_app.t
        key, values = catalog_entry(conflict.reason)
        status = conflict.status if conflict.status in ("rejected", "conflict", "key_reuse") \
            else "rejected"
        return f"{t(f'conflicts.status.{status}')}: {t(key, **values)}"

    def _show_detail(self) -> None:
        conflict = self._selected()
        self.query_one("#conflicts-detail", Static).update(
            safe(self.why(conflict)) if conflict is not None else Content(""))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _selected(self) -> Conflict | None:
        table = self.query_one(DataTable)
        if not self.conflicts:
            return None
        return self.conflicts[min(max(table.cursor_row, 0), len(self.conflicts) - 1)]

    def action_redo(self) -> None:
        conflict = self._selected()
        if conflict is not None:
            self._settle(conflict, "redo")

    def action_drop(self) -> None:
        conflict = self._selected()
        if conflict is not None:
            self._settle(conflict, "drop")

    @work(thread=True, exclusive=True, group="conflicts-settle")
    def _settle(self, conflict: Conflict, how: str) -> None:
        app = self.agent_app

        def apply(connection) -> str:
            try:
                if how == "redo":
                    redo(connection, app.cases(connection), conflict.id, app.now())
                    return app.t("conflicts.redone")
                drop(connection, conflict.id, app.config.agent.id, app.now())
                return app.t("conflicts.dropped")
            except CannotRedo as refusal:
                reason = app.t(refusal.reason) \
                    if refusal.reason.startswith(("case.", "conflicts.")) else refusal.reason
                return app.t("conflicts.cannot_redo", reason=reason)

        self.use_store(apply, lambda message: self.notify(message))
        self.load()
        if app.hub_configured:  # a redone change goes to the hub now, not in ten seconds
            app.call_from_thread(app.action_sync_now)


def _cut(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis")
    return text
