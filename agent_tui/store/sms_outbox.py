"""The demo's SMS gateway: one-time codes "sent" to the registered mobile are appended to a local
file (``sms-outbox.log`` beside the store), where whoever plays the caller reads them.

A real deployment sends through the bank's SMS platform instead; the workstation only ever sees the
code it issued, to check what the caller reads back.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from agent_tui.private_files import open_append

OUTBOX_NAME = "sms-outbox.log"
CODE_DIGITS = 6


def outbox_path(store_path: Path) -> Path:
    return store_path.with_name(OUTBOX_NAME)


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def send_code(outbox: Path, *, mobile: str, code: str, operation: str, at: datetime) -> None:
    line = f"{at.isoformat(timespec='seconds')}\tto {mobile}\tcode {code}\tfor {operation}\n"
    with open_append(outbox) as sent:  # 0600: codes and mobile numbers are the agent's alone
        sent.write(line)
