"""ctrl+y, the KPIs: an agent's own over the last two weeks, or a team lead's team (the total,
and a line per agent), each figure with its target from the scripts library (kpi.toml) beside
it, green when met and red when not, and a Sparkline of its trend a day. What the hub computes
(hub/kpi.py) is sums and counts; the ratios are taken here, after adding agents or days up, and
a ratio with nothing to count reads "—"."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Sparkline, Static

from agent_tui.domain.kpi import MEASURES, KpiCounts, shown, target_shown
from agent_tui.sync.hub_errors import HubRefused, HubUnreachable
from agent_tui.sync.protocol import KpiReply
from screens.widgets.agent_screen import AgentScreen
from screens.widgets.columns import add_columns, fit_columns
from screens.widgets.key_bar import KeyBar
from screens.widgets.safe import cell
from screens.widgets.textual_private import MeasuredTable
from screens.widgets.workers import work

DAYS = 14
_AGENT_COLUMNS = ("calls", "aht_seconds", "fcr", "csat", "nps")


class KpiScreen(AgentScreen[None]):
    HELP_KEY = "kpi_view.help"
    CSS_PATH = "kpi_view.tcss"

    def compose(self) -> ComposeResult:
        t = self.agent_app.t
        yield Header()
        yield Static(Content(t("kpi_view.loading")), id="kpi-status")
        with Vertical(id="kpi-figures"):
            for measure in MEASURES:
                with Horizontal(classes="kpi-row"):
                    yield Static(Content(t(f"kpi.measure.{measure}")), classes="kpi-name")
                    yield Static(id=f"kpi-{measure}", classes="kpi-figure")
                    yield Static(classes="kpi-target", id=f"kpi-target-{measure}")
                    yield Sparkline([], id=f"kpi-trend-{measure}", classes="kpi-trend")
        yield MeasuredTable(id="kpi-agents", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.agent_app.t
        table = self.query_one("#kpi-agents", DataTable)
        # Who, and the first figures; the later ones narrow or go when 80 columns run out.
        add_columns(table, [("agent", t("kpi.agent")), *((measure, t(f"kpi.measure.{measure}"))
                                                         for measure in _AGENT_COLUMNS)],
                    essential=("agent", *_AGENT_COLUMNS[:3]))
        table.display = False
        if not self.agent_app.hub_configured:
            self.say("board.no_hub")
            return
        self.load()

    @work(thread=True, exclusive=True, group="kpi-view")
    def load(self) -> None:
        app = self.agent_app
        until = app.now().date()
        try:
            reply = app.team_desk.kpis(until - timedelta(days=DAYS - 1), until)
        except HubRefused:
            app.call_from_thread(self.say, "board.refused")
            return
        except HubUnreachable:
            app.call_from_thread(self.say, "board.unreachable")
            return
        if reply is not None:
            app.call_from_thread(self.show, reply)

    def say(self, key: str) -> None:
        status = self.query_one("#kpi-status", Static)
        status.update(Content(self.agent_app.t(key)).stylize("$warning"))

    def show(self, reply: KpiReply) -> None:
        app, t = self.agent_app, self.agent_app.t
        me = app.config.agent.id
        team = any(row.who != me for row in reply.rows)
        total = sum((row.counts for row in reply.rows), KpiCounts())
        self.query_one("#kpi-status", Static).update(Content(
            t("kpi_view.team" if team else "kpi_view.mine", days=DAYS)))
        for measure in MEASURES:
            target = app.library.kpi_target(measure) if app.library else None
            figure = total.figure(measure)
            met = target.met(figure) if target else None
            style = "" if met is None else "$success" if met else "$error"
            self.query_one(f"#kpi-{measure}", Static).update(
                Content(shown(measure, figure)).stylize(style))
            self.query_one(f"#kpi-target-{measure}", Static).update(
                Content(target_shown(target)).stylize("$text-muted"))
            points = [point.counts.figure(measure) for point in reply.trend]
            self.query_one(f"#kpi-trend-{measure}", Sparkline).data = [
                float(point) for point in points if point is not None]
        table = self.query_one("#kpi-agents", DataTable)
        table.display = team
        table.clear()
        if team:
            for row in reply.rows:
                table.add_row(cell(row.who), *(cell(shown(measure, row.counts.figure(measure)))
                                               for measure in _AGENT_COLUMNS), key=row.who)
            fit_columns(table)
