"""ctrl+b, the team board (a supervisor's token): the team now, read from the hub every
``REFRESH`` seconds. Each agent's state and how long they have been in their call against the
AHT target (red past it); the team's open cases and callbacks, most at risk first (amber at 80 %
of their time, red breached); how many changes the hub refused them today. Enter opens a case;
F7 hands the highlighted case or callback to another agent of the team.

Polling, not server-sent events: the board is one small read a few seconds apart for a handful
of leads, through the session's one HTTP client (kept alive), and the hub keeps no connection
open per lead. Each reading runs in a thread worker (the client is synchronous, like sync's);
one at a time (exclusive): a slow hub never stacks readings up."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.times import call_timer, short_stamp, time_left
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from agent_tui.sync.protocol import BoardItem, TeamBoard
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

REFRESH = 3.0  # seconds between readings: the board is never more than 5 s behind the hub
_RISK_STYLES = {"breached": "bold red", "warn": "bold yellow", "paused": "dim", "ok": ""}
_RISK_ORDER = {"breached": 0, "warn": 1, "ok": 2, "paused": 3}


class TeamBoardScreen(AgentScreen[None]):
    ACTION_IDS = ("case_action",)
    HELP_KEY = "board.help"
    CSS_PATH = "team_board.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.board: TeamBoard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="board-status")
        yield MeasuredTable(id="board-agents", cursor_type="none", zebra_stripes=True)
        yield MeasuredTable(id="board-items", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        agents, items = self.query_one("#board-agents", DataTable), self.query_one(
            "#board-items", DataTable)
        # The counts may go off the edge at 80 columns; who and what they are doing may not.
        add_columns(agents, [(key, t(f"board.col_{key}")) for key in
                             ("agent", "state", "time", "cases", "callbacks")],
                    essential=("agent", "state", "time"))
        # The label is the long free text: the one narrowed when room is short.
        add_columns(items, [(key, t(f"board.col_{key}")) for key in
                            ("due", "kind", "agent", "what")],
                    essential=("due", "kind", "agent"))
        self.set_focus(items)
        if not self.agent_app.hub_configured:
            self.say("board.no_hub")
            return
        self.query_one("#board-status", Static).update(Content(t("board.loading")))
        self.load()
        self.set_interval(REFRESH, self.load)

    @work(thread=True, exclusive=True, group="team-board")
    def load(self) -> None:
        app = self.agent_app
        try:
            board = app.team_desk.board()
        except HubRefused as refused:
            key = "board.not_lead" if refused.code == "supervisors_only" else "board.refused"
            app.call_from_thread(self.say, key)
            return
        except HubUnreachable:
            app.call_from_thread(self.say, "board.unreachable")
            return
        if board is not None:
            app.call_from_thread(self.show, board)

    def say(self, key: str) -> None:
        """Why there is no fresh reading; the last one stays on screen, marked as old."""
        t = self.agent_app.t
        text = t(key)
        if self.board is not None:
            text += " " + t("board.as_of", time=short_stamp(self.board.at))
        self.query_one("#board-status", Static).update(Content(text).stylize("$warning"))

    def show(self, board: TeamBoard) -> None:
        self.board = board
        app, t = self.agent_app, self.agent_app.t
        now = datetime.fromisoformat(board.at)
        target = app.library.kpi_target("aht_seconds") if app.library else None
        limit = timedelta(seconds=target.value) if target else None
        agents = self.query_one("#board-agents", DataTable)
        items = self.query_one("#board-items", DataTable)
        with app.batch_update():
            agents.clear()
            for agent in board.agents:
                agents.add_row(cell(agent.name), cell(t(f"board.state_{agent.state}")),
                               self._time(agent.state, agent.since, agent.last_seen, now, limit),
                               cell(str(agent.open_cases)), cell(str(agent.open_callbacks)),
                               key=agent.agent_id)
            items.clear()
            for item in sorted(board.items, key=lambda one: (_RISK_ORDER[one.risk],
                                                               one.due_at)):
                style = _RISK_STYLES[item.risk]
                items.add_row(cell(self._due(item, now), style),
                              cell(t(f"board.kind_{item.kind}"), style), cell(item.agent_id),
                              cell(item.label), key=f"{item.kind}:{item.id}")
            fit_columns(agents)
            fit_columns(items)
        status = t("board.status", team=board.name, lead=board.lead or "-",
                   time=short_stamp(board.at), refused=len(board.refusals))
        self.query_one("#board-status", Static).update(Content(status))

    def _time(self, state: str, since: str | None, seen: str | None, now: datetime,
              limit: timedelta | None):
        """In a call: its length against the AHT target (red past it); offline: last seen."""
        if since:
            elapsed = now - datetime.fromisoformat(since)
            over = limit is not None and elapsed > limit
            shown = call_timer(elapsed) + (f" / {call_timer(limit)}" if limit else "")
            return cell(shown, "bold red" if over else "")
        if state == "offline":
            return cell(short_stamp(seen) if seen else self.agent_app.t("board.never_seen"),
                        "dim")
        return cell("")

    def _due(self, item: BoardItem, now: datetime) -> str:
        t = self.agent_app.t
        due = datetime.fromisoformat(item.due_at)
        if due <= now:
            return t("queue.overdue", late=time_left(now - due))
        return t("queue.left", left=time_left(due - now))

    def highlighted(self) -> BoardItem | None:
        table = self.query_one("#board-items", DataTable)
        if self.board is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        kind, _, item_id = str(key).partition(":")
        return next((item for item in self.board.items
                     if item.kind == kind and item.id == item_id), None)

    @on(DataTable.RowSelected, "#board-items")
    def _open(self, _event: DataTable.RowSelected) -> None:
        item = self.highlighted()
        if item is not None and item.kind == "case":
            from screens.case import CaseScreen

            self.app.push_screen(CaseScreen(item.id))

    def action_case_action(self) -> None:
        """F7: hand the highlighted case or callback to another agent of the team."""
        item = self.highlighted()
        if item is None or self.board is None:
            return
        from screens.reassign import ReassignScreen

        others = [(agent.agent_id, agent.name) for agent in self.board.agents
                  if agent.agent_id != item.agent_id]
        self.app.push_screen(ReassignScreen(item, others), self._reassigned)

    def _reassigned(self, moved: bool | None) -> None:
        if moved:
            self.agent_app.team_desk.reassigned()
