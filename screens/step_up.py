"""A sensitive operation (freeze or unfreeze a card, reset a password, change a limit, a large
transfer): choose it, send a one-time code to the registered mobile, and perform it once the caller
reads the code back. The core refuses the operation without a passed step-up; so does this dialog.

The demo's "SMS" is a line in ``sms-outbox.log`` beside the store (see the README).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_tui.domain.call_session import CallSession
from agent_tui.domain.models import Account, AccountStatus
from agent_tui.domain.operations import CARD_OPERATIONS, OPERATION_NAMES, refusal
from agent_tui.domain.verification import StepUpResult
from agent_tui.i18n import TranslatableError
from agent_tui.store import operations, sms_outbox
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe_input import SafeInput

_CARD_FROM = {"freeze_card": AccountStatus.ACTIVE, "unfreeze_card": AccountStatus.FROZEN}


class StepUpScreen(AgentModal[str]):
    HELP_KEY = "help.step_up"

    def __init__(self, call: CallSession) -> None:
        super().__init__()
        self.call = call
        self.choice: tuple[str, str | None] | None = None  # operation, account id

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        with Vertical(classes="dialog"):
            yield Static(Content(t("step_up.title")), classes="dialog-title")
            yield OptionList(id="operations")
            yield Static(id="step-up-message", classes="dialog-message")
            yield SafeInput(id="step-up-code", max_length=12, compact=True,
                            placeholder=t("step_up.code"))
            yield Static(id="step-up-error", classes="dialog-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#step-up-code").display = False
        self.set_focus(self.query_one("#operations"))
        if not self.call.verified:
            self._error(self.agent_app.t("operation.not_verified"))
        if self.call.customer_id:
            self.load_accounts(self.call.customer_id)

    @work(thread=True, group="step-up")
    def load_accounts(self, customer_id: str) -> None:
        self.read_store(lambda customers: customers.accounts(customer_id), self._show_options)

    def _show_options(self, accounts: tuple[Account, ...]) -> None:
        language = self.agent_app.language
        options = []
        for operation, name in OPERATION_NAMES.items():
            if operation not in CARD_OPERATIONS:
                options.append(Option(Content(name(language)), id=operation))
                continue
            for account in accounts:
                if account.kind == "debit_card" or account.kind == "credit_card":
                    if account.status is _CARD_FROM[operation]:
                        label = f"{name(language)}  \u2022\u2022\u2022\u2022 {account.number[-4:]}"
                        options.append(Option(Content(label), id=f"{operation}:{account.id}"))
        listed = self.query_one("#operations", OptionList)
        listed.add_options(options)
        if options:
            listed.highlighted = 0

    def _error(self, message: str) -> None:
        self.query_one("#step-up-error", Static).update(Content(message))

    @on(OptionList.OptionSelected, "#operations")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        operation, _, account_id = str(event.option.id).partition(":")
        policy = self.call.library.verification
        reason = refusal(operation, policy, self.call.verified, None)
        if reason == "operation.not_verified":
            self._error(self.agent_app.t(reason))
            return
        self.choice = (operation, account_id or None)
        if reason is None:  # the policy does not ask a step-up for this one
            self.perform()
            return
        self.send_code(operation)

    @work(thread=True, group="step-up")
    def send_code(self, operation: str) -> None:
        app, customer = self.agent_app, self.call.customer
        if customer is None:
            return
        code, at = sms_outbox.new_code(), app.now()
        outbox = sms_outbox.outbox_path(app.store_path)
        try:
            sms_outbox.send_code(outbox, mobile=customer.mobile, code=code, operation=operation,
                                 at=at)
        except OSError as error:
            app.call_from_thread(self._error, app.t("step_up.not_sent", reason=str(error)))
            return
        app.call_from_thread(self._code_sent, operation, code, at, outbox)

    def _code_sent(self, operation: str, code: str, at: object, outbox: object) -> None:
        app, customer = self.agent_app, self.call.customer
        self.call.send_step_up(operation, code, at)  # type: ignore[arg-type]
        shown = app.disclosure_for(customer.id).mobile(customer.mobile) if customer else ""
        self.query_one("#step-up-message", Static).update(Content(app.t(
            "step_up.sent", operation=OPERATION_NAMES[operation](app.language), mobile=shown,
            outbox=str(outbox))))
        self._error("")
        code_box = self.query_one("#step-up-code", Input)
        code_box.display = True
        code_box.value = ""
        self.set_focus(code_box)

    @on(Input.Submitted, "#step-up-code")
    def _code_entered(self, event: Input.Submitted) -> None:
        t = self.agent_app.t
        result = self.call.check_step_up(event.value, self.agent_app.now())
        if result is StepUpResult.PASSED:
            self.perform()
            return
        if result is StepUpResult.WRONG:
            left = self.call.step_up.MAX_TRIES - self.call.step_up.tries  # type: ignore[union-attr]
            self._error(t("step_up.wrong", left=left))
        else:  # expired or locked: a new code is needed
            self._error(t(f"step_up.{result.value}"))
            event.input.display = False
            self.set_focus(self.query_one("#operations"))

    @work(thread=True, group="step-up")
    def perform(self) -> None:
        app, call = self.agent_app, self.call
        operation, account_id = self.choice  # type: ignore[misc]

        def do(connection: object) -> str:
            return operations.perform(
                connection, operation=operation, customer_id=call.customer_id,
                agent_id=app.config.agent.id, at=app.now(), policy=call.library.verification,
                verified=call.verified, step_up=call.step_up, account_id=account_id,
                call_id=call.id)

        try:
            self.use_store(do, lambda _entry: self._performed(operation, account_id))
        except TranslatableError as refused:
            app.call_from_thread(self._error, app.catalog.error(refused))

    def _performed(self, operation: str, account_id: str | None) -> None:
        detail = {"account_id": account_id} if account_id else {}
        self.call.operation_done(operation, self.agent_app.now(), **detail)
        self.notify(self.agent_app.t("step_up.done",
                                     operation=OPERATION_NAMES[operation](self.agent_app.language)))
        self.dismiss(operation)
