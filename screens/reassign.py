"""F7 on the team board: hand a case or a callback to another agent of the team. The list is the
team's roster as the board last read it; the change is queued for the hub (store/team.py) and
synced at once, and the hub has the last word (a supervisor of the item's team, on the version
shown)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_tui.sync.protocol import BoardItem
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import safe
from screens.widgets.workers import work


class ReassignScreen(AgentModal[bool]):
    HELP_KEY = "board.help"
    CSS_PATH = "reassign.tcss"

    def __init__(self, item: BoardItem, agents: list[tuple[str, str]]) -> None:
        super().__init__()
        self.item = item
        self.agents = agents

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        with Vertical(classes="dialog"):
            title = "board.reassign_callback_title" if self.item.kind == "callback" \
                else "board.reassign_title"
            yield Static(Content(t(title)), classes="dialog-title")
            yield Static(safe(self.item.label), classes="dialog-message")
            yield OptionList(*(Option(safe(f"{agent}  {name}" if name != agent else agent),
                                      id=agent) for agent, name in self.agents),
                             id="reassign-agents")
            yield Static(Content(t("board.reassign_none")) if not self.agents else "",
                         id="reassign-error", classes="dialog-error")
        yield KeyBar()

    @on(OptionList.OptionSelected, "#reassign-agents")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.save(str(event.option.id))

    @work(thread=True, group="board-reassign")
    def save(self, agent_id: str) -> None:
        app = self.agent_app
        done = self.use_store(lambda connection: app.team_desk.queue_reassignment(
            connection, self.item, agent_id))
        if done:
            app.call_from_thread(app.notify, app.t("board.reassigned", agent=agent_id))
            app.call_from_thread(self.dismiss, True)
