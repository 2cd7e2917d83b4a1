"""A real OpenSSH server for the SSH route's tests and bench: ``/usr/sbin/sshd -D -e -f CONFIG`` on
a free port of 127.0.0.1, with a throwaway host key and an authorized_keys file of the test's own,
signing in as the user running the tests. Skipped loudly when sshd cannot be had
(tests/setup/system-packages.sh installs openssh-server)."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")
PRIVSEP = Path("/run/sshd")  # sshd refuses to start without its privilege-separation folder
START_TIMEOUT_S = 20.0


def unavailable_reason() -> str | None:
    if not SSHD.exists():
        return f"{SSHD} is missing: install openssh-server (make test does, as root or with sudo)"
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        return "the OpenSSH client (ssh, ssh-keygen) is missing: install openssh-client"
    if not PRIVSEP.is_dir():
        try:
            PRIVSEP.mkdir(mode=0o755, parents=True)
        except OSError as error:
            return f"{PRIVSEP} is missing and cannot be made ({error.strerror})"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_key(path: Path, comment: str = "") -> Path:
    """A fresh ed25519 key pair at ``path`` (and ``path``.pub), no passphrase."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                   check=True)
    return path


class SshHost:
    """sshd, configured as docs/deploy-ssh.md's drop-in says, plus what a test needs: its own
    port, host key and authorized_keys, and the XDG data dir (SetEnv) under which each agent's
    folder is made."""

    def __init__(self, root: Path, max_startups: str = "10:30:100",
                 session_socket: Path | None = None) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.user = getpass.getuser()
        self.authorized_keys = root / "authorized_keys"
        self.authorized_keys.touch(mode=0o600)
        self.data_home = root / "xdg-data"
        self.agents = self.data_home / "agent-tui" / "agents"
        host_key = make_key(root / "host_key")
        self.config = root / "sshd_config"
        self.config.write_text("\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {host_key}",
            f"PidFile {root / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "StrictModes no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "AllowTcpForwarding no",
            "AllowAgentForwarding no",
            "X11Forwarding no",
            "PermitTunnel no",
            "ExposeAuthInfo yes",
            "AcceptEnv LANG LC_* COLORTERM",
            "ClientAliveInterval 15",
            "ClientAliveCountMax 4",
            f"MaxStartups {max_startups}",
            "MaxSessions 10",
            "LogLevel VERBOSE",
            f"SetEnv XDG_DATA_HOME={self.data_home} XDG_CONFIG_HOME={root / 'xdg-config'} "
            f"AGENT_TUI_AUTHORIZED_KEYS={self.authorized_keys}"
            + (f" AGENT_TUI_SESSION_SOCKET={session_socket}" if session_socket else ""),
            "",
        ]), encoding="utf-8")
        self.log = (root / "sshd.log").open("wb")
        self.process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(self.config)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited at start:\n{self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)  # polling a port that is not open yet; not a wait for output
        raise RuntimeError(f"sshd never listened on {self.port}:\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.flush()
        return (self.root / "sshd.log").read_text(encoding="utf-8", errors="replace")

    def authorize(self, line: str) -> None:
        with self.authorized_keys.open("a", encoding="utf-8") as file:
            file.write(line.rstrip("\n") + "\n")

    def agent_home(self, agent_id: str) -> Path:
        return self.agents / agent_id

    def client_argv(self, key: Path, *extra: str) -> list[str]:
        """The OpenSSH client, as an agent's terminal would run it (``-t``: a terminal)."""
        return ["ssh", "-i", str(key), "-p", str(self.port), "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
                "-o", f"UserKnownHostsFile={os.devnull}", "-o", "LogLevel=ERROR",
                *extra, f"{self.user}@127.0.0.1"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
