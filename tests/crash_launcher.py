"""`agent-tui run` with one fault planted, for tests/functional/test_crash_report.py: showing a customer's
360 raises on the event loop once the customer has been read, with the record in the failing
frame's locals (what Textual's own crash report printed, full name, resident ID and mobile
included). On the event loop, not in the worker that reads it: a worker's failure no longer ends
the session (agent_tui.app.workers), an error on the event loop still does."""

from __future__ import annotations

import sys

from agent_tui.cli import main
from screens.customer_360 import Customer360Screen


def _fails_after_reading(self, view, *args, **kwargs):
    def show(customer=view.customer):  # in the frame's locals, as real code would have it
        raise RuntimeError("a planted fault")

    self.call_later(show)  # on the event loop itself, not handed back to the worker


Customer360Screen._show = _fails_after_reading

if __name__ == "__main__":
    sys.exit(main())
