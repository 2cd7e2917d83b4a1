"""The suitability controller: the App's part for product suitability at the desk (issue 18).
From a customer's 360 or the call, shift+F6 opens the products screen; it asks the engine
(``domain.suitability``, with the library's rules) for each product's verdict on the customer's
latest assessment in the store, refuses at once what the engine refuses (audited here), and queues
what it allows, or an override request, as ``product.offer`` for the hub, which decides again.

Screens reach it as ``AgentHost.suitability_desk`` (``screens.widgets.host.SuitabilityDesk``)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from agent_tui.domain.masking import Tier
from agent_tui.domain.questionnaire import Questionnaire, Scored, Unscorable, score
from agent_tui.domain.suitability import Assessment, Product, Verdict, may_reassess, may_sell
from agent_tui.library.loader import LibraryError
from agent_tui.store import reassessment
from agent_tui.store import suitability as store
from screens.widgets.agent_modal import AgentModal
from screens.widgets.agent_screen import AgentScreen

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost
    from agent_tui.domain.models import Customer
    from agent_tui.library.suitability import Suitability


class SuitabilityController:
    def __init__(self, app: AppHost) -> None:
        self.app = app
        self._rules: Suitability | None = None
        self._questionnaire: Questionnaire | None = None

    # -- on the event loop ---------------------------------------------------------------------

    def allows(self, action: str) -> bool | None:
        """shift+F6 is offered where a customer is in view: their 360, or the call with them."""
        if action != "products":
            return None
        return self.customer_in_view() is not None

    def customer_in_view(self) -> Customer | None:
        screen, call = self.app.screen, self.app.engine.call
        if not isinstance(screen, AgentScreen) or isinstance(screen, AgentModal):
            return None  # a dialog in front (the call's own too) finishes first
        # The call's workspace (not imported here: this runs for every key binding shown).
        if call is not None and getattr(screen, "call", None) is call:
            return call.customer
        return screen.customer_in_view()

    def open(self) -> None:
        """The key: the products for the customer in view."""
        if (customer := self.customer_in_view()) is not None:
            self.open_products(customer)

    def open_products(self, customer: Customer) -> None:
        from screens.products import ProductsScreen

        if not isinstance(self.app.screen, ProductsScreen):
            self.app.push_screen(ProductsScreen(customer))

    # -- from a worker thread ------------------------------------------------------------------

    def rules(self) -> Suitability | None:
        """The library's suitability.toml; None if it does not load (``scripts check`` says
        why, and nothing may be offered without its rules)."""
        if self._rules is None:
            from agent_tui.library.suitability import load_suitability

            try:
                self._rules = load_suitability(self.app.config.scripts_path())
            except (LibraryError, OSError):
                return None
        return self._rules

    def questionnaire(self) -> Questionnaire | None:
        """The library's risk_questionnaire.toml; None if it does not load."""
        if self._questionnaire is None:
            from agent_tui.library.questionnaire import load_questionnaire

            try:
                self._questionnaire = load_questionnaire(self.app.config.scripts_path())
            except (LibraryError, OSError):
                return None
        return self._questionnaire

    def assessments(self, connection: sqlite3.Connection, customer_id: str) -> list[Assessment]:
        """The customer's assessments, newest first: the store's, and the reassessments made
        here that the hub has not recorded yet (scored here, marked pending)."""
        held = store.assessments(connection, customer_id)
        questionnaire = self.questionnaire()
        for waiting in reassessment.pending(connection, customer_id):
            try:
                level = score(questionnaire, waiting.answers).level if questionnaire else ""
            except Unscorable:
                level = ""
            if level and not any(item.assessed_at == waiting.at for item in held):
                held.append(Assessment(level=level, assessed_at=waiting.at,
                                       answers_version=waiting.version, pending=True))
        return sorted(held, key=lambda item: item.assessed_at, reverse=True)

    def verified(self, customer_id: str) -> bool:
        """Whether the customer passed verification on this call: the answers are theirs."""
        return self.app.disclosure_for(customer_id).tier >= Tier.BASIC

    def reassess(self, connection: sqlite3.Connection, customer_id: str,
                 answers: dict[str, str], scored: Scored) -> str:
        """From a worker thread: queue the answers for the hub (which scores them again)."""
        questionnaire = self.questionnaire()
        assert questionnaire is not None  # the form is offered only with it
        return reassessment.queue_assessment(
            connection, customer_id=customer_id, answers=answers, version=questionnaire.version,
            level=scored.level, agent_id=self._agent(), at=self.app.now())

    def verdict(self, assessment: Assessment | None, product: Product) -> Verdict:
        rules = self.rules()
        assert rules is not None  # the screen offers nothing without them
        return may_sell(assessment, product, self.app.now(), rules.rules)

    def may_reassess(self, earlier: list[Assessment]) -> Verdict:
        rules = self.rules()
        assert rules is not None
        return may_reassess([item.assessed_at for item in earlier], self.app.now(), rules.rules)

    def refuse(self, connection: sqlite3.Connection, customer_id: str, product: Product,
               verdict: Verdict) -> str:
        """The engine refused: audited on this workstation, nothing queued."""
        return store.record_refusal(connection, customer_id=customer_id, product_id=product.id,
                                    action="sell", verdict=verdict, agent_id=self._agent(),
                                    at=self.app.now())

    def offer(self, connection: sqlite3.Connection, customer_id: str, product: Product,
              verdict: Verdict, override_reason: str = "") -> str:
        """Queue the sale the engine allowed, or an override request for one it refused: the hub
        decides (and never grants an override by itself)."""
        return store.queue_offer(connection, customer_id=customer_id, product_id=product.id,
                                 action="sell", verdict=verdict, agent_id=self._agent(),
                                 at=self.app.now(), override_reason=override_reason)

    def _agent(self) -> str:
        return self.app.config.agent.id
