"""KPIs on a centre's past (issue 17): ``agents`` agents in teams of ten, ``days`` days of calls
(about 26 an agent a working day, ratings, cases, callbacks; data/history.py without the events,
which the KPIs do not read), on a throwaway PostgreSQL cluster; then a team lead's view timed as
the hub's /v1/kpi computes it (a line per agent and a trend a day), over two weeks and over the
whole past, for teams drawn at random. The target: p95 ≤ 500 ms per team view."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from bench.figures import Figure, p95, summary

TEAM_VIEW_TARGET_MS = 500.0


def kpi_figures(agents: int, days: int, quick: bool):
    seeded = Figure("kpi_seed_s", f"KPI history: {agents:,} agents x {days} days on PostgreSQL",
                    "s")
    fortnight = Figure("kpi_team_p95_ms", "team KPI view, 14 days (rows + trend) p95", "ms",
                       TEAM_VIEW_TARGET_MS)
    whole = Figure("kpi_team_all_p95_ms", f"team KPI view, all {days} days p95", "ms",
                   TEAM_VIEW_TARGET_MS)

    def measure() -> None:
        from agent_tui.hub.database import connect, reading
        from agent_tui.hub.kpi import KpiQuery, kpi_view
        from agent_tui.hub.seed import seed_history
        from data.history import HistoryPlan, many_teams
        from tests.postgres_cluster import PostgresCluster, unavailable_reason

        reason = unavailable_reason()
        if reason:
            raise RuntimeError(reason)
        cluster = PostgresCluster()
        try:
            engine = connect(cluster.new_database())
            now = datetime(2026, 11, 30, 18)
            teams = many_teams(agents)
            plan = HistoryPlan(teams, days, now.date(), events=False)
            started = time.perf_counter()
            calls = seed_history(engine, plan, now)
            seeded.measured = time.perf_counter() - started
            seeded.note = f"{calls:,} calls in {len(teams)} teams"
            # Statistics and the visibility map, as autovacuum would leave them after a load.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
            picker = random.Random(17)
            rounds = 20 if quick else 100
            for figure, span in ((fortnight, 14), (whole, days)):
                timings = []
                for _ in range(rounds):
                    team = picker.choice(teams).id
                    query = KpiQuery(now.date() - timedelta(days=span - 1), now.date(), team=team)
                    began = time.perf_counter()
                    with reading(engine) as connection:
                        rows, _trend = kpi_view(connection, query, now)
                    timings.append((time.perf_counter() - began) * 1000)
                    if not rows:
                        raise RuntimeError(f"team {team} has no figures")
                figure.measured = p95(timings)
                figure.detail = summary(timings)
                figure.note = f"{rounds} views of random teams of {len(teams[0].agents)}"
            engine.dispose()
        finally:
            cluster.close()

    return [seeded, fortnight, whole], measure
