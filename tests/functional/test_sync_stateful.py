"""A hypothesis state machine that mixes SYNC.md's faults: local work, supervisors changing the
same cases, syncs through a network that drops, resets, truncates or answers 503, and a hub
killed before or after a commit. Whatever the mix, a final fault-free sync converges. Bounded:
a few examples of a few steps, each wait limited."""

from __future__ import annotations

import itertools

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from agent_tui.domain.cases import allowed_next
from agent_tui.store.cases import CaseError
from tests.fault_proxy import FaultProxy
from tests.hub_process import HubProcess
from tests.workstation import Workstation

pytestmark = pytest.mark.slow
_agents = itertools.count(3000)


def test_any_mix_of_faults_converges(tmp_path):
    hub = HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path)
    hub.seed()
    hub.start()
    proxy = FaultProxy(hub.port)
    supervisor = hub.token("S0001", "supervisor", "T1")
    headers = {"Authorization": f"Bearer {supervisor}"}
    supervisor_device = httpx.post(f"{hub.url}/v1/devices", json={}, headers=headers,
                                   timeout=10).json()["device_id"]
    supervisor_seq = itertools.count(1)

    class Centre(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            agent_id = f"A{next(_agents)}"
            self.station = Workstation(tmp_path / agent_id, agent_id, hub.token(agent_id))
            self.synced_once = False

        def _cases(self):
            return [case for index in range(3)
                    for case in self.station.cases.open_for(self.station.customer(index))
                    if case.created_by == self.station.agent_id]

        @rule(index=st.integers(0, 2))
        def open_case(self, index):
            self.station.open_case(index=index)

        @precondition(lambda self: self._cases())
        @rule(pick=st.integers(0, 10), text=st.text(min_size=1, max_size=40))
        def add_note(self, pick, text):
            cases = self._cases()
            try:
                self.station.cases.add_note(cases[pick % len(cases)], text, self.station.clock())
            except CaseError:
                pass  # an empty note after cleaning: refused locally, as the agent would see

        @precondition(lambda self: self._cases())
        @rule(pick=st.integers(0, 10), choice=st.integers(0, 10))
        def change_status(self, pick, choice):
            cases = self._cases()
            case = cases[pick % len(cases)]
            moves = allowed_next(case.status)
            if moves:
                self.station.cases.change_status(case, moves[choice % len(moves)],
                                                 self.station.clock())

        @precondition(lambda self: self.synced_once and self._cases())
        @rule(pick=st.integers(0, 10))
        def supervisor_escalates(self, pick):
            cases = self._cases()
            case = cases[pick % len(cases)]
            with reading_version(hub, case.id) as version:
                httpx.post(f"{hub.url}/v1/sync/push", headers=headers, timeout=20, json={
                    "device_id": supervisor_device, "mutations": [{
                        "seq": next(supervisor_seq), "mutation_id": f"sup-{case.id}-{version}",
                        "name": "case.escalated", "args": {
                            "case_id": case.id, "base_version": version, "changes": {
                                "status": "escalated", "escalated_to": "专家组",
                                "escalation_reason": "客户要求"}, "detail": {},
                            "at": "2026-11-23T10:00:00"}}]})

        @rule(mode=st.sampled_from(["pass", "drop", "reset", "truncate", "unavailable"]))
        def sync_through(self, mode):
            proxy.mode, proxy.cut = mode, 300
            report = self.station.sync(proxy.url)
            if mode == "pass":
                assert report.ok, report.error
                self.synced_once = True
            elif mode == "truncate":  # an answer shorter than the cut arrives whole
                assert report.ok or report.error == "offline"
            else:
                assert report.error == "offline"

        @rule(point=st.sampled_from(["before_commit", "after_commit"]))
        def hub_dies(self, point):
            if not self.station.waiting():
                return
            hub.restart(faults=f"{point}:*:1")
            self.station.sync(hub.url)
            hub.exited(timeout=2)
            hub.restart()  # a clean hub, whether or not the fault point was reached

        def teardown(self):
            proxy.mode = "pass"
            if hub.process is None or hub.process.poll() is not None:
                hub.start()
            report = self.station.sync(hub.url)
            assert report.ok, report.error
            self.station.assert_converged(hub.engine)
            self.station.close()

    try:
        run_state_machine_as_test(Centre, settings=settings(
            max_examples=12, stateful_step_count=10, deadline=None, derandomize=True,
            suppress_health_check=list(HealthCheck)))
    finally:
        proxy.close()
        hub.close()


class reading_version:
    """The case's version at the hub now (what a supervisor's screen would show)."""

    def __init__(self, hub: HubProcess, case_id: str) -> None:
        self.hub, self.case_id = hub, case_id

    def __enter__(self) -> int:
        from sqlalchemy import select

        from agent_tui.hub.database import reading
        from agent_tui.hub.schema import cases

        with reading(self.hub.engine) as connection:
            return connection.execute(select(cases.c.version).where(
                cases.c.id == self.case_id)).scalar() or 1

    def __exit__(self, *exc) -> None:
        return None
