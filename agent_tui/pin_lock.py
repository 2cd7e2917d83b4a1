"""The PIN that unlocks an idle SSH session (with the agent's staff number): set on first use,
kept only as a scrypt hash in a 0600 file of the agent's own, and limited: five wrong tries in a
row block unlocking for fifteen minutes, across sessions (the count is in the file, so a new
connection does not start a fresh count).

The screen is hidden while locked, not the data gone: the call in progress, its draft and every
form stay as they were (agent_tui/app/idle_lock.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from agent_tui.i18n import TranslatableError
from agent_tui.private_files import PRIVATE

MAX_TRIES = 5
BLOCKED_S = 15 * 60
PIN_LENGTHS = range(4, 9)
# scrypt at RFC 7914's interactive cost (16 MB, ~50 ms): a stolen file costs a guesser that per
# try, and a 4-8 digit PIN is only ever tried online, five at a time.
_COST = {"n": 2**14, "r": 8, "p": 1}


class PinError(TranslatableError):
    pass


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 2**20,
                          dklen=32)


class PinFile:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock

    def _read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            raise PinError("lock.pin_unreadable", path=str(self.path)) from None

    def _write(self, record: dict) -> None:
        """A private temporary file (mkstemp's 0600), then an atomic rename."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".pin-")
        try:
            os.fchmod(descriptor, PRIVATE)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(record, file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise PinError("lock.pin_not_saved", path=str(self.path),
                           reason=error.strerror or str(error)) from None

    def is_set(self) -> bool:
        return self._read() is not None

    def set(self, pin: str, again: str) -> None:
        if not (pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS):
            raise PinError("lock.pin_rules")
        if pin != again:
            raise PinError("lock.pin_mismatch")
        salt = secrets.token_bytes(16)
        self._write({"salt": salt.hex(), "hash": _hash(pin, salt, **_COST).hex(), **_COST,
                     "failures": 0, "blocked_until": 0.0})

    def check(self, staff_number: str, expected_staff_number: str, pin: str) -> None:
        """Nothing if both are right (the count of wrong tries starts again); a PinError
        saying how many tries are left, or until when unlocking is blocked, if not."""
        record = self._read()
        if record is None:
            raise PinError("lock.pin_unreadable", path=str(self.path))
        now = self.clock()
        if record.get("blocked_until", 0.0) > now:
            raise PinError("lock.blocked", minutes=_minutes(record["blocked_until"] - now))
        expected = bytes.fromhex(record["hash"])
        given = _hash(pin, bytes.fromhex(record["salt"]), record["n"], record["r"], record["p"])
        right_pin = hmac.compare_digest(given, expected)
        right_staff = hmac.compare_digest(staff_number.strip().encode("utf-8"),
                                          expected_staff_number.strip().encode("utf-8"))
        if right_pin and right_staff:
            if record.get("failures"):
                self._write({**record, "failures": 0, "blocked_until": 0.0})
            return
        failures = record.get("failures", 0) + 1
        if failures >= MAX_TRIES:
            self._write({**record, "failures": 0, "blocked_until": now + BLOCKED_S})
            raise PinError("lock.blocked", minutes=_minutes(BLOCKED_S))
        self._write({**record, "failures": failures})
        raise PinError("lock.wrong", left=MAX_TRIES - failures)


def _minutes(seconds: float) -> int:
    return max(1, -(-int(seconds) // 60))


def default_pin_path() -> Path:
    """``unlock-pin.json`` in the data dir: over SSH, the agent's own (ssh-session sets it)."""
    from agent_tui.config import default_store_path

    return default_store_path().with_name("unlock-pin.json")
