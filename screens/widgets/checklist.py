"""A stage's checklist: one option per step, wrapped to the width, with its tick and a mark for
required steps. Space or Enter ticks and unticks the highlighted step.

Not Textual's SelectionList: it draws one line per option and cuts longer steps short, and a
step's text is the instruction the agent must be able to read in full.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agent_tui.domain.scripts import Step
from screens.widgets.line_broken import LineBroken, broken

# ASCII marks: box-drawing ticks are "ambiguous width" and shift lines in CJK terminals.
TICKED, OPEN = "[x] ", "[ ] "


class Checklist(OptionList):
    BINDINGS = [Binding("space,enter", "toggle", show=False)]

    class Toggled(Message):
        def __init__(self, step_id: str, ticked: bool) -> None:
            super().__init__()
            self.step_id = step_id
            self.ticked = ticked

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ticked: set[str] = set()
        self._shown_ids: list[str] = []
        self._shown_language = ""

    def show(self, steps: Iterable[Step], ticked: set[str], language: str,
             keep_place: bool = True) -> None:
        """Draw ``steps``; on a new list, highlight the first open step (required first).

        The same steps as shown (a tick, a save): only the options whose tick changed are
        redrawn, in place, so the highlight and the scroll stay where the agent left them."""
        steps = list(steps)
        if keep_place and [step.id for step in steps] == self._shown_ids \
                and language == self._shown_language:
            changed = self.ticked ^ ticked
            self.ticked = set(ticked)
            for index, step in enumerate(steps):
                if step.id in changed:
                    self.replace_option_prompt_at_index(index, self._prompt(step, language))
            return
        highlighted = self.highlighted if keep_place else None
        self.ticked = set(ticked)
        self._shown_ids = [step.id for step in steps]
        self._shown_language = language
        self.clear_options()
        self.add_options([Option(self._prompt(step, language), id=step.id) for step in steps])
        if not steps:
            return
        if highlighted is None:
            open_steps = [index for index, step in enumerate(steps) if step.id not in ticked]
            required = [index for index in open_steps if steps[index].required]
            highlighted = (required or open_steps or [0])[0]
        self.highlighted = min(highlighted, len(steps) - 1)

    def _prompt(self, step: Step, language: str) -> LineBroken:
        done = step.id in self.ticked
        return broken(Content.assemble(
            (TICKED, "bold $text-success") if done else OPEN,
            ("* ", "bold $text-error") if step.required else "  ",
            (step.text(language), "$text-muted" if done else ""),
        ))

    @property
    def highlighted_step(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_toggle(self) -> None:
        step_id = self.highlighted_step
        if step_id is not None:
            self.post_message(self.Toggled(step_id, step_id not in self.ticked))
