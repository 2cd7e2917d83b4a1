"""Identity verification: the agent types what the caller says; the rules compare.

Nothing here shows what the store holds: an outcome names the answers that did not match and how
many tries are left, never the right value. Passing unmasks the 360 to the tier earned (the call
workspace asks the audit log first); the policy's number of failures locks verification for this
call, and the workspace flags the customer. A third party calling for the customer is recorded,
and the data stays masked.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Rule, Static

from agent_tui.domain.call_session import CallSession
from agent_tui.domain.verification import Outcome, Status
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe_input import SafeInput


class VerifyScreen(AgentModal[str]):
    HELP_KEY = "help.verify"

    def __init__(self, call: CallSession) -> None:
        super().__init__()
        self.call = call
        policy = call.library.verification
        self.factors = (*policy.required, *policy.any_of)

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        policy = self.call.library.verification
        with Vertical(classes="dialog"):
            yield Static(Content(t("verify.title", need=policy.need, count=len(policy.any_of))),
                         classes="dialog-title")
            for factor in self.factors:
                with Horizontal(classes="row"):
                    required = "*" if factor in policy.required else " "
                    yield Label(f"{required} {t(f'verify.factor.{factor}')}")
                    yield SafeInput(id=f"answer-{factor}", compact=True, max_length=40,
                                    placeholder=t(f"verify.hint.{factor}"))
            yield Static(id="verify-result", classes="dialog-message")
            yield Rule()
            yield Static(Content(t("verify.third_party")), classes="dialog-title")
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
        answers = {factor: self.query_one(f"#answer-{factor}", Input).value
                   for factor in self.factors}
        outcome = call.verify(answers, self.agent_app.now())
        if outcome.status in (Status.PASSED, Status.LOCKED):
            self.dismiss(outcome.status.value)
            return
        self._say(self._explain(outcome), error=True)

    def _explain(self, outcome: Outcome) -> str:
        t = self.agent_app.t
        comma = "、" if self.agent_app.language == "zh-CN" else ", "
        if outcome.missing:
            named = [t(f"verify.factor.{factor}") for factor in outcome.missing
                     if not factor.startswith("any_of:")]
            more = [factor.split(":")[1] for factor in outcome.missing
                    if factor.startswith("any_of:")]
            return t("verify.missing", named=comma.join(named) or "-",
                     more=more[0] if more else "0")
        failed = comma.join(t(f"verify.factor.{factor}") for factor in outcome.failed_factors)
        return t("verify.failed", failed=failed or "-", left=outcome.attempts_left)

    def _third_party(self) -> None:
        name = self.query_one("#third-name", Input).value.strip()
        relationship = self.query_one("#third-relationship", Input).value.strip()
        if not name or not relationship:
            self._say(self.agent_app.t("verify.third_party_missing"), error=True)
            return
        self.call.third_party(name, relationship, self.agent_app.now())
        self.dismiss("third_party")
