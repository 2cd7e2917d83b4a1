"""A notes box outside the call (a case's next note, a new case's description) under the same
forbidden-phrase guard as the call's notes: each word is highlighted as it is typed, caught and
counted (in the audit log, so it reaches the hub), and F8 applies its replacement.

The box grows with what is typed, up to its max-height, and scrolls from there.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import TextArea

from agent_tui.domain.catches import Catches
from agent_tui.domain.phrasing import Hit
from agent_tui.store import audit
from screens.widgets.guard_line import GuardLine
from screens.widgets.notes_editor import NotesEditor

CAUGHT = "forbidden.caught"  # the audit action of a word caught outside a call


class GuardedNotes(Vertical):
    DEFAULT_CSS = """
    GuardedNotes {
        height: auto;
    }
    GuardedNotes > NotesEditor {
        height: auto;
        min-height: 5;
        max-height: 12;
    }
    """

    def __init__(self, text: str, *, editor_id: str, title: str, where: str,
                 context: Callable[[], dict[str, str | None]], **kwargs: object) -> None:
        """``where`` names the box in the record ("case_note"); ``context`` gives, when a word is
        caught, the customer and case it is about."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text, self._editor_id, self._title = text, editor_id, title
        self.where, self.context = where, context
        self.catches = Catches(self.app.phrase_guard(), text)  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        editor = NotesEditor(id=self._editor_id)
        editor.border_title = self._title
        editor.load_text(self._text)
        yield editor
        yield GuardLine("case.guard_hint")

    def on_mount(self) -> None:
        self.editor.show_hits(self.catches.hits)
        self._show_line()

    @property
    def editor(self) -> NotesEditor:
        return self.query_one(NotesEditor)

    @property
    def hits(self) -> list[Hit]:
        return self.catches.hits

    def _show_line(self) -> None:
        self.query_one(GuardLine).show(self.editor.nearest_hit(), self.catches.guard,
                                       len(self.catches.hits))

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        had_hits = bool(self.catches.hits)
        fresh = self.catches.changed(event.text_area.text)
        self.editor.show_hits(self.catches.hits)
        self._show_line()
        if fresh:
            self._record(fresh)
        if had_hits != bool(self.catches.hits):
            self.screen.refresh_bindings()  # F8 is offered while there is something to apply

    @on(TextArea.SelectionChanged)
    def _moved(self) -> None:
        if self.catches.hits:
            self._show_line()

    def apply_nearest(self) -> bool:
        """F8: the replacement of the word nearest the cursor, fitted to its sentence."""
        hit = self.editor.nearest_hit()
        if hit is None:
            return False
        self.editor.apply_hit(hit)
        return True

    def _record(self, hits: list[Hit]) -> None:
        app = self.app
        agent_id, at, context = app.config.agent.id, app.now(), self.context()  # type: ignore
        customer_id = context.pop("customer_id", None)

        def write() -> None:
            store = app.store  # type: ignore[attr-defined]
            if store is None:
                return
            connection = store.connection()
            for hit in hits:
                audit.append(connection, agent_id=agent_id, action=CAUGHT, at=at,
                             customer_id=customer_id,
                             detail={"rule": hit.rule_id, "word": hit.word, "where": self.where,
                                     **context})

        app.run_worker(write, thread=True, group="guard-record", exit_on_error=False)
