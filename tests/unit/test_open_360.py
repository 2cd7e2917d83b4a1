"""A customer's 360 is opened one way, ``screens.customer_360.open_360``: the session's one 360,
built ahead and reused. A second way (``Customer360Screen(...)`` pushed from elsewhere) would build
a new screen on every open again, the 150-250 ms this saves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILT = re.compile(r"\bCustomer360Screen\(")


def test_only_open_360_builds_the_360():
    found = [str(path.relative_to(ROOT)) for folder in ("agent_tui", "screens")
             for path in sorted((ROOT / folder).rglob("*.py"))
             if BUILT.search(path.read_text(encoding="utf-8"))]
    assert found == ["screens/customer_360.py"]


def test_the_check_finds_a_second_way():
    assert BUILT.search("app.push_screen(Customer360Screen(customer_id))")
