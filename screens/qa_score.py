"""Scoring a call (a team supervisor's, issue 17), from its record (F7, or F8 as the second, blind
reviewer for calibration): every item of the QA rubric (scripts_library/qa.toml) that applies to
the call, the automatic ones prefilled from its events (changeable), the others the reviewer's.
On the highlighted item 0, 5 and 1 give 0, 0.5 or 1; the box below holds its comment, required
for a mark below 1 as the hub requires. The line above keeps the running score, worked out by the
hub's own scoring code (``domain.qa_form``), and what is left to do. ctrl+s sends the review to
the hub, which scores and keeps it; a form the hub would refuse is not sent, and says what is
missing, with everything entered kept on screen. What is entered is kept as a draft too (within a
second, and at once when the form is left): opening the same call's form again, even after a
restart, puts it back; the draft goes once the hub has the review."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Static

from agent_tui.domain.qa_form import ScoringForm
from agent_tui.domain.qa_review import COMMENT_LIMIT, QaReview
from agent_tui.domain.rubric import Rubric
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from agent_tui.sync.protocol import QaCallRecord
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.draft_keeper import DraftKeeper
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

_MARK_STYLES = {0.0: "$error", 0.5: "$warning", 1.0: "$success"}


class QaScoreScreen(AgentScreen[QaReview | None]):
    ACTION_IDS = ("qa_mark_missed", "qa_mark_part", "qa_mark_done", "save")
    HELP_KEY = "qa_desk.score_help"
    CSS_PATH = "qa_desk.tcss"

    def __init__(self, record: QaCallRecord, rubric: Rubric, calibration: bool) -> None:
        super().__init__()
        self.record, self.calibration = record, calibration
        self.form = ScoringForm(rubric, record.events, record.request_type, record.verification,
                                record.prefill)
        self.names = {item.id: item for item in rubric.items}
        self.sending = False
        self.keeper = DraftKeeper(self, f"qa-score:{record.call_id}", "qa_score",
                                  self.form.draft)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="qa-status")
        yield MeasuredTable(id="qa-items", cursor_type="row", zebra_stripes=True)
        yield Input(id="qa-comment", max_length=COMMENT_LIMIT,
                    placeholder=self.agent_app.t("qa_desk.comment_hint"))
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one("#qa-items", DataTable)
        add_columns(table, [(key, t(f"qa_desk.col_{key}")) for key in
                            ("item", "mark", "source", "comment")],
                    essential=("item", "mark", "source"))
        for item in self.form.items:
            table.add_row(*self._row(item), key=item)
        fit_columns(table)
        self.set_focus(table)
        self._status()
        self.read_draft()

    @work(thread=True, group="qa-score-draft")
    def read_draft(self) -> None:
        self.hand_back_draft(self._restore)

    def _restore(self, kept: dict | None) -> None:
        """The draft left on this call's form, put back; what the reviewer entered while it was
        being read stays on top of it. Watching for changes starts only now, so an empty form
        never replaces the draft before it is back."""
        if kept:
            entered = self.form.draft()
            self.form.restore(kept)
            self.form.restore(entered)
            for item in self.form.items:
                self._redraw(item)
            self._highlighted(None)
            self.agent_app.notify(self.agent_app.t("qa_draft.restored"))
        self.keeper.start(saved=True, kept=bool(kept))

    def on_unmount(self) -> None:
        """Left by F3 or another key: what was entered is written at once, and said."""
        if self.keeper.save_now():
            self.agent_app.notify(self.agent_app.t("qa_draft.kept"))

    def _row(self, item: str) -> list:
        t, language = self.agent_app.t, self.agent_app.language
        rule = self.names[item]
        name = rule.name(language) + (" ⚠" if rule.fatal else "")
        fraction = self.form.fractions[item]
        mark = "?" if fraction is None else f"{fraction:g}"
        source = t("qa_desk.source_auto") if self.form.automatic(item) else t(
            "qa_desk.source_yours")
        return [cell(name, width=32), cell(mark, _MARK_STYLES.get(fraction, "bold")),
                cell(source, "dim"), cell(self.form.comments.get(item, ""))]

    def _redraw(self, item: str) -> None:
        table = self.query_one("#qa-items", DataTable)
        for key, value in zip(("item", "mark", "source", "comment"), self._row(item),
                              strict=True):
            table.update_cell(item, key, value, update_width=True)
        fit_columns(table)  # a comment's column grows with it
        self._status()

    def _status(self) -> None:
        t, form = self.agent_app.t, self.form
        result = form.score(self.agent_app.language)
        text = t("qa_desk.running", score=f"{result.score:.1f}",
                 compliance=f"{result.compliance:.1f}", unmarked=len(form.unmarked()),
                 uncommented=len(form.uncommented()))
        if self.calibration:
            text = t("qa_desk.blind") + " · " + text
        # The marking keys on a line of their own: at 80 columns the key bar has no room left.
        self.query_one("#qa-status", Static).update(Content("\n").join([
            safe(text, "$success" if result.passed else "$error"),
            safe(t("qa_desk.mark_keys"), "dim")]))

    def highlighted(self) -> str | None:
        table = self.query_one("#qa-items", DataTable)
        if not table.row_count:
            return None
        return self.form.items[min(table.cursor_row, len(self.form.items) - 1)]

    @on(DataTable.RowHighlighted, "#qa-items")
    def _highlighted(self, _event: DataTable.RowHighlighted | None) -> None:
        item = self.highlighted()
        if item is not None:
            with self.prevent(Input.Changed):
                self.query_one("#qa-comment", Input).value = self.form.comments.get(item, "")

    @on(Input.Changed, "#qa-comment")
    def _commented(self, event: Input.Changed) -> None:
        item = self.highlighted()
        if item is not None:
            self.form.comment(item, event.value)
            self._redraw(item)

    @on(Input.Submitted, "#qa-comment")
    def _back_to_items(self, _event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#qa-items", DataTable))

    def action_mark(self, fraction: float) -> None:
        item = self.highlighted()
        if item is None:
            return
        self.form.mark(item, fraction)
        self._redraw(item)
        if fraction < 1.0 and not self.form.comments.get(item):
            self.set_focus(self.query_one("#qa-comment", Input))  # say why it was not earned

    def action_save(self) -> None:
        app, form = self.agent_app, self.form
        if self.sending:
            return
        unmarked, uncommented = form.unmarked(), form.uncommented()
        if unmarked or uncommented:
            first = (unmarked or uncommented)[0]
            key = "qa_desk.mark_all" if unmarked else "qa_desk.comment_needed"
            app.notify(app.t(key, count=len(unmarked or uncommented),
                             item=self.names[first].name(app.language)), severity="warning")
            self.query_one("#qa-items", DataTable).move_cursor(row=form.items.index(first))
            return
        self.sending = True
        self.send(form.marks())

    @work(thread=True, group="qa-score")
    def send(self, marks: dict) -> None:
        app = self.agent_app
        try:
            review = app.team_desk.submit_review(self.record.call_id, marks, self.calibration)
        except HubRefused as refused:
            app.call_from_thread(self._failed, f"qa_desk.refused_{refused.code}"
                                 if refused.code in _REFUSALS else "qa_desk.refused")
            return
        except HubUnreachable:
            app.call_from_thread(self._failed, "qa_desk.unreachable_kept")
            return
        if review is not None:
            self.keeper.discard()  # the hub has the review: its draft goes
        app.call_from_thread(self._sent, review)

    def _failed(self, key: str) -> None:
        self.sending = False
        self.agent_app.notify(self.agent_app.t(key), severity="warning")

    def _sent(self, review: QaReview | None) -> None:
        self.sending = False
        if review is None:
            self._failed("qa_desk.no_hub")
            return
        self.agent_app.notify(self.agent_app.t("qa_desk.sent", score=f"{review.score:.1f}"))
        self.dismiss(review)


_REFUSALS = ("marks_missing", "bad_marks", "review_exists", "own_call", "unknown_call",
             "supervisors_only")
