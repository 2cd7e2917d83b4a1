"""The call workspace: stage bar and timer, the caller, the stage's checklist, the approved phrases
for this moment, and the notes with the forbidden-phrase guard.

The call itself (``agent_tui.domain.call_session``) lives in the app, not in this screen: the agent
may leave for the search (F2) to find an unknown caller and come back with ctrl+n. Each stage's
form (verification, request type, closing) is a dialog over the workspace, opened by F7 or on
entering the stage. Store work runs in thread workers; the call is saved at every stage change,
verification outcome, operation, on ctrl+s and at the end.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from agent_tui.domain.call_session import CallSession
from agent_tui.domain.callflow import Refusal
from agent_tui.domain.masking import MASKED, Disclosure, Tier
from agent_tui.domain.phrase_values import fillable, phrase_values
from agent_tui.domain.rephrase import set_apart
from agent_tui.domain.scripts import Phrase
from agent_tui.store import audit
from agent_tui.store.flags import POSSIBLE_FRAUD, raise_flag
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.badges import as_content, badge_parts
from screens.widgets.checklist import Checklist
from screens.widgets.guard_line import GuardLine
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose, broken
from screens.widgets.notes_editor import NotesEditor
from screens.widgets.safe import safe
from screens.widgets.stage_bar import StageBar
from screens.widgets.workers import work

_STATUS_STYLE = {"open": "$text-warning", "passed": "$text-success", "third_party": "$text-accent",
                 "locked": "bold $text-error", "unproven": "$text-warning"}


class CallScreen(AgentScreen[None]):
    CSS_PATH = "call.tcss"
    ACTION_IDS = ("next_stage", "stage_form", "use_phrase", "new_case", "step_up", "save")
    HELP_KEY = "help.call"
    ALLOW_BACK = True  # F3 leaves the workspace, not the call: ctrl+n comes back to it

    def __init__(self, call: CallSession) -> None:
        super().__init__()
        self.call = call
        self._phrases: list[Phrase] = []

    @property
    def disclosure(self) -> Disclosure:
        return self.agent_app.disclosure_for(self.call.customer_id) if self.call.customer_id \
            else MASKED

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        yield StageBar(self.call, id="stage-bar")
        yield Prose(id="caller")
        with Horizontal(id="desk"):
            yield Checklist(id="checklist")
            yield OptionList(id="suggestions")
        notes = NotesEditor(id="notes")
        notes.border_title = t("call.notes")
        notes.load_text(self.call.notes)
        notes.move_cursor(notes.document.end)  # back to the call: carry on where it ended
        yield notes
        yield GuardLine("call.guard_hint", id="guard")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#suggestions", OptionList).border_title = self.agent_app.t("call.phrases")
        self.show_stage(new_list=True)
        self.show_caller()
        self.set_focus(self.query_one("#checklist"))
        if self.call.customer_id and self.call.verification is None:
            self.load_facts()
        self.save()

    def on_screen_resume(self) -> None:
        """Back from the search or a dialog: the caller and the tier may have changed."""
        self.show_caller()
        self.refresh_suggestions()

    def disclosure_changed(self, customer_id: str) -> None:
        if customer_id == self.call.customer_id:
            self.show_caller()

    # -- drawing -------------------------------------------------------------------------------

    def show_stage(self, new_list: bool = False) -> None:
        flow, language = self.call.flow, self.agent_app.language
        checklist = self.query_one(Checklist)
        with self.app.batch_update():
            checklist.show(flow.checklist(), flow.ticked, language, keep_place=not new_list)
            # Content, not str: a str title is parsed as markup, and the library's text is
            # from outside (a stray "[/]" raised).
            checklist.border_title = safe(flow.library.stage(flow.stage).name(language))
            if flow.stage == "handling" and flow.request_type:
                procedure = flow.library.procedure(flow.request_type)
                checklist.border_subtitle = safe(procedure.name(language))
            else:
                checklist.border_subtitle = ""
            self.query_one(StageBar).refresh()
            self.refresh_suggestions()

    def current_step(self) -> str | None:
        step = self.query_one(Checklist).highlighted_step
        if step is not None:
            return step
        open_steps = self.call.flow.open_required()
        return open_steps[0] if open_steps else None

    def phrase_values(self) -> dict[str, str]:
        app, customer = self.agent_app, self.call.customer
        return phrase_values(
            at=app.now(), language=app.language,
            bank_name=app.config.bank.display_name(app.language),
            agent_name=app.config.agent.name, staff_number=app.config.agent.staff_number,
            customer_name=customer.name if customer else "",
            customer_gender=customer.gender if customer else "",
            summary=self.call.summary().sentence(app.language),
        )

    def refresh_suggestions(self) -> None:
        flow, language = self.call.flow, self.agent_app.language
        values = self.phrase_values()
        phrases = [phrase for phrase in
                   flow.library.phrases_for(flow.stage, self.current_step(), self.call.segments)
                   if fillable(phrase, language, values)]
        suggestions = self.query_one("#suggestions", OptionList)
        if [phrase.id for phrase in phrases] == [phrase.id for phrase in self._phrases] and \
                suggestions.option_count:
            return
        self._phrases = phrases
        suggestions.clear_options()
        suggestions.add_options(
            [Option(broken(safe(phrase.render(language, values))), id=phrase.id)
             for phrase in phrases]
        )
        if phrases:
            suggestions.highlighted = 0

    def show_caller(self) -> None:
        t, call, shown = self.agent_app.t, self.call, self.disclosure
        status = call.verification_shown
        # Verified and stepped up reads once: "verified + step-up", not "verified  verified…".
        label = (t("c360.tier.full") if shown.tier is Tier.FULL and status == "passed"
                 else t(f"call.verification.{status}"))
        verified = Content(label).stylize(_STATUS_STYLE[status])
        if call.customer is None:
            line = Content.assemble((t("call.unknown_caller"), "bold"), "  ", verified, "  ",
                                    t("call.find_caller"))
        else:
            customer = shown.unveil(call.customer)
            line = Content.assemble(
                safe(shown.name(customer.name), "bold"), "  ",
                safe(shown.mobile(customer.mobile)), "  ",
                as_content(badge_parts(customer.segment, customer.is_elderly,
                                       customer.is_disabled, t)), "  ",
                f"R{customer.risk_level}", "  ", verified,
            )
        self.query_one("#caller", Static).update(line)

    def show_guard(self) -> None:
        self.query_one(GuardLine).show(self.query_one(NotesEditor).nearest_hit(),
                                       self.call.guard, len(self.call.hits))

    # -- what the agent does ----------------------------------------------------------------

    @on(Checklist.Toggled)
    def _toggled(self, event: Checklist.Toggled) -> None:
        at = self.agent_app.now()
        if event.ticked:
            self.call.flow.tick(event.step_id, at)
        else:
            self.call.flow.untick(event.step_id, at)
        self.show_stage()

    @on(OptionList.OptionHighlighted, "#checklist")
    def _step_highlighted(self) -> None:
        self.refresh_suggestions()

    @on(OptionList.OptionSelected, "#suggestions")
    def _phrase_chosen(self) -> None:
        self.insert_phrase()

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        editor = self.query_one(NotesEditor)
        editor.show_hits(self.call.notes_changed(event.text_area.text, self.agent_app.now()))
        self.show_guard()

    @on(TextArea.SelectionChanged, "#notes")
    def _cursor_moved(self) -> None:
        if self.call.hits:
            self.show_guard()

    def insert_phrase(self) -> None:
        suggestions = self.query_one("#suggestions", OptionList)
        if suggestions.highlighted is None or not self._phrases:
            return
        phrase = self._phrases[suggestions.highlighted]
        text = phrase.render(self.agent_app.language, self.phrase_values())
        editor = self.query_one(NotesEditor)
        row, column = editor.cursor_location
        line = editor.document[row]
        editor.insert(set_apart(line[:column], text, line[column:]))
        at = self.agent_app.now()
        self.call.phrase_used(phrase, at, text.strip())
        if phrase.step and phrase.step in {step.id for step in self.call.flow.checklist()}:
            self.call.flow.tick(phrase.step, at)  # saying the step's phrase is doing the step
            self.show_stage()

    def action_use_phrase(self) -> None:
        editor = self.query_one(NotesEditor)
        hit = editor.nearest_hit()
        if hit is None:
            self.insert_phrase()
            return
        editor.apply_hit(hit)

    def action_next_stage(self) -> None:
        refusal = self.call.flow.advance(self.agent_app.now())
        if refusal is None:
            self.stage_changed()
            return
        if refusal.reason_key == "flow.last_stage":
            self.notify(self.agent_app.t(refusal.reason_key), severity="warning")
            return
        from screens.override import Override, OverrideScreen

        def overridden(answer: Override | None) -> None:
            if answer is None:
                return
            if answer.hung_up:
                self.call.flow.skip_to_closing(self.agent_app.now(), answer.reason)
                self.stage_changed(hung_up=True)
            elif self.call.flow.advance(self.agent_app.now(), answer.reason) is None:
                self.stage_changed()

        self.app.push_screen(OverrideScreen(self.refusal_text(refusal)), overridden)

    def refusal_text(self, refusal: Refusal) -> str:
        steps = self.call.flow.step_texts(refusal.open_steps, self.agent_app.language)
        return self.agent_app.t(refusal.reason_key, steps="; ".join(steps))

    def stage_changed(self, hung_up: bool = False) -> None:
        at = self.agent_app.now()
        self.call.tick_verification_steps(at)
        self.show_stage(new_list=True)
        self.save()
        stage = self.call.flow.stage
        if hung_up:
            self.open_closing(hung_up=True)
        elif stage == "verification" and self.call.flow.verification_status == "open":
            self.action_stage_form()
        elif stage == "handling" and self.call.flow.request_type is None:
            self.action_stage_form()
        elif stage == "closing":  # as every stage's form opens on entering it
            self.open_closing()

    def action_stage_form(self) -> None:
        stage = self.call.flow.stage
        if stage in ("greeting", "verification"):
            from screens.verify import VerifyScreen

            self.app.push_screen(VerifyScreen(self.call), self.verification_done)
        elif stage == "handling":
            from screens.request_type import RequestTypeScreen

            self.app.push_screen(RequestTypeScreen(self.call.library), self.request_type_chosen)
        else:
            self.open_closing()

    def open_closing(self, hung_up: bool = False) -> None:
        from screens.closing import ClosingScreen

        self.app.push_screen(ClosingScreen(self.call, hung_up=hung_up), self.closed)

    def action_step_up(self) -> None:
        from screens.step_up import StepUpScreen

        self.app.push_screen(StepUpScreen(self.call), self.operation_done)

    def action_new_case(self) -> None:
        """F11: a case for the caller, prefilled from this call; its number goes in the summary."""
        if self.call.customer is None:
            self.notify(self.agent_app.t("call.case_needs_caller"), severity="warning")
            return
        self.agent_app.open_case_form(self.call.customer)

    def action_save(self) -> None:
        self.save(announce=True)

    # -- outcomes ----------------------------------------------------------------------------

    def request_type_chosen(self, procedure_id: str | None) -> None:
        if procedure_id:
            self.call.flow.choose_request_type(procedure_id, self.agent_app.now())
            self.show_stage(new_list=True)
            self.save()

    def verification_done(self, status: str | None) -> None:
        self.show_stage()
        self.show_caller()
        if status == "passed":
            self.reveal(Tier.BASIC, "verification.passed")
        elif status == "locked":
            self.notify(self.agent_app.t("call.locked"), severity="error", timeout=15)
            self.flag_possible_fraud()
        self.save()

    def operation_done(self, operation: str | None) -> None:
        if operation:
            self.reveal(Tier.FULL, f"step_up.{operation}")
            self.refresh_suggestions()
        self.save()

    def closed(self, ended: bool | None) -> None:
        if ended:
            self.save(final=True)

    # -- store work ------------------------------------------------------------------------------

    @work(thread=True, group="call-facts")
    def load_facts(self) -> None:
        customer_id, now = self.call.customer_id, self.agent_app.now()
        # A customer held masked has no facts here: the hub (or its sealed copy) compares.
        self.read_store(lambda customers: customers.verification_facts(customer_id, now),
                        self.call.start_verification)

    @work(thread=True, group="call-save")
    def save(self, announce: bool = False, final: bool = False) -> None:
        app = self.agent_app
        saved = self.use_store(app.save_call)
        if saved and announce:
            app.call_from_thread(self.notify, app.t("call.saved"))
        if final:
            app.call_from_thread(app.end_call, saved)

    @work(thread=True, group="call-audit")
    def reveal(self, tier: Tier, reason: str) -> None:
        app, call = self.agent_app, self.call
        customer_id, agent_id, at = call.customer_id, app.config.agent.id, app.now()

        def grant(connection: object) -> Disclosure:
            source = "hub" if tier is Tier.FULL and app.hub_configured else call.verified_by
            return audit.reveal(connection, agent_id=agent_id, customer_id=customer_id, tier=tier,
                                at=at, reason=reason, call_id=call.id, source=source)

        self.use_store(grant, self.disclosed)

    def disclosed(self, disclosure: Disclosure) -> None:
        customer_id = self.call.customer_id
        # The values the hub (or the sealed copy) released for this call go with the tier.
        disclosure = Disclosure(disclosure.tier, self.call.revealed)
        if customer_id and disclosure.tier > self.agent_app.disclosure_for(customer_id).tier:
            self.agent_app.set_disclosure(customer_id, disclosure)  # every screen redraws
        self.show_caller()

    @work(thread=True, group="call-audit")
    def flag_possible_fraud(self) -> None:
        app, call = self.agent_app, self.call
        self.use_store(lambda connection: raise_flag(
            connection, customer_id=call.customer_id, flag=POSSIBLE_FRAUD,
            agent_id=app.config.agent.id, at=app.now(), call_id=call.id,
            reason="verification locked after repeated failures"))
