"""The real `agent-tui` in a pseudo-terminal at 80x24: what reaches the terminal is what counts.

Customer fields hold escape sequences written raw (past the store's sanitiser), and the agent
searches for them and opens their 360. Not one of their payloads may be in the bytes the program
writes, while the screens that carry them must really have been drawn.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

pytest.importorskip("ptyprocess")

from tests.pty_terminal import Terminal  # noqa: E402

MOBILE = "13700000000"
MARKER = "安全标记"  # printed beside the payloads: proves the screen carrying them was drawn
PAYLOADS = {
    "ANSI clear screen": "\x1b[2J\x1b[H",
    "OSC 52 clipboard write": "\x1b]52;c;ZWNobyBoYWNrZWQ=\x07",
    "OSC title change": "\x1b]0;pwned\x07",
    "OSC 8 hyperlink": "\x1b]8;;https://example.invalid\x1b\\",
    "C1 CSI": "\u009b31m",
    "ANSI colour": "\x1b[31m",
}
# What would show in the output if any payload got through (each unique to the payloads).
LEAKS = ("ZWNobyBoYWNrZWQ", "pwned", "example.invalid", "\x1b[2J\x1b[H", "\u009b31m",
         "\x1b[31m" + MARKER)


def _write_raw_customers(path: Path) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for number, payload in enumerate(PAYLOADS.values()):
            customer_id = f"R{number}"
            text = payload + MARKER
            connection.execute(
                "INSERT INTO customers (id, name, name_pinyin, name_initials, gender, birth_date,"
                " id_number, id_last6, mobile, segment, risk_level, address, occupation,"
                " customer_since, branch) VALUES (?, ?, '', '', 'F', '1960-01-01',"
                " '11010519600101002X', '01002X', ?, 'vip', 2, ?, ?, '2010-01-01', ?)",
                (customer_id, text, MOBILE, text, text, text),
            )
            connection.execute(
                "INSERT INTO accounts (id, customer_id, kind, product_code, number, last4, status,"
                " opened_on) VALUES (?, ?, 'debit_card', 'DC-STD', ?, '0000', 'active',"
                " '2010-01-01')",
                (f"{customer_id}-A", customer_id, f"622588000000000{number}"),
            )
    connection.close()


@pytest.mark.slow
def test_escape_sequences_in_customer_data_never_reach_the_terminal(writable_store, tmp_path):
    _write_raw_customers(writable_store)
    config = tmp_path / "config.toml"
    config.write_text(
        '[agent]\nid = "A1024"\nname = "李娜"\nstaff_number = "1024"\n'
        '[ui]\nlanguage = "en"\ncursor_blink = false\n',
        encoding="utf-8",
    )
    env = {**os.environ, "TERM": "xterm-256color", "AGENT_TUI_CONFIG": str(config),
           "COLUMNS": "80", "LINES": "24"}
    agent_tui = str(Path(sys.executable).with_name("agent-tui"))
    terminal = Terminal([agent_tui, "run", "--store", str(writable_store), "--no-mouse"], env)
    try:
        terminal.read_until("Type to search")
        terminal.send(MOBILE)
        terminal.read_until(f"{len(PAYLOADS)} found")
        for row in range(len(PAYLOADS)):
            terminal.send("\x1b[B" * (row + 1))  # down into the results, to this row
            terminal.settle(0.3)
            terminal.send("\r")
            terminal.read_until("masked: not verified")
            terminal.settle(0.5)
            terminal.send("\x1bOR")  # F3: back to the search, which keeps its results
            terminal.settle(0.5)
            terminal.output += ""  # keep reading in the next round
        terminal.settle(0.5)
    finally:
        terminal.close()
    output = terminal.output
    assert output.count(MARKER) >= len(PAYLOADS), "the screens with the payloads were not drawn"
    for leak in LEAKS:
        assert leak not in output, f"{leak!r} reached the terminal"
