"""Customer search: one input that understands phone, ID, card/account, name or pinyin.

Results appear as the agent types. Each keystroke starts an exclusive thread worker; an answer that
arrives for text no longer in the box is dropped, so type-ahead is never lost or overwritten.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Static

from agent_tui.domain.models import Customer360, SearchHit
from agent_tui.domain.query import QueryKind, parse_query
from agent_tui.store import QueryError
from agent_tui.store.customers import SEARCH_LIMIT
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.badges import customer_badges, risk_badge
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell
from screens.widgets.safe_input import SafeInput
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

# Down from the box is a priority binding, resolved before the next key is delivered: with
# "↓ ↓ Enter" in one burst, the second ↓ must reach the list, not the box being left.
TO_RESULTS = Binding("down", "to_results", show=False, priority=True)


class SearchScreen(AgentScreen[None]):
    ACTION_IDS = ("open",)
    EXTRA_BINDINGS = (TO_RESULTS,)
    HELP_KEY = "help.search"

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[SearchHit] = []
        self._hits_for = ""  # the box's text the results shown are for
        # Enter came before the results of what was typed: open when they come (type-ahead).
        self._open_pending = False
        self._opening = False  # a 360 being read, to be pushed: keys wait for it
        self._shown_status = ""
        self._shown_rows: list[tuple[str, object]] = []

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        yield SafeInput(placeholder=t("search.placeholder"), id="query", max_length=64)
        self._shown_status = t("search.hint")
        yield Prose(Content(self._shown_status), id="search-status")
        table: DataTable[object] = MeasuredTable(id="results", cursor_type="row", zebra_stripes=True)
        add_columns(table, [(key, t(f"search.col_{key}")) for key in
                            ("name", "mobile", "id", "segment", "risk", "card")],
                    essential=("name", "mobile", "id", "segment", "risk"))
        yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.focus_query()

    def store_ready(self) -> None:
        """The store has opened (or been seeded): search again for whatever is in the box."""
        query = self.query_one("#query", Input)
        if query.value:
            self.run_search(query.value)
        self.focus_query()

    def focus_query(self) -> None:
        # Immediate (set_focus, not focus()): after F2 the agent types straight on.
        self.set_focus(self.query_one("#query", Input))

    def prefill(self, text: str) -> None:
        """A ringing caller's number (issue 18): searched as if the agent had typed it, the
        cursor after it so the agent can type on."""
        query = self.query_one("#query", Input)
        query.value = text
        query.cursor_position = len(text)
        self.focus_query()

    def clear_or_stay(self) -> None:
        self.query_one("#query", Input).value = ""
        self.focus_query()

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str) -> None:
        query = parse_query(text)

        def show(hits: list[SearchHit]) -> None:
            self._show_results(text, query.kind, hits)

        if query.kind in (QueryKind.EMPTY, QueryKind.UNRECOGNISED):
            self.app.call_from_thread(show, [])  # nothing to look up: say what to type
            return
        search = lambda customers: customers.search(query, SEARCH_LIMIT + 1)  # noqa: E731
        self.read_store(search, show)
        app = self.agent_app
        if app.hub_configured:
            # Online, the hub is asked too and what it finds is cached (found again offline);
            # the list is then read again from the workstation's copy.
            store = app.wait_for_store()
            try:
                found = app.search_hub(store.connection(), text) if store is not None else None
            except QueryError as error:
                self.report_store_failure(error)
                return

            def show_again(hits: list[SearchHit]) -> None:
                held = {hit.customer_id for hit in hits}
                merged = hits + [hit for hit in found or () if hit.customer_id not in held]
                self._show_results(text, query.kind, merged,
                                   "" if found is not None else app.t("sync.offline_search"))

            self.read_store(search, show_again)

    def _show_results(self, text: str, kind: QueryKind, hits: list[SearchHit],
                      note: str = "") -> None:
        if text != self.query_one("#query", Input).value:
            return  # the agent has typed on; a newer search is already running
        t = self.agent_app.t
        more = len(hits) > SEARCH_LIMIT
        if more and kind is QueryKind.LAST4_ONLY:
            # More cards end in these four digits than a list holds (hundreds, in a large
            # store): the first of them are nobody in particular, and drawing them is 5-8 KB
            # down an SSH line on the fourth digit of every mobile typed. Say so instead.
            hits = []
        self._hits = hits[:SEARCH_LIMIT]
        self._hits_for = text
        status = self._status(kind, more, t) + (f"  {note}" if note else "")
        if status != self._shown_status:  # each repaint is bytes down an agent's SSH link
            self._shown_status = status
            self.query_one("#search-status", Static).update(Content(status))
        self._show_rows()
        if self._open_pending:
            self._open_pending = False
            self.action_open()

    def ready_for_keys(self) -> bool:
        """The keys typed after an early Enter are for the 360 it opens: they wait for it."""
        return not (self._open_pending or self._opening)

    def disclosure_changed(self, customer_id: str) -> None:
        """A customer in the list verified, or masked again: the list redrawn at once, so F3
        back to it never shows what the call no longer allows."""
        if any(hit.customer_id == customer_id for hit in self._hits):
            self._show_rows()

    def _show_rows(self) -> None:
        t = self.agent_app.t
        rows = [(hit.customer_id, self.agent_app.disclosure_for(hit.customer_id).tier)
                for hit in self._hits]
        if rows == self._shown_rows:
            return  # the same customers, shown the same way (often: none yet): leave the table
        same_customers = [row[0] for row in rows] == [row[0] for row in self._shown_rows]
        self._shown_rows = rows
        table = self.query_one("#results", DataTable)
        cursor = table.cursor_row if same_customers else 0
        table.clear()
        for hit in self._hits:
            disclosure = self.agent_app.disclosure_for(hit.customer_id)
            hit = disclosure.unveil(hit)
            table.add_row(
                cell(disclosure.name(hit.name)),
                cell(disclosure.mobile(hit.mobile)),
                cell(disclosure.resident_id(hit.id_number)),
                customer_badges(hit.segment, hit.is_elderly, hit.is_disabled, t),
                risk_badge(hit.risk_level),
                cell(disclosure.card(hit.matched_card)),
                key=hit.customer_id,
            )
        fit_columns(table)
        if 0 < cursor < table.row_count:  # redrawn masked or unmasked: the same row
            table.move_cursor(row=cursor, animate=False)

    def _status(self, kind: QueryKind, more: bool, t) -> str:
        if kind is QueryKind.EMPTY:
            return t("search.hint")
        if kind is QueryKind.UNRECOGNISED:
            return t("search.unrecognised")
        understood = t(f"search.kind.{kind.value}")
        if more and kind is QueryKind.LAST4_ONLY:
            return t("search_last4.too_many", count=SEARCH_LIMIT)
        if not self._hits:
            return t("search.no_match", kind=understood)
        if more:
            return t("search.more", count=SEARCH_LIMIT, kind=understood)
        if kind is QueryKind.LAST4_ONLY:
            return t("search.last4_hint", count=len(self._hits))
        return t("search.found", count=len(self._hits), kind=understood)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        if self.query_one("#query", Input).value != self._hits_for:
            self._open_pending = True  # typed ahead of the results: open them when they come
            return
        self.action_open()

    @on(DataTable.RowSelected, "#results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_customer(str(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":  # only from the box, and only when there is a list to enter
            return bool(self._hits) and self.focused is self.query_one("#query", Input)
        return True

    def action_to_results(self) -> None:
        """Down from the box moves into the results, as in every search list agents know."""
        # set_focus is immediate; Widget.focus() would wait for the next turn of the loop,
        # after the burst's next key had already gone to the box.
        self.set_focus(self.query_one("#results", DataTable))

    def action_open(self) -> None:
        table = self.query_one("#results", DataTable)
        if not self._hits:
            return
        row = min(max(table.cursor_row, 0), len(self._hits) - 1)
        self.open_customer(self._hits[row].customer_id)

    def open_customer(self, customer_id: str) -> None:
        """The 360 is read first and pushed with its customer: its first frame is the
        customer, not a "Loading…" frame drawn (and sent down the line) a few ms before them.
        Keys typed meanwhile wait for the 360 (``ready_for_keys``)."""
        self._opening = True
        self._read_and_open(customer_id)

    @work(thread=True, exclusive=True, group="c360")
    def _read_and_open(self, customer_id: str) -> None:
        now = self.agent_app.now()
        read = self.read_store(lambda customers: customers.customer_360(customer_id, now),
                               lambda view: self._open(customer_id, view))
        if not read:  # the agent was told why; the search stays and takes keys again
            self.app.call_from_thread(setattr, self, "_opening", False)

    def _open(self, customer_id: str, view: Customer360 | None) -> None:
        # Imported on first use: the 360 and its tabs are not needed to bring up the search.
        from screens.customer_360 import open_360

        self._opening = False
        if view is None:
            self.notify(self.agent_app.t("c360.not_found"), severity="error")
            return
        open_360(self.app, customer_id, view)
