"""The browser route end to end: ``agent-tui web`` as a subprocess, and Debian's chromium driven
by Playwright, with what the page's terminal shows read back.

The terminal is drawn on a canvas (xterm.js), so what it shows is read from what the server sent:
every websocket frame the page receives goes into a pyte screen of the size the page asked for,
and tests wait on that screen (never on a fixed sleep). Whether the glyphs are drawn, and drawn
as glyphs rather than boxes, is read from a screenshot.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyte
from wcwidth import wcwidth

from tests.hub_process import free_port

CHROMIUM = Path("/usr/bin/chromium")
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 30.0
SCREEN_TIMEOUT_MS = 30_000
PASSWORD = "correct-horse-battery"


def unavailable_reason() -> str | None:
    if not CHROMIUM.exists():
        return ("Debian's chromium is not installed at /usr/bin/chromium (make test installs it "
                "with tests/setup/system-packages.sh; apt-get failed or was not allowed here)")
    if not CJK_FONT.exists():
        return ("no CJK font (fonts-wqy-zenhei; make test installs it): Chinese would render "
                "as boxes")
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return None


class WebProcess:
    """``agent-tui web`` on a free port of 127.0.0.1, in a process group of its own (its
    workstations are its children), with its own home, config and data dirs below ``workdir``."""

    def __init__(self, workdir: Path, *options: str) -> None:
        self.port = free_port()
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.log = workdir / "web.log"
        self.env = {name: value for name, value in os.environ.items()
                    if not name.startswith("AGENT_TUI_")}
        self.env.update(HOME=str(workdir), XDG_CONFIG_HOME=str(workdir / "config"),
                        XDG_DATA_HOME=str(workdir / "data"), LANG="en_US.UTF-8")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "agent_tui", "web", "--port", str(self.port), *options],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=self.env)
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # bounded: until it answers, it exits, or the deadline
            if self.process.poll() is not None:
                raise RuntimeError(f"agent-tui web exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/sign-in", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"agent-tui web did not start: {self.log.read_text()}")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def secret_file(self) -> Path:
        return self.workdir / "data" / "agent-tui" / "web" / "secret"

    def add_user(self, agent: str, name: str, staff_number: str,
                 password: str = PASSWORD) -> None:
        """``agent-tui web user add`` beside the running server (read at each sign-in)."""
        subprocess.run([sys.executable, "-m", "agent_tui", "web", "user", "add", agent,
                        "--name", name, "--staff-number", staff_number, "--password-stdin"],
                       input=password + "\n", text=True, check=True, capture_output=True,
                       env=self.env)

    def sign_in(self, agent: str, password: str = PASSWORD) -> httpx.Response:
        return httpx.post(f"{self.url}/sign-in", data={"agent": agent, "secret": password})

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def launch(playwright, profile: Path, locale: str):
    """A fresh chromium (its own empty profile), Debian's, never one Playwright downloads."""
    shutil.rmtree(profile, ignore_errors=True)
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
        locale=locale, viewport={"width": 1100, "height": 720})


class PageTerminal:
    """What the workstation in ``page`` shows: the frames it received, in a pyte screen sized as
    the page told the server (its first resize)."""

    def __init__(self, page) -> None:
        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.socket = None
        self.received = 0  # bytes of the terminal's output
        page.on("websocket", self._attach)

    def _attach(self, socket) -> None:
        self.socket = socket
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):
            self.received += len(payload)
            self.stream.feed(payload)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, check: Callable[[str], bool] | str, what: str = "") -> None:
        """Until the screen passes ``check`` (or shows the text), frame by frame."""
        test = (lambda text: check in text) if isinstance(check, str) else check
        deadline = time.monotonic() + SCREEN_TIMEOUT_MS / 1000
        while not test(self.text):
            left = deadline - time.monotonic()
            if left <= 0 or self.socket is None and self.page.is_closed():
                raise AssertionError(f"never on screen: {what or check!r}\n{self.text}")
            if self.socket is None:
                self.page.wait_for_event("websocket", timeout=left * 1000)
                continue
            try:  # the next frame, or the check passing on what came meanwhile
                self.socket.wait_for_event("framereceived", timeout=min(left, 5) * 1000)
            except Exception as error:  # no frame for 5 s: look again, until the deadline
                if "Timeout" not in type(error).__name__:
                    raise

    def find(self, text: str) -> tuple[int, int]:
        """(row, column) of ``text`` on screen; a wide character takes two columns."""
        for row, line in enumerate(self.screen.display):  # display drops wide cells' fillers
            at = line.find(text)
            if at != -1:
                return row, sum(max(wcwidth(char), 1) for char in line[:at])
        raise AssertionError(f"{text!r} is not on screen:\n{self.text}")
