"""Ids made on the workstation: UUIDv7, so records made offline sort by time and never collide."""

from __future__ import annotations

import uuid

from uuid6 import uuid7


def new_id() -> str:
    return str(uuid7())


def call_flag_id(call_id: str, flag: str) -> str:
    """The one id of the flag a call raises (a verification lockout's possible fraud): the hub
    and the workstation may both write it, and it is stored once."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"agent-tui:{call_id}:{flag}"))
