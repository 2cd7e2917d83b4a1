"""shift+F4, the agent's QA reviews (issue 17): each review of their calls as the hub sent it
(synced into the store), newest first, with its score and their answer; below, the highlighted
review's marks not earned with the reviewer's comment on each. F7 acknowledges it; F8 disputes it
with the reason typed in the box (a dispute without one is refused, saying so). The answer is
queued for the hub like every change and sent at once."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Static

from agent_tui.domain.qa_review import QaReview
from agent_tui.domain.rubric import Rubric
from agent_tui.domain.times import short_stamp
from agent_tui.store.cases import CaseError
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work


class QaReviewsScreen(AgentScreen[None]):
    ACTION_IDS = ("qa_acknowledge", "qa_dispute")
    HELP_KEY = "qa_view.help"
    CSS_PATH = "qa_reviews.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[QaReview] = []
        self.rubric: Rubric | None = None
        self.loaded = False  # the store's reviews are on screen

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(self.agent_app.t("qa_view.loading")), id="qa-status")
        yield MeasuredTable(id="qa-reviews", cursor_type="row", zebra_stripes=True)
        yield Prose(id="qa-detail")
        yield Input(id="qa-reason", placeholder=self.agent_app.t("qa_view.reason_hint"))
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        add_columns(self.query_one("#qa-reviews", DataTable),
                    [(key, t(f"qa_view.col_{key}")) for key in
                     ("when", "score", "answer", "reviewer")],
                    essential=("when", "score", "answer"))
        self.load()

    @work(thread=True, group="qa-reviews")
    def load(self) -> None:
        desk = self.agent_app.team_desk
        self.rubric = desk.rubric()
        self.use_store(desk.my_reviews, self.show)

    def show(self, reviews: list[QaReview]) -> None:
        t = self.agent_app.t
        self.reviews, self.loaded = reviews, True
        table = self.query_one("#qa-reviews", DataTable)
        table.clear()
        for review in reviews:
            style = "$success" if review.passed else "$error"
            table.add_row(cell(short_stamp(review.created_at)),
                          cell(f"{review.score:.1f}", style),
                          cell(t(f"qa_view.status_{review.status}")), cell(review.reviewer_id),
                          key=review.id)
        fit_columns(table)
        self.query_one("#qa-status", Static).update(Content(
            t("qa_view.count", count=len(reviews)) if reviews else t("qa_view.none")))
        self._detail()

    def highlighted(self) -> QaReview | None:
        table = self.query_one("#qa-reviews", DataTable)
        if not self.reviews or not table.row_count:
            return None
        return self.reviews[min(table.cursor_row, len(self.reviews) - 1)]

    @on(DataTable.RowHighlighted, "#qa-reviews")
    def _detail(self, _event: object = None) -> None:
        review, app = self.highlighted(), self.agent_app
        if review is None:
            self.query_one("#qa-detail", Prose).update("")
            return
        names = {item.id: item.name(app.language) for item in self.rubric.items} \
            if self.rubric else {}
        lines = [app.t("qa_view.summary", compliance=f"{review.compliance:.1f}",
                       fatal=len(review.fatal))]
        for item, mark in review.marks.items():
            if mark.fraction < 1.0:
                lines.append(f"{mark.fraction:.1f}  {names.get(item, item)}"
                             + (f": {mark.comment}" if mark.comment else ""))
        if review.reason:
            lines.append(app.t("qa_view.your_reason", reason=review.reason))
        # One line each (a comment is the reviewer's text: sanitised, on its own line).
        self.query_one("#qa-detail", Prose).update(Content("\n").join(
            safe(line) for line in lines))

    def action_acknowledge(self) -> None:
        self._answer("acknowledged")

    def action_dispute(self) -> None:
        self._answer("disputed")

    def _answer(self, status: str) -> None:
        review = self.highlighted()
        if review is not None:
            self.save(review.id, status, self.query_one("#qa-reason", Input).value)

    @work(thread=True, group="qa-answer")
    def save(self, review_id: str, status: str, reason: str) -> None:
        app = self.agent_app
        try:
            done = self.use_store(lambda connection: app.team_desk.answer_review(
                connection, review_id, status, reason))
        except CaseError as error:
            app.call_from_thread(app.notify, app.catalog.error(error), severity="warning")
            return
        if done:
            app.call_from_thread(self._answered, status)

    def _answered(self, status: str) -> None:
        self.query_one("#qa-reason", Input).value = ""
        self.agent_app.notify(self.agent_app.t(f"qa_view.sent_{status}"))
        self.agent_app.action_sync_now()
        self.load()
