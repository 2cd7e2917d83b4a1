"""First run: the agent says who they are once; the workstation remembers it in the config file."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Header, Input, Label, Static

from agent_tui.config import ConfigError, remember_agent
from agent_tui.domain.text import sanitize
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe_input import SafeInput


class SignInScreen(AgentScreen[bool]):
    CSS_PATH = "forms.tcss"
    HELP_KEY = "help.sign_in"
    ALLOW_BACK = False

    def compose(self) -> ComposeResult:
        app = self.agent_app
        t, agent = app.t, app.config.agent
        yield Header()
        with Vertical(id="sign-in"):
            yield Prose(Content(t("sign_in.intro")), id="sign-in-intro")
            yield Label(t("sign_in.agent_id"))
            yield SafeInput(value=agent.id, id="agent-id", max_length=16,
                            disabled=app.agent_fixed)
            yield Label(t("sign_in.name"))
            yield SafeInput(value=agent.name, id="agent-name", max_length=32)
            yield Label(t("sign_in.staff_number"))
            yield SafeInput(value=agent.staff_number, id="staff-number", max_length=16)
            yield Prose(id="sign-in-error")
            yield Button(t("sign_in.submit"), id="sign-in-submit", variant="primary")
        yield KeyBar()

    @on(Input.Submitted)
    @on(Button.Pressed, "#sign-in-submit")
    def _submit(self) -> None:
        app = self.agent_app
        values = [
            sanitize(self.query_one(f"#{field}", Input).value).strip()
            for field in ("agent-id", "agent-name", "staff-number")
        ]
        if app.agent_fixed:
            values[0] = app.config.agent.id
        if not all(values):
            self.query_one("#sign-in-error", Static).update(Content(app.t("sign_in.missing")))
            return
        try:
            remember_agent(app.config, *values)
        except ConfigError as error:  # a full disk, a read-only folder: said with the file
            self.query_one("#sign-in-error", Static).update(Content(app.catalog.error(error)))
            return
        self.dismiss(True)
