"""F6 on the products screen: the risk-tolerance questionnaire (scripts_library/
risk_questionnaire.toml), read to a customer verified on this call. The questions in a list, the
customer's answer beside each; below, the highlighted question in full with its lettered options.
A letter picks the customer's answer and moves on to the next question; the line above adds up
the score and shows the level it gives (``domain.questionnaire``, the hub's own scoring).

ctrl+s sends it: a question unanswered, and the form says which and goes there, with every answer
kept; the customer no longer verified, or past the reassessment limits (counted on what this
workstation holds, pending ones too), and it says why; otherwise queued as
``suitability.assess`` (the answers, never the level: the hub scores them again and decides) and
the products screen shows the new assessment at once, marked pending.

The answers picked are kept as a draft (within a second, and at once when the form is left):
opening the form again for the same customer, even after a restart, puts them back; the draft
goes once the reassessment is queued.

Of the customer, the name only, masked as the 360 masks it at this call's tier."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header

from agent_tui.domain.models import Customer
from agent_tui.domain.questionnaire import (
    LETTERS,
    Question,
    Questionnaire,
    Scored,
    first_unanswered,
    score,
)
from agent_tui.domain.suitability import limit_reached
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.draft_keeper import DraftKeeper
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

_ANSWER_KEYS = tuple(f"reassess_answer_{letter.lower()}" for letter in LETTERS)


class ReassessScreen(AgentScreen[str | None]):
    """Dismissed with the level sent, or None when the agent leaves without sending."""

    ACTION_IDS = (*_ANSWER_KEYS, "save")
    UNLISTED_IDS = _ANSWER_KEYS  # on the line above instead: at 80 columns the bar is full
    HELP_KEY = "reassess.help"
    CSS_PATH = "reassess.tcss"

    def __init__(self, customer: Customer, questionnaire: Questionnaire) -> None:
        super().__init__()
        self.customer, self.questionnaire = customer, questionnaire
        self.answers: dict[str, str] = {}
        self.sending = False
        self.keeper = DraftKeeper(self, f"reassess:{customer.id}", "reassess", self._draft)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose(id="reassess-status")
        yield MeasuredTable(id="reassess-questions", cursor_type="row", zebra_stripes=True)
        yield Prose(id="reassess-options")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one("#reassess-questions", DataTable)
        add_columns(table, [(key, t(f"reassess.col_{key}")) for key in
                            ("no", "question", "answer")], essential=("no", "question", "answer"))
        for number, question in enumerate(self.questionnaire.questions, 1):
            table.add_row(*self._row(number, question), key=question.id)
        fit_columns(table)
        self.set_focus(table)
        self._status()
        self._options()
        self.read_draft()

    def _draft(self) -> dict:
        return {"version": self.questionnaire.version, "answers": dict(self.answers)}

    @work(thread=True, group="reassess-draft")
    def read_draft(self) -> None:
        self.hand_back_draft(self._restore)

    def _restore(self, kept: dict | None) -> None:
        """The answers left on this customer's form, put back (only those of this version of
        the questionnaire, each an option its question has); answers picked while the draft was
        being read stay. Watching starts only now: an empty form never replaces the draft."""
        answers = kept.get("answers") if kept and kept.get("version") == \
            self.questionnaire.version else None
        restored = {question.id: answers[question.id] for question in self.questionnaire.questions
                    if isinstance(answers, dict) and isinstance(answers.get(question.id), str)
                    and question.option(answers[question.id]) is not None}
        if restored:
            self.answers = {**restored, **self.answers}
            table = self.query_one("#reassess-questions", DataTable)
            for number, question in enumerate(self.questionnaire.questions, 1):
                for key, value in zip(("no", "question", "answer"), self._row(number, question),
                                      strict=True):
                    table.update_cell(question.id, key, value, update_width=True)
            self._status()
            self._options()
            self.agent_app.notify(self.agent_app.t("reassess_draft.restored",
                                                   count=len(restored)))
        self.keeper.start(saved=True, kept=bool(restored))

    def on_unmount(self) -> None:
        """Left by F3 or another key: the answers picked are written at once, and said."""
        if self.keeper.save_now():
            self.agent_app.notify(self.agent_app.t("reassess_draft.kept"))

    def _row(self, number: int, question: Question) -> list:
        language, letter = self.agent_app.language, self.answers.get(question.id)
        option = question.option(letter) if letter else None
        answer = f"{letter} {option.text(language)}" if option else "?"
        return [cell(str(number), "dim"), cell(question.text(language), width=40),
                cell(answer, "bold" if option else "bold $warning", width=24)]

    def _status(self) -> None:
        t, language = self.agent_app.t, self.agent_app.language
        name = self.agent_app.disclosure_for(self.customer.id).name(self.customer.name)
        total = len(self.questionnaire.questions)
        if len(self.answers) == total:
            scored = score(self.questionnaire, self.answers)
            line = t("reassess.result", customer=name, score=scored.total, level=scored.level)
        else:
            line = t("reassess.progress", customer=name, answered=len(self.answers), total=total)
        head = t("reassess.head", title=self.questionnaire.title(language),
                 version=self.questionnaire.version)
        self.query_one("#reassess-status", Prose).update(Content("\n").join(
            [safe(head, "bold"), safe(line), safe(t("reassess.keys"), "dim")]))

    def highlighted(self) -> Question:
        table = self.query_one("#reassess-questions", DataTable)
        return self.questionnaire.questions[min(max(table.cursor_row, 0),
                                                len(self.questionnaire.questions) - 1)]

    @on(DataTable.RowHighlighted, "#reassess-questions")
    def _options(self, _event: object = None) -> None:
        question, language = self.highlighted(), self.agent_app.language
        chosen = self.answers.get(question.id)
        lines = [safe(question.text(language), "bold")]
        for letter, option in zip(LETTERS, question.options, strict=False):
            mark = "▶ " if letter == chosen else "  "
            lines.append(safe(f"{mark}{letter}  {option.text(language)}",
                              "bold $success" if letter == chosen else ""))
        self.query_one("#reassess-options", Prose).update(Content("\n").join(lines))

    def action_answer(self, letter: str) -> None:
        question, t = self.highlighted(), self.agent_app.t
        if question.option(letter) is None:
            self.agent_app.notify(t("reassess.no_option", number=self._number(question),
                                    last=LETTERS[len(question.options) - 1]),
                                  severity="warning")
            return
        self.answers[question.id] = letter
        table = self.query_one("#reassess-questions", DataTable)
        for key, value in zip(("no", "question", "answer"),
                              self._row(self._number(question), question), strict=True):
            table.update_cell(question.id, key, value, update_width=True)
        self._status()
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)  # the next question comes up
        else:
            self._options()

    def _number(self, question: Question) -> int:
        return self.questionnaire.questions.index(question) + 1

    # -- ctrl+s --------------------------------------------------------------------------------

    def action_save(self) -> None:
        app = self.agent_app
        if self.sending:
            return
        missing = first_unanswered(self.questionnaire, self.answers)
        if missing is not None:
            app.notify(app.t("reassess.unanswered", number=self._number(missing),
                             question=missing.text(app.language)),
                       severity="warning", markup=False)
            self.query_one("#reassess-questions", DataTable).move_cursor(
                row=self._number(missing) - 1)
            return
        if not app.suitability_desk.verified(self.customer.id):
            app.notify(app.t("reassess.not_verified"), severity="warning")
            return
        self.sending = True
        self.send(dict(self.answers), score(self.questionnaire, self.answers))

    @work(thread=True, group="reassess")
    def send(self, answers: dict[str, str], scored: Scored) -> None:
        queued = False
        try:
            queued = self.use_store(lambda connection: self._check_and_queue(
                connection, answers, scored), self._done)
        finally:
            if not queued:  # failed: the answers are still on the form, to send again
                self.app.call_from_thread(setattr, self, "sending", False)

    def _check_and_queue(self, connection, answers: dict[str, str],
                         scored: Scored) -> Scored | list[str]:
        """On the worker's connection: the limits on what this workstation holds (pending
        reassessments too), then the queueing; the refusal's lines, or what was queued."""
        app, desk = self.agent_app, self.agent_app.suitability_desk
        rules = desk.rules()
        if rules is None:
            return [app.t("products.no_rules")]
        history = desk.assessments(connection, self.customer.id)
        allowed = desk.may_reassess(history)
        if not allowed.allowed:
            count, limit = limit_reached(allowed.rule, [item.assessed_at for item in history],
                                         app.now(), rules.rules)
            rule = rules.rules.rules[allowed.rule]
            return [rule.text(app.language).format(count=count, limit=limit, months=""),
                    rule.article(app.language)]
        desk.reassess(connection, self.customer.id, answers, scored)
        self.keeper.discard()  # queued: the answers are in the outbox now
        return scored

    def _done(self, outcome: Scored | list[str]) -> None:
        if isinstance(outcome, Scored):
            self._sent(outcome)
        else:
            self._refused(outcome)

    def _refused(self, lines: list[str]) -> None:
        self.sending = False
        self.agent_app.notify("\n".join(lines), title=self.agent_app.t("products.refused"),
                              severity="error", markup=False, timeout=10)

    def _sent(self, scored: Scored) -> None:
        self.sending = False
        self.agent_app.notify(self.agent_app.t("reassess.sent", level=scored.level,
                                               score=scored.total))
        self.dismiss(scored.level)
