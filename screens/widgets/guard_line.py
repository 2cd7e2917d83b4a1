"""The line under a guarded notes box: what to press, or the forbidden word nearest the cursor with
its replacement, the reason (in the agent's language) and how many were caught."""

from __future__ import annotations

from textual.content import Content

from agent_tui.domain.localized import in_language
from agent_tui.domain.phrasing import Hit, PhraseGuard
from screens.widgets.line_broken import Prose
from screens.widgets.safe import safe


class GuardLine(Prose):
    # Up to two lines: a caught word, its replacement and the reason do not fit 80 columns in one.
    DEFAULT_CSS = """
    GuardLine {
        height: auto;
        max-height: 2;
        padding: 0 1;
    }
    """

    def __init__(self, hint_key: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.hint_key = hint_key
        self._shown: Content | None = None

    def show(self, hit: Hit | None, guard: PhraseGuard, caught: int) -> None:
        t, language = self.app.t, self.app.language  # type: ignore[attr-defined]
        if hit is None:
            line = Content(t(self.hint_key)).stylize("$text-muted")
        else:
            rule = guard.rule(hit.rule_id)
            reason = in_language(language, rule.reason_zh, rule.reason_en)
            line = Content.assemble(
                ("\u26a0 ", "bold $text-error"), safe(hit.word, "bold $text-error"), " => ",
                safe(hit.replacement, "bold $text-success"), "  ", safe(reason, "$text-muted"),
                "  ", t("call.guard_apply", count=caught),
            )
        if line != self._shown:  # one keystroke, one line redrawn at most
            self._shown = line
            self.update(line)
