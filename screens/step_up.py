"""A sensitive operation (freeze or unfreeze a card, reset a password, change a limit, a large
transfer): choose it, send a one-time code to the registered mobile, and perform it once the caller
reads the code back. The core refuses the operation without a passed step-up; so does this dialog.

With a hub, the hub makes, sends and checks the code, and applies the operation to its own
accounts: the workstation sends it the command and shows the card pending until the hub's change
comes back. Offline nothing sensitive is done: the agent is told why, and the route the caller
can take without us (the library's ``offline_emergency``). Without a hub (a demo store of its
own), the "SMS" is a line in ``sms-outbox.log`` beside the store (see the README). In a training
call the simulated customer's phone gets it (``screens/training_step_up.py``, ``hub_decides``).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_tui.domain.call_session import CallSession
from agent_tui.domain.disclosed import Revealed
from agent_tui.domain.models import Account, AccountStatus
from agent_tui.domain.operations import CARD_OPERATIONS, OPERATION_NAMES, refusal
from agent_tui.domain.verification import StepUpResult
from agent_tui.i18n import TranslatableError
from agent_tui.store import operations, sms_outbox
from agent_tui.sync import identity
from screens.widgets.agent_modal import AgentModal
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe_input import SafeInput
from screens.widgets.workers import work

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
            yield Prose(Content(t("step_up.title")), classes="dialog-title")
            yield OptionList(id="operations")
            yield Prose(id="step-up-message", classes="dialog-message")
            yield SafeInput(id="step-up-code", max_length=12, compact=True,
                            placeholder=t("step_up.code"))
            yield Prose(id="step-up-error", classes="dialog-error")
            yield from self.compose_caller()
        yield KeyBar()

    def compose_caller(self) -> ComposeResult:
        """What a training call adds: the simulated caller, heard in the dialog."""
        yield from ()

    @property
    def hub_decides(self) -> bool:
        """The hub makes, sends and checks the code and applies the operation (a training
        call's never: its simulated customer has their phone in the training run)."""
        return self.agent_app.hub_configured

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
        if reason is None and not self.hub_decides:
            self.perform()  # the policy asks no code for this one (a hub always does)
            return
        self.send_code(operation)

    @work(thread=True, group="step-up")
    def send_code(self, operation: str) -> None:
        app, customer = self.agent_app, self.call.customer
        if customer is None:
            return
        if self.hub_decides:
            self._send_from_hub(operation)
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

    def _send_from_hub(self, operation: str) -> None:
        """From the worker: the hub sends the code (it alone can, so offline: refused)."""
        app, call = self.agent_app, self.call
        account_id = self.choice[1] if self.choice else None

        def send(connection: object):
            return identity.send_code(connection, app.identity_client(), call.id, operation,
                                      account_id)

        try:
            self.use_store(send, lambda sent: self._code_sent(
                operation, None, app.now(), "", step_up_id=sent.step_up_id, mobile=sent.mobile))
        except identity.IdentityRefused as refused:
            app.call_from_thread(self._refused, refused)

    def _refused(self, refused: TranslatableError) -> None:
        app = self.agent_app
        message = app.catalog.error(refused)
        if refused.key == "identity.offline_operation":  # the caller still needs a way
            message += "\n" + app.t("step_up.emergency", route=self.call.library.verification
                                     .offline_emergency(app.language))
        self._error(message)

    def _code_sent(self, operation: str, code: str | None, at: object, outbox: object,
                   step_up_id: str = "", mobile: str = "") -> None:
        app, customer = self.agent_app, self.call.customer
        self.call.send_step_up(operation, code, at, step_up_id)  # type: ignore[arg-type]
        if step_up_id:
            text = app.t("step_up.sent_by_hub", operation=OPERATION_NAMES[operation](
                app.language), mobile=mobile)
        else:
            shown = app.disclosure_for(customer.id).mobile(customer.mobile) if customer else ""
            text = app.t("step_up.sent", operation=OPERATION_NAMES[operation](app.language),
                         mobile=shown, outbox=str(outbox))
        self.await_code(text)

    def await_code(self, text: str) -> None:
        """The code is on its way (``text`` says where): the box to type it in."""
        self.query_one("#step-up-message", Static).update(Content(text))
        self._error("")
        code_box = self.query_one("#step-up-code", Input)
        code_box.display = True
        code_box.value = ""
        self.set_focus(code_box)

    @on(Input.Submitted, "#step-up-code")
    def _code_entered(self, event: Input.Submitted) -> None:
        step_up = self.call.step_up
        if step_up is not None and step_up.step_up_id:
            self.check_at_hub(step_up.step_up_id, event.value)
            return
        self._checked(self.call.check_step_up(event.value, self.agent_app.now()))

    @work(thread=True, group="step-up")
    def check_at_hub(self, step_up_id: str, code: str) -> None:
        app = self.agent_app

        def check(connection: object):
            return identity.check_code(connection, app.identity_client(), step_up_id, code)

        try:
            self.use_store(check, lambda checked: self._checked_by_hub(code, checked))
        except identity.IdentityRefused as refused:
            app.call_from_thread(self._refused, refused)

    def _checked_by_hub(self, code: str, checked) -> None:
        if isinstance(checked.release, Revealed):
            self.call.reveal(checked.release)
        self._checked(self.call.check_step_up(code, self.agent_app.now(),
                                              decided=StepUpResult(checked.result)))

    def _checked(self, result: StepUpResult) -> None:
        t = self.agent_app.t
        if result is StepUpResult.PASSED:
            self.perform()
            return
        if result is StepUpResult.WRONG:
            self._error(t("step_up.wrong", left=self.call.step_up.tries_left))  # type: ignore
        else:  # expired or locked: a new code is needed
            self._error(t(f"step_up.{result.value}"))
            self.query_one("#step-up-code", Input).display = False
            self.set_focus(self.query_one("#operations"))

    @work(thread=True, group="step-up")
    def perform(self) -> None:
        app, call = self.agent_app, self.call
        operation, account_id = self.choice  # type: ignore[misc]

        # With a hub the operation is its to apply: sent, pending until it confirms.
        act = operations.request if self.hub_decides else operations.perform

        def do(connection: object) -> str:
            return act(
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
        app = self.agent_app
        self.call.operation_done(operation, app.now(), **detail)
        name = OPERATION_NAMES[operation](app.language)
        if self.hub_decides:
            self.notify(app.t("step_up.pending", operation=name))
            app.action_sync_now()  # to the hub at once: it applies it, and the card follows
        else:
            self.notify(app.t("step_up.done", operation=name))
        self.dismiss(operation)
