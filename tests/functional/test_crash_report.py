"""A crash never shows customer data: the report goes to a file only the agent's account can read,
without locals, and the terminal gets one translated line saying where it is.

Textual's own report is a traceback with each frame's locals: a crash while a 360 was opening
printed the customer's full name, resident ID and mobile on the agent's screen (and into any
terminal log or screen recording).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from datetime import datetime

import pytest

from agent_tui import crash_report
from agent_tui.i18n import Catalog
from tests.call_driver import a_caller


def _fail_with(secret: str) -> BaseException:
    def inner(record: dict) -> None:
        raise ValueError("could not read the record \x1b]0;title\x07")

    try:
        try:
            inner({"id_number": secret})
        except ValueError as error:
            raise RuntimeError("while opening the 360") from error
    except RuntimeError as error:
        return error
    raise AssertionError("unreachable")


def test_the_report_has_the_traceback_but_no_locals_and_no_raw_escapes(tmp_path):
    error = _fail_with("11010519491231002X")
    path = crash_report.write(tmp_path, error, datetime(2026, 11, 23, 10, 0))
    assert path is not None and path.parent == tmp_path / crash_report.FOLDER
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "while opening the 360" in text and "could not read the record" in text
    assert "inner" in text and "Traceback" in text  # both exceptions of the chain, with frames
    assert "11010519491231002X" not in text  # the frame's locals are not in it
    assert "\x1b" not in text and "\\x1b]0;title\\x07" in text  # escaped, safe to print
    # Two crashes in the same second get a report each.
    again = crash_report.write(tmp_path, error, datetime(2026, 11, 23, 10, 0))
    assert again is not None and again != path


def test_a_report_that_cannot_be_written_does_not_hide_the_crash(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert crash_report.write(blocked, _fail_with("x")) is None


@pytest.mark.slow
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_crash_in_a_real_terminal_shows_where_the_report_is_and_no_customer_data(
        writable_store, tmp_path, language):
    pytest.importorskip("ptyprocess")
    from tests.pty_terminal import Terminal

    caller = a_caller(writable_store)
    config = tmp_path / "config.toml"
    config.write_text(
        '[agent]\nid = "A1024"\nname = "李娜"\nstaff_number = "1024"\n'
        f'[ui]\nlanguage = "{language}"\ncursor_blink = false\n', encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "AGENT_TUI_CONFIG": str(config),
           "HOME": str(tmp_path)}
    catalog = Catalog.load(language)
    terminal = Terminal([sys.executable, "-m", "tests.crash_launcher", "run", "--store",
                         str(writable_store), "--no-mouse"], env)
    try:
        terminal.read_until(catalog.text("search.placeholder")[2:8])  # past the cursor
        # A verified-looking session is not needed: the record is read whole, and Textual's
        # report printed it from the worker's locals.
        terminal.send(caller.mobile)
        kind = catalog.text("search.kind.mobile")
        terminal.read_until(catalog.text("search.found", count=1, kind=kind))
        terminal.send("\r")
        status = terminal.read_to_end()
    finally:
        terminal.close()
    after_exit = terminal.output.rsplit("\x1b[?1049l", 1)[-1]  # printed once the screen is back
    for secret in (caller.name, caller.id_number, caller.mobile, "Traceback", "customer ="):
        assert secret not in after_exit, secret
    reports = list((writable_store.parent / crash_report.FOLDER).glob("crash-*.log"))
    assert len(reports) == 1 and status == 1
    report, = reports
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text(encoding="utf-8")
    assert "a planted fault" in text and "Traceback" in text
    for secret in (caller.name, caller.id_number, caller.mobile, "customer ="):
        assert secret not in text, secret
    printed = "".join(re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", after_exit).split())
    assert "".join(catalog.text("app.crash", path=str(report)).split()) in printed
