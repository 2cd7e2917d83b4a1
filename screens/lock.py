"""The idle lock over SSH, and the PIN chosen on first use. Locked, the whole terminal shows this
screen alone (nothing of the screens under it is drawn, and every customer is masked under it
too); the call, its draft and every form stay as they were. The agent unlocks with their staff
number and their PIN; wrong tries are limited (agent_tui/pin_lock.py)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Header, Input, Label, Static

from agent_tui.pin_lock import PinError, PinFile
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe_input import SafeInput


class LockScreen(AgentScreen[bool]):
    """``choosing``: the first session asks for a PIN (twice) instead of checking one."""

    CSS_PATH = "lock.tcss"
    HELP_KEY = "lock.help"
    ALLOW_BACK = False

    def __init__(self, pins: PinFile, *, choosing: bool, minutes: float) -> None:
        super().__init__()
        self.pins = pins
        self.choosing = choosing
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        with Vertical(id="lock"):
            if self.choosing:
                yield Static(Content(t("lock.choose_intro", minutes=f"{self.minutes:g}")),
                             id="lock-intro")
                yield Label(t("lock.new_pin"))
                yield SafeInput(id="pin", password=True, max_length=8)
                yield Label(t("lock.pin_again"))
                yield SafeInput(id="pin-again", password=True, max_length=8)
            else:
                yield Static(Content(t("lock.locked_intro")), id="lock-intro")
                yield Label(t("lock.staff_number"))
                yield SafeInput(id="staff-number", max_length=16)
                yield Label(t("lock.pin"))
                yield SafeInput(id="pin", password=True, max_length=8)
            yield Static(id="lock-error")
            yield Button(t("lock.choose" if self.choosing else "lock.unlock"), id="lock-submit",
                         variant="primary", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    @on(Input.Submitted)
    @on(Button.Pressed, "#lock-submit")
    def _submit(self, event: Input.Submitted | Button.Pressed) -> None:
        last = "pin-again" if self.choosing else "pin"
        if isinstance(event, Input.Submitted) and event.input.id != last:
            self.focus_next()  # Enter in the first field moves on, as Tab does
            return
        try:
            if self.choosing:
                self.pins.set(self._value("pin"), self._value("pin-again"))
            else:
                self.pins.check(self._value("staff-number"),
                                self.agent_app.config.agent.staff_number, self._value("pin"))
        except PinError as error:
            self._refused(self.agent_app.catalog.error(error))
            return
        except OSError as error:  # the agent's folder unreadable: said, the screen stays
            self._refused(self.agent_app.t("lock.pin_not_saved", path=str(self.pins.path),
                                           reason=error.strerror or str(error)))
            return
        self.dismiss(True)

    def _refused(self, message: str) -> None:
        for box in self.query(Input):
            if box.password:
                box.value = ""  # a PIN is never left on screen, even as dots
        self.query_one("#lock-error", Static).update(Content(message))
        self.query_one("#pin", Input).focus()

