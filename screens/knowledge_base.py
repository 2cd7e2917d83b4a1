"""F9 / ctrl+k: the knowledge base. A search box, the articles it finds (titles and snippets with
the matched words marked), Enter to read one; in a call, the articles suggested for it first, and
F8 to quote the highlighted one into the call's notes.

The search is the store's (``agent_tui.store.kb``), the same as ``agent-tui kb search``; it runs on
a worker thread at each change of the query, the newest query winning.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_tui.domain.kb import SearchHit, quote_line
from agent_tui.store import kb
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.kb_text import hit_lines
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe_input import SafeInput
from screens.widgets.workers import work

RESULTS = 30


class KnowledgeBaseScreen(AgentScreen[str | None]):
    """Dismissed with the line to quote into the call's notes, or None."""

    CSS_PATH = "knowledge_base.tcss"
    ACTION_IDS = ("open", "kb_quote")
    HELP_KEY = "kb.help"

    def __init__(self, request_type: str = "", notes: str = "") -> None:
        super().__init__()
        self.request_type = request_type
        self.notes = notes
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        yield SafeInput(placeholder=t("kb.search_placeholder"), id="kb-query", max_length=100)
        yield Static(id="kb-status")
        yield OptionList(id="kb-results")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#kb-results", OptionList).border_title = self.agent_app.t("kb.title")
        self.focus_query()
        self.search("")

    def focus_query(self) -> None:
        self.set_focus(self.query_one("#kb-query", Input))

    @on(Input.Changed, "#kb-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#kb-query")
    def _query_submitted(self) -> None:
        results = self.query_one("#kb-results", OptionList)
        if results.option_count:
            results.highlighted = 0
            self.set_focus(results)

    @work(thread=True, exclusive=True, group="kb-search")
    def search(self, query: str) -> None:
        app = self.agent_app

        def run(connection) -> list[SearchHit]:
            if query.strip():
                return kb.search(connection, query, app.language, RESULTS)
            if app.call is not None:  # nothing typed, in a call: what the call suggests
                return kb.suggest(connection, self.request_type, self.notes, app.language, 10)
            return []

        self.use_store(run, lambda hits: self.show(query, hits))

    def show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self.query_one("#kb-query", Input).value:
            return  # typed on since: the newer search draws
        t = self.agent_app.t
        self.hits = hits
        results = self.query_one("#kb-results", OptionList)
        with self.app.batch_update():
            results.clear_options()
            results.add_options([Option(hit_lines(hit, t(f"kb.category.{hit.category}")),
                                        id=f"{hit.id}:{hit.lang}") for hit in hits])
            if hits:
                results.highlighted = 0
        if not query.strip():
            status = t("kb.suggested") if hits else t("kb.empty_query")
        else:
            status = t("kb.results", count=len(hits)) if hits else t("kb.no_results", query=query)
        self.query_one("#kb-status", Static).update(Content(status))

    def _highlighted(self) -> SearchHit | None:
        results = self.query_one("#kb-results", OptionList)
        if results.highlighted is None or not self.hits:
            return None
        return self.hits[min(results.highlighted, len(self.hits) - 1)]

    @on(OptionList.OptionSelected, "#kb-results")
    def _chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        hit = self._highlighted()
        if hit is None:
            self._query_submitted()
            return
        from screens.kb_article import ArticleScreen

        self.app.push_screen(ArticleScreen(hit.id, hit.lang), self._read)

    def _read(self, quote: str | None) -> None:
        if quote:  # F8 in the reader: the quote goes to the call, through this screen
            self.dismiss(quote)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quote":
            return True if self.agent_app.call is not None and self.hits else None
        return True

    def action_quote(self) -> None:
        hit = self._highlighted()
        if hit is not None and self.agent_app.call is not None:
            self._quote(hit)

    @work(thread=True, exclusive=True, group="kb-article")
    def _quote(self, hit: SearchHit) -> None:
        def found(article) -> None:
            if article is None:
                self.notify(self.agent_app.t("kb.gone"), severity="warning")
            else:
                self.dismiss(quote_line(article))

        self.use_store(lambda connection: kb.article(connection, hit.id, hit.lang), found)
