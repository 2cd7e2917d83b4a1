"""Customer 360: profile, segment and flags, risk, products, transactions, history, open cases.

Everything is masked to the tier this call's verification earned (masked until then). Lists show one
page at a time; PageDown / PageUp fetch the next or previous page in a thread worker, so a customer
with 10,000 transactions costs the same 50 rows on screen as one with 50.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from agent_tui.domain.masking import Disclosure
from agent_tui.domain.models import Customer, Customer360, Page, Transaction
from agent_tui.domain.risk import RiskSignal
from agent_tui.domain.times import short_stamp, stamp
from agent_tui.store.customers import PAGE_SIZE
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.customer_rows import (
    Row,
    account_rows,
    case_rows,
    history_rows,
    profile_lines,
    transaction_rows,
)
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.textual_private import MeasuredTable, css_state, mount_unseen
from screens.widgets.workers import work

# Each table's columns; the essential ones first, the optional ones (the long free text, what
# the row's own screen shows whole) after them.
_TABLES = {
    "accounts": ("kind", "product", "number", "status", "balance", "risk"),
    "transactions": ("flag", "at", "kind", "amount", "counterparty", "channel"),
    "history": ("at", "channel", "category", "outcome", "agent", "summary"),
    "cases": ("number", "category", "priority", "status", "due", "title"),
}
_OPTIONAL = {"product", "counterparty", "channel", "summary", "title"}
_FIRST_TAB = "accounts"  # built with the screen; the others just after its first frame
# The name the session's one 360 is installed under (kept when closed, reused: ``open_360``).
INSTALLED_AS = "customer-360"
T = TypeVar("T")


class Customer360Screen(AgentScreen[None]):
    CSS_PATH = "customer_360.tcss"
    ACTION_IDS = ("next_page", "previous_page", "new_case")
    HELP_KEY = "help.customer_360"

    def __init__(self, customer_id: str | None, view: Customer360 | None = None) -> None:
        """``view``: the customer read by the search, shown before the first frame; no
        ``customer_id``: built ahead, for the customers to come (``prepare_360``)."""
        super().__init__()
        self.customer_id = customer_id
        self.view: Customer360 | None = None
        self._read = view
        self.transactions: Page[Transaction] | None = None
        self._tabs_built = False  # the tables behind the first tab (built after the first frame)
        self._styled_for: tuple[object, ...] | None = None  # what it was styled for, closed

    @property
    def disclosure(self) -> Disclosure:
        return self.agent_app.disclosure_for(self.customer_id)

    def ready_for_keys(self) -> bool:
        """Keys typed while the 360 loads (a PgDn, ctrl+n) are for the customer once shown,
        transactions included (they are filled just after the first frame)."""
        return self.view is not None and self.transactions is not None

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        with Vertical(id="profile"):
            yield Prose(Content(t("c360.loading")), id="profile-name")
            yield Prose(id="profile-ids")
            yield Prose(id="profile-more")
        yield Prose(id="signals")
        with TabbedContent(id="tabs"):
            for name in _TABLES:
                with TabPane(t(f"c360.tab.{name}"), id=f"tab-{name}"):
                    if name == _FIRST_TAB:
                        yield self._table(name)
        yield KeyBar()

    def _table(self, name: str) -> DataTable[object]:
        t, columns = self.agent_app.t, _TABLES[name]
        table: DataTable[object] = MeasuredTable(id=f"table-{name}", cursor_type="row",
                                                 zebra_stripes=True)
        add_columns(table, [(column, t(f"c360.{name}.{column}")) for column in columns],
                    essential=set(columns) - _OPTIONAL)
        return table

    async def _fill_tabs_behind(self) -> None:
        """After the first frame, the tables behind the first tab are built and filled: built
        up front, they were a third of the time from Enter to the customer on screen."""
        try:
            for name in [name for name in _TABLES if name != _FIRST_TAB]:
                widgets = [Prose(id="transactions-page")] if name == "transactions" else []
                await self.query_one(f"#tab-{name}", TabPane).mount_all([*widgets, self._table(name)])
            self._tabs_built = True
            if self.view is not None:
                self._show_behind_tabs(self.view)
        except NoMatches:
            return  # the screen was closed while its tabs were built: nothing left to fill

    def on_mount(self) -> None:
        if self._read is not None:
            self._show(self._read)
        elif self.customer_id is not None:
            self.load()
        else:  # built ahead (``prepare_360``), closed: styled as it will be shown
            self._styled_for = css_state(self.app)
        self.call_after_refresh(self._fill_tabs_behind)
        if self.customer_id is not None and self.agent_app.hub_configured:
            self.refresh_from_hub()

    def customer_in_view(self) -> Customer | None:
        return self.view.customer if self.view is not None else None

    # -- one 360 for every customer: built once, filled for each --------------------------------

    def show_customer(self, customer_id: str | None, view: Customer360 | None = None) -> None:
        """This 360, built for an earlier customer, now for ``customer_id``: no compose, no CSS,
        its widgets filled as a new 360's would be (``view``: read by the search). Nothing of
        the customer before is left, and what their workers bring back is dropped."""
        self._forget()
        self.customer_id = customer_id
        self._show(view) if view is not None else self.load()
        if self.agent_app.hub_configured:
            self.refresh_from_hub()

    def on_screen_suspend(self) -> None:
        """Closed (not merely under a call or a form): nothing of the customer is kept on it."""
        if self not in self.app.screen_stack:
            self._forget()
            self._styled_for = css_state(self.app)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual restyles every widget of a screen brought back to the front (after this
        handler): for a reused 360 that was a third of its time to the screen, and is needed only
        if the app's CSS, classes or size changed while it was closed."""
        if self._styled_for is not None and self._styled_for == css_state(self.app):
            event.refresh_styles = False
        self._styled_for = None

    def _forget(self) -> None:
        """Every line and table emptied, the first tab in front, the workers stopped."""
        self.workers.cancel_node(self)
        self.view = self._read = self.transactions = None
        t = self.agent_app.t
        self.query_one("#profile-name", Static).update(Content(t("c360.loading")))
        for line in ("#profile-ids", "#profile-more", "#signals"):
            self.query_one(line, Static).update("")
        self.query_one("#signals").display = False
        tabs = self.query_one(TabbedContent)
        tabs.active = f"tab-{_FIRST_TAB}"
        for table in self.query(DataTable):
            table.clear()
        if self._tabs_built:
            self.query_one("#transactions-page", Static).update("")
            tabs.get_tab("tab-cases").label = Content(t("c360.tab.cases"))

    def _for(self, customer_id: str | None, show: Callable[[T], None]) -> Callable[[T], None]:
        """``show``, when what a worker read for ``customer_id`` lands: dropped if the 360 has
        moved on to another customer meanwhile."""
        return lambda result: show(result) if customer_id == self.customer_id else None

    @work(thread=True, exclusive=True, group="c360")
    def load(self, again: bool = False) -> None:
        """Read the customer; ``again``: the 360 is on screen and its facts changed, so it is
        redrawn where the agent is (the tab, the page, the row), not opened afresh."""
        now, customer_id = self.agent_app.now(), self.customer_id
        self.read_store(lambda customers: customers.customer_360(customer_id, now),
                        self._for(customer_id, self._show_again if again else self._show))

    # -- what the app tells every screen --------------------------------------------------------

    def disclosure_changed(self, customer_id: str) -> None:
        """Verified, or masked again when the call ended: every masked field redrawn at once."""
        if customer_id != self.customer_id or self.view is None:
            return
        view = self.disclosure.unveil(self.view)  # what the call released, if anything
        with self.app.batch_update():
            self._show_profile(view)
            self._show_accounts(view)
            if self.transactions is not None:
                self._show_transactions(self.transactions)

    def facts_changed(self, customer_id: str) -> None:
        """A case opened or closed, a call ended: the open cases and the history read again."""
        if customer_id == self.customer_id and self.view is not None:
            self.load(again=True)

    def _show_again(self, view: Customer360 | None) -> None:
        if view is None:
            return
        self.view = view
        view = self.disclosure.unveil(view)
        with self.app.batch_update():
            self._show_profile(view)
            self._show_signals(view.signals, view.flags)
            self._show_accounts(view)
            if self._tabs_built:  # otherwise they are filled with this view once built
                self._show_history(view)
                self._show_cases(view)

    @work(thread=True, exclusive=True, group="c360-hub")
    def refresh_from_hub(self) -> None:
        """The workstation's copy is shown at once; the hub's record is fetched beside it and
        cached (a customer opened once is there offline), and shown if it differs."""
        app = self.agent_app

        def reload_if_changed(changed: bool) -> None:
            if changed:
                self.load()

        customer_id = self.customer_id
        self.use_store(lambda connection: app.fetch_from_hub(connection, customer_id),
                       self._for(customer_id, reload_if_changed))

    def _show(self, view: Customer360 | None) -> None:
        if view is None:
            self.notify(self.agent_app.t("c360.not_found"), severity="error")
            self.dismiss()
            return
        self.view = read = view
        view = self.disclosure.unveil(view)  # what this call's verification released, if any
        self._show_profile(view)
        self._show_signals(view.signals, view.flags)
        self._show_accounts(view)
        # set_focus, not focus(): focus() lands a turn later and, landing in the accounts
        # pane, switched the tabs back under a PgDn the agent had already typed.
        self.set_focus(self.query_one("#table-accounts", DataTable))
        if self._tabs_built:  # else ``_fill_tabs_behind`` fills them, after the first frame
            self.call_after_refresh(self._show_behind_tabs, read)

    def _show_behind_tabs(self, view: Customer360) -> None:
        if self.view is view:  # else read again meanwhile: what was read last is shown
            view = self.disclosure.unveil(view)
            self._show_transactions(view.transactions)
            self._show_history(view)
            self._show_cases(view)

    def _show_profile(self, view: Customer360) -> None:
        lines = profile_lines(view.customer, self.disclosure, self.agent_app.t,
                              self.agent_app.now().date())
        for line_id, line in zip(("#profile-name", "#profile-ids", "#profile-more"), lines):
            self.query_one(line_id, Static).update(line)

    def _show_signals(self, signals: tuple[RiskSignal, ...],
                      flags: tuple[tuple[str, str, int], ...] = ()) -> None:
        banner = self.query_one("#signals", Static)
        t = self.agent_app.t
        if not signals and not flags:
            banner.display = False
            return
        # By what the agent reads: kinds this workstation does not know read alike, and are
        # one line too (newest first, as the store gives them).
        by_label: dict[str, tuple[str, int]] = {}
        for flag, at, count in flags:
            label = t(f"flag.{flag}")
            latest, seen = by_label.get(label, (at, 0))
            by_label[label] = (max(latest, at), seen + count)
        parts = [t("c360.flag" if count == 1 else "c360.flags", flag=label,
                   at=stamp(at), count=count)
                 for label, (at, count) in by_label.items()]
        parts += [
            t(
                f"risk.{signal.kind.value}",
                count=signal.count,
                first=short_stamp(signal.first_at),
                last=short_stamp(signal.last_at),
            )
            for signal in signals
        ]
        banner.update(Content("\u26a0 " + "   \u26a0 ".join(parts)))
        banner.display = True

    def _fill(self, name: str, rows: Iterable[Row], keep_row: bool = True) -> None:
        """Table ``name`` drawn with ``rows``; ``keep_row``: redrawn where the agent was."""
        table = self.query_one(f"#table-{name}", DataTable)
        cursor = table.cursor_row if keep_row else 0
        table.clear()
        for cells, key in rows:
            table.add_row(*cells, key=key)
        fit_columns(table)
        if 0 < cursor < table.row_count:  # a redraw is not a reason to lose the place
            table.move_cursor(row=cursor, animate=False)

    def _show_accounts(self, view: Customer360) -> None:
        app = self.agent_app
        self._fill("accounts", account_rows(view, self.disclosure, app.t, app.language))

    def _show_transactions(self, page: Page[Transaction]) -> None:
        t, shown = self.agent_app.t, self.disclosure
        flagged = self.view.flagged_transaction_ids if self.view else frozenset()
        redrawn = page is self.transactions  # the same page again: the same row
        self.transactions = page
        page = shown.unveil(page)
        self._fill("transactions", transaction_rows(page, flagged, shown, t), keep_row=redrawn)
        first = page.offset + 1 if page.rows else 0
        self.query_one("#transactions-page", Static).update(
            Content(t("c360.page", first=first, last=page.offset + len(page.rows), total=page.total))
        )

    def _show_history(self, view: Customer360) -> None:
        self._fill("history", history_rows(view, self.agent_app.t, self.agent_app.catalog.messages))

    def _show_cases(self, view: Customer360) -> None:
        t = self.agent_app.t
        self._fill("cases", case_rows(view, t))
        self.query_one(TabbedContent).get_tab("tab-cases").label = Content(
            t("c360.tab.cases_count", count=len(view.open_cases))
        )

    def action_new_case(self) -> None:
        """F11: a case for this customer (a contact from another channel, or the call's)."""
        if self.view is not None:
            self.agent_app.open_case_form(self.view.customer)

    # -- paging ------------------------------------------------------------------------------

    def action_next_page(self) -> None:
        if self.transactions and self.transactions.has_next:
            self._activate_transactions()
            self.load_transactions(self.transactions.offset + PAGE_SIZE)

    def action_previous_page(self) -> None:
        if self.transactions and self.transactions.has_previous:
            self._activate_transactions()
            self.load_transactions(max(0, self.transactions.offset - PAGE_SIZE))

    def _activate_transactions(self) -> None:
        self.query_one(TabbedContent).active = "tab-transactions"

    @work(thread=True, exclusive=True, group="c360-page")
    def load_transactions(self, offset: int) -> None:
        customer_id = self.customer_id
        self.read_store(
            lambda customers: customers.transactions(customer_id, offset=offset),
            self._for(customer_id, self._show_transactions),
        )


def open_360(app: App, customer_id: str, view: Customer360 | None = None) -> None:
    """Push the 360 of ``customer_id`` (``view``: already read). The session keeps one 360,
    installed: opening it again fills the widgets it has (compose, CSS matching and mounting
    were two thirds of the time from Enter to the 360 on screen). A 360 still in the stack
    (under a call, a form), or one still being built, is not taken: a new one is pushed."""
    kept = app.get_screen(INSTALLED_AS) if app.is_screen_installed(INSTALLED_AS) else None
    if isinstance(kept, Customer360Screen) and kept.is_mounted and kept not in app.screen_stack:
        kept.show_customer(customer_id, view)
        app.push_screen(kept)
        return
    screen = Customer360Screen(customer_id, view)
    if kept is None:
        app.install_screen(screen, INSTALLED_AS)
    app.push_screen(screen)


def prepare_360(app: App) -> None:
    """The session's 360 built before its first customer, while the agent reads the search: the
    first open is then as fast as every later one (building it was 150-250 ms of it)."""
    if not app.is_screen_installed(INSTALLED_AS):
        screen = Customer360Screen(None)
        app.install_screen(screen, INSTALLED_AS)
        mount_unseen(app, screen)
