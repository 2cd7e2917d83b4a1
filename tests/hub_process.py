"""A real hub: ``agent-tui hub serve`` as a subprocess on 127.0.0.1, started, killed, restarted.

The hub's database is prepared in-process (migrated, seeded with a few customers, tokens made)
through the hub's own functions, then the subprocess serves it. Every wait is bounded.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from agent_tui.hub.auth import create_token
from agent_tui.hub.database import connect
from agent_tui.hub.seed import seed_hub
from data.generator import SeedPlan

AS_OF = date(2026, 11, 20)
CUSTOMERS = 40
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HubProcess:
    def __init__(self, db_url: str, workdir: Path) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.engine = connect(db_url)
        workdir.mkdir(parents=True, exist_ok=True)
        self.log = workdir / "hub.log"
        self.sms_outbox = workdir / "hub-sms-outbox.log"  # the demo SMS gateway's file

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def seed(self, customers: int = CUSTOMERS) -> None:
        seed_hub(self.engine, SeedPlan(customers, 1, AS_OF))

    def token(self, agent: str, role: str = "agent", team: str = "T1",
              valid_for: timedelta = timedelta(days=1)) -> str:
        return create_token(self.engine, agent, role, team, datetime.now(), valid_for)[1]

    def start(self, faults: str = "", *options: str) -> None:
        """Serve (``options`` go to ``agent-tui hub serve``, e.g. ``--max-body``)."""
        environment = {**os.environ, "AGENT_TUI_HUB_FAULTS": faults}
        if not faults:
            environment.pop("AGENT_TUI_HUB_FAULTS")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "agent_tui", "hub", "serve", "--db", self.db_url,
                 "--port", str(self.port), "--sms-outbox", str(self.sms_outbox), *options],
                stdout=log, stderr=subprocess.STDOUT,
                env=environment, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hub exited at start: {self.log.read_text()[-2000:]}")
            try:
                healthy = httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200
                if healthy and self.process.poll() is None:  # ours, not a leftover on the port
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("hub did not start in time")

    def exited(self, timeout: float = 10.0) -> int | None:
        """Wait (bounded) for a hub told to crash to be gone; its exit status."""
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def restart(self, faults: str = "", *options: str) -> None:
        self.kill()
        self.start(faults, *options)

    def close(self) -> None:
        self.kill()
        self.engine.dispose()


def started_hub(folder: Path, *options: str) -> HubProcess:
    """A seeded hub on a SQLite file in ``folder``, serving (for a module's tests to share)."""
    process = HubProcess(f"sqlite:///{folder / 'hub.db'}", folder)
    process.seed()
    process.start("", *options)
    return process


def raw_push(hub: HubProcess, token: str, device_id: str, mutations: list[dict],
             sent_at: str | None = None):
    """A push as bytes on the wire, for what the workstation never sends (gaps, replays)."""
    body = {"device_id": device_id, "mutations": mutations}
    if sent_at is not None:
        body["sent_at"] = sent_at
    return httpx.post(f"{hub.url}/v1/sync/push", headers={"Authorization": f"Bearer {token}"},
                      json=body, timeout=20)


def last_code(hub: HubProcess) -> str:
    """The one-time code the hub "sent" last (its demo SMS gateway's newest line)."""
    line = hub.sms_outbox.read_text(encoding="utf-8").splitlines()[-1]
    return line.split("\tcode ")[1].split("\t")[0]


def register_device(hub: HubProcess, token: str, first_seq: int = 1) -> str:
    return httpx.post(f"{hub.url}/v1/devices", headers={"Authorization": f"Bearer {token}"},
                      json={"first_seq": first_seq}, timeout=10).json()["device_id"]
