"""Ids made on the workstation: UUIDv7, so records made offline sort by time and never collide."""

from __future__ import annotations

from uuid6 import uuid7


def new_id() -> str:
    return str(uuid7())
