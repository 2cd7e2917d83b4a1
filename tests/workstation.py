"""A workstation for the sync tests: its own local store (the same demo customers as the hub),
the real case store and the real sync runner, with a ledger of everything it queued."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from agent_tui.domain.sla import SlaPolicy
from agent_tui.store import Store
from agent_tui.store.cases import CaseDraft, CaseStore
from agent_tui.sync.hub_client import HubClient
from agent_tui.sync.runner import SyncReport, run_sync
from data.generator import SeedPlan
from data.seed import seed_store
from tests.hub_process import AS_OF, CUSTOMERS
from tests.sync_checks import Ledger, assert_converged


class Workstation:
    def __init__(self, folder: Path, agent_id: str, token: str,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{agent_id}.db"
        if not self.path.exists():
            seed_store(self.path, SeedPlan(CUSTOMERS, 1, AS_OF), workers=1)
        self.store = Store.open(self.path)
        self.connection = self.store.connection()
        self.agent_id = agent_id
        self.token = token
        self.clock = clock
        self.cases = CaseStore(self.connection, SlaPolicy(), agent_id, agent_id.lstrip("A"))
        self.ledger = Ledger()

    def customer(self, index: int = 0) -> str:
        return self.connection.execute(
            "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET ?", (index,)).fetchone()[0]

    def open_case(self, title: str = "卡片被吞", index: int = 0):
        return self.cases.open(CaseDraft(customer_id=self.customer(index), title=title),
                               self.clock())

    def sync(self, url: str, token: str | None = None) -> SyncReport:
        self.ledger.note(self.connection)
        client = HubClient(url, token or self.token)
        try:
            return run_sync(self.connection, client, self.clock)
        finally:
            client.close()

    def waiting(self) -> int:
        return self.connection.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def assert_converged(self, hub_engine) -> None:
        assert_converged(hub_engine, self.connection, self.ledger, self.agent_id)

    def close(self) -> None:
        self.store.close()
