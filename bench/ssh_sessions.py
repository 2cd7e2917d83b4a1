"""Many agents on one host through the real sshd (DESIGN: 100 sessions ≤ 3 GB in total): each
session is an agent's key, its forced ``agent-tui ssh-session``, its own folder with a store and
a hub configured as in production (its own token, syncing every 5-15 s). Sessions start one
after another and stay open, drawn into pseudo-terminals that are read all the time (as a
terminal would); then every process sshd started for them is measured: RSS and USS (psutil),
the workstation's and sshd's own, and the time the last session took to its first screen.

Twice in one run: each session in its own Python (no session server: the forced command runs the
workstation in-process, the baseline), then with the account's session server (``agent-tui ssh
session-server``): the workstations are the server's forks and under sshd waits a small ``sh``.
Shared pages are counted once: the USS of every process, plus the largest part a workstation
shares once; the sum of their PSS (each shared page divided among its sharers) is reported
beside it."""

from __future__ import annotations

import os
import select
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TOTAL_TARGET_MB = 3 * 1024.0  # 100 sessions ≤ 3 GB
PER_SESSION_TARGET_MB = TOTAL_TARGET_MB / 100
MARKER = b"Type to search"
FIRST_SCREEN_TIMEOUT_S = 120.0


@dataclass(slots=True)
class SessionsResult:
    sessions: int = 0
    first_screen_s: list[float] = field(default_factory=list)
    app_rss_mb: list[float] = field(default_factory=list)
    app_uss_mb: list[float] = field(default_factory=list)
    sshd_uss_mb: list[float] = field(default_factory=list)  # sshd's own processes per session
    waiter_uss_mb: list[float] = field(default_factory=list)  # the forced command, handed over
    server_uss_mb: float = 0.0  # the session server itself (0 without one)
    total_uss_mb: float = 0.0
    total_rss_mb: float = 0.0
    total_pss_mb: float = 0.0


class _Clients:
    """The ssh clients, each in a pseudo-terminal of 80x24 that a thread keeps reading."""

    def __init__(self) -> None:
        self.terminals: list = []
        self._running = True
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def start(self, argv: list[str], env: dict[str, str]) -> float:
        """Spawn a client; seconds until its first screen (the search) showed."""
        import ptyprocess

        started = time.monotonic()
        process = ptyprocess.PtyProcess.spawn(argv, env=env, dimensions=(24, 80))
        seen = bytearray()
        deadline = started + FIRST_SCREEN_TIMEOUT_S
        while MARKER not in seen:
            if time.monotonic() > deadline or not process.isalive():
                raise RuntimeError(f"session {len(self.terminals) + 1} showed no search screen: "
                                   f"{bytes(seen[-1500:])!r}")
            if select.select([process.fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(process.fd, 65536)
                except OSError:
                    break
        seconds = time.monotonic() - started
        with self._lock:
            self.terminals.append(process)
        return seconds

    def _drain(self) -> None:
        while self._running:
            with self._lock:
                fds = [terminal.fd for terminal in self.terminals if not terminal.closed]
            if not fds:
                time.sleep(0.1)  # nothing to read yet
                continue
            for fd in select.select(fds, [], [], 0.2)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass

    def close(self) -> None:
        self._running = False
        for terminal in self.terminals:
            if terminal.isalive():
                terminal.terminate(force=True)
        self._reader.join(timeout=5)


def _session_processes(sshd_pid: int, server_pid: int | None
                       ) -> list[tuple[object, list[object], list[object]]]:
    """Per session: the workstation's process, the forced command's waiter (with a server),
    and sshd's own processes for its connection."""
    import psutil

    listener = psutil.Process(sshd_pid)
    forks = psutil.Process(server_pid).children() if server_pid else []
    sessions = []
    for connection in listener.children():  # one sshd per connection
        tree = [connection, *connection.children(recursive=True)]
        if server_pid:
            waiters = [process for process in tree if "agent-tui-session" in process.cmdline()]
            if waiters:
                sessions.append((None, waiters, [p for p in tree if p not in waiters]))
            continue
        apps = [process for process in tree if "ssh-session" in " ".join(process.cmdline())]
        if apps:
            sessions.append((apps[-1], [], [process for process in tree if process not in apps]))
    if server_pid:  # the forks are not under sshd: pair them with the connections in order
        sessions = [(fork, waiters, others)
                    for fork, (_none, waiters, others) in zip(forks, sessions, strict=False)]
    return sessions


def _memory(processes) -> tuple[float, float]:
    rss = uss = 0.0
    for process in processes:
        try:
            info = process.memory_full_info()
        except Exception:  # gone meanwhile
            continue
        rss += info.rss / 2**20
        uss += info.uss / 2**20
    return rss, uss


def _pss(processes) -> float:
    total = 0.0
    for process in processes:
        try:
            total += process.memory_full_info().pss / 2**20
        except Exception:  # gone meanwhile
            continue
    return total


def _settle(apps: list, log: Callable[[str], None], quiet_s: float = 3.0,
            timeout: float = 90.0) -> None:
    """Until the sessions' memory stops growing (each has synced with the hub, loaded what
    start-up loads and frozen it): less than 1 MB more in all of them over ``quiet_s``."""
    deadline = time.monotonic() + timeout
    last = _memory(apps)[0]
    while time.monotonic() < deadline:
        time.sleep(quiet_s)  # a bench's sampling interval, not a wait for an event
        now = _memory(apps)[0]
        if now - last < 1.0:
            return
        last = now
    log(f"ssh sessions: memory still growing after {timeout:.0f} s; measured as it is")


def _provision(host, hub, count: int, folder: Path) -> list[Path]:
    """Each agent's key line, folder, config with the hub and its own token, store and PIN."""
    from agent_tui.pin_lock import PinFile
    from agent_tui.ssh_access import agent_home, authorized_key_line, read_public_key
    from data.generator import SeedPlan
    from data.seed import seed_store
    from tests.hub_process import AS_OF, CUSTOMERS
    from tests.ssh_host import make_key

    store = folder / "replica.db"
    seed_store(store, SeedPlan(CUSTOMERS, 1, AS_OF), workers=1)
    _index_library(store)
    program = str(Path(sys.executable).with_name("agent-tui"))
    keys = []
    for number in range(1, count + 1):
        agent = f"A{1000 + number}"
        key = make_key(folder / f"key-{agent}", agent)
        host.authorize(authorized_key_line(program, agent, read_public_key(Path(f"{key}.pub"))))
        home = agent_home(host.agents, agent)
        (home / "config" / "agent-tui").mkdir(parents=True, exist_ok=True)
        (home / "config" / "agent-tui" / "config.toml").write_text(
            f'[agent]\nname = "坐席{number}"\nstaff_number = "{1000 + number}"\n'
            f'[hub]\nurl = "{hub.url}"\ntoken = "{hub.token(agent)}"\n', encoding="utf-8")
        (home / "data" / "agent-tui").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store, home / "data" / "agent-tui" / "store.db")
        # The idle lock's PIN, chosen in an earlier session: the search comes up first.
        PinFile(home / "data" / "agent-tui" / "unlock-pin.json").set("2468", "2468")
        keys.append(key)
    return keys


def _index_library(store: Path) -> None:
    """The library's articles indexed, as a session's first start leaves them: the figure is a
    working day's session, not the first start (the only one that loads rjieba to index)."""
    from agent_tui.library import load_library
    from agent_tui.store import Store, kb
    from scripts_library import LIBRARY_DIR

    opened = Store.open(store)
    try:
        kb.publish(opened.connection(), load_library(LIBRARY_DIR).articles)
    finally:
        opened.close()


def _publish_on_the_hub(engine) -> None:
    """The library's articles on the hub, as ``hub seed`` puts them: every session pulls the
    published ones at its first sync (with the words the hub cut: no rjieba for them)."""
    from datetime import datetime

    from agent_tui.hub import kb_articles
    from agent_tui.library import load_library
    from scripts_library import LIBRARY_DIR

    with engine.begin() as connection:
        kb_articles.import_library(connection, load_library(LIBRARY_DIR).articles,
                                   datetime.now())


def run_sessions(count: int, folder: Path, log: Callable[[str], None],
                 server: bool = False) -> SessionsResult:
    """``count`` sessions at once, each in its own Python, or (``server``) forks of the
    account's session server."""
    from bench.processes import clean_env
    from tests.hub_process import HubProcess
    from tests.session_server_process import SessionServerProcess
    from tests.ssh_host import SshHost, unavailable_reason

    missing = unavailable_reason()
    if missing:
        raise RuntimeError(missing)
    folder.mkdir(parents=True, exist_ok=True)
    hub = HubProcess(f"sqlite:///{folder / 'hub.db'}", folder / "hub")
    hub.seed()
    _publish_on_the_hub(hub.engine)
    hub.start()
    sessions_server = SessionServerProcess().start() if server else None
    # The morning wave: sshd's default MaxStartups (10:30:100) drops connections past ten
    # unauthenticated at once; the drop-in raises it (docs/deploy-ssh.md).
    host = SshHost(folder / "sshd", max_startups="200:30:400",
                   session_socket=sessions_server.socket if sessions_server else None)
    clients = _Clients()
    kind = "with the session server" if server else "each in its own Python"
    try:
        keys = _provision(host, hub, count, folder)
        env = clean_env(folder / "client-home", "en", TERM="xterm-256color")
        result = SessionsResult(sessions=count)
        for number, key in enumerate(keys, start=1):
            argv = host.client_argv(key, "-tt", "-o", "SetEnv=LANG=en_US.UTF-8")
            result.first_screen_s.append(clients.start(argv, env))
            if number % 10 == 0 or number == count:
                log(f"ssh sessions ({kind}): {number} of {count} on screen "
                    f"({result.first_screen_s[-1]:.1f} s for the last)")
        sessions = _session_processes(host.process.pid,
                                      sessions_server.pid if sessions_server else None)
        _settle([app for app, _, _ in sessions], log)
        if len(sessions) != count:
            raise RuntimeError(f"{len(sessions)} workstation processes, not {count}")
        for app, waiters, sshd_processes in sessions:
            rss, uss = _memory([app])
            result.app_rss_mb.append(rss)
            result.app_uss_mb.append(uss)
            result.waiter_uss_mb.append(_memory(waiters)[1])
            result.sshd_uss_mb.append(_memory(sshd_processes)[1])
        every = [process for app, waiters, others in sessions
                 for process in (app, *waiters, *others)]
        if sessions_server:
            import psutil

            server_process = psutil.Process(sessions_server.pid)
            result.server_uss_mb = _memory([server_process])[1]
            every.append(server_process)
        result.total_rss_mb, result.total_uss_mb = _memory(every)
        result.total_pss_mb = _pss(every)
        return result
    finally:
        clients.close()
        host.close()
        if sessions_server:
            sessions_server.close()
        hub.close()
