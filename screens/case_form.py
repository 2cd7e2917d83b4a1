"""Opening a case: from the call's handling stage (prefilled from the call) or a 360 (a contact
from another channel). Before a new case is opened, the customer's open case of the same category
is offered for attaching: one complaint is never handled twice.

Nothing typed is lost on a refusal: the store says why (no title, a text too long, a customer
that does not exist) and the form keeps every field.
"""

from __future__ import annotations

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from agent_tui.domain.cases import CHANNELS, PRIORITIES, Case
from agent_tui.domain.masking import mask_name
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import short_stamp
from agent_tui.store.cases import CaseDraft, CaseError
from screens.widgets.agent_modal import AgentModal
from screens.widgets.draft_keeper import DraftKeeper
from screens.widgets.guarded_notes import GuardedNotes
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe
from screens.widgets.safe_input import SafeInput
from screens.widgets.workers import work


class CaseFormScreen(AgentModal[Case]):
    ACTION_IDS = ("save", "use_phrase")
    HELP_KEY = "help.case_form"
    CSS_PATH = "case_form.tcss"

    def __init__(self, draft: CaseDraft, customer_name: str, restored: bool = False) -> None:
        super().__init__()
        self.draft = draft
        # The customer's name (masked as this call allows when drawn), or the masked label a
        # restored draft kept: a draft never holds more of the customer than a masked screen.
        self.customer_name = customer_name
        self.candidate: Case | None = None
        self.restored = restored  # a form the workstation ended on: its draft is in the store
        self.keeper = DraftKeeper(self, f"case-form:{draft.customer_id}", "case_form",
                                  self.draft_body)

    def compose(self) -> ComposeResult:
        app, draft = self.agent_app, self.draft
        t, language = app.t, app.language
        categories = [(safe(procedure.name(language)), procedure.id)  # never markup
                      for procedure in app.library.procedures]
        with Vertical(classes="dialog"):
            yield Prose(self._title(), classes="dialog-title", id="case-form-title")
            with Horizontal(classes="row"):
                yield Label(t("case_form.channel"))
                yield Select([(t(f"case.channel.{c}"), c) for c in CHANNELS], id="case-channel",
                             value=draft.channel, allow_blank=False, compact=True)
            with Horizontal(classes="row"):
                yield Label(t("case_form.category"))
                yield Select(categories, id="case-category", value=draft.category,
                             allow_blank=False, compact=True)
            with Horizontal(classes="row"):
                yield Label(t("case_form.sub_category"))
                yield SafeInput(draft.sub_category, id="case-sub-category", max_length=60,
                                compact=True)
            with Horizontal(classes="row"):
                yield Label(t("case_form.priority"))
                yield Select([(t(f"case.priority.{p}"), p) for p in PRIORITIES],
                             id="case-priority", value=draft.priority, allow_blank=False,
                             compact=True)
            with Horizontal(classes="row"):
                yield Label(t("case_form.case_title"))
                yield SafeInput(draft.title, id="case-title", max_length=200, compact=True,
                                placeholder=t("case_form.title_placeholder"))
            yield GuardedNotes(draft.description, editor_id="case-description",
                               title=t("case_form.description"), where="case_form",
                               context=lambda: {"customer_id": self.draft.customer_id})
            yield Prose(id="case-attach")
            yield Prose(id="case-error", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button(t("case_form.open"), id="case-open", variant="primary",
                             compact=True)
                yield Button(t("case_form.attach"), id="case-attach-button", compact=True,
                             disabled=True)
        yield KeyBar()

    def _title(self) -> Content:
        shown = self.agent_app.disclosure_for(self.draft.customer_id)
        return Content.assemble((self.agent_app.t("case_form.title"), "bold"), "  ",
                                safe(shown.name(self.customer_name)))

    def disclosure_changed(self, customer_id: str) -> None:
        if customer_id == self.draft.customer_id:
            self.query_one("#case-form-title", Static).update(self._title())

    def on_mount(self) -> None:
        # The fields, kept: the draft is read from them on unmount too, when they are gone
        # from the DOM.
        self.fields = {name: self.query_one(f"#case-{name}") for name in (
            "channel", "category", "priority", "sub-category", "title", "description")}
        # A form opened fresh is saved as a draft once something in it changes.
        self.keeper.start(saved=not self.restored, kept=self.restored)
        self.query_one("#case-attach-button").display = False
        self.set_focus(self.query_one("#case-title" if not self.draft.title else "#case-open"))
        self.look_for_open_case(self.draft.category)

    @on(Select.Changed, "#case-category")
    def _category_changed(self, event: Select.Changed) -> None:
        self.look_for_open_case(str(event.value))

    @work(thread=True, exclusive=True, group="case-attach")
    def look_for_open_case(self, category: str) -> None:
        app, customer_id = self.agent_app, self.draft.customer_id
        self.use_store(lambda connection: app.cases(connection).attach_candidate(
            customer_id, category, app.now(), app.library.attach_window_days), self.offer)

    def offer(self, candidate: Case | None) -> None:
        self.candidate = candidate
        button = self.query_one("#case-attach-button", Button)
        button.display = candidate is not None
        button.disabled = candidate is None
        t = self.agent_app.t
        notice = Content() if candidate is None else Content(t(
            "case_form.open_case_found", number=candidate.number,
            channel=t(f"case.channel.{candidate.channel}"),
            opened=short_stamp(candidate.opened_at),
            status=t(f"case.status.{candidate.status}"), title=candidate.title))
        self.query_one("#case-attach", Static).update(notice)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_phrase":  # F8 only while a forbidden word is there to replace
            return bool(self.query_one(GuardedNotes).hits)
        return True

    def action_use_phrase(self) -> None:
        self.query_one(GuardedNotes).apply_nearest()

    def draft_body(self) -> dict:
        return {**msgspec.to_builtins(self.current_draft()),
                "customer_label": mask_name(self.customer_name)}

    def current_draft(self) -> CaseDraft:
        fields = self.fields
        return CaseDraft(
            customer_id=self.draft.customer_id, channel=str(fields["channel"].value),
            category=str(fields["category"].value), priority=str(fields["priority"].value),
            sub_category=fields["sub-category"].value, title=fields["title"].value,
            description=sanitize(fields["description"].text, multiline=True),
            call_id=self.draft.call_id,
        )

    def go_back(self) -> None:
        """F3 / Escape: the form closes, and what was typed in it is kept as a draft (F11 for
        this customer brings it back), never dropped."""
        if self.keeper.save_now():
            self.notify(self.agent_app.t("case_form.kept"))
        self.dismiss(None)

    def on_unmount(self) -> None:
        """Closed by another key (F2, F4): what was typed is kept all the same."""
        self.keeper.save_now()

    @on(Button.Pressed, "#case-open")
    @on(Input.Submitted)
    def action_save(self) -> None:
        self.open_case(self.current_draft())

    @on(Button.Pressed, "#case-attach-button")
    def _attach_pressed(self) -> None:
        if self.candidate is not None:
            self.attach_contact(self.candidate, self.current_draft())

    @work(thread=True, exclusive=True, group="case-save")
    def open_case(self, draft: CaseDraft) -> None:
        app = self.agent_app
        self._write(lambda connection: app.cases(connection).open(draft, app.now()))

    @work(thread=True, exclusive=True, group="case-save")
    def attach_contact(self, case: Case, draft: CaseDraft) -> None:
        app = self.agent_app
        text = "\n".join(part for part in (draft.title, draft.description) if part.strip())
        self._write(lambda connection: app.cases(connection).attach_contact(
            case, draft.channel, text, app.now(), draft.call_id))

    def _write(self, write) -> None:
        """From the worker: the case written, or the reason why not shown in the form."""
        try:
            def written(connection):
                result = write(connection)
                self.keeper.discard()  # the case is in the store: the form's draft goes
                return result

            self.use_store(written, self.dismiss)
        except CaseError as error:
            self.app.call_from_thread(self.refused, error)

    def refused(self, error: CaseError) -> None:
        self.query_one("#case-error", Static).update(Content(self.agent_app.catalog.error(error)))
