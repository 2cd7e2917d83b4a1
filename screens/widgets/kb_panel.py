"""The call's suggested articles: a side panel that follows the request type and what the agent
types in the notes, and never takes the focus (the agent keeps typing). F9 opens the knowledge
base with these first: Enter reads one, F8 quotes it into the notes.

The search waits for a pause in the typing (``PAUSE``) and runs on a worker thread; the newest
notes win.
"""

from __future__ import annotations

from textual.content import Content
from textual.timer import Timer
from textual.worker import Worker

from agent_tui.domain.kb import SearchHit
from agent_tui.store import kb
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.kb_text import marked
from screens.widgets.line_broken import Prose
from screens.widgets.workers import work

PAUSE = 0.6  # seconds without typing before the suggestions follow the notes
SHOWN = 4


class KbSuggestions(Prose):
    """A Prose: a Chinese title wraps by the rules, never leaving its bullet alone on a line."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._wanted: tuple[str, str] | None = None
        self._shown_for: tuple[str, str] | None = None
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        app = self.screen.agent_app  # type: ignore[attr-defined]
        self.border_title = Content(app.t("kb.suggested"))
        self.border_subtitle = Content("F9")
        self.update(Content(app.t("kb.no_suggestions")).stylize("$text-muted"))

    @property
    def pending(self) -> bool:
        """Whether what is shown is not yet for the latest request type and notes."""
        return self._wanted is not None and self._wanted != self._shown_for

    def follow(self, request_type: str, notes: str) -> None:
        """Suggest for these; at once for a new request type, after a pause for typing."""
        wanted = (request_type, notes.strip())
        if wanted == self._wanted:
            return
        first = self._wanted is None or self._wanted[0] != request_type
        self._wanted = wanted
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if first:  # a new request type: at once (a timer of 0 s divides by zero in Textual)
            self.call_later(self._search)
        else:
            self._timer = self.set_timer(PAUSE, self._search)

    def _search(self) -> None:
        if self._wanted is not None and self._wanted != self._shown_for:
            self._suggest(self._wanted)

    @work(thread=True, exclusive=True, group="kb-suggest")
    def _suggest(self, wanted: tuple[str, str]) -> None:
        screen = self.screen
        if not isinstance(screen, AgentScreen):
            return
        language = screen.agent_app.language
        screen.use_store(lambda connection: kb.suggest(connection, wanted[0], wanted[1],
                                                       language, SHOWN),
                         lambda hits: self._show(wanted, hits))

    def _show(self, wanted: tuple[str, str], hits: list[SearchHit]) -> None:
        if wanted != self._wanted:
            return  # the notes changed since: the newer search draws
        self._shown_for = wanted
        app = self.screen.agent_app  # type: ignore[attr-defined]
        if not hits:
            self.update(Content(app.t("kb.no_suggestions")).stylize("$text-muted"))
            return
        self.update(Content("\n").join(
            Content.assemble("• ", marked(hit.title)) for hit in hits))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A widget's worker reports to the widget only: on to the app's one policy."""
        self.screen.agent_app.worker_state_changed(event)  # type: ignore[attr-defined]
