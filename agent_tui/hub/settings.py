"""How one hub is configured beyond its database: the verification policy it enforces, the
read limits, and where its demo SMS gateway writes."""

from __future__ import annotations

from pathlib import Path

import msgspec

from agent_tui.domain.scripts import VerificationPolicy
from agent_tui.hub.access import Limits


class HubSettings(msgspec.Struct, frozen=True):
    verification: VerificationPolicy = VerificationPolicy()
    limits: Limits = Limits()
    # The demo's SMS gateway: one-time codes are appended here (0600), where whoever plays the
    # customer reads them. A bank's deployment sends through its SMS platform instead.
    sms_outbox: Path = Path("hub-sms-outbox.log")
