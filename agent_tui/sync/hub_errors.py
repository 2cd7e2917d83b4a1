"""What talking to the hub can end in, apart from the client (``sync.hub_client``): a screen or
controller that only catches these need not import httpx, 65 ms of a start without a hub."""

from __future__ import annotations


class HubUnreachable(Exception):
    pass


class HubRefused(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
