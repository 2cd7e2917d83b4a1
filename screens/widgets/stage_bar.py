"""The call's stage bar: the four stages with the current one marked, and the call timer against
the AHT target. Always one line, always on the call workspace."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from agent_tui.domain.scripts import STAGE_ORDER
from agent_tui.domain.times import call_timer

if TYPE_CHECKING:
    from agent_tui.domain.call_session import CallSession
    from screens.widgets.host import AgentHost


class StageBar(Widget):
    DEFAULT_CSS = """
    StageBar {
        height: 1;
        background: $boost;
        padding: 0 1;
    }
    """

    def __init__(self, call: CallSession, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.call = call

    def on_mount(self) -> None:
        # Once a second: the timer is what changes. Nothing else is redrawn on the tick.
        self.set_interval(1.0, self.refresh)

    def render(self) -> Content:
        app: AgentHost = self.app  # type: ignore[assignment]
        flow = self.call.flow
        parts: list[Content] = []
        for index, stage_id in enumerate(STAGE_ORDER):
            # The catalog's short name: the library's full names do not fit 80 columns in English.
            name = app.t(f"stage.{stage_id}")
            if index < flow.stage_index:
                parts.append(self._passed(stage_id, name))
            elif index == flow.stage_index:
                parts.append(Content(f"\u00bb {name}").stylize("bold reverse $accent"))
            else:
                parts.append(Content(f"  {name}").stylize("$text-muted"))
        target = timedelta(minutes=app.config.call.aht_minutes)
        elapsed = flow.elapsed(app.now())
        timer = Content(f"\u23f1 {call_timer(elapsed)} / {call_timer(target)}")
        if elapsed > target:
            timer = timer.stylize("bold $text-error")
        stages = Content(" \u203a ").join(parts)
        gap = max(1, self.size.width - stages.cell_length - timer.cell_length)
        return Content.assemble(stages, " " * gap, timer)

    def _passed(self, stage_id: str, name: str) -> Content:
        """A stage behind the call. Verification is ticked only when the caller was verified:
        a lockout, a move on without verifying, or a pass a resumed call could not prove again
        is marked as such, never as done."""
        if stage_id == "verification":
            status = self.call.verification_shown
            if status == "third_party":
                return Content(f"\u25cb {name}").stylize("$text-accent")
            if status != "passed":
                return Content(f"\u2717 {name}").stylize("bold $text-error")
        return Content(f"\u2713 {name}").stylize("$text-success")
