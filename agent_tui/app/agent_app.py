"""The Textual App: wires config, the catalog, the store and the clock into the screens, and
composes the controllers that do the work: the call engine (``agent_tui.call_engine``, no
Textual) with its desk (``calls``), the cases (``case_desk``), sync (``sync``), the screen pop
(``cti``), the knowledge base (``knowledge``), the team (``team_desk``) and suitability
(``suitability_desk``). Screens see the App
through ``screens.widgets.host.AgentHost``; the controllers through ``agent_tui.app.host``.

``TerminalGuard`` stays a base class, not a controller: it overrides Textual's own App hooks
(line filters, titles, notifications, the crash handler), which only a subclass can; so do
``IdleWatch`` (every key, over SSH), ``TypeAhead`` (keys held until a screen is ready) and
``PaletteAndKeys`` (how keys are shown, the command palette).

Past 400 lines: it is the one place the AgentHost Protocol's members meet the controllers behind
them, one short delegation each. The team board's area (``TeamHost``) is the first reached whole,
as ``team_desk``, with no delegation here; the other areas may follow it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.content import Content
from textual.screen import Screen
from textual.worker import Worker

from agent_tui.app import header, workers
from agent_tui.app.calls import CallDesk
from agent_tui.app.cases import CaseController
from agent_tui.app.cti import CtiController
from agent_tui.app.disclosures import ShownCustomers
from agent_tui.app.idle_lock import IdleLock, IdleWatch
from agent_tui.app.knowledge import KnowledgeDesk
from agent_tui.app.palette import PaletteAndKeys
from agent_tui.app.session import SessionController
from agent_tui.app.suitability import SuitabilityController
from agent_tui.app.sync import SyncController
from agent_tui.app.team import TeamController
from agent_tui.app.terminal import TerminalGuard
from agent_tui.app.type_ahead import TypeAhead
from agent_tui.call_engine import CallController
from agent_tui.config import Config
from agent_tui.domain.masking import Disclosure
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.i18n import Catalog
from agent_tui.keymap import DEFAULT_KEYMAP
from agent_tui.store import Store
from screens.search import SearchScreen
from screens.widgets.agent_modal import AgentModal
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.keys import APP_SYSTEM_BINDINGS, FOCUS_BINDINGS, install_bindings

if TYPE_CHECKING:
    from agent_tui.domain.call_session import CallSession
    from agent_tui.domain.models import Customer
    from agent_tui.domain.phrasing import PhraseGuard
    from agent_tui.store.calls import CallRecorder
    from agent_tui.store.cases import CaseStore
    from agent_tui.store.drafts import Draft
    from agent_tui.store.queue import QueueItem
    from agent_tui.sync.hub_client import HubClient
    from agent_tui.sync.runner import SyncReport
    from agent_tui.sync.state import SyncStatus
    from screens.widgets.draft_keeper import DraftKeeper

APP_ACTION_IDS = tuple(entry.id for entry in DEFAULT_KEYMAP if entry.app_level)
# The app's actions that need an agent: everything but help, back and quit.
_NEEDS_SIGN_IN = frozenset(entry.action for entry in DEFAULT_KEYMAP if entry.app_level
                           and entry.id not in ("help", "back", "quit"))
Clock = Callable[[], datetime]


class AgentApp(IdleWatch, TypeAhead, TerminalGuard, PaletteAndKeys, App[None]):
    # The search is the default screen, whose own CSS_PATH Textual does not load: its styles are
    # the app's, with a training session's colours (under its "-training" class). Every other
    # screen brings its own .tcss. Absolute: Textual reads a relative path from the subclass's file.
    CSS_PATH = [Path(__file__).resolve().parents[2] / "screens" / name
                for name in ("search.tcss", "training_session.tcss")]
    ENABLE_COMMAND_PALETTE = True
    # F10 and ctrl+p open the palette through the keymap (Textual's would be a second ctrl+p).
    COMMAND_PALETTE_BINDING = "f10"
    # The catalog key of what the header keeps at any width (a training session's banner).
    KEPT_TITLE = ""

    def __init__(
        self,
        config: Config,
        language: str,
        *,
        clock: Clock = datetime.now,
        demo_customers: int = 5000,
        library: ScriptsLibrary | None = None,
        idle_lock_minutes: float | None = None,
    ) -> None:
        super().__init__(low_bandwidth=config.ui.low_bandwidth)
        self.config = config
        self.catalog = Catalog.load(language)
        self.language = language
        self.clock = clock
        self.demo_customers = demo_customers
        # Validated before the app starts (cli.run refuses an invalid one); the call flow reads it.
        self.library = library
        # What identity verification has earned per customer in this call; masked by default.
        self.shown = ShownCustomers(self)
        self.worker_policy = workers.WorkerPolicy()
        # The controllers. The call in progress outlives its workspace (F2 to find the caller).
        self.session = SessionController(self)
        self.engine = CallController(library, lambda: self.config.agent.id, self.now)
        self.calls = CallDesk(self)
        self.case_desk = CaseController(self)
        self.sync = SyncController(self)
        self.cti = CtiController(self)  # the screen pop (issue 18)
        self.knowledge = KnowledgeDesk(self)  # F9 from anywhere (issue 18)
        self.team_desk = TeamController(self)  # the screens reach it whole (TeamHost)
        self.suitability_desk = SuitabilityController(self)  # and this one (SuitabilityHost)
        self.title = self.catalog.text("app.title")
        self.sub_title = self.agent_line()  # screens leave it alone: the app owns it
        install_bindings(
            self, APP_ACTION_IDS, self.catalog, extra=(*FOCUS_BINDINGS, *APP_SYSTEM_BINDINGS),
            # Off the key bar: F5 without a hub (it says how to set one up); F9, the board, the KPIs
            # and the QA reviews: at 80 columns they would push out the screen's own keys (F1
            # help and the palette list them; the call's suggestions panel offers F9).
            unlisted=("knowledge_base", "team_board", "kpis", "qa_reviews", "qa_sample",
                      *(() if config.hub.configured else ("sync_now",))),
        )
        if config.keymap:
            self.set_keymap(config.keymap)
        self._unknown_theme = "" if config.ui.theme in self.available_themes else config.ui.theme
        if not self._unknown_theme:
            self.theme = config.ui.theme
        self.cursor_blink = config.ui.cursor_blink and not config.ui.low_bandwidth
        self.idle_lock = IdleLock(self, idle_lock_minutes) if idle_lock_minutes else None  # SSH
        self.training_next = False  # "Training" chosen: the CLI starts it once this session ends

    # -- services the screens use -------------------------------------------------------------

    def t(self, key: str, /, **values: object) -> str:
        return self.catalog.text(key, **values)

    def now(self) -> datetime:
        return self.clock()

    @property
    def store_path(self) -> Path:
        return self.config.store_path()

    def run_in_thread(self, work: Callable[[], object], group: str, *,
                      exclusive: bool = False) -> Worker:
        """Every worker of the App's: a thread whose failure reaches the agent, not the end."""
        return self.run_worker(work, thread=True, group=group, exclusive=exclusive,
                               exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_state_changed(event)

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's failure is handled, the App's and every screen's (their
        AgentScreen base passes theirs on): the agent reads what did not finish and what was
        kept; the report goes beside the store and to the log. The session goes on."""
        self.worker_policy.changed(self, event.worker, event.state)

    def cases(self, connection: sqlite3.Connection) -> CaseStore:
        """The case store of this agent on ``connection`` (a worker thread's)."""
        from agent_tui.store.cases import CaseStore

        assert self.library is not None, "the scripts library is loaded before the app starts"
        return CaseStore(connection, self.library.sla, self.config.agent.id,
                         self.config.agent.staff_number)

    @property
    def disclosures(self) -> dict[str, Disclosure]:
        return self.shown.disclosures

    def disclosure_for(self, customer_id: str) -> Disclosure:
        return self.shown.disclosure_for(customer_id)

    def set_disclosure(self, customer_id: str, disclosure: Disclosure | None) -> None:
        self.shown.set(customer_id, disclosure)

    def mask_all(self) -> None:
        self.shown.mask_all()

    def customer_facts_changed(self, customer_id: str) -> None:
        self.shown.facts_changed(customer_id)

    def agent_line(self, short: bool = False) -> str:
        return header.agent_line(self.t, self.config.agent, self.engine.call is not None,
                                 self.sync.line(short), short)

    def format_title(self, title: str, sub_title: str) -> Content:
        return header.fitted_title(self.size.width, title, sub_title,
                                   lambda: self.agent_line(short=True),
                                   self.t(self.KEPT_TITLE) if self.KEPT_TITLE else "")

    # -- start-up ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The search is the base of every session: it comes up at once, and the store opens
        beside it so the agent can type while it is checked. A sign-in, or a problem with the
        store, goes on top of it; F2 always comes back to it."""
        return SearchScreen()

    def on_mount(self) -> None:
        self.shown.on_loop()
        if self._unknown_theme:  # a typo in [ui] theme costs the colours, not the session
            self.notify(
                self.t("config.unknown_theme", theme=self._unknown_theme,
                       themes=", ".join(sorted(self.available_themes))),
                severity="warning", timeout=10,
            )
        if not self.config.agent.is_signed_in:
            from screens.sign_in import SignInScreen  # first run only

            self.push_screen(SignInScreen(), callback=lambda _signed_in: self.session.signed_in())
        # After the first frame: the check runs in a thread, but it would still compete with
        # the first paint for the interpreter.
        self.call_after_refresh(self.session.open_store)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nobody works without an identity: until the sign-in is done, only help and quit."""
        if action in _NEEDS_SIGN_IN and not self.config.agent.is_signed_in:
            return False
        for controller in (self.sync, self.cti, self.suitability_desk):
            if (allowed := controller.allows(action)) is not None:
                return allowed
        if action == "back" and isinstance(self.screen, AgentScreen) \
                and not self.screen.ALLOW_BACK and not isinstance(self.screen, AgentModal):
            return False  # nothing behind a sign-in or a store problem: F3 is not offered
        return super().check_action(action, parameters)

    @property
    def store(self) -> Store | None:
        return self.session.store

    @property
    def _settled(self) -> bool:
        return self.session.settled

    def wait_for_store(self, timeout: float = 60.0) -> Store | None:
        """From a worker thread: the store once it is open, or None if it could not be."""
        return self.session.wait_for_store(timeout)

    def open_store(self) -> Worker:
        return self.session.open_store()

    # -- app-wide actions --------------------------------------------------------------------

    async def action_quit(self) -> None:
        """ctrl+q: at once, unless a call is open; then the agent is asked, and the call saved."""
        if self.engine.call is None:
            self.leave()
            return
        from screens.quit_call import QuitCallScreen

        if not isinstance(self.screen, QuitCallScreen):
            self.push_screen(QuitCallScreen(self.engine.call))

    def leave(self) -> None:
        self.session.leave()

    def action_search(self) -> None:
        if self.store is None:
            return
        while len(self.screen_stack) > 1:  # the search is always at the bottom of the stack
            self.pop_screen()
        self.screen.focus_query()

    def action_back(self) -> None:
        from textual.widgets import Select

        dropdown = getattr(self.focused, "parent", None)
        if isinstance(dropdown, Select) and dropdown.expanded:
            dropdown.expanded = False  # Escape closes an open list, not the form it is on
            dropdown.focus()
            return
        if isinstance(self.screen, SearchScreen):
            self.screen.clear_or_stay()
        elif isinstance(self.screen, AgentModal):  # a dialog: closing it is answering "cancel"
            self.screen.go_back()
        elif (not isinstance(self.screen, AgentScreen) or self.screen.ALLOW_BACK) \
                and len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from screens.help import HelpScreen  # on first F1, not at start

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    # -- the controllers' parts, as the screens and the tests reach them --------------------------

    @property
    def call(self) -> CallSession | None:
        return self.engine.call

    @property
    def call_recorder(self) -> CallRecorder | None:
        return self.engine.recorder

    def save_call(self, connection: sqlite3.Connection) -> int:
        return self.engine.save(connection)

    @property
    def call_draft(self) -> DraftKeeper | None:
        return self.calls.draft

    def phrase_guard(self) -> PhraseGuard:
        return self.engine.phrase_guard()

    def action_new_call(self) -> None:
        self.calls.new_call()

    def start_call(self, customer: Customer | None) -> None:
        self.calls.start(customer)

    def show_call(self) -> None:
        self.calls.show()

    def end_call(self, saved: bool) -> None:
        self.calls.end(saved)

    def offer_interrupted_call(self) -> None:
        self.calls.offer_interrupted()

    @property
    def kept_typing(self) -> dict[str, object]:
        return self.case_desk.kept_typing

    def action_queue(self) -> None:
        self.case_desk.open_queue()

    def open_case_form(self, customer: Customer) -> None:
        self.case_desk.open_case_form(customer)

    def kept_draft(self, key: str) -> dict | None:
        return self.case_desk.kept_draft(key)

    def start_callback(self, item: QueueItem) -> None:
        self.case_desk.start_callback(item)

    def complete_callback(self, callback_id: str, call_id: str, customer_id: str) -> None:
        self.case_desk.complete_callback(callback_id, call_id, customer_id)

    def attempt_callback(self, callback_id: str, call_id: str, customer_id: str,
                         outcome: str) -> None:
        self.case_desk.attempt_callback(callback_id, call_id, customer_id, outcome)

    def offer_case_drafts(self, drafts: list[Draft], quit_last: bool = False) -> None:
        self.case_desk.offer_case_drafts(drafts, quit_last)

    @property
    def sync_status(self) -> SyncStatus | None:
        return self.sync.status

    @property
    def hub_configured(self) -> bool:
        return self.sync.configured

    def action_sync_now(self) -> None:
        self.sync.sync_now()

    def sync_finished(self, report: SyncReport, status: SyncStatus) -> None:
        self.sync.finished(report, status)

    def identity_client(self) -> HubClient | None:
        return self.sync.identity_client()

    def search_hub(self, connection: sqlite3.Connection, text: str):
        return self.sync.search_hub(connection, text)

    def fetch_from_hub(self, connection: sqlite3.Connection, customer_id: str) -> bool:
        return self.sync.fetch_from_hub(connection, customer_id)

    def action_knowledge_base(self) -> None:
        self.knowledge.open()

    def action_team_board(self) -> None:
        self.team_desk.open_board()

    def action_kpis(self) -> None:
        self.team_desk.open_kpis()

    def action_qa_reviews(self) -> None:
        self.team_desk.open_reviews()

    def action_qa_sample(self) -> None:
        self.team_desk.open_qa_sample()

    def action_products(self) -> None:
        self.suitability_desk.open()

    def action_conflicts(self) -> None:
        from screens.conflicts import ConflictsScreen

        if not isinstance(self.screen, ConflictsScreen):
            self.push_screen(ConflictsScreen())

    def start_sync(self) -> None:
        self.sync.start()
        self.cti.start()

    def stop_sync(self) -> None:
        self.cti.stop()
        self.sync.stop()

    def action_cti_take(self) -> None:
        self.cti.take()

    def on_unmount(self) -> None:
        self.stop_sync()
