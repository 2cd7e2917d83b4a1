"""One knowledge-base article, as published: its title, who approved which version and when, and
the text. F8 quotes its first sentence with its reference into the call's notes; + and - tell the
authors whether it helped (kept in the store, once per press)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from agent_tui.domain.kb import Article, quote_line
from agent_tui.domain.text import sanitize
from agent_tui.domain.times import stamp
from agent_tui.store import kb
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken_markdown import LineBrokenMarkdown
from screens.widgets.safe import safe
from screens.widgets.workers import work


class ArticleScreen(AgentScreen[str | None]):
    """Dismissed with the line to quote into the call's notes, or None (F3)."""

    CSS_PATH = "kb_article.tcss"
    ACTION_IDS = ("kb_quote", "kb_helpful", "kb_not_helpful")
    HELP_KEY = "kb.help"

    def __init__(self, article_id: str, lang: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.lang = lang
        self.article: Article | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="kb-article-title")
        yield Static(id="kb-article-meta")
        with VerticalScroll(id="kb-article-scroll"):
            yield LineBrokenMarkdown(id="kb-article-body")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        scroll = self.query_one("#kb-article-scroll")
        # The key bar is full at 80 columns: the feedback keys are said where they apply.
        scroll.border_subtitle = Content(f"+ {t('kb.helpful_key')}  - {t('kb.not_helpful_key')}")
        self.set_focus(scroll)
        self.load()

    @work(thread=True, exclusive=True, group="kb-article")
    def load(self) -> None:
        self.use_store(lambda connection: kb.article(connection, self.article_id, self.lang),
                       self.show)

    def show(self, article: Article | None) -> None:
        t = self.agent_app.t
        self.article = article
        if article is None:
            self.query_one("#kb-article-title", Static).update(Content(t("kb.gone")))
            return
        self.query_one("#kb-article-title", Static).update(safe(article.title, "bold"))
        approved = stamp(article.approved_at) if article.approved_at else "-"
        self.query_one("#kb-article-meta", Static).update(safe(t(
            "kb.version", category=t(f"kb.category.{article.category}"),
            version=article.version, approved_by=article.approved_by, approved_at=approved)
            + f"  [{article.reference()}]"))
        # Markdown, never Rich markup: "[bold]" in an article is shown as written.
        self.query_one("#kb-article-body", LineBrokenMarkdown).update(sanitize(article.body,
                                                                     multiline=True))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quote":
            return True if self.agent_app.call is not None and self.article else None
        if action in ("helpful", "not_helpful"):
            return True if self.article is not None else None
        return True

    def action_quote(self) -> None:
        if self.article is not None and self.agent_app.call is not None:
            self.dismiss(quote_line(self.article))

    def action_helpful(self) -> None:
        self._feedback(True)

    def action_not_helpful(self) -> None:
        self._feedback(False)

    @work(thread=True, group="kb-feedback")
    def _feedback(self, helpful: bool) -> None:
        app, article = self.agent_app, self.article
        if article is None:
            return
        call = app.call
        self.use_store(lambda connection: kb.record_feedback(
            connection, article_id=article.id, lang=article.lang, version=article.version,
            agent_id=app.config.agent.id, call_id=call.id if call else None, helpful=helpful,
            at=app.now()), lambda _id: self.notify(app.t("kb.feedback_saved",
                                                         reference=article.reference())))
