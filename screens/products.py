"""shift+F6 from a customer's 360 or the call: the bank's products with their risk level (the
higher of their ratings) and, for this customer, the suitability engine's verdict on the latest
assessment the workstation holds (allowed, above tolerance, expired, none). Above, the customer's
level, when it was made and until when it holds; below, the highlighted product's verdict with
its rule and article.

F7 sells the highlighted product: refused at once, with its rule and article (audited), when the
engine refuses; with an expired or missing assessment the agent is led to reassess first (the
step, and the limits: refused with their rule when the customer has had their reassessments);
an allowed one is queued as ``product.offer`` for the hub, which decides again. F8 asks for an
override with the reason typed in the box: queued and audited, never granted here.

Of the customer, the name only, masked as the 360 masks it at this call's tier."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Header, Input

from agent_tui.domain.models import Customer
from agent_tui.domain.questionnaire import Questionnaire
from agent_tui.domain.suitability import (
    RISK_LEVELS,
    SUITABLE,
    Assessment,
    Product,
    Verdict,
    limit_reached,
    product_level,
)
from agent_tui.domain.text import sanitize
from agent_tui.library.suitability import Suitability
from screens.reassess import ReassessScreen
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.line_broken import Prose
from screens.widgets.safe import cell, safe
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

_VERDICT_STYLE = {SUITABLE: "$success", "above_tolerance": "bold $error"}


class ProductsScreen(AgentScreen[None]):
    ACTION_IDS = ("product_sell", "product_override", "reassess")
    HELP_KEY = "products.help"
    CSS_PATH = "products.tcss"

    def __init__(self, customer: Customer) -> None:
        super().__init__()
        self.customer = customer
        self.suitability: Suitability | None = None
        self.history: list[Assessment] = []  # newest first: the first counts
        self.verdicts: dict[str, Verdict] = {}
        self.loaded = False

    @property
    def assessment(self) -> Assessment | None:
        return self.history[0] if self.history else None

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        yield Prose(Content(t("products.loading")), id="products-customer")
        yield MeasuredTable(id="products", cursor_type="row", zebra_stripes=True)
        yield Prose(id="products-detail")
        yield Input(id="products-reason", placeholder=t("products.reason_hint"))
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        add_columns(self.query_one("#products", DataTable),
                    [(key, t(f"products.col_{key}")) for key in ("name", "level", "verdict")],
                    essential=("name", "level", "verdict"))
        self.load()

    def disclosure_changed(self, customer_id: str) -> None:
        if customer_id == self.customer.id and self.loaded:
            self._show_customer()

    def facts_changed(self, customer_id: str) -> None:
        """A reassessment of this customer arrived (the pull), or was made here: read again."""
        if customer_id == self.customer.id and self.loaded:
            self.load()

    @work(thread=True, exclusive=True, group="products")
    def load(self) -> None:
        desk = self.agent_app.suitability_desk
        self.suitability = desk.rules()
        self.use_store(lambda connection: desk.assessments(connection, self.customer.id),
                       self.show)

    def show(self, history: list[Assessment]) -> None:
        self.history, self.loaded = history, True
        desk, t = self.agent_app.suitability_desk, self.agent_app.t
        table = self.query_one("#products", DataTable)
        table.clear()
        if self.suitability is None:
            self.query_one("#products-customer", Prose).update(Content(t("products.no_rules")))
            return
        language = self.agent_app.language
        for product in self.suitability.products:
            verdict = self.verdicts[product.id] = desk.verdict(self.assessment, product)
            level = product_level(product)
            table.add_row(cell(product.name(language)),
                          cell(level, "bold $error" if RISK_LEVELS.index(level) >= 3 else ""),
                          cell(t(f"products.verdict_{verdict.rule}"),
                               _VERDICT_STYLE.get(verdict.rule, "bold $warning")),
                          key=product.id)
        fit_columns(table)
        self._show_customer()
        self._detail()

    def _show_customer(self) -> None:
        t, assessment = self.agent_app.t, self.assessment
        name = safe(self.agent_app.disclosure_for(self.customer.id).name(self.customer.name),
                    "bold")
        if assessment is None:
            line = t("products.no_assessment")
        else:
            expiry = next((v.expires_at for v in self.verdicts.values() if v.expires_at), None)
            line = t("products.assessment", level=assessment.level,
                     at=assessment.assessed_at.date().isoformat(),
                     version=assessment.answers_version,
                     until=expiry.date().isoformat() if expiry else "-")
            if any(verdict.rule == "expired" for verdict in self.verdicts.values()):
                line += "  " + t("products.expired_short")
            if assessment.pending:
                line += "  " + t("reassess.pending")
        self.query_one("#products-customer", Prose).update(
            Content.assemble(name, "  ", Content(line)))

    def highlighted(self) -> tuple[Product, Verdict] | None:
        table = self.query_one("#products", DataTable)
        if self.suitability is None or not table.row_count:
            return None
        product = self.suitability.products[min(table.cursor_row,
                                                len(self.suitability.products) - 1)]
        return product, self.verdicts[product.id]

    def rule_lines(self, rule_id: str, **values: object) -> list[str]:
        """A rule of suitability.toml, its text filled in, then its article."""
        assert self.suitability is not None
        language, rules = self.agent_app.language, self.suitability.rules
        rule = rules.rules[rule_id]
        values = {"months": rules.valid_months, "limit": "", "count": "", **values}
        return [rule.text(language).format(**values), rule.article(language)]

    def reassess_lines(self) -> tuple[bool, list[str]]:
        """The step to reassess, with the limits; or the limit's refusal when it is reached."""
        assert self.suitability is not None
        t, rules = self.agent_app.t, self.suitability.rules
        allowed = self.agent_app.suitability_desk.may_reassess(self.history)
        if not allowed.allowed:
            count, limit = limit_reached(allowed.rule, [item.assessed_at for item in self.history],
                                         self.agent_app.now(), rules)
            return False, self.rule_lines(allowed.rule, count=count, limit=limit)
        return True, [t("products.reassess_step", per_day=rules.per_day,
                        per_year=rules.per_year)]

    @on(DataTable.RowHighlighted, "#products")
    def _detail(self, _event: object = None) -> None:
        chosen, t = self.highlighted(), self.agent_app.t
        if chosen is None:
            return
        product, verdict = chosen
        if verdict.allowed:
            lines = [t("products.allowed", level=verdict.product_level,
                       tolerance=verdict.tolerance)]
        else:
            lines = self.rule_lines(verdict.rule, product_level=verdict.product_level,
                                    tolerance=verdict.tolerance)
            if verdict.reassess_first:
                lines += self.reassess_lines()[1]
            else:
                lines.append(t("products.override_hint"))
        self.query_one("#products-detail", Prose).update(
            Content("\n").join(safe(line) for line in lines))

    # -- F7 and F8 -----------------------------------------------------------------------------

    def action_sell(self) -> None:
        chosen = self.highlighted()
        if chosen is None:
            return
        product, verdict = chosen
        if verdict.allowed:
            self.queue(product, verdict, "")
            return
        lines = self.rule_lines(verdict.rule, product_level=verdict.product_level,
                                tolerance=verdict.tolerance)
        if verdict.reassess_first:
            lines += self.reassess_lines()[1]
        self.agent_app.notify("\n".join(lines), title=self.agent_app.t("products.refused"),
                              severity="error", markup=False, timeout=10)
        self.audit_refusal(product, verdict)

    def action_override(self) -> None:
        chosen, t = self.highlighted(), self.agent_app.t
        if chosen is None:
            return
        product, verdict = chosen
        if verdict.allowed:
            self.agent_app.notify(t("products.override_not_needed"))
            return
        reason = sanitize(self.query_one("#products-reason", Input).value).strip()
        if not reason:
            self.agent_app.notify(t("products.override_needs_reason"), severity="warning")
            self.query_one("#products-reason", Input).focus()
            return
        self.queue(product, verdict, reason)

    # -- F6: the reassessment ------------------------------------------------------------------

    def action_reassess(self) -> None:
        """The questionnaire, for a customer verified on this call and within the limits."""
        app, desk = self.agent_app, self.agent_app.suitability_desk
        if self.suitability is None or not self.loaded:
            return
        if not desk.verified(self.customer.id):
            app.notify(app.t("reassess.not_verified"), severity="warning")
            return
        allowed, lines = self.reassess_lines()
        if not allowed:
            app.notify("\n".join(lines), title=app.t("products.refused"), severity="error",
                       markup=False, timeout=10)
            return
        self.open_questionnaire()

    @work(thread=True, exclusive=True, group="products-questionnaire")
    def open_questionnaire(self) -> None:
        app = self.agent_app
        questionnaire = app.suitability_desk.questionnaire()
        if questionnaire is None:
            app.call_from_thread(app.notify, app.t("reassess.no_questionnaire"),
                                 severity="error")
            return
        app.call_from_thread(self._open_form, questionnaire)

    def _open_form(self, questionnaire: Questionnaire) -> None:
        self.agent_app.push_screen(ReassessScreen(self.customer, questionnaire), self._reassessed)

    def _reassessed(self, level: str | None) -> None:
        if level is not None:
            self.load()  # the new assessment, pending, counts at once
            self.agent_app.action_sync_now()

    @work(thread=True, group="products-audit")
    def audit_refusal(self, product: Product, verdict: Verdict) -> None:
        desk = self.agent_app.suitability_desk
        self.use_store(lambda connection: desk.refuse(connection, self.customer.id, product,
                                                      verdict))

    @work(thread=True, group="products-offer")
    def queue(self, product: Product, verdict: Verdict, reason: str) -> None:
        desk, app = self.agent_app.suitability_desk, self.agent_app
        if self.use_store(lambda connection: desk.offer(connection, self.customer.id, product,
                                                        verdict, reason)):
            app.call_from_thread(self._queued, product, bool(reason))

    def _queued(self, product: Product, override: bool) -> None:
        t, app = self.agent_app.t, self.agent_app
        self.query_one("#products-reason", Input).value = ""
        app.notify(t("products.override_queued" if override else "products.queued",
                     product=product.name(app.language)))
        app.action_sync_now()
