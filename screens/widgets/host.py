"""What a screen may ask of the app: the one typed interface between the screens and the App.

Screens depend on this Protocol, never on the App class (``agent_tui.app`` sits above the
screens, and imports them): the App satisfies it, and so could a test double or the training
simulator's host. Everything here is called on the event loop unless its docstring says "from a
worker thread"; a worker thread changes nothing a user sees except through ``call_from_thread``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.worker import Worker

    from agent_tui.config import Config
    from agent_tui.domain.call_session import CallSession
    from agent_tui.domain.masking import Disclosure
    from agent_tui.domain.models import Customer
    from agent_tui.domain.phrasing import PhraseGuard
    from agent_tui.domain.qa_review import Mark, QaReview
    from agent_tui.domain.questionnaire import Questionnaire, Scored
    from agent_tui.domain.rubric import Rubric
    from agent_tui.domain.scripts import ScriptsLibrary
    from agent_tui.domain.suitability import Assessment, Product, Verdict
    from agent_tui.i18n import Catalog
    from agent_tui.library.suitability import Suitability
    from agent_tui.store import Connection, Store
    from agent_tui.store.cases import CaseStore
    from agent_tui.store.queue import QueueItem
    from agent_tui.sync.hub_client import HubClient
    from agent_tui.sync.protocol import (
        BoardItem,
        KpiReply,
        QaCalibration,
        QaCallRecord,
        QaSample,
        TeamBoard,
    )


class SessionHost(Protocol):
    """The session every screen stands on: who, in which language, on which store."""

    config: Config
    catalog: Catalog
    language: str
    library: ScriptsLibrary | None
    demo_customers: int
    store: Store | None
    kept_typing: dict[str, object]
    cursor_blink: bool
    agent_fixed: bool  # over SSH the agent is the key's: the sign-in does not ask for it

    # -- the session ---------------------------------------------------------------------------
    def t(self, key: str, /, **values: object) -> str: ...
    def now(self) -> datetime: ...
    @property
    def store_path(self) -> Path: ...
    def wait_for_store(self, timeout: float = 60.0) -> Store | None: ...
    def open_store(self) -> object: ...
    def cases(self, connection: Connection) -> CaseStore: ...
    def leave(self) -> None: ...
    def worker_state_changed(self, event: Worker.StateChanged) -> None: ...


class DisclosureHost(Protocol):
    """What may be shown of a customer: every screen that draws one asks."""

    def disclosure_for(self, customer_id: str) -> Disclosure: ...
    def set_disclosure(self, customer_id: str, disclosure: Disclosure | None) -> None: ...
    def customer_facts_changed(self, customer_id: str) -> None: ...


class CallHost(Protocol):
    """The call in progress (the call engine behind it is agent_tui.call_engine)."""

    @property
    def call(self) -> CallSession | None: ...
    def save_call(self, connection: Connection) -> int:
        """From a worker thread: the call's events not stored yet, its totals and notes."""
    def phrase_guard(self) -> PhraseGuard: ...
    def end_call(self, saved: bool) -> None: ...


class CaseHost(Protocol):
    """The case desk: forms, callbacks and what was being typed on them."""

    def open_case_form(self, customer: Customer) -> None: ...
    def start_callback(self, item: QueueItem) -> None: ...
    def kept_draft(self, key: str) -> dict | None: ...


class HubHost(Protocol):
    """The hub, when one is configured: searches, fetches, identity, sync."""

    @property
    def hub_configured(self) -> bool: ...
    def action_sync_now(self) -> None: ...
    def identity_client(self) -> HubClient | None: ...
    def search_hub(self, connection: Connection, text: str) -> Any: ...
    def fetch_from_hub(self, connection: Connection, customer_id: str) -> bool: ...


class TeamDesk(Protocol):
    """The team board, the KPIs and QA (issue 17), ``agent_tui.app.team.TeamController``. The
    hub decides who reads or changes what; HubRefused and HubUnreachable reach the caller."""

    def open_board(self) -> None: ...
    def open_kpis(self) -> None: ...
    def reassigned(self) -> None:
        """A reassignment was queued: sync now."""
    def board(self) -> TeamBoard | None:
        """From a worker thread: the caller's team now (None: no hub)."""
    def kpis(self, since: date, until: date) -> KpiReply | None:
        """From a worker thread: one's own figures, or a supervisor's team's."""
    def open_reviews(self) -> None: ...
    def open_qa_sample(self) -> None: ...
    def qa_sample(self) -> QaSample | None:
        """From a worker thread: this week's calls of the team to review (None: no hub)."""
    def qa_call(self, call_id: str) -> QaCallRecord | None:
        """From a worker thread: a call's record, the rubric prefilled from its events."""
    def qa_calibration(self, call_id: str) -> QaCalibration | None:
        """From a worker thread: two reviewers' agreement (None: not calibrated yet)."""
    def submit_review(self, call_id: str, marks: dict[str, Mark], calibration: bool
                      ) -> QaReview | None:
        """From a worker thread: a review to the hub, scored there."""
    def rubric(self) -> Rubric | None:
        """From a worker thread: the QA rubric, for its items' names."""
    def my_reviews(self, connection: Connection) -> list[QaReview]:
        """From a worker thread: the agent's QA reviews, newest first."""
    def answer_review(self, connection: Connection, review_id: str, status: str,
                      reason: str) -> QaReview:
        """From a worker thread: acknowledge or dispute a review (CaseError says what is
        missing)."""
    def queue_reassignment(self, connection: Connection, item: BoardItem, agent_id: str) -> str:
        """From a worker thread: hand a case or callback of the board to ``agent_id``."""


class TeamHost(Protocol):
    """Team leads and QA: one controller, reached as a whole."""

    team_desk: TeamDesk


class SuitabilityDesk(Protocol):
    """Product suitability at the desk (issue 18), ``agent_tui.app.suitability``: the engine's
    verdicts on the store's assessment; what it allows (or an override request) queued for the
    hub, the authority."""

    def open_products(self, customer: Customer) -> None: ...
    def rules(self) -> Suitability | None:
        """From a worker thread: the library's rules and products (None: they do not load)."""
    def assessments(self, connection: Connection, customer_id: str) -> list[Assessment]:
        """From a worker thread: the customer's assessments, newest first."""
    def verdict(self, assessment: Assessment | None, product: Product) -> Verdict: ...
    def may_reassess(self, earlier: list[Assessment]) -> Verdict: ...
    def refuse(self, connection: Connection, customer_id: str, product: Product,
               verdict: Verdict) -> str:
        """From a worker thread: audit a refusal the engine made."""
    def offer(self, connection: Connection, customer_id: str, product: Product,
              verdict: Verdict, override_reason: str = "") -> str:
        """From a worker thread: queue ``product.offer`` (an override request with a reason)."""
    def questionnaire(self) -> Questionnaire | None:
        """From a worker thread: the risk questionnaire (None: it does not load)."""
    def verified(self, customer_id: str) -> bool:
        """Whether the customer passed verification on this call (a reassessment needs it)."""
    def reassess(self, connection: Connection, customer_id: str, answers: dict[str, str],
                 scored: Scored) -> str:
        """From a worker thread: queue ``suitability.assess`` for the hub, which scores it."""


class SuitabilityHost(Protocol):
    suitability_desk: SuitabilityDesk


class TextualHost(Protocol):
    """Textual's App, the part the screens use."""

    @property
    def screen(self) -> Screen: ...
    @property
    def screen_stack(self) -> list[Screen]: ...
    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...
    def push_screen(self, screen: Any, callback: Any = None, *args: Any, **kwargs: Any) -> Any: ...
    def pop_screen(self) -> Any: ...
    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...
    def run_worker(self, work: Any, *args: Any, **kwargs: Any) -> Any: ...
    def batch_update(self) -> Any: ...
    def get_key_display(self, binding: Binding) -> str: ...
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None: ...
    def exit(self, *args: Any, **kwargs: Any) -> None: ...


class AgentHost(SessionHost, DisclosureHost, CallHost, CaseHost, HubHost, TeamHost,
                SuitabilityHost, TextualHost, Protocol):
    """The App as the screens see it: every area above. A host for another route (training's
    simulated call, a supervisor's board) implements the areas its screens use."""
