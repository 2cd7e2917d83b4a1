"""The sync wire format (SYNC.md): one definition for the hub that writes it and the workstation
that reads it. Plain structs, no I/O: the hub and the client both import them."""

from __future__ import annotations

import msgspec

from agent_tui.domain.disclosed import Revealed


class Answer(msgspec.Struct, frozen=True):
    """The hub's answer to one mutation."""

    mutation_id: str
    seq: int
    status: str  # applied | duplicate | rejected | conflict | key_reuse
    reason: str = ""
    current: dict | None = None  # for a conflict: the record as the hub holds it
    result: str = ""  # for a duplicate: the stored answer's status


class PushReply(msgspec.Struct, frozen=True):
    results: list[Answer]
    last_mutation_seq: int
    stopped: str = ""  # "transient" when the batch ended early on a hub fault


class Change(msgspec.Struct, frozen=True):
    """One changed row, as a pull returns it."""

    entity: str
    id: str
    version: int
    op: str
    data: dict


class PullPage(msgspec.Struct, frozen=True):
    changes: list[Change]
    cursor: str
    has_more: bool
    last_mutation_seq: int
    reset: bool = False


class Verdict(msgspec.Struct, frozen=True):
    """The hub's decision on one verification attempt (or on a resumed call's)."""

    status: str  # open | passed | locked
    failed: list[str] = []
    missing: list[str] = []
    attempts_left: int = 0
    release: Revealed | None = None  # the basic tier's values, on a pass


class CodeSent(msgspec.Struct, frozen=True):
    step_up_id: str
    expires_at: str
    mobile: str  # masked: where the hub sent the code


class CodeChecked(msgspec.Struct, frozen=True):
    result: str  # passed | wrong | expired | locked
    tries_left: int = 0
    release: Revealed | None = None  # the full tier's values, on a pass
