"""The knowledge base from anywhere (F9 / ctrl+k, issue 18): opens it over whatever is in front
(or brings its search box back if it is open already), with the call's request type and notes to
suggest from; and puts a quoted article into the call's notes, where the agent was typing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost


class KnowledgeDesk:
    def __init__(self, app: AppHost) -> None:
        self.app = app

    def open(self) -> None:
        from screens.knowledge_base import KnowledgeBaseScreen

        app = self.app
        for screen in reversed(app.screen_stack):
            if isinstance(screen, KnowledgeBaseScreen):
                while app.screen is not screen:
                    app.pop_screen()
                screen.focus_query()
                return
        call = app.engine.call
        app.push_screen(KnowledgeBaseScreen(call.flow.request_type or "" if call else "",
                                            call.notes if call else ""), self.quote)

    def quote(self, quote: str | None) -> None:
        """F8 on an article: its line goes into the call's notes, where the agent was typing."""
        from screens.call import CallScreen

        app = self.app
        call = app.engine.call
        if not quote or call is None:
            return
        if isinstance(app.screen, CallScreen):
            app.screen.insert_quote(quote)
        else:  # the workspace is not open (F3 left it): the notes it will show get the line
            call.notes_changed(f"{call.notes.rstrip()}\n{quote}".lstrip(), app.now())
        app.notify(app.t("kb.inserted", reference=quote.rsplit("[", 1)[-1].rstrip("]")))
