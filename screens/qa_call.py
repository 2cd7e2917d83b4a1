"""A call's record for QA review (a team supervisor's, issue 17), opened from the week's sample:
when and how long, its request type and verification, and its events with their times from the
start (stages, steps, phrases used, forbidden phrases caught, operations, overrides); below, the
notes, the reviews, and once two reviewers (the caller one of them) have scored it, their
agreement per item and overall against the 85 % target. F7 scores the call; F8 scores it as the
second, blind reviewer (calibration).

What a supervisor sees of the customer: nothing of their identity (the customer's id is not
shown), long numbers in the agent's notes and in the events' details to their last four digits
(``masking.mask_numbers``), every text sanitised where drawn. Blind: until the caller has scored
the call, the other reviews show who made them, not their scores."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from agent_tui.domain.masking import mask_numbers
from agent_tui.domain.qa_review import QaEvent, QaReview
from agent_tui.domain.rubric import Rubric
from agent_tui.domain.times import call_timer, short_stamp
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from agent_tui.sync.protocol import QaCalibration, QaCallRecord
from screens.qa_score import QaScoreScreen
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

# What of an event's detail a reviewer reads (the rest: ids, amounts, accounts, stay out).
_SHOWN = ("status", "request_type", "phrase", "word", "operation", "result", "reason", "summary")


class QaCallScreen(AgentScreen[None]):
    ACTION_IDS = ("qa_score", "qa_calibrate")
    HELP_KEY = "qa_desk.call_help"
    CSS_PATH = "qa_desk.tcss"

    def __init__(self, call_id: str) -> None:
        super().__init__()
        self.call_id = call_id
        self.record: QaCallRecord | None = None
        self.calibration: QaCalibration | None = None
        self.rubric: Rubric | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(self.agent_app.t("qa_desk.loading")), id="qa-status")
        yield MeasuredTable(id="qa-events", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="qa-more"):
            yield Prose(id="qa-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        add_columns(self.query_one("#qa-events", DataTable),
                    [(key, t(f"qa_desk.col_{key}")) for key in ("at", "stage", "event")],
                    essential=("at", "event"))
        self.load()

    @work(thread=True, exclusive=True, group="qa-call")
    def load(self) -> None:
        app = self.agent_app
        try:
            self.rubric = app.team_desk.rubric()
            record = app.team_desk.qa_call(self.call_id)
            mine = record is not None and any(review.reviewer_id == app.config.agent.id
                                              for review in record.reviews)
            calibration = app.team_desk.qa_calibration(self.call_id) if mine else None
        except HubRefused as refused:
            app.call_from_thread(self.say, "qa_desk.no_call" if refused.status == 404
                                 else "qa_desk.refused")
            return
        except HubUnreachable:
            app.call_from_thread(self.say, "qa_desk.unreachable")
            return
        if record is not None:
            app.call_from_thread(self.show, record, calibration)

    def say(self, key: str) -> None:
        self.query_one("#qa-status", Static).update(
            Content(self.agent_app.t(key)).stylize("$warning"))

    def show(self, record: QaCallRecord, calibration: QaCalibration | None) -> None:
        self.record, self.calibration = record, calibration
        t = self.agent_app.t
        ended = short_stamp(record.ended_at) if record.ended_at else t("qa_desk.not_ended")
        self.query_one("#qa-status", Static).update(safe(t(
            "qa_desk.call_status", agent=record.agent_id, started=short_stamp(record.started_at),
            ended=ended, request=record.request_type or "-",
            verification=record.verification or "-")))
        table = self.query_one("#qa-events", DataTable)
        table.clear()
        for number, event in enumerate(record.events):
            style = "bold red" if event.kind in ("forbidden_caught", "override") else ""
            table.add_row(cell(call_timer(timedelta(seconds=event.at))), cell(event.stage),
                          cell(self._what(event), style), key=str(number))
        fit_columns(table)
        self.query_one("#qa-detail", Prose).update(Content("\n").join(self._detail(record)))

    def _what(self, event: QaEvent) -> str:
        t = self.agent_app.t
        shown = [mask_numbers(str(event.detail[key])) for key in _SHOWN
                 if event.detail.get(key)]
        return " ".join(part for part in (t(f"qa_desk.event.{event.kind}"), event.step, *shown)
                        if part)

    def _detail(self, record: QaCallRecord) -> list[Content]:
        t, me = self.agent_app.t, self.agent_app.config.agent.id
        lines = [safe(t("qa_desk.notes"), "bold"),
                 safe(mask_numbers(record.notes) or t("qa_desk.no_notes"))]
        scored = any(review.reviewer_id == me for review in record.reviews)
        lines.append(safe(t("qa_desk.reviews"), "bold"))
        lines += [self._review(review, shown=scored) for review in record.reviews] or [
            safe(t("qa_desk.no_reviews"))]
        if self.calibration is not None:
            lines += self._calibration(self.calibration)
        return lines

    def _review(self, review: QaReview, shown: bool) -> Content:
        t = self.agent_app.t
        kind = t("qa_desk.calibration_review") if review.calibration else ""
        if not shown:  # blind: the caller scores first
            return safe(t("qa_desk.review_hidden", reviewer=review.reviewer_id, kind=kind))
        return safe(t("qa_desk.review_line", reviewer=review.reviewer_id, kind=kind,
                      score=f"{review.score:.1f}", compliance=f"{review.compliance:.1f}",
                      answer=t(f"qa_view.status_{review.status}")),
                    "$success" if review.passed else "$error")

    def _calibration(self, found: QaCalibration) -> list[Content]:
        t = self.agent_app.t
        names = {item.id: item.name(self.agent_app.language) for item in self.rubric.items} \
            if self.rubric else {}
        overall = "-" if found.overall is None else f"{found.overall:.1f}"
        met = found.overall is not None and found.overall >= found.target
        lines = [safe(t("qa_desk.calibration", first=found.reviewers[0],
                        second=found.reviewers[1], overall=overall, target=f"{found.target:.0f}"),
                      "bold $success" if met else "bold $error")]
        for item, agreed in found.items.items():
            mark = "✓" if agreed else "✗"
            lines.append(safe(f"{mark} {names.get(item, item)}", "" if agreed else "$error"))
        return lines

    def action_score(self) -> None:
        self._score(calibration=False)

    def action_calibrate(self) -> None:
        self._score(calibration=True)

    def _score(self, calibration: bool) -> None:
        app = self.agent_app
        if self.record is None or self.rubric is None:
            return
        if any(review.reviewer_id == app.config.agent.id for review in self.record.reviews):
            app.notify(app.t("qa_desk.already_scored"), severity="warning")
            return
        app.push_screen(QaScoreScreen(self.record, self.rubric, calibration), self._scored)

    def _scored(self, review: QaReview | None) -> None:
        if review is not None:
            self.load()
