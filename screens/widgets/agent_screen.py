"""The base of the workstation's screens: typed access to the app, and translated bindings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from agent_tui.store.customers import CustomerRepository
from agent_tui.store.database import Connection, QueryError, failure
from screens.widgets.keys import SCREEN_SYSTEM_BINDINGS, install_bindings

if TYPE_CHECKING:
    from agent_tui.domain.models import Customer
    from screens.widgets.draft_keeper import DraftKeeper
    from screens.widgets.host import AgentHost

ResultType = TypeVar("ResultType")
T = TypeVar("T")


class AgentScreen(Screen[ResultType], Generic[ResultType]):
    # The keymap ids (agent_tui.keymap) this screen offers on top of the app-wide ones.
    ACTION_IDS: ClassVar[tuple[str, ...]] = ()
    # Of ACTION_IDS, those that work but are not shown in the key bar (help lists them).
    UNLISTED_IDS: ClassVar[tuple[str, ...]] = ()
    # Bindings of this screen alone that are not keymap actions (not remappable, not shown).
    EXTRA_BINDINGS: ClassVar[tuple[Binding, ...]] = ()
    # The catalog key of the F1 help text for this screen.
    HELP_KEY: ClassVar[str] = "help.general"
    # -- what the app asks of a screen (the screens' side of the contract; nothing by name) --
    # Whether F3 may leave it: not a sign-in, nor a store problem (nothing works behind them).
    ALLOW_BACK: ClassVar[bool] = True
    # Whether it closes by itself once the store opens (the store problem, seeded from there).
    CLOSES_WHEN_STORE_OPENS: ClassVar[bool] = False
    # What is being typed on it, kept as a draft (written at once when the workstation quits).
    keeper: DraftKeeper | None = None

    def __init__(self) -> None:
        super().__init__()
        if self.ACTION_IDS or self.EXTRA_BINDINGS:
            install_bindings(
                self, self.ACTION_IDS, self.agent_app.catalog,
                extra=(*self.EXTRA_BINDINGS, *SCREEN_SYSTEM_BINDINGS),
                unlisted=self.UNLISTED_IDS,
            )

    @property
    def agent_app(self) -> AgentHost:
        return self.app  # type: ignore[return-value]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Textual tells only the screen that ran a worker (the message does not bubble): the
        app's one worker policy hears of it here."""
        self.agent_app.worker_state_changed(event)

    def customer_in_view(self) -> Customer | None:
        """The customer this screen shows, once loaded (ctrl+n starts a call for them)."""
        return None

    def cases_changed(self, case_ids: set[str]) -> bool:
        """Sync brought changes to ``case_ids``: a screen showing one of them reads it again and
        returns True (the app then tells the agent, if it is the screen in front)."""
        return False

    # -- what the app tells every screen in the stack ------------------------------------------

    def disclosure_changed(self, customer_id: str) -> None:
        """What may be shown of ``customer_id`` changed (a reveal, or masked again when the call
        ended): a screen showing anything of that customer redraws it, at once, even when it is
        not the screen in front (``AgentHost.set_disclosure`` calls this)."""

    def facts_changed(self, customer_id: str) -> None:
        """Something about ``customer_id`` changed in the store (a case opened or closed, a call
        ended): a screen showing it reads it again (``AgentHost.customer_facts_changed``)."""

    def read_store(
        self, read: Callable[[CustomerRepository], T], show: Callable[[T], None]
    ) -> bool:
        """From a worker thread: wait for the store, ``read`` from it, then ``show`` the result
        on the event loop. If the store never opened, its problem screen already says why; if
        the read fails, the agent is told and the session goes on. Returns whether it read."""
        return self.use_store(lambda connection: read(CustomerRepository(connection)), show)

    def use_store(
        self, use: Callable[[Connection], T], show: Callable[[T], None] | None = None
    ) -> bool:
        """``read_store`` for any work on this thread's connection, writes included. Returns
        whether it succeeded (a failed write is reported, and the caller keeps its data)."""
        store = self.agent_app.wait_for_store()
        if store is None:
            return False
        try:
            result = use(store.connection())
        except QueryError as error:
            self.report_store_failure(error)
            return False
        if show is not None:
            self.app.call_from_thread(show, result)
        return True

    def hand_back_draft(self, restore: Callable[[dict | None], None]) -> None:
        """From a worker thread: what this screen's keeper kept (a form left, or the workstation
        quit, with something typed in it), handed to ``restore`` on the event loop; None when
        nothing was kept, or the store failed (said: the form starts empty, kept from then on)."""
        assert self.keeper is not None
        try:
            kept = self.agent_app.kept_draft(self.keeper.key)
        except QueryError as error:
            self.report_store_failure(error)
            kept = None
        self.app.call_from_thread(restore, kept)

    def report_store_failure(self, error: QueryError) -> None:
        """From a worker thread: a query failed mid-session (the store locked by another
        program, a full disk, the file gone). Say so and keep the session: a worker's exception
        would otherwise end the app with a traceback in the middle of a call."""
        app = self.agent_app
        message = app.catalog.error(failure(app.store_path, error))
        self.app.call_from_thread(self.notify, message, severity="error", timeout=10)
