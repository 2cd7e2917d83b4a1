"""Opening a case: from the call's handling stage (prefilled from the call) or a 360 (a contact
from another channel). Before a new case is opened, the customer's open case of the same category
is offered for attaching: one complaint is never handled twice.

Nothing typed is lost on a refusal: the store says why (no title, a text too long, a customer
that does not exist) and the form keeps every field.
"""

from __future__ import annotations

import msgspec
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from agent_tui.domain.cases import CHANNELS, PRIORITIES, Case
from agent_tui.domain.text import sanitize
from agent_tui.store.cases import CaseDraft, CaseError
from screens.widgets.agent_modal import AgentModal
from screens.widgets.draft_keeper import DraftKeeper
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import safe
from screens.widgets.safe_input import SafeInput


class CaseFormScreen(AgentModal[Case]):
    ACTION_IDS = ("save",)
    HELP_KEY = "help.case_form"
    DEFAULT_CSS = """
    CaseFormScreen #case-description { height: 6; }
    CaseFormScreen #case-attach { height: auto; color: $text-warning; }
    """

    def __init__(self, draft: CaseDraft, customer_label: str, restored: bool = False) -> None:
        super().__init__()
        self.draft = draft
        self.customer_label = customer_label
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
            yield Static(Content.assemble((t("case_form.title"), "bold"), "  ",
                                          safe(self.customer_label)), classes="dialog-title")
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
            description = TextArea(draft.description, id="case-description", soft_wrap=True,
                                   tab_behavior="focus")
            description.border_title = t("case_form.description")
            yield description
            yield Static(id="case-attach")
            yield Static(id="case-error", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button(t("case_form.open"), id="case-open", variant="primary",
                             compact=True)
                yield Button(t("case_form.attach"), id="case-attach-button", compact=True,
                             disabled=True)
        yield KeyBar()

    def on_mount(self) -> None:
        # A form opened fresh is saved as a draft once something in it changes.
        self.keeper.start(saved=not self.restored)
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
            opened=candidate.opened_at.strftime("%m-%d %H:%M"),
            status=t(f"case.status.{candidate.status}"), title=candidate.title))
        self.query_one("#case-attach", Static).update(notice)

    def draft_body(self) -> dict:
        return {**msgspec.to_builtins(self.current_draft()), "customer_label": self.customer_label}

    def current_draft(self) -> CaseDraft:
        def value(selector: str) -> str:
            return str(self.query_one(selector, Select).value)

        return CaseDraft(
            customer_id=self.draft.customer_id, channel=value("#case-channel"),
            category=value("#case-category"), priority=value("#case-priority"),
            sub_category=self.query_one("#case-sub-category", Input).value,
            title=self.query_one("#case-title", Input).value,
            description=sanitize(self.query_one("#case-description", TextArea).text,
                                 multiline=True),
            call_id=self.draft.call_id,
        )

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
