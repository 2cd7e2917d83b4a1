"""Ids made on the workstation: UUIDv7, so records made offline sort by time and never collide."""

from __future__ import annotations

import uuid


def new_id() -> str:
    # Imported on the first id, not at start: uuid6 reads its own version through
    # importlib.metadata, which brings email and zipfile (about 15 ms of every start).
    from uuid6 import uuid7

    return str(uuid7())


def call_flag_id(call_id: str, flag: str) -> str:
    """The one id of the flag a call raises (a verification lockout's possible fraud): the hub
    and the workstation may both write it, and it is stored once."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"agent-tui:{call_id}:{flag}"))
