"""When the store cannot be used: say why, name the file, and offer what can be done.

A missing store can be seeded with demo data right here (with progress); a corrupt, foreign or newer
file is left exactly as it is and the agent is told what to do about it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Header, ProgressBar, Static

from agent_tui.i18n import TranslatableError
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.workers import work


class StoreProblemScreen(AgentScreen[None]):
    CSS_PATH = "forms.tcss"
    HELP_KEY = "help.store_problem"
    ALLOW_BACK = False
    CLOSES_WHEN_STORE_OPENS = True  # once seeded and opened, the agent goes straight to work

    def __init__(self, message: str, *, offer_seed: bool) -> None:
        super().__init__()
        self.message = message
        self.offer_seed = offer_seed

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        with Vertical(id="store-problem"):
            yield Prose(Content(self.message), id="store-message")
            yield ProgressBar(id="seed-progress", show_eta=False)
            with Horizontal(id="store-actions"):
                if self.offer_seed:
                    yield Button(
                        t("store.seed_button", count=self.agent_app.demo_customers),
                        id="seed", variant="primary",
                    )
                yield Button(t("store.quit_button"), id="quit", variant="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#seed-progress").display = False
        self.query_one("#seed" if self.offer_seed else "#quit", Button).focus()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()

    @on(Button.Pressed, "#seed")
    def _seed(self, event: Button.Pressed) -> None:
        event.button.disabled = True
        self.query_one("#seed-progress").display = True
        self.query_one("#store-message", Static).update(Content(self.agent_app.t("store.seeding")))
        self.seed()

    @work(thread=True, exclusive=True, group="seed")
    def seed(self) -> None:
        from data.generator import SeedPlan
        from data.seed import seed_store

        app = self.agent_app
        bar = self.query_one("#seed-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            app.call_from_thread(bar.update, total=total, progress=done)

        plan = SeedPlan(app.demo_customers, seed=1, as_of=app.now().date())
        try:
            seed_store(app.store_path, plan, progress=progress)
        except TranslatableError as error:
            app.call_from_thread(self._failed, app.catalog.error(error))
        except OSError as error:
            app.call_from_thread(self._failed, app.t("store.seed_failed", reason=str(error)))
        else:
            app.call_from_thread(app.open_store)

    def _failed(self, message: str) -> None:
        self.query_one("#store-message", Static).update(Content(message))
        self.query_one("#seed-progress").display = False
        self.query_one("#seed", Button).disabled = False  # once there is room, seed again
