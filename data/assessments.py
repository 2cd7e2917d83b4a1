"""Demo risk-tolerance assessments (issue 18): every customer has one, at the tolerance of their
risk level (C1-C5), made up to 500 days before the as-of day, so about a quarter have expired
(valid 12 months) and the agent is led to reassess them. Deterministic: the same customer id and
day give the same assessment, on the hub and on the workstation."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

OLDEST_DAYS = 500
CURRENT_VERSION = "Q2026-01"  # the questionnaire in use since the measures took effect
EARLIER_VERSION = "Q2025-03"
MEASURES_IN_FORCE = date(2026, 2, 1)


def assessment_for(customer_id: str, risk_level: int, as_of: date) -> dict:
    digest = int.from_bytes(hashlib.sha256(customer_id.encode()).digest()[:4], "big")
    assessed_at = datetime(as_of.year, as_of.month, as_of.day, 9) - timedelta(
        days=digest % OLDEST_DAYS, minutes=digest % 480)
    version = CURRENT_VERSION if assessed_at.date() >= MEASURES_IN_FORCE else EARLIER_VERSION
    return {"id": f"ra-{customer_id}", "customer_id": customer_id,
            "level": f"C{max(1, min(5, risk_level))}",
            "assessed_at": assessed_at.isoformat(timespec="seconds"), "answers_version": version}
