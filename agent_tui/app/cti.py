"""The screen pop (issue 18): the agent's workstation hears of its own ringing call from the hub
and puts the caller in front of the agent, then follows the call as the telephony system reports
it (answered: the call starts; ended: the call goes to wrap-up).

One async worker long-polls the hub (``GET /v1/cti/events``) through the session's own HTTP
client; each poll's blocking request runs on a daemon thread of its own, so a poll in flight
never holds up the session's exit. Offline, or with no hub, nothing pops and nothing is said:
the poll tries again on a backoff, quietly (the header already says offline).

Never lose what the agent is typing: a ring while a call is open, a dialog is up, or text is
being typed waits as a banner, and one key (``cti_take``) shows it; nothing is taken from the
screen in front. The rules of what shows are in ``agent_tui.domain.cti``.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agent_tui.domain.cti import PopKind, Ring, search_text, shown_number
from agent_tui.domain.query import parse_query
from agent_tui.keymap import ACTIONS_BY_ID
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from screens.widgets.agent_modal import AgentModal
from screens.widgets.agent_screen import AgentScreen

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.domain.models import Customer
    from agent_tui.sync.protocol import CtiEvent

LONG_POLL_S = 20.0  # the hub holds a poll this long when nothing rings
RETRY_S = (1.0, 2.0, 5.0, 10.0, 30.0)  # after the hub could not be reached, one after another
REFUSED_RETRY_S = 60.0  # a token the hub refused (expired, revoked): sync already says so
_NOT_FOR_ME = ("training_only", "telephony_only")  # a token that never has calls: stop asking


def _in_daemon_thread(call: Callable[..., Any], *args: Any) -> asyncio.Future:
    """``call(*args)`` on a daemon thread of its own, awaited on the event loop. Not the
    loop's executor: its threads are joined at exit, and a long poll would hold the exit up."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        try:
            result, error = call(*args), None
        except BaseException as failure:  # handed to the loop, raised there
            result, error = None, failure
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:
            pass  # the session ended while the poll was out: nobody waits for it

    threading.Thread(target=run, name="cti-poll", daemon=True).start()
    return future


class CtiController:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self.ring: Ring | None = None  # the agent's current call from telephony
        self.waiting: Ring | None = None  # rang while the agent was busy: the key shows it
        self.listening = False
        self.failures = 0  # polls in a row that did not reach the hub (quietly retried)
        self._stopped = False

    def start(self) -> None:
        if self.listening or not self.app.hub_configured:
            return
        self.listening, self._stopped = True, False
        self.app.run_worker(self._listen(), group="cti", exit_on_error=False)

    def stop(self) -> None:
        self._stopped = True

    async def _listen(self) -> None:
        cursor: int | None = None
        try:
            while not self._stopped:
                client = self.app.identity_client()
                if client is None:
                    return
                try:
                    feed = await _in_daemon_thread(client.cti_events, cursor, LONG_POLL_S)
                except HubRefused as refused:
                    if refused.code in _NOT_FOR_ME:
                        return
                    await asyncio.sleep(REFUSED_RETRY_S)
                    continue
                except (HubUnreachable, RuntimeError):  # RuntimeError: the client closed
                    if self._stopped:
                        return
                    self.failures += 1
                    await asyncio.sleep(RETRY_S[min(self.failures, len(RETRY_S)) - 1])
                    continue
                self.failures, cursor = 0, feed.cursor
                for event in feed.events:
                    self.received(event)
        finally:
            self.listening = False

    # -- the events, on the event loop -------------------------------------------------------

    def received(self, event: CtiEvent) -> None:
        if event.kind == "ringing":
            if self.waiting is not None:  # a new call rang: the one that waited is gone
                self.waiting = None
                self.app.refresh_bindings()
            self.ring = Ring(event.event_id, event.caller, self.app.now(), event.call_id)
            self.app.run_in_thread(lambda ring=self.ring: self._look_up(ring), "cti-lookup")
            return
        ring = self.ring
        if ring is None or not ring.same_call(event.call_id):
            return  # an event of a call this workstation never heard ring
        if event.kind == "answered":
            ring.answered = True
            if ring.looked_up:
                self._answered(ring)
        elif event.kind == "ended":
            ring.ended = True
            self._ended(ring)

    def _look_up(self, ring: Ring) -> None:
        """From a worker thread: who has the caller's number, on this workstation and the hub
        (the hub's answer cached here, as a search caches it)."""
        from agent_tui.store.customers import SEARCH_LIMIT, CustomerRepository

        app = self.app
        store = app.wait_for_store()
        text = search_text(ring.caller)
        matches: list[str] = []
        customer = None
        if store is not None and text:
            connection = store.connection()
            # The hub's (cached here, masked) and this workstation's, as the search merges
            # them: a customer held masked is not found here by the full number.
            found = app.search_hub(connection, text) or []
            customers = CustomerRepository(connection)
            held = [hit.customer_id for hit in customers.search(parse_query(text), SEARCH_LIMIT)]
            matches = held + [hit.customer_id for hit in found if hit.customer_id not in held]
            customer = customers.customer(matches[0]) if len(matches) == 1 else None
        app.call_from_thread(self._looked_up, ring, matches, customer)

    def _looked_up(self, ring: Ring, matches: list[str], customer: Customer | None) -> None:
        ring.matches, ring.customer, ring.looked_up = matches, customer, True
        if ring is not self.ring or ring.ended:
            return  # another call rang since, or this one is over already
        if self._busy():
            self.waiting = ring
            self.app.refresh_bindings()
            self.app.notify(self._message(ring, waiting=True), severity="warning", timeout=30)
        else:
            self.show(ring)
        if ring.answered:
            self._answered(ring)

    def _held(self) -> bool:
        """A screen nothing may be shown over: the idle lock, the sign-in, a store problem
        (the screens F3 cannot leave). A ring waits behind it, even for its key."""
        return any(isinstance(screen, AgentScreen) and not screen.ALLOW_BACK
                   for screen in self.app.screen_stack[1:])

    def _busy(self) -> bool:
        """Is the agent in the middle of something a pop must not take over?"""
        from textual.widgets import Input, TextArea

        from screens.search import SearchScreen

        app = self.app
        if app.call is not None or isinstance(app.screen, AgentModal) or self._held():
            return True
        focused = app.screen.focused
        if isinstance(focused, TextArea):
            return bool(focused.text.strip())
        return isinstance(focused, Input) and not isinstance(app.screen, SearchScreen) \
            and bool(focused.value.strip())

    def show(self, ring: Ring) -> None:
        """The pop: the caller's 360, or the search with their number in it."""
        from screens.customer_360 import open_360
        from screens.search import SearchScreen

        app = self.app
        ring.shown = True
        while len(app.screen_stack) > 1:  # from the search, as F2 would: F3 comes back to it
            app.pop_screen()
        search = app.screen_stack[0]
        if ring.kind is PopKind.CUSTOMER:
            open_360(app, ring.matches[0])
        elif isinstance(search, SearchScreen):
            search.prefill(search_text(ring.caller))
        app.notify(self._message(ring), timeout=10)

    def _message(self, ring: Ring, waiting: bool = False) -> str:
        t = self.app.t
        number = shown_number(ring.caller) or t("cti.withheld")
        if not waiting:
            return t(f"cti.ringing.{ring.kind.value}", number=number, count=len(ring.matches))
        keys = self.app.config.keymap.get("cti_take") or ACTIONS_BY_ID["cti_take"].keys
        shown = re.sub(r"\bf(\d+)", r"F\1", keys).replace(",", " / ")  # as the key bar: F2
        return t(f"cti.waiting.{ring.kind.value}", number=number, count=len(ring.matches),
                 key=shown)

    def allows(self, action: str) -> bool | None:
        if action != "cti_take":
            return None
        return self.waiting is not None and not self._held()

    def take(self) -> None:
        """The key: show the call that rang while the agent was busy."""
        if self._held():
            return
        ring, self.waiting = self.waiting, None
        self.app.refresh_bindings()
        if ring is not None and not ring.ended:
            self.show(ring)

    def _answered(self, ring: Ring) -> None:
        """The agent picked up: the call starts from the pop (its timer with it), unless
        another call is still open on this workstation."""
        app = self.app
        call = app.call
        if ring.session_id is not None:
            return
        if call is not None:
            if call.flow.started_at >= ring.rang_at:
                ring.session_id = call.id  # the agent started it from the pop (ctrl+n)
            else:
                app.notify(app.t("cti.answered_busy"), severity="warning", timeout=15)
            return
        self.waiting = None
        app.start_call(ring.customer)
        ring.session_id = app.call.id if app.call is not None else None
        app.show_call()

    def _ended(self, ring: Ring) -> None:
        """The line ended: an open call from this ring goes to wrap-up (the closing stage),
        its notes kept and its closing form a key away (F7); a call never answered was missed."""
        from screens.call import CallScreen

        app = self.app
        if self.waiting is ring:
            self.waiting = None
            app.refresh_bindings()
        call = app.call
        if call is None or ring.session_id != call.id:
            if not ring.answered:
                app.notify(app.t("cti.missed", number=shown_number(ring.caller)
                                 or app.t("cti.withheld")), timeout=10)
            return
        if call.flow.ended_at is not None:
            return
        if call.flow.stage != "closing":
            call.flow.skip_to_closing(app.now(), app.t("cti.line_ended_reason"))
        for screen in app.screen_stack:
            if isinstance(screen, CallScreen):
                screen.show_stage(new_list=True)
                screen.save()
        app.notify(app.t("cti.wrap_up"), severity="warning", timeout=15)
