"""The screens' ``@work``: Textual's, with the workstation's one worker policy.

A worker's failure never ends the session (``exit_on_error=False``): it reaches the App as
``Worker.StateChanged`` (ERROR), and the App tells the agent what did not finish and what was kept
(``agent_tui.app.workers``). Every screen decorates its workers with this ``work``, never with
``textual.work`` directly, and names its ``group``: the group says which message the agent reads.
"""

from __future__ import annotations

from textual import work as textual_work


def work(*, group: str, thread: bool = True, exclusive: bool = False):  # noqa: ANN201
    """``@work(thread=True, group=..., exclusive=...)``, never exiting the app on an error."""
    return textual_work(group=group, thread=thread, exclusive=exclusive, exit_on_error=False)
