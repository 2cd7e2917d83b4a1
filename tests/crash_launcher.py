"""`agent-tui run` with one fault planted, for tests/test_crash_report.py: opening a customer's
360 raises once the customer has been read, with the record in the failing frame's locals (what
Textual's own crash report printed, full name, resident ID and mobile included)."""

from __future__ import annotations

import sys

from agent_tui.cli import main
from agent_tui.store.customers import CustomerRepository

_read = CustomerRepository.customer_360


def _fails_after_reading(self, customer_id, now, *args, **kwargs):
    view = _read(self, customer_id, now, *args, **kwargs)
    customer = view.customer  # noqa: F841 - in the frame's locals, as real code would have it
    raise RuntimeError("a planted fault")


CustomerRepository.customer_360 = _fails_after_reading

if __name__ == "__main__":
    sys.exit(main())
