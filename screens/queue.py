"""F4, "my queue": the agent's open cases and scheduled callbacks in one table, most at risk first.
What is overdue (a breached case, a late callback) stands out in red at the top, the way
VICIdial shows late callbacks; a case close to its deadline is amber. Enter opens a case, or
starts the callback's call with its case loaded. Paged: a queue of thousands opens as fast as
one of ten."""

from __future__ import annotations

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.stored import as_datetime
from agent_tui.domain.times import short_stamp, time_left
from agent_tui.store.queue import PAGE, QueueItem, my_queue
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.badges import damaged_part
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work


class QueuePage(msgspec.Struct, frozen=True):
    items: list[QueueItem]
    total: int
    offset: int


class QueueScreen(AgentScreen[None]):
    ACTION_IDS = ("next_page", "previous_page")
    HELP_KEY = "help.queue"
    CSS_PATH = "queue.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.page: QueuePage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose(id="queue-status")
        yield MeasuredTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one(DataTable)
        # The title, optional, last: the status must stay in sight at 80 columns.
        keys = ("due", "kind", "number", "customer", "status", "title")
        add_columns(table, [(key, t(f"queue.col_{key}")) for key in keys],
                    essential=keys[:-1])
        self.set_focus(table)
        self.load(0)

    def on_screen_resume(self) -> None:
        """Back from a case or a call: it may have changed meanwhile."""
        if self.page is not None:
            self.load(self.page.offset)

    def disclosure_changed(self, customer_id: str) -> None:
        if self.page is not None and any(item.customer_id == customer_id
                                         for item in self.page.items):
            self.show(self.page)

    def facts_changed(self, customer_id: str) -> None:
        """A case or callback of this customer changed (a callback made or tried): read again."""
        if self.page is not None and any(item.customer_id == customer_id
                                         for item in self.page.items):
            self.load(self.page.offset)

    @work(thread=True, exclusive=True, group="queue")
    def load(self, offset: int) -> None:
        app = self.agent_app
        agent_id, now = app.config.agent.id, app.now()

        def read(connection) -> QueuePage:
            items, total = my_queue(connection, agent_id, offset)
            return QueuePage(items, total, offset)

        self.use_store(read, self.show)
        # Stamped after the page is on screen (lateness is shown from the due time): a breach
        # stays on the case's record even once it is resolved.
        self.use_store(lambda connection: app.cases(connection).mark_breaches(now))

    def show(self, page: QueuePage) -> None:
        self.page = page
        app, t, now = self.agent_app, self.agent_app.t, self.agent_app.now()
        table = self.query_one(DataTable)
        with app.batch_update():
            table.clear()
            for item in page.items:
                due = as_datetime(item.due_at)  # None: a damaged row, shown marked
                late = item.overdue(now)
                # Rich styles: DataTable cells are Rich Text (screens.widgets.safe.cell).
                style = "bold red" if late else ("dim" if item.paused else "")
                if item.paused:
                    when = t("queue.paused")
                elif due is None:
                    when, style = damaged_part(t)
                elif late:
                    when = t("queue.overdue", late=time_left(now - due))
                else:
                    when = t("queue.left", left=time_left(due - now))
                shown = app.disclosure_for(item.customer_id)
                status = (t(f"case.status.{item.status}") if item.kind == "case"
                          else t("queue.callback_due", due=short_stamp(due))
                          if due is not None else damaged_part(t)[0])
                if item.attempts:
                    status += t("queue.attempts", count=item.attempts)
                table.add_row(
                    cell(when, style), cell(t(f"queue.kind_{item.kind}"), style),
                    cell(item.number), self._customer(shown.name(item.customer_name),
                                                      item.flagged), cell(status),
                    cell(item.title), key=f"{item.kind}:{item.id}")
            fit_columns(table)
        last = min(page.offset + len(page.items), page.total)
        self.query_one("#queue-status", Static).update(Content(
            t("queue.count", first=page.offset + 1 if page.items else 0, last=last,
              total=page.total) if page.total else t("queue.empty")))

    def _customer(self, name: str, flagged: bool):
        """The customer's name; a flagged customer (possible fraud) is marked where it is read."""
        if not flagged:
            return cell(name)
        return cell(f"\u26a0 {name}", "bold red")

    @on(DataTable.RowSelected, "#queue-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        kind, _, item_id = str(event.row_key.value).partition(":")
        item = next((item for item in self.page.items if item.id == item_id), None)
        if item is None:
            return
        if kind == "case":
            from screens.case import CaseScreen

            self.app.push_screen(CaseScreen(item.id))
        else:
            self.agent_app.start_callback(item)

    def action_next_page(self) -> None:
        if self.page and self.page.offset + PAGE < self.page.total:
            self.load(self.page.offset + PAGE)

    def action_previous_page(self) -> None:
        if self.page and self.page.offset > 0:
            self.load(max(0, self.page.offset - PAGE))
