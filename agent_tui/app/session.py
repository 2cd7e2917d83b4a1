"""The session controller: the store opened beside the first screen, what start-up does once it is
open, and the way out (ctrl+q).

The store opens on a worker thread (checked and migrated off the event loop); a search typed while
it opens waits for it (``wait_for_store``) instead of being lost. A problem with it is shown on
top of the search; what is shown changes only on the event loop.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from agent_tui.store import Store, StoreError, StoreMissing, kb, sessions
from screens.search import SearchScreen
from screens.widgets.agent_screen import AgentScreen

if TYPE_CHECKING:
    from textual.worker import Worker

    from agent_tui.app.host import AppHost
    from agent_tui.i18n import TranslatableError


class SessionController:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self.store: Store | None = None
        # Set when the attempt to open the store has finished, whatever its outcome.
        self.store_opened = threading.Event()
        self.settled = False
        self._offer_after_sign_in = False  # drafts wait for the sign-in: one dialog at a time

    def wait_for_store(self, timeout: float = 60.0) -> Store | None:
        """From a worker thread: the store once it is open, or None if it could not be."""
        self.store_opened.wait(timeout)
        return self.store

    def open_store(self) -> Worker:
        """Check and migrate the store off the event loop; say what is wrong if it cannot open."""
        self.store_opened.clear()
        return self.app.run_in_thread(self._open_store, "store", exclusive=True)

    def _open_store(self) -> None:
        app = self.app
        try:
            store = Store.open(app.store_path)
        except StoreMissing:
            app.call_from_thread(self._show_store_problem, None, True)
        except StoreError as error:
            app.call_from_thread(self._show_store_problem, error, False)
        else:
            if app.library is not None:  # the published articles, re-indexed if they changed
                kb.publish(store.connection(), app.library.articles)
            self.store = store
            app.call_from_thread(self._store_ready)
        finally:
            self.store_opened.set()

    def _show_store_problem(self, error: TranslatableError | None, missing: bool) -> None:
        from screens.store_problem import StoreProblemScreen  # only when something is wrong

        app = self.app
        message = (app.t("store.missing", path=str(app.store_path)) if missing
                   else app.catalog.error(error))
        app.push_screen(StoreProblemScreen(message, offer_seed=missing))

    def _store_ready(self) -> None:
        app = self.app
        if isinstance(app.screen, AgentScreen) and app.screen.CLOSES_WHEN_STORE_OPENS:
            app.pop_screen()
        if isinstance(app.screen, SearchScreen):
            app.screen.store_ready()
        self._settle_after_start()
        app.start_sync()

    def _settle_after_start(self) -> None:
        """Once, while the agent reads the screen: load the 360 so the first one opens as fast
        as the rest, then freeze what start-up made. Full garbage collections otherwise walk
        every widget and style of the session and cost 60-80 ms in the middle of opening a 360."""
        if self.settled:
            return
        self.settled = True
        from screens.customer_360 import prepare_360  # loaded now, not on the first open

        prepare_360(self.app)  # built now too: the first 360 opens as fast as the rest
        gc.freeze()
        if self.app.config.agent.is_signed_in:
            self.app.offer_interrupted_call()
        else:  # the drafts are the agent's: offered once they have said who they are
            self._offer_after_sign_in = True

    def signed_in(self) -> None:
        self.app.sub_title = self.app.agent_line()
        if self.app.idle_lock is not None:  # over SSH: the PIN is chosen next
            self.app.idle_lock.ask_for_pin()
        if self._offer_after_sign_in:
            self._offer_after_sign_in = False
            self.app.offer_interrupted_call()

    # -- the way out -----------------------------------------------------------------------------

    def leave(self) -> None:
        """The workstation quits on purpose (ctrl+q, the call saved if one was open): nothing
        stays unmasked on the way out, what is being typed is written, and the quit is marked
        so the next start says "you quit", not "the workstation ended"."""
        app = self.app
        app.mask_all()
        app.stop_sync()
        keepers = [app.call_draft, *(screen.keeper for screen in app.screen_stack
                                     if isinstance(screen, AgentScreen))]
        writes = [write for keeper in keepers if keeper is not None
                  and (write := keeper.last_write()) is not None]
        app.run_in_thread(lambda: self._quit(writes), "quit")

    def _quit(self, writes: list[Callable[[], None]]) -> None:
        app = self.app
        try:
            store = self.store
            if store is not None:
                for write in writes:
                    write()
                sessions.mark_quit(store.connection(), app.config.agent.id, app.now())
        finally:
            app.call_from_thread(app.exit)
