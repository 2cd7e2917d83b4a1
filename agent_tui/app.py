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

from agent_tui.app_call import CallActions
from agent_tui.app_cases import CaseActions
from agent_tui.app_sync import SyncActions
from agent_tui.app_terminal import TerminalGuard
from agent_tui.config import Config
from agent_tui.domain.masking import MASKED, Disclosure, Tier
from agent_tui.domain.phrasing import PhraseGuard
from agent_tui.domain.scripts import ScriptsLibrary
from agent_tui.i18n import Catalog, TranslatableError
from agent_tui.keymap import DEFAULT_KEYMAP
from agent_tui.store import Store, StoreError, StoreMissing
from screens.search import SearchScreen
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.keys import APP_SYSTEM_BINDINGS, FOCUS_BINDINGS, install_bindings

if TYPE_CHECKING:
    from agent_tui.domain.call_session import CallSession
    from agent_tui.store.calls import CallRecorder
    from agent_tui.store.cases import CaseStore
    from screens.widgets.draft_keeper import DraftKeeper

APP_ACTION_IDS = tuple(entry.id for entry in DEFAULT_KEYMAP if entry.app_level)
# The app's actions that need an agent: everything but help, back and quit.
_NEEDS_SIGN_IN = frozenset(entry.action for entry in DEFAULT_KEYMAP if entry.app_level
                           and entry.id not in ("help", "back", "quit"))
Clock = Callable[[], datetime]


class AgentApp(TerminalGuard, CallActions, CaseActions, SyncActions, App[None]):
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
        self._offer_after_sign_in = False  # drafts wait for the sign-in: one dialog at a time
        # What identity verification has earned per customer in this call; masked by default.
        self.disclosures: dict[str, Disclosure] = {}
        # The call in progress, if any: it outlives its workspace (F2 to find the caller).
        self.call: CallSession | None = None
        self.call_recorder: CallRecorder | None = None
        self._guard: PhraseGuard | None = None
        self.call_draft: DraftKeeper | None = None  # autosaves the call in progress
        # What each box closed with text in it last held, by draft key (None: cleared), known
        # before its draft is written: reopening it a moment later gets exactly that.
        self.kept_typing: dict[str, object] = {}
        self.title = self.catalog.text("app.title")
        self.sub_title = self.agent_line()  # screens leave it alone: the app owns it
        install_bindings(
            self, APP_ACTION_IDS, self.catalog, extra=(*FOCUS_BINDINGS, *APP_SYSTEM_BINDINGS),
            # Without a hub F5 says how to set one up, but the key bar does not offer it.
            unlisted=() if config.hub.configured else ("sync_now",),
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

    def set_disclosure(self, customer_id: str, disclosure: Disclosure | None) -> None:
        """The only way what is shown of a customer changes: ``disclosure`` (what a reveal
        earned, audited by the caller) or None (masked again). Every screen in the stack is
        told at once and redraws what it shows of that customer, so none keeps showing what
        the call no longer allows."""
        current = self.disclosures.get(customer_id)
        if disclosure is None or disclosure.tier is Tier.MASKED:
            if self.disclosures.pop(customer_id, None) is None:
                return
        elif current is not None and current.tier == disclosure.tier \
                and current.revealed is disclosure.revealed:
            return  # nothing new to show
        else:
            self.disclosures[customer_id] = disclosure
        self._tell_screens(lambda screen: screen.disclosure_changed(customer_id))

    def mask_all(self) -> None:
        """The call is over (ended, or the workstation quits): every customer masked again."""
        for customer_id in list(self.disclosures):
            self.set_disclosure(customer_id, None)

    def customer_facts_changed(self, customer_id: str) -> None:
        """A case of ``customer_id`` was opened or changed, or their call ended: the screens
        showing them read them again."""
        self._tell_screens(lambda screen: screen.facts_changed(customer_id))

    def _tell_screens(self, tell: Callable[[AgentScreen], None]) -> None:
        for screen in list(self.screen_stack):
            if isinstance(screen, AgentScreen):
                tell(screen)

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
        if self._offer_after_sign_in:
            self._offer_after_sign_in = False
            self.offer_interrupted_call()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nobody works without an identity: until the sign-in is done, only help and quit."""
        if action in _NEEDS_SIGN_IN and not self.config.agent.is_signed_in:
            return False
        if action == "back" and not getattr(self.screen, "ALLOW_BACK", True) \
                and not hasattr(self.screen, "go_back"):
            return False  # nothing behind a sign-in or a store problem: F3 is not offered
        return super().check_action(action, parameters)

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
        if self.config.agent.is_signed_in:
            self.offer_interrupted_call()
        else:  # the drafts are the agent's: offered once they have said who they are
            self._offer_after_sign_in = True

    # -- app-wide actions --------------------------------------------------------------------

    async def action_quit(self) -> None:
        """ctrl+q: at once, unless a call is open; then the agent is asked, and the call saved."""
        if self.call is None:
            self.leave()
            return
        from screens.quit_call import QuitCallScreen

        if not isinstance(self.screen, QuitCallScreen):
            self.push_screen(QuitCallScreen(self.call))

    def leave(self) -> None:
        """The workstation quits on purpose (ctrl+q, the call saved if one was open): nothing
        stays unmasked on the way out, what is being typed is written, and the quit is marked
        so the next start says "you quit", not "the workstation ended"."""
        self.mask_all()
        self.stop_sync()
        keepers = [self.call_draft, *(getattr(screen, "keeper", None)
                                      for screen in self.screen_stack)]
        writes = [write for keeper in keepers if keeper is not None
                  and (write := keeper.last_write()) is not None]
        self._quit(writes)

    @work(thread=True, group="quit", exit_on_error=False)
    def _quit(self, writes: list[Callable[[], None]]) -> None:
        from agent_tui.store import sessions

        try:
            store = self.store
            if store is not None:
                for write in writes:
                    write()
                sessions.mark_quit(store.connection(), self.config.agent.id, self.now())
        finally:
            self.call_from_thread(self.exit)

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
