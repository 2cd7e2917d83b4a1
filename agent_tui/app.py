"""The Textual App: wires config, the catalog, the store and the clock into the screens."""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from agent_tui.app_cases import CaseActions
from agent_tui.app_sync import SyncActions
from agent_tui.app_terminal import TerminalGuard
from agent_tui.config import Config
from agent_tui.domain.masking import MASKED, Disclosure
from agent_tui.domain.models import Customer
from agent_tui.domain.phrasing import PhraseGuard
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.i18n import Catalog, TranslatableError
from agent_tui.keymap import DEFAULT_KEYMAP
from agent_tui.store import Store, StoreError, StoreMissing
from screens.search import SearchScreen
from screens.widgets.keys import APP_SYSTEM_BINDINGS, FOCUS_BINDINGS, install_bindings

if TYPE_CHECKING:
    from agent_tui.domain.call_session import CallSession, CallSnapshot
    from agent_tui.store.calls import CallRecorder
    from agent_tui.store.cases import CaseStore
    from screens.widgets.draft_keeper import DraftKeeper

APP_ACTION_IDS = tuple(entry.id for entry in DEFAULT_KEYMAP if entry.app_level)
Clock = Callable[[], datetime]


class AgentApp(TerminalGuard, CaseActions, SyncActions, App[None]):
    # The search is the default screen, whose own CSS_PATH Textual does not load: its styles are
    # the app's. Every other screen brings its own .tcss when first shown.
    CSS_PATH = "../screens/search.tcss"
    ENABLE_COMMAND_PALETTE = True
    # F10 and ctrl+p both open the palette through the keymap; Textual's own binding would be a
    # second, unremappable ctrl+p.
    COMMAND_PALETTE_BINDING = "f10"

    def __init__(
        self,
        config: Config,
        language: str,
        *,
        clock: Clock = datetime.now,
        demo_customers: int = 5000,
        library: ScriptsLibrary | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.catalog = Catalog.load(language)
        self.language = language
        self.clock = clock
        self.demo_customers = demo_customers
        # Validated before the app starts (cli.run refuses an invalid one); the call flow reads it.
        self.library = library
        self.store: Store | None = None
        # Set when the attempt to open the store has finished, whatever its outcome: a search
        # typed while it opens waits for it instead of being lost.
        self.store_opened = threading.Event()
        self._settled = False
        # What identity verification has earned per customer in this call; masked by default.
        self.disclosures: dict[str, Disclosure] = {}
        # The call in progress, if any: it outlives its workspace (F2 to find the caller).
        self.call: CallSession | None = None
        self.call_recorder: CallRecorder | None = None
        self._guard: PhraseGuard | None = None
        self.call_draft: DraftKeeper | None = None  # autosaves the call in progress
        self.title = self.catalog.text("app.title")
        self.sub_title = self.agent_line()  # screens leave it alone: the app owns it
        install_bindings(
            self, APP_ACTION_IDS, self.catalog, extra=(*FOCUS_BINDINGS, *APP_SYSTEM_BINDINGS)
        )
        if config.keymap:
            self.set_keymap(config.keymap)
        self._unknown_theme = "" if config.ui.theme in self.available_themes else config.ui.theme
        if not self._unknown_theme:
            self.theme = config.ui.theme
        self.cursor_blink = config.ui.cursor_blink

    # -- services the screens use -------------------------------------------------------------

    def t(self, key: str, /, **values: object) -> str:
        return self.catalog.text(key, **values)

    def now(self) -> datetime:
        return self.clock()

    @property
    def store_path(self) -> Path:
        return self.config.store_path()

    def cases(self, connection: sqlite3.Connection) -> CaseStore:
        """The case store of this agent on ``connection`` (a worker thread's)."""
        from agent_tui.store.cases import CaseStore

        assert self.library is not None, "the scripts library is loaded before the app starts"
        return CaseStore(connection, self.library.sla, self.config.agent.id,
                         self.config.agent.staff_number)

    def disclosure_for(self, customer_id: str) -> Disclosure:
        return self.disclosures.get(customer_id, MASKED)

    def agent_line(self) -> str:
        agent = self.config.agent
        if not agent.is_signed_in:
            return ""
        line = self.t("app.agent_line", name=agent.name, staff_number=agent.staff_number)
        if self.call is not None:
            line += self.t("app.on_call")
        sync = self.sync_line()
        return f"{line} · {sync}" if sync else line

    # -- start-up ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The search is the base of every session: it comes up at once, and the store opens
        beside it so the agent can type while it is checked. A sign-in, or a problem with the
        store, goes on top of it; F2 always comes back to it."""
        return SearchScreen()

    def on_mount(self) -> None:
        if self._unknown_theme:  # a typo in [ui] theme costs the colours, not the session
            self.notify(
                self.t("config.unknown_theme", theme=self._unknown_theme,
                       themes=", ".join(sorted(self.available_themes))),
                severity="warning", timeout=10,
            )
        if not self.config.agent.is_signed_in:
            from screens.sign_in import SignInScreen  # first run only

            self.push_screen(SignInScreen(), callback=lambda _signed_in: self._signed_in())
        # After the first frame: the check runs in a thread, but it would still compete with
        # the first paint for the interpreter.
        self.call_after_refresh(self.open_store)

    def _signed_in(self) -> None:
        self.sub_title = self.agent_line()

    def wait_for_store(self, timeout: float = 60.0) -> Store | None:
        """From a worker thread: the store once it is open, or None if it could not be."""
        self.store_opened.wait(timeout)
        return self.store

    @work(thread=True, exclusive=True, group="store")
    def open_store(self) -> None:
        """Check and migrate the store off the event loop; say what is wrong if it cannot open."""
        self.store_opened.clear()
        try:
            store = Store.open(self.store_path)
        except StoreMissing:
            self.call_from_thread(self._show_store_problem, None, True)
        except StoreError as error:
            self.call_from_thread(self._show_store_problem, error, False)
        else:
            self.store = store
            self.call_from_thread(self._store_ready)
        finally:
            self.store_opened.set()

    def _show_store_problem(self, error: TranslatableError | None, missing: bool) -> None:
        from screens.store_problem import StoreProblemScreen  # only when something is wrong

        message = (
            self.t("store.missing", path=str(self.store_path)) if missing else self.catalog.error(error)
        )
        self.push_screen(StoreProblemScreen(message, offer_seed=missing))

    def _store_ready(self) -> None:
        if getattr(self.screen, "CLOSES_WHEN_STORE_OPENS", False):  # seeded from there: to work
            self.pop_screen()
        if isinstance(self.screen, SearchScreen):
            self.screen.store_ready()
        self._settle_after_start()
        self.start_sync()

    def _settle_after_start(self) -> None:
        """Once, while the agent reads the screen: load the 360 so the first one opens as fast
        as the rest, then freeze what start-up made. Full garbage collections otherwise walk
        every widget and style of the session and cost 60-80 ms in the middle of opening a 360."""
        if self._settled:
            return
        self._settled = True
        import screens.customer_360  # noqa: F401  (loaded now rather than on the first open)

        gc.freeze()
        self.offer_interrupted_call()

    # -- the call ------------------------------------------------------------------------------

    def action_new_call(self) -> None:
        """ctrl+n: start a call for the customer in view (or an unknown caller); during a call,
        attach the customer in view if the caller was unknown, and go back to the workspace."""
        in_view = getattr(self.screen, "view", None)
        customer = getattr(in_view, "customer", None)  # a 360 that has loaded
        if self.call is None:
            self.start_call(customer)
        elif customer is not None and self.call.customer is None:
            self.call.attach(customer, self.now())
            self.disclosures.pop(customer.id, None)  # found, not verified
        self.show_call()

    def start_call(self, customer: Customer | None) -> None:
        from agent_tui.call_drafts import keep
        from agent_tui.domain.call_session import CallSession
        from agent_tui.domain.ids import new_id
        from agent_tui.store.calls import CallRecorder

        call_id = new_id()
        self.call = CallSession(call_id, self.library, self.phrase_guard(), self.now(), customer)
        self.call_recorder = CallRecorder(call_id, self.config.agent.id)
        self.call_draft = keep(self, self.call, saved=False)
        self.sub_title = self.agent_line()

    def phrase_guard(self) -> PhraseGuard:
        assert self.library is not None, "the scripts library is loaded before the app starts"
        if self._guard is None:
            self._guard = PhraseGuard(self.library.forbidden, self.library.allowed)
        return self._guard

    @work(thread=True, group="call-draft", exit_on_error=False)
    def offer_interrupted_call(self) -> None:
        """After a restart: the call the process lost, if any, offered back as it was."""
        from agent_tui.call_drafts import interrupted_call
        from agent_tui.store import drafts

        store = self.wait_for_store()
        if store is None:
            return
        snapshot = interrupted_call(store.connection(), self.config.agent.id)
        case_drafts = [draft for draft in drafts.pending(store.connection(), self.config.agent.id)
                       if draft.kind in ("case_note", "case_form")]

        def offer_cases() -> None:
            if case_drafts:
                self.offer_case_drafts(case_drafts)

        if snapshot is not None and self.call is None:
            from screens.restore_call import RestoreCallScreen

            def answered(resume: bool | None) -> None:
                if resume is not None:
                    self.resume_call(snapshot, resume)
                offer_cases()

            self.call_from_thread(self.push_screen, RestoreCallScreen(snapshot), answered)
        else:
            self.call_from_thread(offer_cases)

    @work(thread=True, group="call-draft", exit_on_error=False)
    def resume_call(self, snapshot: CallSnapshot, resume: bool) -> None:
        from agent_tui import call_drafts
        from agent_tui.domain.masking import Tier
        from agent_tui.store import audit, drafts
        from agent_tui.store.calls import CallRecorder

        connection = self.store.connection()
        if not resume:  # the call stays in the store as it was left: unfinished
            drafts.discard(connection, call_drafts.draft_key(snapshot.call_id))
            return
        call = call_drafts.restore(snapshot, self, connection)
        recorder = CallRecorder(call.id, self.config.agent.id)
        recorder.saved = call_drafts.stored_events(connection, call.id)
        if call.customer_id and call.flow.verification_status == "passed":
            self.disclosures[call.customer_id] = audit.reveal(
                connection, agent_id=self.config.agent.id, customer_id=call.customer_id,
                tier=Tier.BASIC, at=self.now(), reason="verification.restored", call_id=call.id)

        def show() -> None:
            self.call, self.call_recorder = call, recorder
            self.call_draft = call_drafts.keep(self, call, saved=True)
            self.sub_title = self.agent_line()
            self.show_call()

        self.call_from_thread(show)

    def show_call(self) -> None:
        from screens.call import CallScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, CallScreen):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        self.push_screen(CallScreen(self.call))

    def end_call(self, saved: bool) -> None:
        """The call is over and saved: the 360 masks again, and the workspace closes."""
        from screens.call import CallScreen

        call, self.call = self.call, None
        if self.call_draft is not None:  # saved: the draft goes; not saved: it stays
            self.call_draft.forget() if saved else self.call_draft.stop()
            self.call_draft = None
        if call is not None and saved and call.callback_id:
            self.complete_callback(call.callback_id, call.id)
        if call is not None and call.customer_id:
            self.disclosures.pop(call.customer_id, None)
        self.sub_title = self.agent_line()
        while isinstance(self.screen, CallScreen) or any(
                isinstance(screen, CallScreen) for screen in self.screen_stack[1:]):
            self.pop_screen()
        self.notify(self.t("call.ended" if saved else "call.ended_unsaved"),
                    severity="information" if saved else "error")

    # -- app-wide actions --------------------------------------------------------------------

    async def action_quit(self) -> None:
        """ctrl+q: at once, unless a call is open; then the agent is asked, and the call saved."""
        if self.call is None:
            self.stop_sync()
            self.exit()
            return
        from screens.quit_call import QuitCallScreen

        if not isinstance(self.screen, QuitCallScreen):
            self.push_screen(QuitCallScreen(self.call))

    def action_search(self) -> None:
        if self.store is None:
            return
        while len(self.screen_stack) > 1:  # the search is always at the bottom of the stack
            self.pop_screen()
        self.screen.focus_query()

    def action_back(self) -> None:
        if isinstance(self.screen, SearchScreen):
            self.screen.clear_or_stay()
        elif hasattr(self.screen, "go_back"):  # a dialog: closing it is answering "cancel"
            self.screen.go_back()
        elif getattr(self.screen, "ALLOW_BACK", True) and len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from screens.help import HelpScreen  # on first F1, not at start

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_key_display(self, binding: Binding) -> str:
        """F-keys as agents know them from 3270 keyboards: F1, not f1."""
        display = super().get_key_display(binding)
        if display[:1] == "f" and display[1:].isdigit():
            return display.upper()
        return {"pgup": "PgUp", "pgdn": "PgDn"}.get(display, display)

    def action_command_palette(self) -> None:
        """Textual's palette, with a placeholder in the agent's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            palette = CommandPalette(id="--command-palette", placeholder=self.t("palette.placeholder"))
            self.push_screen(palette)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every action of the keymap by name, then the theme, translated.

        Textual's own entries (keys panel, screenshot, maximise) are left out: their names are
        English only, and F1 help already lists every key."""
        for entry in DEFAULT_KEYMAP:
            if entry.id == "palette":
                continue
            if entry.app_level:
                callback = getattr(self, f"action_{entry.action}")
            elif hasattr(screen, f"action_{entry.action}"):
                callback = getattr(screen, f"action_{entry.action}")
            else:
                continue
            yield SystemCommand(self.t(entry.label_key), self.t(entry.help_key), callback)
        yield SystemCommand(
            self.t("palette.theme"), self.t("palette.theme_tip"), self.action_change_theme
        )
