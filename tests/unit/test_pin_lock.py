"""The idle lock's PIN: stored only hashed in a private file, checked with the staff number,
wrong tries limited across sessions."""

from __future__ import annotations

import stat

import pytest

from agent_tui.pin_lock import BLOCKED_S, MAX_TRIES, PinError, PinFile


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _error(action) -> PinError:
    with pytest.raises(PinError) as caught:
        action()
    return caught.value


def test_a_pin_is_kept_hashed_in_a_private_file_and_unlocks_with_the_staff_number(tmp_path):
    pins = PinFile(tmp_path / "agent" / "unlock-pin.json")
    assert not pins.is_set()
    pins.set("482913", "482913")
    assert pins.is_set()
    assert stat.S_IMODE(pins.path.stat().st_mode) == 0o600
    assert "482913" not in pins.path.read_text(encoding="utf-8")
    pins.check("1024", "1024", "482913")
    assert _error(lambda: pins.check("1025", "1024", "482913")).key == "lock.wrong"
    assert _error(lambda: pins.check("1024", "1024", "482914")).key == "lock.wrong"


@pytest.mark.parametrize(("pin", "again", "reason"), [
    ("123", "123", "lock.pin_rules"), ("123456789", "123456789", "lock.pin_rules"),
    ("12a4", "12a4", "lock.pin_rules"), ("１２３４", "１２３４", "lock.pin_rules"),
    ("1234", "1243", "lock.pin_mismatch"),
])
def test_a_pin_must_be_four_to_eight_digits_typed_twice_alike(tmp_path, pin, again, reason):
    pins = PinFile(tmp_path / "pin.json")
    assert _error(lambda: pins.set(pin, again)).key == reason
    assert not pins.is_set()


def test_wrong_tries_are_limited_across_sessions_then_blocked_for_a_while(tmp_path):
    clock = Clock()
    PinFile(tmp_path / "pin.json", clock).set("2468", "2468")
    for tried in range(1, MAX_TRIES):
        error = _error(lambda: PinFile(tmp_path / "pin.json", clock).check("1024", "1024", "0000"))
        assert (error.key, error.values["left"]) == ("lock.wrong", MAX_TRIES - tried)
    pins = PinFile(tmp_path / "pin.json", clock)  # a new session: the count goes on
    assert _error(lambda: pins.check("1024", "1024", "0000")).key == "lock.blocked"
    # Blocked: even the right PIN is refused until the time is up.
    assert _error(lambda: pins.check("1024", "1024", "2468")).key == "lock.blocked"
    clock.now += BLOCKED_S + 1
    pins.check("1024", "1024", "2468")
    assert _error(lambda: pins.check("1024", "1024", "0000")).values["left"] == MAX_TRIES - 1
