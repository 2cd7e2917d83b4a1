"""`agent-tui train` for real, in a pseudo-terminal at 80x24: the training session comes up with
its banner on its own store (made 0600 beside the real one, which it never touches), and
"Training" in a live session's palette closes that session and starts a training one."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

pytest.importorskip("ptyprocess")

from agent_tui.training.training_store import training_store_path  # noqa: E402
from tests.pty_terminal import Terminal  # noqa: E402

pytestmark = pytest.mark.slow


def _terminal(tmp_path: Path, store: Path, *argv: str) -> Terminal:
    config = tmp_path / "config.toml"
    config.write_text(
        '[agent]\nid = "T0001"\nname = "王芳"\nstaff_number = "0001"\n'
        f'[ui]\nlanguage = "en"\ncursor_blink = false\n[store]\npath = "{store}"\n',
        encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "AGENT_TUI_CONFIG": str(config),
           "COLUMNS": "80", "LINES": "24"}
    return Terminal([str(Path(sys.executable).with_name("agent-tui")), *argv], env)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_train_starts_a_session_on_its_own_store(tmp_path, writable_store):
    before = _digest(writable_store)
    terminal = _terminal(tmp_path, writable_store, "train", "--no-mouse")
    try:
        terminal.read_until("TRAINING", timeout=60)
        terminal.read_until("Type to search")
        terminal.send("\x11")  # ctrl+q: no call open, so at once
        terminal.read_to_end()
    finally:
        terminal.close()
    training = training_store_path(writable_store)
    assert stat.S_IMODE(training.stat().st_mode) == 0o600
    assert _digest(writable_store) == before


def test_training_in_the_palette_leaves_the_live_session_for_training(tmp_path, writable_store):
    terminal = _terminal(tmp_path, writable_store, "run", "--no-mouse")
    try:
        terminal.read_until("Type to search")
        assert "TRAINING" not in terminal.output
        mark = len(terminal.output)
        terminal.send("\x1b[21~")  # F10: the palette
        terminal.read_until("Search for an action", since=mark)
        terminal.send("Training")
        terminal.read_until("practise calls", since=mark)  # its entry, with the tip
        terminal.send("\r")
        terminal.read_until("TRAINING", timeout=60)
        terminal.send("\x11")
        terminal.read_to_end()
    finally:
        terminal.close()
    assert training_store_path(writable_store).exists()
