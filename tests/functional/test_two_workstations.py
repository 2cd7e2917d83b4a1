"""Two workstation windows on one store: the second is refused at start, before anything can be
typed into it, and told which process has the store; the first keeps everything. The lock dies
with the process: after a SIGKILL the next start takes the store and offers what was typed.
The real `agent-tui` in pseudo-terminals (as tests/functional/test_kill_pty.py)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("ptyprocess")

from agent_tui.cli import main  # noqa: E402
from agent_tui.store.workstation_lock import WorkstationLock  # noqa: E402
from tests.call_driver import call_draft  # noqa: E402
from tests.pty_terminal import Terminal, workstation  # noqa: E402

NOTE = "客户要求暂停自动扣款 paused"


def _call_notes(store: Path) -> str:
    return call_draft(store).get("notes", "")


def _exit_status(terminal: Terminal, timeout: float = 30.0) -> int:
    """The status of a program that is expected to end by itself (bounded)."""
    deadline = time.monotonic() + timeout
    while terminal.process.isalive():
        if time.monotonic() > deadline:
            raise AssertionError(f"still running: {terminal.output[-800:]!r}")
        terminal.settle(0.1)
    terminal.settle(0.1)
    return terminal.process.exitstatus


@pytest.mark.slow
def test_a_second_window_on_one_store_is_refused_and_nothing_typed_is_lost(writable_store,
                                                                           tmp_path):
    argv, env = workstation(writable_store, tmp_path)

    first = Terminal(argv, env)
    try:
        first.read_until("Type to search")
        second = Terminal(argv, env)
        try:
            second.read_until("already open in another agent-tui window")
            assert _exit_status(second) == 2
            assert f"(process {first.process.pid})" in second.output
            assert str(writable_store) in second.output.replace("\r\n", "")
            assert "Traceback" not in second.output
        finally:
            second.close()
        first.send("\x0e")  # ctrl+n: the first window works on, a call for an unknown caller
        first.read_until("Notes")
        first.settle(0.3)
        first.send("\t\t")  # checklist -> phrases -> notes
        first.settle(0.3)
        first.send(NOTE)
        deadline = time.monotonic() + 15
        while _call_notes(writable_store) != NOTE:  # the autosave's promise, waited on
            assert time.monotonic() < deadline, _call_notes(writable_store)
            first.settle(0.1)
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait()
    finally:
        first.close()

    again = Terminal(argv, env)  # the lock died with the killed window
    try:
        again.read_until("A call was interrupted")
        again.settle(0.3)
        again.send("\r")
        again.read_until("paused")
    finally:
        again.close()


def test_the_lock_is_per_store_and_released_for_the_next_window(tmp_path):
    one, other = tmp_path / "one.db", tmp_path / "other.db"
    with WorkstationLock.take(one):
        with WorkstationLock.take(other):
            pass
        # Held by this process: another open file description of the sidecar is refused too,
        # which is what a second process gets.
        result = CliRunner().invoke(main, ["seed", "--customers", "10", "--store", str(one)],
                                    env={"LANG": "en_US.UTF-8"})
        assert result.exit_code == 2
        assert "already open in another agent-tui window" in result.output
        assert not one.exists()  # nothing seeded under an open window
    WorkstationLock.take(one).release()
