"""One case, worked: what it is, its SLA clock, the escalations the rules suggest, its notes (oldest
first, append-only) and a box for the next note (ctrl+s adds it). F7 changes its status,
escalates it or schedules a callback.

Every change is made against the version on screen: if another agent changed the case meanwhile,
the change is refused and the case is shown as it is now, with the reason.
"""

from __future__ import annotations

import msgspec
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static, TextArea

from agent_tui.domain.cases import Case
from agent_tui.domain.escalation import Suggestion, suggest
from agent_tui.domain.sla import ClockState, read_clock
from agent_tui.domain.times import short_stamp, stamp, time_left
from agent_tui.store import callbacks
from agent_tui.store.case_facts import case_facts
from agent_tui.store.cases import CaseConflict, CaseError, CaseNote
from agent_tui.store.customers import CustomerRepository
from screens.case_action import CaseAction
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.draft_keeper import DraftKeeper
from screens.widgets.guarded_notes import GuardedNotes
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe
from screens.widgets.workers import work

CLOCK_REFRESH_S = 30.0
CLOCK_STYLE = {ClockState.OK: "$text-success", ClockState.WARNING: "bold $text-warning",
               ClockState.BREACHED: "bold $text-error", ClockState.PAUSED: "$text-muted",
               ClockState.STOPPED: "$text-muted"}


class CaseView(msgspec.Struct, frozen=True):
    case: Case
    customer_name: str
    notes: list[CaseNote]
    suggestions: list[Suggestion]


class CaseScreen(AgentScreen[None]):
    ACTION_IDS = ("case_action", "save", "use_phrase")
    HELP_KEY = "help.case"
    CSS_PATH = "case.tcss"

    def __init__(self, case_id: str, note: str = "") -> None:
        super().__init__()
        self.case_id = case_id
        self.view: CaseView | None = None
        self.restored_note = note  # a note typed before the workstation ended
        self.keeper = DraftKeeper(self, f"case-note:{case_id}", "case_note", self.draft_body)

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        yield Prose(id="case-head")
        yield Prose(id="case-clock")
        yield Prose(id="case-suggest")
        with VerticalScroll(id="case-notes-box") as box:
            box.border_title = t("case.notes")
            yield Prose(id="case-notes")
        yield GuardedNotes(self.restored_note, editor_id="case-note", title=t("case.new_note"),
                           where="case_note", context=self._note_context)
        yield Prose(id="case-error")
        yield KeyBar()

    def on_mount(self) -> None:
        note = self.note = self.query_one("#case-note", TextArea)  # kept: read on unmount too
        note.move_cursor(note.document.end)
        self.set_focus(note)
        self.set_interval(CLOCK_REFRESH_S, self.show_clock)
        self.keeper.start(kept=bool(self.restored_note))
        self.load()
        if not self.restored_note:
            self.reopen_kept_note()

    def on_unmount(self) -> None:
        """Left by any key (F3, F2, F4): a note being typed is kept as a draft at once."""
        self.keeper.save_now()

    @work(thread=True, group="case-draft")
    def reopen_kept_note(self) -> None:
        """A note typed here before and not added: back in the box, as it was left."""
        kept = self.agent_app.kept_draft(self.keeper.key) or {}
        self.app.call_from_thread(self._reopen_note, str(kept.get("text", "")))

    def _reopen_note(self, text: str) -> None:
        if text and not self.note.text:
            self.note.load_text(text)
            self.note.move_cursor(self.note.document.end)
            self.keeper.start(kept=True)

    def _note_context(self) -> dict[str, str | None]:
        """What a forbidden word caught in the note is about, for the record."""
        customer_id = self.view.case.customer_id if self.view is not None else None
        return {"customer_id": customer_id, "case_id": self.case_id}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_phrase":  # F8 only while a forbidden word is there to replace
            return bool(self.query_one(GuardedNotes).hits)
        return True

    def action_use_phrase(self) -> None:
        self.query_one(GuardedNotes).apply_nearest()

    def draft_body(self) -> dict:
        return {"case_id": self.case_id, "text": self.note.text}

    def disclosure_changed(self, customer_id: str) -> None:
        if self.view is not None and self.view.case.customer_id == customer_id:
            self.show(self.view)

    # -- reading -----------------------------------------------------------------------------

    def cases_changed(self, case_ids: set[str]) -> bool:
        if self.case_id not in case_ids:
            return False
        self.load()
        return True

    @work(thread=True, exclusive=True, group="case-load")
    def load(self) -> None:
        app, case_id = self.agent_app, self.case_id

        def read(connection) -> CaseView:
            cases = app.cases(connection)
            case = cases.get(case_id)
            name = CustomerRepository(connection).name(case.customer_id)
            suggestions = suggest(app.library.escalation, case_facts(connection, case, app.now()))
            return CaseView(case, name, cases.notes(case_id), suggestions)

        try:
            self.use_store(read, self.show)
        except CaseError as error:
            app.call_from_thread(self.show_error, error)

    def show(self, view: CaseView) -> None:
        self.view = view
        app, case = self.agent_app, view.case
        t = app.t
        shown = app.disclosure_for(case.customer_id)

        def group(group_id: str) -> str:
            return app.library.escalation_group_name(group_id, app.language)

        self.query_one("#case-head", Static).update(Content.assemble(
            safe(case.number, "bold"), "  ", (t(f"case.status.{case.status}"), "bold $accent"),
            "  ", t(f"case.priority.{case.priority}"), "  ",
            app.library.procedure(case.category).name(app.language)
            if case.category in {p.id for p in app.library.procedures} else safe(case.category),
            safe(" / " + case.sub_category) if case.sub_category else "", "  ",
            safe(shown.name(view.customer_name)), "\n", safe(case.title, "italic"),
            (f"\n{t('case.escalated_to', target=group(case.escalated_to))}: "
             if case.escalated_to else ""), safe(case.escalation_reason),
        ))
        suggestions = [Content.assemble(("\u25b2 ", "bold $text-warning"),
                                        safe(found.reason(app.language)), " \u2192 ",
                                        safe(group(found.target), "bold"))
                       for found in view.suggestions if found.target != case.escalated_to]
        self.query_one("#case-suggest", Static).update(Content("\n").join(suggestions))
        lines = [Content.assemble(safe(f"{short_stamp(note.at)} {note.agent_id}  ",
                                       "$text-muted"), safe(note.text)) for note in view.notes]
        self.query_one("#case-notes", Static).update(
            Content("\n").join(lines) if lines else Content(t("case.no_notes")))
        self.show_clock()

    def show_clock(self) -> None:
        if self.view is None:
            return
        app, case = self.agent_app, self.view.case
        target = app.library.sla.target(case.category, case.priority)
        reading = read_clock(app.library.sla, opened_at=case.opened_at,
                             resolution=target.resolution, now=app.now(),
                             paused_seconds=case.paused_seconds, paused_since=case.paused_since,
                             breached_at=case.breached_at, closed=not case.is_open)
        text = app.t(f"case.clock.{reading.state.value}", left=time_left(reading.left))
        due = app.t("case.due", due=stamp(case.due_at))
        self.query_one("#case-clock", Static).update(Content.assemble(
            (text, CLOCK_STYLE[reading.state]), "  ", (due, "$text-muted")))

    def show_error(self, error: CaseError) -> None:
        self.query_one("#case-error", Static).update(Content(self.agent_app.catalog.error(error)))

    # -- writing -----------------------------------------------------------------------------

    def action_save(self) -> None:
        """ctrl+s: add the note; the box keeps its text until the store has it."""
        if self.view is not None:
            self.change(lambda cases, case: cases.add_note(
                case, self.query_one("#case-note", TextArea).text, self.agent_app.now()),
                clear_note=True)

    def action_case_action(self) -> None:
        if self.view is None:
            return
        from screens.case_action import CaseActionScreen

        self.app.push_screen(CaseActionScreen(self.view.case, self.view.suggestions),
                             self.act)

    def act(self, action: CaseAction | None) -> None:
        if action is None:
            return
        now = self.agent_app.now()
        if action.kind == "status":
            self.change(lambda cases, case: cases.change_status(case, action.status, now,
                                                                action.reason))
        elif action.kind == "escalate":
            self.change(lambda cases, case: cases.escalate(case, action.target, action.reason,
                                                           now))
        elif action.kind == "callback" and action.due is not None:
            app = self.agent_app
            self.change(lambda cases, case: callbacks.schedule(
                cases.connection, agent_id=app.config.agent.id, customer_id=case.customer_id,
                due=action.due, reason=action.reason, at=now, case_id=case.id),
                announce="case.callback_scheduled")

    @work(thread=True, group="case-save")
    def change(self, write, clear_note: bool = False, announce: str = "") -> None:
        app, case = self.agent_app, self.view.case

        def apply(connection) -> None:
            write(app.cases(connection), case)

        try:
            if not self.use_store(apply):
                return
            if clear_note:  # the note is in the store: its draft goes
                self.keeper.discard()
        except CaseConflict as conflict:
            app.call_from_thread(self.show_error, conflict)
        except CaseError as error:
            app.call_from_thread(self.show_error, error)
            return
        else:
            app.call_from_thread(self.changed, clear_note, announce)
        app.call_from_thread(self.load)

    def changed(self, clear_note: bool, announce: str) -> None:
        self.query_one("#case-error", Static).update("")
        if self.view is not None:  # resolved, closed, reopened: a 360 behind counts it again
            self.agent_app.customer_facts_changed(self.view.case.customer_id)
        if clear_note:
            self.query_one("#case-note", TextArea).load_text("")
            self.keeper.reopen()
        if announce:
            self.notify(self.agent_app.t(announce))
