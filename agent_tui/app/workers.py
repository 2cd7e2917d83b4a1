"""One worker policy: a worker that fails never ends the session nor fails in silence.

Every worker the workstation runs (the App's, through ``AgentApp.run_in_thread``; the screens',
through ``screens.widgets.workers.work``) is started with ``exit_on_error=False``, and its failure
arrives here once, as Textual's ``Worker.StateChanged`` (ERROR) bubbling up to the App. The agent
is told, in their language, what did not finish and what was kept; the report (the traceback
without locals, ``agent_tui.crash_report``) goes to the file beside the store and to Textual's log.

``KINDS`` lists every kind of worker, by its group: what it does, and what a failure leaves as it
was. A worker whose group is missing here is reported as "other" (tests/functional/test_worker_policy.py
fails on any group in the code that is not listed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from agent_tui import crash_report
from agent_tui.i18n import Catalog

if TYPE_CHECKING:
    from agent_tui.app.host import AppHost

# group -> what was kept (the catalog's worker.kept.<kept>); the group names what it was doing
# (worker.what.<group>).
KINDS: dict[str, str] = {
    # the App's own
    "store": "nothing",          # opening the store
    "quit": "drafts",            # writing what was typed, on the way out
    "call-draft": "call",        # offering back or resuming a call the process lost
    "case-form": "nothing",      # opening a case form (with what was kept in it)
    "callback-load": "queue",    # loading a callback from the queue to start its call
    "callback": "queue",         # marking a callback done or tried
    "sync": "sync",              # one sync cycle
    "sync-status": "sync",       # counting what waits to sync
    # the screens'
    "search": "nothing",
    "c360": "nothing",
    "c360-hub": "nothing",
    "c360-page": "nothing",
    "queue": "nothing",
    "conflicts": "nothing",
    "conflicts-settle": "sync",
    "case-load": "nothing",
    "case-attach": "typed",
    "case-save": "typed",
    "case-draft": "typed",
    "draft": "typed",
    "call-facts": "call",
    "call-save": "call",
    "call-audit": "call",
    "verify": "call",
    "step-up": "call",
    "guard-record": "call",
    "closing-callback": "call",
    "seed": "nothing",
    "kb-search": "nothing",
    "kb-article": "nothing",
    "kb-suggest": "nothing",
    "kb-feedback": "nothing",
    "team-board": "nothing",     # a reading of the team board (the next one comes in 3 s)
    "board-reassign": "typed",   # queueing a case's reassignment
    "kpi-view": "nothing",
    "qa-reviews": "nothing",
    "qa-answer": "typed",     # the reason typed stays in its box
    "qa-sample": "nothing",
    "qa-call": "nothing",
    "qa-score": "typed",      # the reviewer's marks and comments stay on the form
    "qa-score-draft": "typed",    # reading the marks kept: the form stays as it is
    # training (issue 15)
    "training-progress": "nothing",
    "training-report": "nothing",
    "training-scenarios": "nothing",
    "training-attempt": "nothing",
    "training-cards": "nothing",  # the persona's card set active before a training call
    # product suitability (issue 18)
    "products": "nothing",
    "products-audit": "nothing",  # the refusal is shown already; its audit line is what failed
    "products-offer": "typed",    # the override's reason stays in its box
    "products-questionnaire": "nothing",  # reading the risk questionnaire to open the form
    "reassess": "typed",          # the answers picked stay on the form
    "reassess-draft": "typed",    # reading the answers kept: the form stays as it is
    # the screen pop (issue 18)
    "cti": "nothing",
    "cti-lookup": "nothing",
}
OTHER = "other"


def kind_of(worker: Worker) -> str:
    return worker.group if worker.group in KINDS else OTHER


def failure_message(catalog: Catalog, worker: Worker, report: Path | None) -> str:
    """The one line the agent reads: what did not finish, what was kept, where the report is."""
    kind = kind_of(worker)
    kept = KINDS.get(kind, OTHER)
    message = catalog.text("worker.failed", what=catalog.text(f"worker.what.{kind}"),
                           kept=catalog.text(f"worker.kept.{kept}"))
    if report is not None:
        message += " " + catalog.text("worker.report", path=str(report))
    return message


def report(folder: Path, worker: Worker) -> Path | None:
    """The worker's error written beside the store (no locals: they hold customer data)."""
    error = worker.error
    return crash_report.write(folder, error) if error is not None else None


class WorkerPolicy:
    """The App's side: told of every worker's change of state, on the event loop.

    A kind that fails again before one of its workers has succeeded is logged, not said again: a
    worker on a timer (the sync status, every 2 s) with the store gone would otherwise fill the
    screen, and the folder, with the same line."""

    def __init__(self) -> None:
        self.failing: set[str] = set()

    def changed(self, app: AppHost, worker: Worker, state: WorkerState) -> None:
        kind = kind_of(worker)
        if state is WorkerState.SUCCESS:
            self.failing.discard(kind)
            return
        if state is not WorkerState.ERROR:
            return
        app.log.error(f"worker {worker.group!r} failed", worker.error)
        if kind in self.failing:
            return
        self.failing.add(kind)
        path = report(app.store_path.parent, worker)
        app.notify(failure_message(app.catalog, worker, path), severity="error", timeout=15)
