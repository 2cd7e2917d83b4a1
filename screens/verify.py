"""Identity verification: the agent types what the caller says; the rules compare.

Nothing here shows what the store holds: an outcome names the answers that did not match and how
many tries are left, never the right value. Who compares is ``agent_tui.sync.identity``'s choice:
the hub when there is one (it holds the facts, and releases what a pass earns), offline the
customer's sealed copy, or the store's facts on a workstation without a hub. Passing unmasks
the 360 to the tier earned (the call workspace writes the audit first); the policy's number of
failures locks verification for this call, and the workspace flags the customer. A third party
calling for the customer is recorded, and the data stays masked.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Rule, Static

from agent_tui.domain.call_session import CallSession
from agent_tui.domain.verification import RECENT_AMOUNT_WINDOW, Comparison, Outcome, Status
from agent_tui.sync import identity
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe_input import SafeInput
from screens.widgets.workers import work


class VerifyScreen(AgentModal[str]):
    HELP_KEY = "help.verify"

    def __init__(self, call: CallSession) -> None:
        super().__init__()
        self.call = call
        policy = call.library.verification
        self.factors = (*policy.required, *policy.any_of)
        self._checking = False  # an attempt is being compared: Enter again waits for it

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        policy = self.call.library.verification
        with Vertical(classes="dialog"):
            yield Prose(Content(t("verify.title", need=policy.need, count=len(policy.any_of))),
                         classes="dialog-title")
            for factor in self.factors:
                with Horizontal(classes="row"):
                    required = "*" if factor in policy.required else " "
                    yield Label(f"{required} {t(f'verify.factor.{factor}')}")
                    yield SafeInput(id=f"answer-{factor}", compact=True, max_length=40,
                                    placeholder=t(f"verify.hint.{factor}"))
            if "recent_amount" in self.factors:
                yield Prose(Content(t("verify.amount_rule",
                                       days=RECENT_AMOUNT_WINDOW.days)).stylize("$text-muted"),
                             classes="dialog-message")
            yield Prose(id="verify-result", classes="dialog-message")
            yield Rule()
            yield Prose(Content(t("verify.third_party")), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label(t("verify.caller_name"))
                yield SafeInput(id="third-name", compact=True, max_length=40)
            with Horizontal(classes="row"):
                yield Label(t("verify.relationship"))
                yield SafeInput(id="third-relationship", compact=True, max_length=40)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(f"#answer-{self.factors[0]}"))
        verification = self.call.verification
        if verification is None:
            self._say(self.agent_app.t("verify.no_customer"))
        elif verification.status is not Status.OPEN:
            self._say(self.agent_app.t(f"call.verification.{verification.status.value}"))
        elif verification.failures:
            self._say(self.agent_app.t("verify.left", left=verification.policy.max_attempts
                                       - verification.failures))

    def _say(self, message: str, error: bool = False) -> None:
        result = self.query_one("#verify-result", Static)
        result.update(Content(message).stylize("$text-error" if error else ""))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("third-"):
            self._third_party()
        else:
            self._attempt()

    def _attempt(self) -> None:
        t, call = self.agent_app.t, self.call
        if call.verification is None:
            self._say(t("verify.no_customer"), error=True)
            return
        if self._checking:
            return
        answers = {factor: self.query_one(f"#answer-{factor}", Input).value
                   for factor in self.factors}
        if call.verification.status is not Status.OPEN:
            self._outcome(call.verify(answers, self.agent_app.now()))
            return
        self._checking = True
        self._say(t("verify.checking"))
        self.compare(answers)

    @work(thread=True, group="verify")
    def compare(self, answers: dict[str, str]) -> None:
        """Who compares is the hub, a sealed copy or the store (``sync.identity``): I/O, off
        the event loop."""
        app, call = self.agent_app, self.call

        def compare(connection: object) -> Comparison | str:
            try:
                return identity.compare(connection, app.identity_client(), call.id,
                                        call.customer_id, answers, call.verification, app.now())
            except identity.IdentityRefused as refused:
                return app.catalog.error(refused)

        if not self.use_store(compare, lambda found: self._compared(answers, found)):
            app.call_from_thread(self._done_checking)

    def _done_checking(self) -> None:
        self._checking = False

    def _compared(self, answers: dict[str, str], found: Comparison | str) -> None:
        self._checking = False
        if isinstance(found, str):  # it cannot be compared now: why, and what to do
            self._say(found, error=True)
            return
        self._outcome(self.call.verify(answers, self.agent_app.now(), found))

    def _outcome(self, outcome: Outcome) -> None:
        if outcome.status in (Status.PASSED, Status.LOCKED):
            self.dismiss(outcome.status.value)
            return
        self._say(self._explain(outcome), error=True)

    def _named(self, factors) -> str:
        return self.agent_app.t("verify.factor_separator").join(self.agent_app.t(f"verify.factor.{factor}") for factor in factors)

    def _explain(self, outcome: Outcome) -> str:
        t, named = self.agent_app.t, self._named
        if outcome.status is not Status.OPEN:
            return t(f"call.verification.{outcome.status.value}")
        if outcome.missing:
            parts = []
            if outcome.failed_factors:  # a required answer given and already wrong
                parts.append(t("verify.wrong_already", failed=named(outcome.failed_factors)))
            required = [factor for factor in outcome.missing if not factor.startswith("any_of:")]
            if required:
                parts.append(t("verify.still_to_ask", named=named(required)))
            for factor in outcome.missing:
                if factor.startswith("any_of:"):
                    policy = self.call.library.verification
                    unanswered = [f for f in policy.any_of if not self.query_one(
                        f"#answer-{f}", Input).value.strip()]
                    parts.append(t("verify.more_of", count=factor.split(":")[1],
                                   named=named(unanswered)))
            return " ".join(parts)
        if outcome.ambiguous:
            return t("verify.failed_ambiguous", left=outcome.attempts_left)
        return t("verify.failed", failed=named(outcome.failed_factors) or "-",
                 left=outcome.attempts_left)

    def _third_party(self) -> None:
        name = self.query_one("#third-name", Input).value.strip()
        relationship = self.query_one("#third-relationship", Input).value.strip()
        if not name or not relationship:
            self._say(self.agent_app.t("verify.third_party_missing"), error=True)
            return
        self.call.third_party(name, relationship, self.agent_app.now())
        self.dismiss("third_party")
